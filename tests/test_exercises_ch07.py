"""utils.exercises.ch07: right answers pass, each usual slip gets its hint.

A check must never raise, whatever it is given.
"""

import math

import numpy as np
import pytest

from checks import hints as hinted
from checks import passes as passed
from checks import stub
from utils.exercises import ch07


# --- Exercise 7.1: the softmax -------------------------------------------

def good_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_softmax_right_answers_pass():
    passed(ch07.check_softmax(good_softmax))
    from utils.softmax import softmax
    passed(ch07.check_softmax(softmax))


def test_softmax_without_the_shift_overflows():
    def naive(z):
        return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    # naive is right for small scores, so the hint comes from the large
    hinted(ch07.check_softmax(naive), "overflow", "largest")


def test_softmax_along_the_wrong_axis():
    def columns(z):
        e = np.exp(z - z.max())
        return e / e.sum(axis=0, keepdims=True)
    hinted(ch07.check_softmax(columns), "columns sum to 1", "axis=1")


def test_softmax_not_normalised():
    hinted(ch07.check_softmax(lambda z: np.exp(z - z.max())),
           "sum to 1")


def test_log_softmax_instead_of_softmax():
    def log_softmax(z):
        s = z - z.max(axis=1, keepdims=True)
        return s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    hinted(ch07.check_softmax(log_softmax), "logarithms")


def test_softmax_that_sums_to_one_but_is_wrong():
    def uniform(z):
        return np.full(z.shape, 1.0 / z.shape[1])
    hinted(ch07.check_softmax(uniform), "should be")


@pytest.mark.parametrize("answer, words", [
    (stub, ("NotImplementedError",)),
    (lambda z: None, ("None",)),
    (lambda z: good_softmax(z).T, ("shape", "transposed")),
    (lambda z: good_softmax(z)[0], ("shape",)),
    (lambda z: "text", ("array of numbers",)),
    (lambda z: 1 / 0, ("ZeroDivisionError",)),
    (good_softmax(np.zeros((3, 4))), ("pass your function",)),
])
def test_softmax_check_never_raises(answer, words):
    hinted(ch07.check_softmax(answer), *words)


def test_softmax_check_leaves_its_scores_alone():
    def overwrite(z):
        z -= 1e6
        return good_softmax(z)
    passed(ch07.check_softmax(overwrite))
    passed(ch07.check_softmax(good_softmax))


# --- Exercise 7.2: the gradient ------------------------------------------

def parts(W, b, X, y):
    z = X @ W + b
    P = good_softmax(z)
    Y = np.eye(10)[y]
    return z, P, Y, len(y)


def good_gradient(W, b, X, y):
    _, P, Y, n = parts(W, b, X, y)
    return X.T @ (P - Y) / n, (P - Y).mean(axis=0)


def test_gradient_right_answers_pass():
    passed(ch07.check_cross_entropy_grad(good_gradient))
    from utils.softmax import cross_entropy_grad
    passed(ch07.check_cross_entropy_grad(cross_entropy_grad))
    passed(ch07.check_cross_entropy_grad(
        lambda *a: list(good_gradient(*a))))


def summed(W, b, X, y):
    _, P, Y, n = parts(W, b, X, y)
    return X.T @ (P - Y), (P - Y).sum(axis=0)


def no_one_hot(W, b, X, y):
    _, P, Y, n = parts(W, b, X, y)
    return X.T @ P / n, P.mean(axis=0)


def flipped(W, b, X, y):
    dW, db = good_gradient(W, b, X, y)
    return -dW, -db


def transposed(W, b, X, y):
    _, P, Y, n = parts(W, b, X, y)
    return (P - Y).T @ X / n, (P - Y).mean(axis=0)


def scores_not_probabilities(W, b, X, y):
    z, P, Y, n = parts(W, b, X, y)
    return X.T @ (z - Y) / n, (z - Y).mean(axis=0)


def db_summed(W, b, X, y):
    dW, _ = good_gradient(W, b, X, y)
    _, P, Y, n = parts(W, b, X, y)
    return dW, (P - Y).sum(axis=0)


