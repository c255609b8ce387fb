"""Tests for the checks of Chapter 1's exercises (utils.exercises.ch01).

Each test plays a learner: it passes a right or a typically wrong answer
and looks for the hint that names that slip. The learners' functions
here are written for the tests; the course's own worked solutions live
in a notebook and are not tested here.
"""

import numpy as np
import pytest

from utils.data import PENGUIN_ROWS, flipper_and_mass
from utils.exercises._feedback import Feedback
from utils.exercises.ch01 import check_gradient, check_optimum, check_step

N = PENGUIN_ROWS  # penguins in the data set


def residual(w, b, x, y):
    return w * x + b - y


def assert_hint(feedback, *fragments):
    """The check failed with a hint that contains every fragment."""
    assert isinstance(feedback, Feedback)
    assert feedback.passed is False
    assert not feedback
    assert feedback.message.startswith("Not yet")
    for fragment in fragments:
        assert fragment in feedback.message, feedback.message


def assert_correct(feedback):
    assert isinstance(feedback, Feedback)
    assert feedback.passed is True
    assert feedback
    assert feedback.message.startswith("Correct")
    assert repr(feedback) == feedback.message


# check_gradient --------------------------------------------------------------

def right_gradient(w, b, x, y):
    r = residual(w, b, x, y)
    return 2 * np.mean(r * x), 2 * np.mean(r)


def test_gradient_right_answer_passes():
    assert_correct(check_gradient(right_gradient))


def test_gradient_right_answer_as_floats_list_or_array():
    def as_floats(w, b, x, y):
        dw, db = right_gradient(w, b, x, y)
        return float(dw), float(db)

    assert_correct(check_gradient(as_floats))
    assert_correct(check_gradient(lambda *a: list(right_gradient(*a))))
    assert_correct(check_gradient(lambda *a: np.array(right_gradient(*a))))


def test_gradient_written_with_sums_and_a_loop_passes():
    def by_loop(w, b, x, y):
        dw = db = 0.0
        for xi, yi in zip(x, y):
            dw += 2 * (w * xi + b - yi) * xi
            db += 2 * (w * xi + b - yi)
        return dw / len(x), db / len(x)

    assert_correct(check_gradient(by_loop))


def test_gradient_wrong_sign():
    def wrong_sign(w, b, x, y):
        r = y - (w * x + b)
        return 2 * np.mean(r * x), 2 * np.mean(r)

    assert_hint(check_gradient(wrong_sign), "dJ_dw", "wrong sign")


def test_gradient_wrong_sign_in_db_only():
    def wrong_db(w, b, x, y):
        dw, db = right_gradient(w, b, x, y)
        return dw, -db

    assert_hint(check_gradient(wrong_db), "dJ_db", "wrong sign")


def test_gradient_missing_factor_2():
    def no_two(w, b, x, y):
        r = residual(w, b, x, y)
        return np.mean(r * x), np.mean(r)

    assert_hint(check_gradient(no_two), "half the right value",
                "factor 2")


def test_gradient_sum_instead_of_mean():
    def summed(w, b, x, y):
        r = residual(w, b, x, y)
        return 2 * np.sum(r * x), 2 * np.sum(r)

    assert_hint(check_gradient(summed), f"n = {N} times too large",
                "np.mean")


def test_gradient_sum_and_no_factor_2():
    def summed_no_two(w, b, x, y):
        r = residual(w, b, x, y)
        return np.sum(r * x), np.sum(r)

    assert_hint(check_gradient(summed_no_two), "n/2 times too large")


def test_gradient_swapped_components():
    def swapped(w, b, x, y):
        dw, db = right_gradient(w, b, x, y)
        return db, dw

    assert_hint(check_gradient(swapped), "swapped")


def test_gradient_missing_x_factor():
    def no_x(w, b, x, y):
        r = residual(w, b, x, y)
        return 2 * np.mean(r), 2 * np.mean(r)

    assert_hint(check_gradient(no_x), "dJ_dw", "factor x_i")


def test_gradient_per_sample_arrays():
    def per_sample(w, b, x, y):
        r = residual(w, b, x, y)
        return 2 * r * x, 2 * r

    assert_hint(check_gradient(per_sample), "single number",
                f"shape ({N},)", "np.mean")


def test_gradient_returns_none():
    def forgot_return(w, b, x, y):
        right_gradient(w, b, x, y)

    assert_hint(check_gradient(forgot_return), "None", "return")


def test_gradient_returns_nan():
    assert_hint(check_gradient(lambda w, b, x, y: (np.nan, 1.0)),
                "dJ_dw", "nan", "not a finite number")
    assert_hint(check_gradient(lambda w, b, x, y: (1.0, float("inf"))),
                "dJ_db", "inf", "not a finite number")


def test_gradient_returns_three_values():
    def three(w, b, x, y):
        dw, db = right_gradient(w, b, x, y)
        return dw, db, 0.0

    assert_hint(check_gradient(three), "two values", "(dJ_dw, dJ_db)",
                "got 3")


def test_gradient_stub():
    def stub(w, b, x, y):
        raise NotImplementedError

    assert_hint(check_gradient(stub), "mse_gradient",
                "still raises NotImplementedError")


