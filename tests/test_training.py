"""Tests for utils.training: recorded runs that stop cleanly on divergence.

pytest turns every warning into an error here (filterwarnings = error in
pyproject.toml); the divergence tests also record warnings themselves,
so that they say what they check even when run another way.
"""

import math
import re
import warnings

import numpy as np
import pytest

from utils.data import flipper_and_mass
from utils.linear import least_squares, mse
from utils.optimizers import SGD
from utils.training import Run, descend, fit_linear, gradient_descent


@pytest.fixture(scope="module")
def data():
    return flipper_and_mass()


def quadratic(a):
    """f(t) = a t^2 / 2 and its gradient a t, for a 1-D theta."""
    def loss(theta):
        return 0.5 * a * theta[0] ** 2

    def grad(theta):
        return np.array([a * theta[0]])

    return loss, grad


# Convergence ----------------------------------------------------------------

def test_fit_linear_converges_to_least_squares(data):
    x, y = data
    run = fit_linear(x, y, lr=0.1, steps=200)
    assert run.diverged_at is None
    assert run.theta.shape == (201, 2)
    assert run.loss.shape == (201,)
    assert run.steps == 200
    w_fit, b_fit = np.polyfit(x, y, 1)
    np.testing.assert_allclose(run.theta[-1], [w_fit, b_fit], rtol=1e-9)
    np.testing.assert_allclose(run.theta[-1], least_squares(x, y),
                               rtol=1e-9)
    assert run.loss[-1] == pytest.approx(mse(w_fit, b_fit, x, y),
                                         rel=1e-12)


def test_fit_linear_starts_at_w0_b0(data):
    x, y = data
    run = fit_linear(x, y, lr=0.1, steps=5, w0=0.3, b0=-1.0)
    np.testing.assert_array_equal(run.theta[0], [0.3, -1.0])
    assert run.loss[0] == mse(0.3, -1.0, x, y)
    default = fit_linear(x, y, lr=0.1, steps=5)
    np.testing.assert_array_equal(default.theta[0], [0.0, 0.0])


def test_fit_linear_takes_plain_gradient_steps(data):
    # Re-derive every step with the hand-written gradient of the MSE:
    # dJ/dw = 2 mean(r x), dJ/db = 2 mean(r), with r = w x + b - y.
    x, y = data
    lr, steps = 0.05, 20
    run = fit_linear(x, y, lr=lr, steps=steps)
    w, b = 0.0, 0.0
    for k in range(steps + 1):
        assert run.theta[k] == pytest.approx([w, b], rel=1e-12, abs=1e-15)
        r = w * x + b - y
        assert run.loss[k] == pytest.approx(np.mean(r ** 2), rel=1e-12)
        w, b = w - lr * 2 * np.mean(r * x), b - lr * 2 * np.mean(r)


def test_loss_decreases_for_a_small_learning_rate(data):
    run = fit_linear(*data, lr=0.1, steps=50)
    assert np.all(np.diff(run.loss) < 0)


@pytest.mark.parametrize("a, lr", [(1.0, 0.1), (2.0, 0.3), (4.0, 0.45),
                                   (1.0, 1.5)])
def test_quadratic_iterates_follow_the_closed_form(a, lr):
    # t_{k+1} = t_k - lr a t_k = (1 - lr a) t_k, so t_k = (1 - lr a)^k t_0.
    loss, grad = quadratic(a)
    t0, steps = 3.0, 30
    run = gradient_descent(loss, grad, [t0], lr=lr, steps=steps)
    k = np.arange(steps + 1)
    want = (1 - lr * a) ** k * t0
    assert run.theta.shape == (steps + 1, 1)
    np.testing.assert_allclose(run.theta[:, 0], want, rtol=1e-12,
                               atol=1e-12)
    np.testing.assert_allclose(run.loss, 0.5 * a * want ** 2, rtol=1e-12,
                               atol=1e-12)
    assert run.diverged_at is None


def test_lr_equal_to_one_over_a_lands_on_the_minimum():
    loss, grad = quadratic(4.0)
    run = gradient_descent(loss, grad, [3.0], lr=0.25, steps=3)
    np.testing.assert_array_equal(run.theta[:, 0], [3.0, 0.0, 0.0, 0.0])


