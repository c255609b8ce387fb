"""Tests for utils.exercises.ch04: right answers pass, usual slips get
their own hint, and nothing a learner passes makes a check raise."""

import math

import numpy as np
import pytest

from checks import hints, passes, stub
from utils.exercises.ch04 import (check_after_drop, check_best_momentum,
                                  check_momentum_step, check_stability,
                                  simulated_step_b)


# --- Exercise 4.1 ------------------------------------------------------------

def right_step(theta, u, g, lr, beta):
    u = beta * u + g
    return theta - lr * u, u


def test_step_right_answer_passes():
    passes(check_momentum_step(right_step))
    passes(check_momentum_step(
        lambda th, u, g, lr, beta: list(right_step(th, u, g, lr, beta))))


def in_place(theta, u, g, lr, beta):
    u *= beta
    u += g
    theta -= lr * u
    return theta, u


@pytest.mark.parametrize("answer, words", [
    (lambda th, u, g, lr, beta: (th + lr * (beta * u + g), beta * u + g),
     ("uphill",)),
    (lambda th, u, g, lr, beta: (th - lr * u, beta * u + g),
     ("Update u first",)),
    (lambda th, u, g, lr, beta: (th - lr * (beta * u + lr * g),
                                 beta * u + lr * g), ("applied again",)),
    (lambda th, u, g, lr, beta: (th - (beta * u + lr * g),
                                 beta * u + lr * g), ("convention (B)",)),
    (lambda th, u, g, lr, beta: (th - lr * (beta * u + (1 - beta) * g),
                                 beta * u + (1 - beta) * g),
     ("dampening",)),
    (lambda th, u, g, lr, beta: (th - lr * (g + beta * (beta * u + g)),
                                 beta * u + g), ("Nesterov",)),
    (lambda th, u, g, lr, beta: (th - lr * g, beta * u + g),
     ("gradient alone",)),
    (lambda th, u, g, lr, beta: (th - lr * (beta * u + g), u),
     ("old one",)),
    (lambda th, u, g, lr, beta: (th - 0.5 * lr * (beta * u + g),
                                 beta * u + g), ("should give",)),
])
def test_step_slips_get_their_hint(answer, words):
    hints(check_momentum_step(answer), *words)


class Remembers:
    """Right on one call, wrong from a fresh start: keeps its own u."""

    def __init__(self):
        self.u = np.array([0.5, 0.25])

    def __call__(self, theta, u, g, lr, beta):
        self.u = beta * self.u + g
        return theta - lr * self.u, self.u


def test_step_keeping_state_between_calls_is_caught():
    hints(check_momentum_step(Remembers()), "between calls")


@pytest.mark.parametrize("answer, words", [
    (stub, ("NotImplementedError",)),
    (lambda *a: None, ("None",)),
    (lambda *a: 1.0, ("two arrays",)),
    (lambda th, u, g, lr, beta: (th, u, g), ("two arrays",)),
    (lambda th, u, g, lr, beta: (th[:1], u), ("shape",)),
    (lambda th, u, g, lr, beta: (th * np.nan, u), ("NaN",)),
    (lambda th, u, g, lr, beta: ("a", u), ("array of numbers",)),
    (lambda *a: 1 / 0, ("ZeroDivisionError",)),
    (np.zeros(2), ("function",)),
])
def test_step_never_raises(answer, words):
    hints(check_momentum_step(answer), *words)


# --- Exercise 4.2 ------------------------------------------------------------

def test_stability_right_answer_passes():
    passes(check_stability(lambda beta, lam: (2 + 2 * beta) / lam))