def test_gradient_raises_another_exception():
    def broken(w, b, x, y):
        return x["flipper"]

    feedback = check_gradient(broken)
    assert_hint(feedback, "calling mse_gradient raised IndexError")


def test_gradient_with_the_wrong_parameters():
    assert_hint(check_gradient(lambda w, b: (w, b)), "raised TypeError")


def test_gradient_not_callable():
    x, y = flipper_and_mass()
    result = right_gradient(0.0, 0.0, x, y)
    assert_hint(check_gradient(result), "pass your function",
                "itself, not its result")
    assert_hint(check_gradient(None), "pass your function")


def test_gradient_right_at_the_first_point_only():
    # Forgetting b in the residual gives the right answer at w = b = 0
    # only: the check must look at more than one point.
    def no_b(w, b, x, y):
        return right_gradient(w, 0.0, x, y)

    feedback = check_gradient(no_b)
    assert_hint(feedback, "should be", "your function gives")
    assert "w = 0.0, b = 0.0" not in feedback.message


def test_gradient_slightly_off_gets_the_numbers():
    def off(w, b, x, y):
        dw, db = right_gradient(w, b, x, y)
        return dw + 0.1, db

    x, y = flipper_and_mass()
    want = 2 * np.mean(residual(0.0, 0.0, x, y) * x)
    assert_hint(check_gradient(off), "dJ_dw should be", f"{want:.6f}",
                f"{want + 0.1:.6f}")


def test_gradient_warnings_in_learner_code_are_contained():
    # With filterwarnings = error a leaked RuntimeWarning would fail here.
    def divides_by_zero(w, b, x, y):
        return np.float64(1.0) / 0.0, np.log(np.float64(-1.0))

    assert_hint(check_gradient(divides_by_zero), "not a finite number")


# check_step ------------------------------------------------------------------

def right_step(w, b, dJ_dw, dJ_db, lr):
    return w - lr * dJ_dw, b - lr * dJ_db


def test_step_right_answer_passes():
    assert_correct(check_step(right_step))
    assert_correct(check_step(lambda *a: np.array(right_step(*a))))


def test_step_uphill():
    def uphill(w, b, dJ_dw, dJ_db, lr):
        return w + lr * dJ_dw, b + lr * dJ_db

    assert_hint(check_step(uphill), "uphill")


def test_step_missing_lr():
    def no_lr(w, b, dJ_dw, dJ_db, lr):
        return w - dJ_dw, b - dJ_db

    assert_hint(check_step(no_lr), "learning rate is missing")


def test_step_swapped():
    def swapped(w, b, dJ_dw, dJ_db, lr):
        return w - lr * dJ_db, b - lr * dJ_dw

    assert_hint(check_step(swapped), "w moved by dJ_db")


def test_step_returns_new_values_in_the_wrong_order():
    def wrong_order(w, b, dJ_dw, dJ_db, lr):
        w_new, b_new = right_step(w, b, dJ_dw, dJ_db, lr)
        return b_new, w_new

    assert_hint(check_step(wrong_order), "should give")


def test_step_other_mistake_gets_the_numbers():
    seen = []

    def unchanged(w, b, dJ_dw, dJ_db, lr):
        seen.append((w, b, dJ_dw, dJ_db, lr))
        return w, b

    feedback = check_step(unchanged)
    w, b, dJ_dw, dJ_db, lr = seen[0]
    assert_hint(feedback, "should give",
                f"({w - lr * dJ_dw:.4f}, {b - lr * dJ_db:.4f})",
                f"({w:.4f}, {b:.4f})")


def test_step_returns_none_nan_or_three_values():
    assert_hint(check_step(lambda *a: None), "None")
    assert_hint(check_step(lambda *a: (np.nan, 0.0)), "w_new",
                "not a finite number")
    assert_hint(check_step(lambda *a: (1.0, 2.0, 3.0)), "two values",
                "(w_new, b_new)", "got 3")


def test_step_stub_error_and_non_callable():
    def stub(w, b, dJ_dw, dJ_db, lr):
        raise NotImplementedError

    def broken(w, b, dJ_dw, dJ_db, lr):
        return w - lr * dJ_dw, b - learning_rate * dJ_db  # noqa: F821

    assert_hint(check_step(stub), "gd_step",
                "still raises NotImplementedError")
    assert_hint(check_step(broken), "raised NameError", "learning_rate")
    assert_hint(check_step((0.95, 2.4)), "pass your function gd_step")


# check_optimum ---------------------------------------------------------------

@pytest.fixture(scope="module")
def optimum():
    """(w*, b*) from numpy's polynomial fit, independent of utils.linear."""
    x, y = flipper_and_mass()
    w_star, b_star = np.polyfit(x, y, 1)
    return float(w_star), float(b_star)


def test_optimum_right_answer_passes(optimum):
    assert_correct(check_optimum(*optimum))


