"""Tests for utils.exercises.ch06: right answers pass, usual slips get
their own hint, and nothing a learner passes makes a check raise."""

import math

import numpy as np
import pytest

from checks import hints, passes, stub
from utils.exercises.ch06 import (check_adam_step, check_constant_v,
                                  check_correction_factors,
                                  check_first_step)


# --- Exercise 6.1 ------------------------------------------------------------

def make_step(correct_m=True, correct_v=True, eps_inside=False,
              t_shift=0, sign=1.0, v_of=lambda g: g * g,
              m_rule=None, in_place=False):
    """An adam_step with one slip switched on."""

    def adam_step(theta, g, m, v, t, lr, beta1, beta2, eps):
        tt = t + t_shift
        if in_place:
            m *= beta1
            m += (1 - beta1) * g
            new_m = m
        elif m_rule is not None:
            new_m = m_rule(m, g, beta1)
        else:
            new_m = beta1 * m + (1 - beta1) * g
        new_v = beta2 * v + (1 - beta2) * v_of(g)
        m_hat = new_m / (1 - beta1 ** tt) if correct_m else new_m
        v_hat = new_v / (1 - beta2 ** tt) if correct_v else new_v
        if eps_inside:
            step = m_hat / np.sqrt(v_hat + eps)
        else:
            step = m_hat / (np.sqrt(v_hat) + eps)
        return theta - sign * lr * step, new_m, new_v

    return adam_step


def test_the_checks_reference_is_utils_adam():
    from utils.exercises import ch06
    from utils.optimizers import Adam

    s = ch06.STEP_SETTINGS
    opt = Adam(lr=s["lr"], beta1=s["beta1"], beta2=s["beta2"],
               eps=s["eps"])
    theta = ch06.THETA0.copy()
    for g, (want, _, _) in zip(ch06.STEP_GRADS, ch06._reference_path()):
        opt.step([theta], [g.copy()])
        assert np.allclose(theta, want, rtol=1e-12, atol=1e-15)


def test_adam_step_that_fails_on_the_probe_gets_a_hint():
    right = make_step()
    calls = []

    def flaky(*args):
        calls.append(1)
        if len(calls) > 5:
            raise RuntimeError("out of coffee")
        return right(*args)

    hints(check_adam_step(flaky), "could not use your answer")


def test_adam_step_right_answer_passes():
    passes(check_adam_step(make_step()))


def test_adam_step_as_lists_passes():
    right = make_step()
    passes(check_adam_step(
        lambda *a: tuple(list(x) for x in right(*a))))


@pytest.mark.parametrize("answer, words", [
    (make_step(False, False), ("without bias correction",)),
    (make_step(True, False), ("only m is corrected",)),
    (make_step(False, True), ("only v is corrected",)),
    (make_step(eps_inside=True), ("inside the square root",)),
    (make_step(t_shift=-1), ("NaN", "counted from 1")),
    (make_step(t_shift=1), ("t + 1",)),
    (make_step(sign=-1.0), ("wrong way",)),
    (make_step(v_of=np.abs), ("g**2", "|g|")),
    (make_step(v_of=lambda g: g), ("v is wrong",)),
    (make_step(m_rule=lambda m, g, b: b * m + g), ("m is wrong",)),
    (make_step(in_place=True), ("in place",)),
])
def test_adam_step_slips_get_their_hint(answer, words):
    hints(check_adam_step(answer), *words)


def test_adam_step_other_theta_errors_get_the_general_hint():
    right = make_step()

    def off(*args):
        theta, m, v = right(*args)
        return theta + 1e-3, m, v

    hints(check_adam_step(off), "m and v are right but theta is not")


@pytest.mark.parametrize("answer, words", [
    (stub, ("NotImplementedError",)),
    (lambda *a: None, ("None",)),
    (lambda *a: (1.0, 2.0), ("three arrays",)),
    (lambda *a: (np.zeros(2), np.zeros(3), np.zeros(3)), ("shape",)),
    (lambda *a: ("a", "b", "c"), ("array of numbers",)),
    (lambda *a: 1 / 0, ("ZeroDivisionError",)),
    ("adam_step", ("function",)),
])
def test_adam_step_never_raises(answer, words):
    hints(check_adam_step(answer), *words)


# --- Exercise 6.2 ------------------------------------------------------------

def test_correction_factors_right_answer_passes():
    passes(check_correction_factors(
        lambda t, b1, b2: (1 - b1 ** t, 1 - b2 ** t)))
    passes(check_correction_factors(
        lambda t, b1, b2: np.array([1 - b1 ** t, 1 - b2 ** t])))


@pytest.mark.parametrize("answer, words", [
    (lambda t, b1, b2: (b1 ** t, b2 ** t), ("starting zero",)),
    (lambda t, b1, b2: (1 - b1 ** (t - 1), 1 - b2 ** (t - 1)),
     ("off by one",)),
    (lambda t, b1, b2: (1 - b1 ** (t + 1), 1 - b2 ** (t + 1)),
     ("off by one",)),
    (lambda t, b1, b2: (1 / (1 - b1 ** t), 1 / (1 - b2 ** t)),
     ("multiplier",)),
    (lambda t, b1, b2: (1 - b2 ** t, 1 - b1 ** t), ("swapped",)),
    (lambda t, b1, b2: (1 - b1, 1 - b2), ("newest gradient",)),
    (lambda t, b1, b2: (1 - b1 ** t, 0.5), ("the factors are",)),
    (stub, ("NotImplementedError",)),
    (lambda t, b1, b2: None, ("None",)),
    (lambda t, b1, b2: 0.5, ("two values",)),
    (lambda t, b1, b2: (math.nan, 0.1), ("nan",)),
])
def test_correction_factors_slips_get_their_hint(answer, words):
    hints(check_correction_factors(answer), *words)