def test_descend_uses_the_optimizer_it_is_given():
    loss, grad = quadratic(1.0)
    a = descend(loss, grad, [1.0], 4, SGD(0.5))
    b = gradient_descent(loss, grad, [1.0], 0.5, 4)
    np.testing.assert_array_equal(a.theta, b.theta)
    np.testing.assert_allclose(a.theta[:, 0], 0.5 ** np.arange(5))


def test_theta0_is_copied_not_modified():
    loss, grad = quadratic(1.0)
    theta0 = np.array([2.0])
    run = gradient_descent(loss, grad, theta0, lr=0.5, steps=3)
    np.testing.assert_array_equal(theta0, [2.0])
    # Each row is its own copy, not the same array seen three times.
    assert run.theta[0, 0] == 2.0 and run.theta[-1, 0] == 0.25


def test_zero_steps_returns_just_the_start(data):
    run = fit_linear(*data, lr=0.1, steps=0, w0=1.0, b0=2.0)
    np.testing.assert_array_equal(run.theta, [[1.0, 2.0]])
    assert run.loss.tolist() == [mse(1.0, 2.0, *data)]
    assert run.diverged_at is None
    assert run.steps == 0


def test_summary_of_a_finished_run():
    loss, grad = quadratic(1.0)
    run = gradient_descent(loss, grad, [2.0], lr=0.5, steps=2)
    # t = 2, 1, 0.5; the final loss is 0.5 * 0.5^2 = 0.125.
    assert run.summary() == "2 steps, final loss 0.125"


# Divergence -----------------------------------------------------------------

def test_divergence_on_a_quadratic_stops_at_the_predicted_step():
    # With a = 1 and lr = 3, t_k = (-2)^k exactly, and the loss evaluates
    # t^2 first: t^2 = 4^k = 2^(2k) first exceeds the largest float
    # (just under 2^1024) at k = 512.
    loss, grad = quadratic(1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = gradient_descent(loss, grad, [1.0], lr=3.0, steps=1000)
    assert caught == []
    assert run.diverged_at == 512
    assert run.steps == 512
    assert run.theta[-1, 0] == 2.0 ** 512
    assert run.theta[-2, 0] == -(2.0 ** 511)
    assert math.isinf(run.loss[-1])
    assert np.all(np.isfinite(run.loss[:-1]))


def test_divergence_of_fit_linear(data):
    x, y = data
    lr = 1.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = fit_linear(x, y, lr=lr, steps=5000)
        summary = run.summary()
    assert caught == []
    assert isinstance(run.diverged_at, int)
    assert not isinstance(run.diverged_at, bool)
    assert run.diverged_at == len(run.loss) - 1 == run.steps
    assert run.diverged_at < 5000
    assert len(run.theta) == len(run.loss)
    assert not np.isfinite(run.loss[-1])
    assert np.all(np.isfinite(run.loss[:-1]))
    assert f"diverged at step {run.diverged_at}" in summary
    # The summary quotes the last finite loss.
    last = re.search(r"last finite loss ([0-9.e+]+)", summary).group(1)
    assert float(last) == pytest.approx(run.loss[-2], rel=1e-3)


def test_divergence_grows_at_the_rate_the_hessian_predicts(data):
    # x is centred, so the Hessian is diag(2 var(x), 2) and the error in w
    # is multiplied by (1 - 2 lr var(x)) each step while the error in b is
    # multiplied by (1 - 2 lr) = -1 for lr = 1: the loss, dominated by w,
    # grows by (1 - 2 lr var(x))^2 per step.
    x, y = data
    lr = 1.0
    run = fit_linear(x, y, lr=lr, steps=5000)
    factor = (1 - 2 * lr * np.var(x)) ** 2
    ratios = run.loss[-10:-1] / run.loss[-11:-2]
    np.testing.assert_allclose(ratios, factor, rtol=1e-9)


def test_a_learning_rate_just_below_the_limit_does_not_diverge(data):
    # Stable while lr < 2 / (largest Hessian eigenvalue) = 1 / var(x).
    x, y = data
    run = fit_linear(x, y, lr=0.95 / np.var(x), steps=500)
    assert run.diverged_at is None
    assert run.loss[-1] < run.loss[0]


def test_overflow_error_in_the_loss_counts_as_divergence():
    # math.exp raises OverflowError above about 709.78. With a constant
    # gradient of -1 and lr = 100, t_k = 100 k passes that at k = 8.
    def loss(theta):
        return math.exp(theta[0])

    def grad(theta):
        return np.array([-1.0])

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = gradient_descent(loss, grad, [0.0], lr=100.0, steps=50)
    assert caught == []
    assert run.diverged_at == 8
    assert run.loss[-1] == math.inf
    assert run.loss[-2] == pytest.approx(math.exp(700.0))
    assert "diverged at step 8" in run.summary()


def test_a_nan_loss_counts_as_divergence():
    def loss(theta):
        return math.nan if theta[0] > 2.5 else theta[0]

    def grad(theta):
        return np.array([-1.0])

    run = gradient_descent(loss, grad, [0.0], lr=1.0, steps=10)
    assert run.diverged_at == 3
    assert math.isnan(run.loss[-1])
    assert "diverged at step 3" in run.summary()


def test_a_non_finite_start_is_an_error():
    with pytest.raises(ValueError, match="theta0"):
        gradient_descent(lambda t: math.inf, lambda t: t, [1.0], 0.1, 5)


def test_run_is_a_named_tuple():
    run = Run(np.zeros((1, 1)), np.array([1.0]), None)
    theta, loss, diverged_at = run
    assert diverged_at is None and run.steps == 0


# Bad arguments --------------------------------------------------------------

@pytest.mark.parametrize("steps", [-1, 2.5, 10.0, "10", None, True])
def test_bad_steps_are_named(data, steps):
    with pytest.raises(ValueError, match=r"^steps "):
        fit_linear(*data, lr=0.1, steps=steps)
    loss, grad = quadratic(1.0)
    with pytest.raises(ValueError, match=r"^steps "):
        gradient_descent(loss, grad, [1.0], lr=0.1, steps=steps)


def test_steps_may_be_a_numpy_integer(data):
    run = fit_linear(*data, lr=0.1, steps=np.int64(3))
    assert run.steps == 3


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf"),
                                "0.1", None, True])
