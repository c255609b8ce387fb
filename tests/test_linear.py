"""Tests for utils.linear: the line w * x + b and its mean squared error."""

import math

import numpy as np
import pytest

from utils.data import flipper_and_mass
from utils.gradcheck import numerical_gradient
from utils.linear import least_squares, mse, mse_grad, mse_hessian, predict

# A small data set where every quantity is easy to work out by hand.
X_SMALL = [0.0, 1.0, 2.0]
Y_SMALL = [1.0, 3.0, 2.0]


@pytest.fixture(scope="module")
def data():
    return flipper_and_mass()


def mse_by_loop(w, b, x, y):
    total = 0.0
    for xi, yi in zip(x, y):
        total += (w * xi + b - yi) ** 2
    return total / len(x)


def grad_by_loop(w, b, x, y):
    dw = db = 0.0
    for xi, yi in zip(x, y):
        r = w * xi + b - yi
        dw += 2 * r * xi
        db += 2 * r
    return dw / len(x), db / len(x)


def test_predict():
    np.testing.assert_array_equal(predict(2.0, -1.0, [0, 1, 3]),
                                  [-1.0, 1.0, 5.0])


def test_mse_by_hand():
    # w = 1, b = 0: residuals -1, -2, 0, so J = (1 + 4 + 0) / 3.
    assert mse(1.0, 0.0, X_SMALL, Y_SMALL) == pytest.approx(5 / 3)
    # w = 0, b = 2: residuals 1, -1, 0, so J = 2 / 3.
    assert mse(0.0, 2.0, X_SMALL, Y_SMALL) == pytest.approx(2 / 3)


def test_mse_returns_a_python_float(data):
    assert type(mse(0.3, 4.0, *data)) is float


@pytest.mark.parametrize("w, b", [(0.0, 0.0), (0.5, 3.0), (-1.0, 5.0)])
def test_mse_on_the_data(data, w, b):
    x, y = data
    assert mse(w, b, x, y) == pytest.approx(mse_by_loop(w, b, x, y),
                                            rel=1e-12)


def test_mse_grad_by_hand():
    # w = 1, b = 0: residuals -1, -2, 0 at x = 0, 1, 2.
    # dJ/dw = 2/3 * (0 - 2 + 0), dJ/db = 2/3 * (-1 - 2 + 0).
    dw, db = mse_grad(1.0, 0.0, X_SMALL, Y_SMALL)
    assert dw == pytest.approx(-4 / 3)
    assert db == pytest.approx(-2.0)


@pytest.mark.parametrize("w, b", [(0.0, 0.0), (0.5, 3.0), (-1.0, 5.0)])
def test_mse_grad_on_the_data(data, w, b):
    x, y = data
    got = mse_grad(w, b, x, y)
    assert isinstance(got, tuple) and len(got) == 2
    assert all(type(g) is float for g in got)
    np.testing.assert_allclose(got, grad_by_loop(w, b, x, y), rtol=1e-12)


@pytest.mark.parametrize("w, b", [(0.0, 0.0), (0.5, 3.0), (2.0, -1.0)])
def test_mse_grad_matches_central_differences(data, w, b):
    x, y = data

    def cost(theta):
        return mse(theta[0], theta[1], x, y)

    numeric = numerical_gradient(cost, [w, b], h=1e-5)
    np.testing.assert_allclose(mse_grad(w, b, x, y), numeric,
                               rtol=1e-7, atol=1e-9)


def test_mse_hessian_by_hand():
    # mean(x^2) = 5/3 and mean(x) = 1 for x = 0, 1, 2.
    np.testing.assert_allclose(mse_hessian(X_SMALL),
                               [[10 / 3, 2.0], [2.0, 2.0]])


@pytest.mark.parametrize("w, b", [(0.0, 0.0), (0.5, 3.0)])
def test_mse_hessian_matches_differences_of_the_gradient(data, w, b):
    x, y = data
    h = 1e-4
    columns = []
    for step in ([h, 0.0], [0.0, h]):
        up = np.array(mse_grad(w + step[0], b + step[1], x, y))
        down = np.array(mse_grad(w - step[0], b - step[1], x, y))
        columns.append((up - down) / (2 * h))
    numeric = np.column_stack(columns)
    hessian = mse_hessian(x)
    assert hessian.shape == (2, 2)
    np.testing.assert_allclose(hessian, numeric, rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(hessian, hessian.T)


def test_mse_hessian_of_uncentred_data():
    x = np.array([1.0, 2.0, 4.0, 7.0])
    mean_x = (1 + 2 + 4 + 7) / 4
    mean_x2 = (1 + 4 + 16 + 49) / 4
    np.testing.assert_allclose(mse_hessian(x),
                               [[2 * mean_x2, 2 * mean_x],
                                [2 * mean_x, 2.0]])


def test_least_squares_matches_polyfit(data):
    x, y = data
    w_fit, b_fit = np.polyfit(x, y, 1)
    w_star, b_star = least_squares(x, y)
    assert type(w_star) is float and type(b_star) is float
    assert w_star == pytest.approx(w_fit, rel=1e-10)
    assert b_star == pytest.approx(b_fit, rel=1e-10)


def test_least_squares_matches_lstsq_on_uncentred_data(data):
    x, y = data
    x = x + 20.0  # flipper length in cm, not centred
    design = np.column_stack([x, np.ones_like(x)])
    (w_ls, b_ls), *_ = np.linalg.lstsq(design, y, rcond=None)
    w_star, b_star = least_squares(x, y)
    assert w_star == pytest.approx(w_ls, rel=1e-9)
    assert b_star == pytest.approx(b_ls, rel=1e-9)


def test_least_squares_recovers_an_exact_line():
    x = np.linspace(-3, 5, 9)
    w_star, b_star = least_squares(x, 1.5 * x - 2.0)
    assert w_star == pytest.approx(1.5, abs=1e-12)
    assert b_star == pytest.approx(-2.0, abs=1e-12)


def test_gradient_vanishes_at_the_least_squares_solution(data):
    x, y = data
    w_star, b_star = least_squares(x, y)
    dw, db = mse_grad(w_star, b_star, x, y)
    assert abs(dw) < 1e-12 and abs(db) < 1e-12
    # And nearby points cost more.
    best = mse(w_star, b_star, x, y)
    for dw_, db_ in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)]:
        assert mse(w_star + dw_, b_star + db_, x, y) > best


