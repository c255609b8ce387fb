"""Tests for utils.softmax: the classifier of Chapter 7.

Expected values come from hand formulas (softmax of [0, log 3] is
[1/4, 3/4]; the loss of a model that knows nothing is log 10), from
finite differences and from properties every correct gradient has.
"""

import math

import numpy as np
import pytest

from utils import softmax as sm
from utils.gradcheck import numerical_gradient


@pytest.fixture(scope="module")
def task():
    return sm.digits_task()


def small_model(seed=0, scale=0.1):
    rng = np.random.default_rng(seed)
    return (rng.normal(scale=scale, size=(64, 10)),
            rng.normal(scale=scale, size=10))


# --- softmax and log-sum-exp ------------------------------------------

def test_softmax_of_a_hand_example():
    p = sm.softmax(np.array([0.0, math.log(3.0)]))
    np.testing.assert_allclose(p, [0.25, 0.75], rtol=1e-15)


def test_softmax_rows_sum_to_one_and_keep_the_shape():
    z = np.random.default_rng(1).normal(scale=5.0, size=(7, 10))
    p = sm.softmax(z)
    assert p.shape == z.shape
    assert np.all(p > 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    # the largest score of each row gets the largest probability
    assert np.array_equal(p.argmax(axis=1), z.argmax(axis=1))


def test_softmax_ignores_a_shift_of_each_row():
    z = np.random.default_rng(2).normal(size=(4, 10))
    shift = np.array([[-50.0], [0.0], [3.0], [700.0]])
    np.testing.assert_allclose(sm.softmax(z + shift), sm.softmax(z),
                               rtol=1e-12)


def test_softmax_of_huge_scores_is_finite_and_exact():
    # exp(1000) overflows; two equal top scores share the probability
    p = sm.softmax(np.array([[1000.0, 1000.0, -1000.0]]))
    np.testing.assert_allclose(p, [[0.5, 0.5, 0.0]], atol=1e-300)


def test_log_sum_exp_matches_the_direct_formula_where_it_is_safe():
    z = np.random.default_rng(3).normal(size=(5, 10))
    np.testing.assert_allclose(sm.log_sum_exp(z),
                               np.log(np.exp(z).sum(axis=1)), rtol=1e-14)


def test_log_sum_exp_of_huge_scores():
    # log(e^1000 + e^1000) = 1000 + log 2, by hand
    out = sm.log_sum_exp(np.array([[1000.0, 1000.0], [-1000.0, -1000.0]]))
    np.testing.assert_allclose(out, [1000.0 + math.log(2.0),
                                     -1000.0 + math.log(2.0)], rtol=1e-15)


def test_log_sum_exp_of_a_single_row_is_a_number():
    assert sm.log_sum_exp(np.zeros(4)) == pytest.approx(math.log(4.0))


def test_infinite_scores_give_no_warning():
    # pytest turns warnings into errors: none may escape
    out = sm.log_sum_exp(np.array([[np.inf, 0.0], [np.nan, 1.0]]))
    assert not np.any(np.isfinite(out))
    p = sm.softmax(np.array([[np.inf, 0.0]]))
    assert not np.all(np.isfinite(p))


def test_a_scalar_score_is_refused():
    with pytest.raises(ValueError, match="z"):
        sm.softmax(3.0)


# --- loss, gradient, predictions ----------------------------------------

def test_loss_of_a_model_that_knows_nothing_is_log_10(task):
    W, b = np.zeros((64, 10)), np.zeros(10)
    loss = sm.cross_entropy(W, b, task.X_train, task.y_train)
    assert loss == pytest.approx(math.log(10.0), rel=1e-14)


def test_loss_is_the_mean_of_minus_log_p(task):
    W, b = small_model()
    X, y = task.X_train[:50], task.y_train[:50]
    z = X @ W + b
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    want = -np.mean(np.log(p[np.arange(50), y]))
    assert sm.cross_entropy(W, b, X, y) == pytest.approx(want, rel=1e-12)


def test_loss_stays_finite_where_a_probability_rounds_to_zero():
    # the right class is 1000 below another: -log p = 1000, exactly
    X = np.array([[1.0]])
    W = np.array([[0.0, 1000.0]])
    loss = sm.cross_entropy(W, np.zeros(2), X, np.array([0]))
    assert loss == pytest.approx(1000.0, rel=1e-12)


def test_gradient_matches_finite_differences(task):
    W, b = small_model(seed=4, scale=0.3)
    X, y = task.X_train[:200], task.y_train[:200]

    def J(theta):
        return sm.cross_entropy(*sm.unpack(theta), X, y)

    numeric = numerical_gradient(J, sm.pack(W, b))
    exact = sm.pack(*sm.cross_entropy_grad(W, b, X, y))
    assert numeric.size == 650
    np.testing.assert_allclose(exact, numeric, rtol=0, atol=1e-8)


def test_gradient_sums_to_zero_over_the_classes(task):
    # each row of P - Y sums to 0, so each row of dW and all of db do
    W, b = small_model(seed=5)
    dW, db = sm.cross_entropy_grad(W, b, task.X_train, task.y_train)
    assert dW.shape == (64, 10) and db.shape == (10,)
    np.testing.assert_allclose(dW.sum(axis=1), 0.0, atol=1e-14)
    assert abs(db.sum()) < 1e-14


def test_gradient_of_one_sample_by_hand():
    # one sample x = (2,), two classes, W = 0: p = (1/2, 1/2), label 1
    # dJ/dz = p - e_1 = (1/2, -1/2); dW = x (p - e_1); db = p - e_1
    loss, dW, db = sm.loss_and_grad(np.zeros((1, 2)), np.zeros(2),
                                    np.array([[2.0]]), np.array([1]))
    assert loss == pytest.approx(math.log(2.0))
    np.testing.assert_allclose(dW, [[1.0, -1.0]])
    np.testing.assert_allclose(db, [0.5, -0.5])


def test_loss_and_grad_agree_with_the_separate_functions(task):
    W, b = small_model(seed=6)
    X, y = task.X_train[:64], task.y_train[:64]
    loss, dW, db = sm.loss_and_grad(W, b, X, y)
    assert loss == sm.cross_entropy(W, b, X, y)
    want_W, want_b = sm.cross_entropy_grad(W, b, X, y)
    np.testing.assert_array_equal(dW, want_W)
    np.testing.assert_array_equal(db, want_b)


def test_one_hot():
    np.testing.assert_array_equal(sm.one_hot(np.array([2, 0]), 3),
                                  [[0, 0, 1], [1, 0, 0]])


def test_predict_and_accuracy_by_hand():
    # class c scores x * c: the largest x wins for a positive x
    X = np.array([[1.0], [-1.0], [2.0]])
    W = np.array([[0.0, 1.0, 2.0]])
    b = np.zeros(3)
    np.testing.assert_array_equal(sm.predict(W, b, X), [2, 0, 2])
    assert sm.accuracy(W, b, X, np.array([2, 0, 1])) == pytest.approx(
        2 / 3)


@pytest.mark.parametrize("y", [np.array([0.5, 1.0]), np.array([[1, 2]]),
                               np.array([0, 10])])
def test_bad_labels_are_refused(y):
    with pytest.raises(ValueError, match="y"):
        sm.cross_entropy(np.zeros((1, 10)), np.zeros(10),
                         np.ones((y.size, 1)), y)


def test_pack_and_unpack_round_trip():
    W, b = small_model(seed=7)
    theta = sm.pack(W, b)
    assert theta.shape == (650,)
    W2, b2 = sm.unpack(theta)
    np.testing.assert_array_equal(W2, W)
    np.testing.assert_array_equal(b2, b)


def test_unpack_refuses_a_vector_of_the_wrong_size():
    with pytest.raises(ValueError, match="650"):
        sm.unpack(np.zeros(640))


# --- split and scaling ---------------------------------------------------

def test_split_is_a_seeded_partition():
    X = np.arange(40.0).reshape(20, 2)
    y = np.arange(20)
    a = sm.train_test_split(X, y, 0.25, np.random.default_rng(0))
    again = sm.train_test_split(X, y, 0.25, np.random.default_rng(0))
    other = sm.train_test_split(X, y, 0.25, np.random.default_rng(1))
    X_train, y_train, X_test, y_test = a
    assert len(y_test) == 5 and len(y_train) == 15
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(
        range(20))
    # rows travel with their labels
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)
    for u, v in zip(a, again):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[3], other[3])


