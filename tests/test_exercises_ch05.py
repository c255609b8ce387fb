"""Tests for utils.exercises.ch05: right answers pass, usual slips get
their own hint, and nothing a learner passes makes a check raise."""

import math

import numpy as np
import pytest

from checks import hints, passes, stub
from utils.exercises.ch05 import (check_adagrad_effective, check_ema,
                                  check_eps_conventions,
                                  check_rmsprop_step)


# --- Exercise 5.1 ------------------------------------------------------------

def right_step(theta, g, v, lr, alpha, eps):
    v = alpha * v + (1 - alpha) * g ** 2
    return theta - lr * g / (np.sqrt(v) + eps), v


def in_place_step(theta, g, v, lr, alpha, eps):
    v *= alpha
    v += (1 - alpha) * g * g
    theta -= lr * g / (np.sqrt(v) + eps)
    return theta, v


def test_rmsprop_step_right_answers_pass():
    passes(check_rmsprop_step(right_step))
    passes(check_rmsprop_step(in_place_step))
    passes(check_rmsprop_step(
        lambda *a: tuple(list(x) for x in right_step(*a))))


def step_with(v_rule=None, inside=False, old=False, root=True, sign=-1):
    def step(theta, g, v, lr, alpha, eps):
        new_v = (alpha * v + (1 - alpha) * g * g if v_rule is None
                 else v_rule(v, g, alpha))
        used = v if old else new_v
        if not root:
            denom = used + eps
        elif inside:
            denom = np.sqrt(used + eps)
        else:
            denom = np.sqrt(used) + eps
        return theta + sign * lr * g / denom, new_v
    return step


@pytest.mark.parametrize("answer, words", [
    (step_with(inside=True), ("inside the root",)),
    (step_with(old=True), ("from before the update",)),
    (step_with(v_rule=lambda v, g, a: a * v + g * g), ("(1 - alpha)",)),
    (step_with(v_rule=lambda v, g, a: (1 - a) * v + a * g * g),
     ("swapped",)),
    (step_with(v_rule=lambda v, g, a: a * v + (1 - a) * g), ("g**2",)),
    (step_with(v_rule=lambda v, g, a: v + g * g), ("AdaGrad",)),
    (step_with(root=False), ("square root",)),
    (step_with(sign=1), ("uphill",)),
    (lambda *a: (a[0], a[2]), ("new v should be",)),
    (lambda th, g, v, lr, al, eps: (th - 0.5, al * v + (1 - al) * g * g),
     ("theta_new should be",)),
    (stub, ("NotImplementedError",)),
    (lambda *a: None, ("None",)),
    (lambda *a: np.zeros(2), ("two arrays",)),
    (lambda *a: (np.zeros(5), np.zeros(5)), ("shape",)),
    (lambda *a: (a[0] * np.nan, a[2]), ("NaN",)),
    (lambda *a: ("x", a[2]), ("numbers",)),
    (lambda *a: 1 / 0, ("ZeroDivisionError",)),
    ("not a function", ("function",)),
])
def test_rmsprop_step_slips_get_their_hint(answer, words):
    hints(check_rmsprop_step(answer), *words)


def test_rmsprop_step_cases_tell_the_eps_conventions_apart():
    # in the case with v = 0 and tiny g, the two rules differ a lot
    theta, g = np.array([1.0]), np.array([1e-6])
    out, _ = right_step(theta, g, np.zeros(1), 0.1, 0.99, 1e-8)
    ins, _ = step_with(inside=True)(theta, g, np.zeros(1), 0.1, 0.99, 1e-8)
    assert abs(out[0] - 1.0) > 50 * abs(ins[0] - 1.0)


# --- Exercise 5.2 ------------------------------------------------------------

def right_eff(c, t, lr, eps):
    return lr / (abs(c) * math.sqrt(t) + eps)


def test_adagrad_effective_right_answers_pass():
    passes(check_adagrad_effective(right_eff))
    passes(check_adagrad_effective(
        lambda c, t, lr, eps: lr / (np.sqrt(t * c ** 2) + eps)))