# --- Exercise 6.3 ------------------------------------------------------------

def test_constant_v_right_answer_passes():
    passes(check_constant_v(lambda g, t, b: (1 - b ** t) * g ** 2))
    passes(check_constant_v(
        lambda g, t, b: np.float64((1 - b ** t) * g * g)))


def test_constant_v_a_loop_passes_too():
    def loop(g, t, b):
        v = 0.0
        for _ in range(t):
            v = b * v + (1 - b) * g * g
        return v

    passes(check_constant_v(loop))


def test_constant_v_one_step_is_a_thousandth_of_g_squared():
    # the check's first case: g = 2, t = 1, beta2 = 0.999
    got = []
    check_constant_v(lambda g, t, b: got.append((g, t, b)) or 0.0)
    g, t, b = got[0]
    assert (1 - b ** t) * g * g == pytest.approx(0.001 * 4.0)


@pytest.mark.parametrize("answer, words", [
    (lambda g, t, b: g * g, ("v_hat",)),
    (lambda g, t, b: (1 - b) * g * g, ("one step only",)),
    (lambda g, t, b: (1 - b ** t) * g, ("not g",)),
    (lambda g, t, b: (1 - b ** t) * abs(g), ("|g|",)),
    (lambda g, t, b: b ** t * g * g, ("starting zero",)),
    (lambda g, t, b: (1 - b ** (t - 1)) * g * g, ("off by one",)),
    (lambda g, t, b: 1.0, ("should be",)),
    (stub, ("NotImplementedError",)),
    (lambda g, t, b: None, ("None",)),
    (lambda g, t, b: np.ones(2), ("single number",)),
    (lambda g, t, b: math.inf, ("inf",)),
])
def test_constant_v_slips_get_their_hint(answer, words):
    hints(check_constant_v(answer), *words)


# --- Exercise 6.4 ------------------------------------------------------------

def right_first(g, lr, beta1, beta2, eps, corrected):
    g = np.asarray(g, dtype=float)
    if corrected:
        return -lr * g / (np.abs(g) + eps)
    return -lr * (1 - beta1) * g / (np.sqrt(1 - beta2) * np.abs(g) + eps)


def test_first_step_right_answer_passes():
    passes(check_first_step(right_first))


def test_first_step_agrees_with_the_optimizer():
    from utils.optimizers import Adam

    g = np.array([2.0, -0.03, 1e-8, 0.0, 1e4])
    theta = np.zeros(5)
    Adam(lr=0.01).step([theta], [g])
    assert np.allclose(theta, right_first(g, 0.01, 0.9, 0.999, 1e-8, True),
                       rtol=1e-12, atol=0)


def first_with(first, second, inside=False, sign=1.0):
    def answer(g, lr, beta1, beta2, eps, corrected):
        g = np.asarray(g, dtype=float)
        m = (1 - beta1) * g
        v = (1 - beta2) * g * g
        if corrected and first:
            m = m / (1 - beta1)
        if corrected and second:
            v = v / (1 - beta2)
        root = np.sqrt(v + eps) if inside else np.sqrt(v) + eps
        return -sign * lr * m / root

    return answer


def no_eps(g, lr, beta1, beta2, eps, corrected):
    g = np.asarray(g, dtype=float)
    size = 1.0 if corrected else (1 - beta1) / np.sqrt(1 - beta2)
    return -lr * size * np.sign(g)


@pytest.mark.parametrize("answer, words", [
    (first_with(True, True, sign=-1.0), ("sign is flipped",)),
    (first_with(True, False), ("corrected m only",)),
    (first_with(False, True), ("corrected v only",)),
    (first_with(True, True, inside=True), ("inside the square root",)),
    (lambda *a: right_first(*a[:5], not a[5]), ("other case",)),
    (no_eps, ("eps is left out",)),
    (lambda g, *a: np.asarray(g) / np.abs(np.asarray(g)), ("NaN",)),
    (lambda g, *a: np.zeros(5), ("should be",)),
    (stub, ("NotImplementedError",)),
    (lambda *a: None, ("None",)),
    (lambda *a: np.zeros(3), ("shape",)),
    (lambda *a: "step", ("array of numbers",)),
])
def test_first_step_slips_get_their_hint(answer, words):
    hints(check_first_step(answer), *words)


def test_uncorrected_case_alone_is_caught():
    def only_corrected(g, lr, beta1, beta2, eps, corrected):
        return right_first(g, lr, beta1, beta2, eps, True)

    hints(check_first_step(only_corrected), "corrected=False",
          "other case")


def test_returning_the_corrected_averages_gets_its_own_hint():
    def returning(hat_m, hat_v):
        def adam_step(theta, g, m, v, t, lr, beta1, beta2, eps):
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g ** 2
            m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
            theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
            return theta, m_hat if hat_m else m, v_hat if hat_v else v
        return adam_step

    hints(check_adam_step(returning(True, True)), "m_hat", "uncorrected")
    hints(check_adam_step(returning(False, True)), "v_hat", "uncorrected")