def test_optimum_right_answer_from_cov_and_var():
    x, y = flipper_and_mass()
    w_star = np.cov(x, y, ddof=0)[0, 1] / np.var(x)
    b_star = np.mean(y) - w_star * np.mean(x)
    assert_correct(check_optimum(w_star, b_star))
    assert_correct(check_optimum(np.array(w_star), np.float32(b_star)))


def test_optimum_swapped(optimum):
    w_star, b_star = optimum
    assert_hint(check_optimum(b_star, w_star), "swapped")


@pytest.mark.parametrize("factor", [N / (N - 1), (N - 1) / N])
def test_optimum_off_by_n_over_n_minus_1(optimum, factor):
    # np.cov divides by n - 1 by default and np.var by n.
    w_star, b_star = optimum
    assert_hint(check_optimum(w_star * factor, b_star), "n/(n-1)",
                "np.cov")


def test_optimum_from_default_cov_and_var_gets_that_hint():
    x, y = flipper_and_mass()
    w_mixed = np.cov(x, y)[0, 1] / np.var(x)
    assert_hint(check_optimum(w_mixed, np.mean(y)), "n/(n-1)")


def test_optimum_wrong_w(optimum):
    w_star, b_star = optimum
    feedback = check_optimum(2 * w_star, b_star)
    assert_hint(feedback, "w_star is off", "covariance")
    # the hint explains, it does not give the answer away
    assert f"{w_star:.3f}" not in feedback.message


def test_optimum_copied_from_printed_digits_gets_told_so(optimum):
    w_star, b_star = optimum
    assert_hint(check_optimum(round(w_star, 4), b_star), "w_star",
                "rounded")
    assert_hint(check_optimum(w_star, round(b_star, 4)), "b_star",
                "rounded")


def test_optimum_wrong_b(optimum):
    w_star, b_star = optimum
    assert_hint(check_optimum(w_star, b_star + 0.5), "b_star is not",
                "mean of y")


@pytest.mark.parametrize("w, b, fragments", [
    (None, 4.2, ("w_star", "None")),
    (0.5, None, ("b_star", "None")),
    (np.nan, 4.2, ("w_star", "nan", "not a finite number")),
    (0.5, float("-inf"), ("b_star", "not a finite number")),
    ("0.497", 4.2, ("w_star", "single number", "str")),
    (np.ones(N), 4.2, ("w_star", f"shape ({N},)", "np.mean")),
    (True, 4.2, ("w_star", "single number", "bool")),
])
def test_optimum_unusable_values(w, b, fragments):
    assert_hint(check_optimum(w, b), *fragments)


# Checks never raise ----------------------------------------------------------

class Opaque:
    """An object that is not a number and not a function."""


def gen(*args):
    yield 1.0
    yield 2.0


ODD_FUNCTIONS = [
    lambda *a: {"dJ_dw": 1.0, "dJ_db": 2.0},
    lambda *a: "1.0, 2.0",
    lambda *a: Opaque(),
    lambda *a: {1.0, 2.0},
    lambda *a: (),
    lambda *a: (1j, 2j),
    lambda *a: (10 ** 400, 1.0),
    lambda *a: (1.0, -10 ** 400),
    lambda *a: (1e308, -1e308),
    lambda *a: (True, False),
    lambda *a: ("1", "2"),
    lambda *a: ([1.0], [2.0]),
    lambda *a: np.ones((2, 2)),
    lambda *a: np.array(3.0),
    lambda *a: np.array(["a", "b"]),
    lambda *a: (np.ones(3), 1.0),
    lambda *a: 1 / 0,
    lambda: 1.0,
    gen,
    Opaque,
    "mse_gradient",
    3.5,
    Opaque(),
    [lambda *a: (1.0, 2.0)],
]


@pytest.mark.parametrize("answer", ODD_FUNCTIONS)
@pytest.mark.parametrize("check", [check_gradient, check_step])
def test_function_checks_never_raise(check, answer):
    feedback = check(answer)
    assert_hint(feedback)
    assert feedback.message.strip() != "Not yet:"


ODD_VALUES = [
    {}, "w", Opaque(), {1.0}, (), [0.5], 1j, 10 ** 400, -10 ** 400,
    float("inf"), 1e308, -1e308, np.ones((2, 2)), np.array(["a"]),
    lambda: 0.5, np.float64(np.nan),
]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_check_optimum_never_raises(optimum, value):
    w_star, b_star = optimum
    assert_hint(check_optimum(value, b_star))
    assert_hint(check_optimum(w_star, value))
    assert_hint(check_optimum(value, value))


def test_a_function_that_changes_its_inputs_cannot_fool_the_check():
    def vandal(w, b, x, y):
        x[:] = 0.0
        y[:] = 0.0
        return 0.0, 0.0

    first = check_gradient(vandal)
    assert not first.passed
    # the check's own data was untouched: a correct answer still passes
    assert check_gradient(right_gradient).passed


def test_a_check_never_raises_even_when_its_own_arithmetic_fails(
        monkeypatch):
    import utils.exercises.ch01 as ch01

    def broken(*args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(ch01.linear, "least_squares", broken)
    answer = check_optimum(0.5, 4.2)
    assert isinstance(answer, Feedback) and not answer.passed
    assert "ZeroDivisionError: boom" in answer.message