def test_adagrad_effective_by_hand():
    # s_100 = 100 * 4 = 400, sqrt = 20, lr / 20 = 5e-4
    assert right_eff(2.0, 100, 0.01, 0.0) == pytest.approx(5e-4)


@pytest.mark.parametrize("answer, words", [
    (lambda c, t, lr, eps: lr / (abs(c) * t + eps), ("sqrt(t)",)),
    (lambda c, t, lr, eps: lr / (c * c * t + eps), ("square root",)),
    (lambda c, t, lr, eps: lr / (abs(c) + eps), ("t is missing",)),
    (lambda c, t, lr, eps: lr / (abs(c) * math.sqrt(t - 1) + eps),
     ("off by one",)),
    (lambda c, t, lr, eps: lr / math.sqrt(t * c * c + eps), ("inside",)),
    (lambda c, t, lr, eps: lr * abs(c) / (abs(c) * math.sqrt(t) + eps),
     ("size of the step",)),
    (lambda c, t, lr, eps: lr / (c * math.sqrt(t) + eps), ("negative",)),
    (lambda c, t, lr, eps: 0.5, ("the answer is",)),
    (stub, ("NotImplementedError",)),
    (lambda *a: None, ("None",)),
    (lambda *a: math.nan, ("nan",)),
    (lambda *a: np.ones(3), ("single number",)),
])
def test_adagrad_effective_slips_get_their_hint(answer, words):
    hints(check_adagrad_effective(answer), *words)


# --- Exercise 5.3 ------------------------------------------------------------

def test_ema_right_answer_passes():
    passes(check_ema(lambda c, a, t: c ** 2 * (1 - a ** t)))


def test_ema_by_hand():
    # two steps of c = 2, alpha = 0.5: v1 = 0.5*4 = 2, v2 = 1 + 2 = 3
    assert 4 * (1 - 0.5 ** 2) == 3


@pytest.mark.parametrize("answer, words", [
    (lambda c, a, t: c ** 2, ("starting from v_0 = 0",)),
    (lambda c, a, t: c ** 2 * a ** t, ("still missing",)),
    (lambda c, a, t: c * (1 - a ** t), ("c**2",)),
    (lambda c, a, t: c ** 2 * (1 - a ** (t - 1)), ("off by one",)),
    (lambda c, a, t: c ** 2 * (1 - a ** (t + 1)), ("off by one",)),
    (lambda c, a, t: c ** 2 * (1 - a), ("one step only",)),
    (lambda c, a, t: c ** 2 * (1 - (1 - a) ** t), ("swapped",)),
    (lambda c, a, t: 1.0, ("the answer is",)),
    (stub, ("NotImplementedError",)),
    (lambda *a: None, ("None",)),
    (lambda *a: math.inf, ("inf",)),
    (lambda *a: "v", ("single number",)),
])
def test_ema_slips_get_their_hint(answer, words):
    hints(check_ema(answer), *words)


# --- Exercise 5.4 ------------------------------------------------------------

def right_eps(v, lr, eps):
    return lr / (math.sqrt(v) + eps), lr / math.sqrt(v + eps)


def test_eps_conventions_right_answers_pass():
    passes(check_eps_conventions(right_eps))
    passes(check_eps_conventions(lambda *a: np.array(right_eps(*a))))


@pytest.mark.parametrize("answer, words", [
    (lambda *a: right_eps(*a)[::-1], ("swapped",)),
    (lambda v, lr, eps: (lr / (math.sqrt(v) + eps),
                         lr / (math.sqrt(v) + math.sqrt(eps))),
     ("add first",)),
    (lambda v, lr, eps: (lr / (v + eps), lr / (v + eps)),
     ("square root",)),
    (lambda v, lr, eps: (lr / (math.sqrt(v) + eps), 1.0),
     ("inside should be",)),
    (stub, ("NotImplementedError",)),
    (lambda *a: None, ("None",)),
    (lambda *a: 1.0, ("two values",)),
    (lambda *a: (1.0, 2.0, 3.0), ("two values",)),
    (lambda *a: (math.nan, 1.0), ("nan",)),
])
def test_eps_conventions_slips_get_their_hint(answer, words):
    hints(check_eps_conventions(answer), *words)