@pytest.mark.parametrize("fraction", [0.0, 1.0, 1.5, -0.2, 0.01])
def test_split_refuses_an_empty_set(fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        sm.train_test_split(np.zeros((20, 2)), np.arange(20), fraction,
                            np.random.default_rng(0))


def test_split_needs_a_generator():
    with pytest.raises(ValueError, match="rng"):
        sm.train_test_split(np.zeros((20, 2)), np.arange(20), 0.2, 0)


def test_scaling_standardises_and_keeps_blank_columns():
    X = np.array([[1.0, 5.0, 0.0], [3.0, 5.0, 2.0], [5.0, 5.0, 4.0]])
    mean, scale = sm.fit_scaling(X)
    np.testing.assert_allclose(mean, [3.0, 5.0, 2.0])
    # population standard deviation of (1, 3, 5) is sqrt(8/3)
    np.testing.assert_allclose(scale, [math.sqrt(8 / 3), 1.0,
                                       math.sqrt(8 / 3)])
    Z = sm.apply_scaling(X, mean, scale)
    np.testing.assert_allclose(Z[:, 1], 0.0)
    np.testing.assert_allclose(Z.std(axis=0), [1.0, 0.0, 1.0])


def test_digits_task_scales_with_training_statistics_only(task):
    assert task.X_train.shape == (1438, 64)
    assert task.X_test.shape == (359, 64)
    assert len(task.y_train) == 1438 and len(task.y_test) == 359
    np.testing.assert_allclose(task.X_train.mean(axis=0), 0.0, atol=1e-12)
    std = task.X_train.std(axis=0)
    assert np.all(np.isclose(std, 1.0) | np.isclose(std, 0.0))
    # the test set was scaled with the training set's numbers, so its
    # means are small but not zero
    assert 0 < np.abs(task.X_test.mean(axis=0)).max() < 1.0


def test_digits_task_is_the_same_for_the_same_seed(task):
    again = sm.digits_task(seed=0)
    for a, b in zip(task, again):
        np.testing.assert_array_equal(a, b)
    other = sm.digits_task(seed=1)
    assert not np.array_equal(other.y_test, task.y_test)


@pytest.mark.parametrize("shape", [(4,), (1, 4), (4, 1), (3, 4)])
def test_softmax_and_log_sum_exp_leave_their_input_alone(shape):
    z = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    before = z.copy()
    sm.softmax(z)
    sm.log_sum_exp(z)
    np.testing.assert_array_equal(z, before)