def db_wrong_axis(W, b, X, y):
    dW, _ = good_gradient(W, b, X, y)
    _, P, Y, n = parts(W, b, X, y)
    return dW, (P - Y).mean(axis=1)


def db_flipped(W, b, X, y):
    dW, db = good_gradient(W, b, X, y)
    return dW, -db


@pytest.mark.parametrize("answer, words", [
    (summed, ("n = 40 times too large", "dW")),
    (no_one_hot, ("one-hot",)),
    (flipped, ("wrong sign", "dW")),
    (transposed, ("transposed",)),
    (scores_not_probabilities, ("scores z", "softmax")),
    (db_summed, ("db", "n = 40 times too large")),
    (db_wrong_axis, ("db", "shape (10,)")),
    (db_flipped, ("db", "wrong sign")),
    (lambda *a: (good_gradient(*a)[0] * 1.5, good_gradient(*a)[1]),
     ("X.T @ (P - Y) / n",)),
    (lambda *a: (good_gradient(*a)[0], good_gradient(*a)[1] + 0.1),
     ("mean over the samples",)),
])
def test_gradient_slips_get_their_hint(answer, words):
    hinted(ch07.check_cross_entropy_grad(answer), *words)


@pytest.mark.parametrize("answer, words", [
    (stub, ("NotImplementedError",)),
    (lambda *a: None, ("None",)),
    (lambda *a: good_gradient(*a)[0], ("two arrays",)),
    (lambda *a: (None, None), ("dW", "None")),
    (lambda *a: (np.full((64, 10), np.nan), np.zeros(10)),
     ("X.T @ (P - Y) / n",)),
    (lambda *a: ("a", "b"), ("array of numbers",)),
    (lambda *a: 1 / 0, ("ZeroDivisionError",)),
    (None, ("pass your function",)),
])
def test_gradient_check_never_raises(answer, words):
    hinted(ch07.check_cross_entropy_grad(answer), *words)


def test_gradient_case_is_a_batch_of_scaled_digits():
    W, b, X, y = ch07.gradient_case()
    assert W.shape == (64, 10) and b.shape == (10,)
    assert X.shape == (40, 64) and y.shape == (40,)
    assert np.abs(X).max() < 50  # standardised, not raw 0..16 counts


# --- Exercise 7.3: the best rate -----------------------------------------

def test_best_lr_right_answers_pass():
    lrs, loss = ch07.sweep_table()
    best = lrs[np.nanargmin(loss)]
    passed(ch07.check_best_lr(best))
    passed(ch07.check_best_lr(3e-3))
    passed(ch07.check_best_lr(np.float64(best)))
    passed(ch07.check_best_lr(np.array(best)))


def test_best_lr_found_by_hand_agrees_with_the_table():
    # by hand: the smallest finite loss, 0.187, is at 3e-3
    lrs, loss = ch07.sweep_table()
    assert loss[3] == min(v for v in loss if not math.isnan(v))
    assert lrs[3] == 3e-3


def test_sweep_table_returns_copies():
    lrs, loss = ch07.sweep_table()
    lrs[:] = 0.0
    assert ch07.sweep_table()[0][0] == 1e-4


def test_argmin_on_nan_picks_a_diverged_run():
    lrs, loss = ch07.sweep_table()
    hinted(ch07.check_best_lr(lrs[np.argmin(loss)]), "diverged",
           "nanargmin")


@pytest.mark.parametrize("answer, words", [
    (None, ("None",)),
    (0.187, ("that is a loss",)),
    (3, ("position",)),
    (1e-2, ("largest rate that did not diverge",)),
    (1e-3, ("another rate",)),
    (0.5, ("not in the table",)),
    (float("nan"), ("not a loss",)),
    (float("inf"), ("not a loss",)),
    ("3e-3", ("one number",)),
    ([3e-3], ("one number",)),
    (True, ("one number",)),
])
def test_best_lr_slips_get_their_hint(answer, words):
    hinted(ch07.check_best_lr(answer), *words)