def test_least_squares_two_points():
    # Through (1, 2) and (3, 8): slope 3, intercept -1.
    w_star, b_star = least_squares([1.0, 3.0], [2.0, 8.0])
    assert math.isclose(w_star, 3.0) and math.isclose(b_star, -1.0)


# Bad input ------------------------------------------------------------------

FUNCTIONS = {
    "mse": lambda x, y: mse(0.5, 1.0, x, y),
    "mse_grad": lambda x, y: mse_grad(0.5, 1.0, x, y),
    "least_squares": least_squares,
}
BAD_X = {
    "text": (["a", "b", "c"], [1.0, 2.0, 3.0]),
    "nan": ([1.0, np.nan, 3.0], [1.0, 2.0, 3.0]),
    "inf": ([1.0, np.inf, 3.0], [1.0, 2.0, 3.0]),
    "2-d": ([[1.0, 2.0], [3.0, 4.0]], [1.0, 2.0]),
    "empty": ([], []),
    "none": (None, [1.0]),
}
BAD_Y = {
    "text": ([1.0, 2.0, 3.0], [1.0, "two", 3.0]),
    "nan": ([1.0, 2.0, 3.0], [1.0, 2.0, np.nan]),
    "2-d": ([1.0, 2.0, 3.0], np.ones((3, 1))),
    "object": ([1.0, 2.0], [object(), 1.0]),
}


@pytest.mark.parametrize("function", FUNCTIONS.values(), ids=FUNCTIONS)
@pytest.mark.parametrize("x, y", BAD_X.values(), ids=BAD_X)
def test_bad_x_is_named(function, x, y):
    with pytest.raises(ValueError, match=r"^x "):
        function(x, y)


@pytest.mark.parametrize("function", FUNCTIONS.values(), ids=FUNCTIONS)
@pytest.mark.parametrize("x, y", BAD_Y.values(), ids=BAD_Y)
def test_bad_y_is_named(function, x, y):
    with pytest.raises(ValueError, match=r"^y "):
        function(x, y)


@pytest.mark.parametrize("function", FUNCTIONS.values(), ids=FUNCTIONS)
def test_shape_mismatch_names_x_and_y(function):
    with pytest.raises(ValueError) as info:
        function([1.0, 2.0, 3.0], [1.0, 2.0])
    message = str(info.value)
    assert "x and y" in message
    assert "(3,)" in message and "(2,)" in message


@pytest.mark.parametrize("x", [["a"], [np.nan, 1.0], [[1.0, 2.0]], []])
def test_mse_hessian_rejects_bad_x(x):
    with pytest.raises(ValueError, match=r"^x "):
        mse_hessian(x)


@pytest.mark.parametrize("x", [[2.0, 2.0, 2.0], [5.0]])
def test_least_squares_rejects_constant_x(x):
    with pytest.raises(ValueError, match="constant"):
        least_squares(x, [1.0, 2.0, 3.0][:len(x)])


def test_inputs_are_not_modified(data):
    x, y = data
    x_before, y_before = x.copy(), y.copy()
    mse(1.0, 2.0, x, y)
    mse_grad(1.0, 2.0, x, y)
    mse_hessian(x)
    least_squares(x, y)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(y, y_before)


# Bad parameters -------------------------------------------------------------

PARAMETER_CALLS = {
    "mse": lambda w, b: mse(w, b, X_SMALL, Y_SMALL),
    "mse_grad": lambda w, b: mse_grad(w, b, X_SMALL, Y_SMALL),
    "predict": lambda w, b: predict(w, b, X_SMALL),
}
BAD_PARAMETERS = {
    "text": "a",
    "array": np.ones(342),
    "list": [1.0, 2.0],
    "none": None,
    "bool": True,
    "complex": 1j,
}


@pytest.mark.parametrize("function", PARAMETER_CALLS.values(),
                         ids=PARAMETER_CALLS)
@pytest.mark.parametrize("bad", BAD_PARAMETERS.values(), ids=BAD_PARAMETERS)
def test_bad_w_and_b_are_named(function, bad):
    with pytest.raises(ValueError, match=r"^w must be a single real number"):
        function(bad, 1.0)
    with pytest.raises(ValueError, match=r"^b must be a single real number"):
        function(0.5, bad)


def test_numpy_scalars_and_0d_arrays_give_the_same_bits(data):
    x, y = data
    for w, b in [(np.float64(0.3), np.float32(4.0)),
                 (np.array(0.3), np.array(4.0)), (np.int64(0), 4)]:
        assert mse(w, b, x, y) == mse(float(w), float(b), x, y)
        assert mse_grad(w, b, x, y) == mse_grad(float(w), float(b), x, y)


def test_a_diverged_parameter_has_a_cost_that_is_not_finite(data):
    # Training loops evaluate the cost where a run diverged; the answer
    # must say so rather than raise.
    x, y = data
    with np.errstate(invalid="ignore"):
        assert mse(np.inf, 0.0, x, y) == np.inf
        assert np.isnan(mse(np.nan, 0.0, x, y))