def test_bad_lr_is_named(data, lr):
    with pytest.raises(ValueError, match=r"^lr "):
        fit_linear(*data, lr=lr, steps=10)
    loss, grad = quadratic(1.0)
    with pytest.raises(ValueError, match=r"^lr "):
        gradient_descent(loss, grad, [1.0], lr=lr, steps=10)


@pytest.mark.parametrize("x, y, name", [
    ([1.0, 2.0], [1.0, 2.0, 3.0], "x and y"),
    ([1.0, np.nan], [1.0, 2.0], "x"),
    ([1.0, 2.0], ["a", "b"], "y"),
])
def test_bad_data_is_named(x, y, name):
    with pytest.raises(ValueError, match=f"^{name} "):
        fit_linear(x, y, lr=0.1, steps=10)


@pytest.mark.parametrize("theta0", [[[1.0]], [], [np.nan], "a"])
def test_bad_theta0_is_named(theta0):
    loss, grad = quadratic(1.0)
    with pytest.raises(ValueError, match=r"^theta0 "):
        gradient_descent(loss, grad, theta0, lr=0.1, steps=10)


def test_a_gradient_of_the_wrong_shape_is_reported():
    with pytest.raises(ValueError, match=r"grads\[0\]"):
        gradient_descent(lambda t: 0.0, lambda t: np.zeros(3), [1.0, 2.0],
                         lr=0.1, steps=1)


@pytest.mark.parametrize("name, value", [("w0", "a"), ("b0", "a"),
                                         ("w0", np.ones(2)),
                                         ("b0", np.inf)])
def test_a_bad_start_of_fit_linear_names_w0_or_b0(data, name, value):
    with pytest.raises(ValueError, match=f"^{name} "):
        fit_linear(*data, lr=0.1, steps=3, **{name: value})


def test_a_0d_array_is_a_learning_rate(data):
    a = fit_linear(*data, lr=np.array(0.1), steps=5)
    b = fit_linear(*data, lr=0.1, steps=5)
    np.testing.assert_array_equal(a.theta, b.theta)
    with pytest.raises(ValueError, match="^lr "):
        fit_linear(*data, lr=np.array([0.1]), steps=5)
    with pytest.raises(ValueError, match="^lr "):
        fit_linear(*data, lr=np.array(True), steps=5)


def test_a_learning_rate_too_large_for_a_float_names_lr():
    x, y = flipper_and_mass()
    with pytest.raises(ValueError, match="lr is too large"):
        fit_linear(x, y, lr=10 ** 400, steps=1)
