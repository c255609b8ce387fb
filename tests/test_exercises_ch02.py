"""Tests for utils.exercises.ch02: right answers pass, usual slips get
their own hint, and nothing a learner passes makes a check raise."""

import math

import numpy as np
import pytest

from checks import hints, passes, stub
from utils.exercises.ch02 import (check_bound, check_classify,
                                  check_contraction, check_steps)


def hessian(x):
    x = np.asarray(x, dtype=float)
    return 2.0 * np.array([[np.mean(x * x), np.mean(x)],
                           [np.mean(x), 1.0]])


def top(x):
    return np.linalg.eigvalsh(hessian(x))[-1]


def bottom(x):
    return np.linalg.eigvalsh(hessian(x))[0]


# --- Exercise 2.1 ------------------------------------------------------------

def test_bound_right_answer_passes():
    passes(check_bound(lambda x: (top(x), 2.0 / top(x))))


@pytest.mark.parametrize("answer, words", [
    (lambda x: (top(x) / 2, 4.0 / top(x)), ("factor 2",)),
    (lambda x: (bottom(x), 2.0 / bottom(x)), ("smallest eigenvalue",)),
    (lambda x: (max(np.diag(hessian(x))), 2.0 / max(np.diag(hessian(x)))),
     ("not diagonal",)),
    (lambda x: (top(x), 1.0 / top(x)), ("1/L", "2/L")),
    (lambda x: (top(x), 2.0 / bottom(x)), ("smallest eigenvalue",)),
    (lambda x: (top(x), top(x) / 2.0), ("upside down",)),
    (lambda x: (np.linalg.eigvalsh(hessian(x)), 0.5), ("both eigenvalues",)),
    (lambda x: (top(x), 0.3), ("2/L",)),
    (lambda x: (5.0, 0.4), ("L should be",)),
])
def test_bound_slips_get_their_hint(answer, words):
    hints(check_bound(answer), *words)


@pytest.mark.parametrize("answer, words", [
    (stub, ("NotImplementedError",)),
    (lambda x: None, ("None",)),
    (lambda x: (1.0, 2.0, 3.0), ("two values",)),
    (lambda x: (math.nan, 0.5), ("nan",)),
    (lambda x: 1 / 0, ("ZeroDivisionError",)),
    (lambda x: ("L", "lr"), ("single number",)),
    (3.9, ("function",)),
])
def test_bound_never_raises(answer, words):
    hints(check_bound(answer), *words)


# --- Exercise 2.2 ------------------------------------------------------------

def test_contraction_right_answer_passes():
    passes(check_contraction(lambda lr, lam: abs(1 - lr * lam)))
    passes(check_contraction(lambda lr, lam: np.abs(1 - lr * lam)))


@pytest.mark.parametrize("answer, words", [
    (lambda lr, lam: 1 - lr * lam, ("negative", "absolute value")),
    (lambda lr, lam: abs(1 - lam), ("learning rate is missing",)),
    (lambda lr, lam: 1 - lam, ("learning rate is missing",)),
    (lambda lr, lam: abs(1 - lr / lam), ("divided",)),
    (lambda lr, lam: lr * lam, ("|1 - lr*lambda|",)),
    (lambda lr, lam: 0.5, ("should be",)),
    (stub, ("NotImplementedError",)),
    (lambda lr, lam: None, ("None",)),
    (lambda lr, lam: np.array([1.0, 2.0]), ("single number",)),
    (lambda lr, lam: math.inf, ("inf",)),
])
def test_contraction_slips_get_their_hint(answer, words):
    hints(check_contraction(answer), *words)


# --- Exercise 2.3 ------------------------------------------------------------

def right_steps(eps, L, mu):
    q = (L - mu) / (L + mu)
    return math.ceil(math.log(eps) / math.log(q))


def test_steps_right_answer_passes():
    passes(check_steps(right_steps))
    passes(check_steps(lambda *a: np.int64(right_steps(*a))))


def test_steps_on_the_penguin_data_is_13():
    # q = (L - 2) / (L + 2) with L = 2 mean(x^2) = 3.943: q**12 > 1e-6
    # >= q**13.
    assert right_steps(1e-6, 3.943072569337574, 2.0) == 13


@pytest.mark.parametrize("answer, words", [
    (lambda eps, L, mu: right_steps(eps, L, mu) - 1, ("one step short",)),
    (lambda eps, L, mu: math.log(eps) / math.log((L - mu) / (L + mu)),
     ("whole", "math.ceil")),
    (lambda eps, L, mu: math.ceil(math.log(eps) / math.log(1 - mu / L)),
     ("1 - mu/L",)),
    (lambda eps, L, mu: math.ceil(
        math.log(eps) / (2 * math.log((L - mu) / (L + mu)))),
     ("q**2",)),
    (lambda eps, L, mu: 7, ("the answer is",)),
    (stub, ("NotImplementedError",)),
    (lambda eps, L, mu: None, ("None",)),
    (lambda eps, L, mu: math.nan, ("nan",)),
    (lambda eps, L, mu: 10 ** 400, ("too large",)),
])
def test_steps_slips_get_their_hint(answer, words):
    hints(check_steps(answer), *words)


# --- Exercise 2.4 ------------------------------------------------------------

def right_classify(lr, L):
    if lr * L <= 1:
        return "monotone"
    if lr * L < 2:
        return "oscillating"
    return "diverging"


def test_classify_right_answer_passes():
    passes(check_classify(right_classify))
    passes(check_classify(lambda lr, L: right_classify(lr, L).upper()))


def diverges_past_1_over_L(lr, L):
    return "monotone" if lr * L <= 1 else "diverging"


@pytest.mark.parametrize("answer, words", [
    (diverges_past_1_over_L, ("overshoots", "lr*L > 2")),
    (lambda lr, L: "oscillating" if lr * L > 1 else "monotone",
     ("above 2", "below")),
    (lambda lr, L: "oscillating" if lr * L < 2 else "diverging",
     ("at most 1",)),
    (lambda lr, L: "monotone" if lr * L < 2 else "diverging",
     ("between 1 and 2",)),
    (lambda lr, L: "converges", ("use one of",)),
    (lambda lr, L: 1, ("strings",)),
    (stub, ("NotImplementedError",)),
    (lambda lr, L: None, ("NoneType",)),
])
def test_classify_slips_get_their_hint(answer, words):
    hints(check_classify(answer), *words)