@pytest.mark.parametrize("answer, words", [
    (lambda beta, lam: 2 / lam, ("without momentum",)),
    (lambda beta, lam: (2 + 2 * beta) * lam, ("upside down",)),
    (lambda beta, lam: 2 + 2 * beta, ("divide by lambda",)),
    (lambda beta, lam: (2 + 2 * beta) / ((1 + 2 * beta) * lam),
     ("Nesterov",)),
    (lambda beta, lam: 2 / ((1 - beta) * lam), ("constant gradient",)),
    (lambda beta, lam: (2 + beta) / lam, ("should be",)),
    (stub, ("NotImplementedError",)),
    (lambda beta, lam: None, ("None",)),
    (lambda beta, lam: math.nan, ("nan",)),
    (lambda beta, lam: np.array([1.0, 2.0]), ("single number",)),
])
def test_stability_slips_get_their_hint(answer, words):
    hints(check_stability(answer), *words)


# --- Exercise 4.3 ------------------------------------------------------------

def root_rate(kappa):
    return (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)


def test_best_momentum_right_answer_passes():
    passes(check_best_momentum(lambda k: root_rate(k) ** 2))
    passes(check_best_momentum(
        lambda k: float(((np.sqrt(k) - 1) / (np.sqrt(k) + 1)) ** 2)))


@pytest.mark.parametrize("answer, words", [
    (root_rate, ("sqrt(beta*)",)),
    (lambda k: (k - 1) / (k + 1), ("gradient descent",)),
    (lambda k: ((k - 1) / (k + 1)) ** 2, ("square root of kappa",)),
    (lambda k: 0.9, ("should be",)),
    (stub, ("NotImplementedError",)),
    (lambda k: None, ("None",)),
    (lambda k: "0.9", ("single number",)),
    (lambda k: math.inf, ("inf",)),
])
def test_best_momentum_slips_get_their_hint(answer, words):
    hints(check_best_momentum(answer), *words)


def test_centred_kappa_case_is_the_course_data():
    from utils import quadratic as quad
    from utils.data import flipper_and_mass
    from utils.exercises.ch04 import KAPPA_CASES
    x, y = flipper_and_mass()
    assert KAPPA_CASES[0] == pytest.approx(quad.linear_cost(x, y).kappa,
                                           rel=1e-9)


# --- Exercise 4.4 ------------------------------------------------------------

def right_step_b(k, beta, lr_old, lr_new, g):
    return g / (1 - beta) * (lr_new + beta ** k * (lr_old - lr_new))


def test_after_drop_right_answer_passes():
    passes(check_after_drop(right_step_b))


def test_simulation_is_the_closed_form():
    # 1 + 0.9 * 9 times (A)'s step on the first step after a tenfold drop
    a_step = 0.01 / 0.1
    assert simulated_step_b(1, 0.9, 0.1, 0.01, 1.0) == pytest.approx(
        9.1 * a_step, rel=1e-12)


@pytest.mark.parametrize("answer, words", [
    (lambda k, beta, lo, ln, g: ln * g / (1 - beta), ("(A)'s step",)),
    (lambda k, beta, lo, ln, g: lo * g / (1 - beta), ("before the drop",)),
    (lambda k, beta, lo, ln, g: g / (1 - beta)
     * (ln + beta ** (k - 1) * (lo - ln)), ("k - 1",)),
    (lambda k, beta, lo, ln, g: g / (1 - beta)
     * (ln + beta ** (k + 1) * (lo - ln)), ("k + 1",)),
    (lambda k, beta, lo, ln, g: 1 + beta ** k * (lo / ln - 1),
     ("ratio",)),
    (lambda k, beta, lo, ln, g: ln * g + beta ** k * lo * g,
     ("steady state",)),
    (lambda k, beta, lo, ln, g: 1.0, ("Start from",)),
    (stub, ("NotImplementedError",)),
    (lambda *a: None, ("None",)),
    (lambda *a: [1.0], ("single number",)),
])
def test_after_drop_slips_get_their_hint(answer, words):
    hints(check_after_drop(answer), *words)


def test_a_step_that_writes_into_its_inputs_is_told_so():
    # the exercise says not to change the arrays given; the check sees it
    hints(check_momentum_step(in_place), "changed an array it was given")
