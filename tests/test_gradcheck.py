"""Tests for utils.gradcheck.numerical_gradient."""

import math

import numpy as np
import pytest

from utils.gradcheck import numerical_gradient

THETA = np.array([0.3, -1.2, 2.5])


def sum_of_squares(theta):
    return float(np.sum(theta ** 2))


def sum_of_sines(theta):
    return float(np.sum(np.sin(theta)))


def test_sum_of_squares_is_exact_up_to_rounding():
    # For a quadratic the central difference has no truncation error:
    # ((t + h)^2 - (t - h)^2) / (2h) = 2t exactly in real arithmetic.
    got = numerical_gradient(sum_of_squares, THETA)
    np.testing.assert_allclose(got, 2 * THETA, rtol=0, atol=1e-8)


def test_sine_matches_the_analytic_derivative():
    got = numerical_gradient(sum_of_sines, THETA)
    np.testing.assert_allclose(got, np.cos(THETA), rtol=0, atol=1e-9)


def test_sine_matches_the_closed_form_central_difference():
    # sin(t + h) - sin(t - h) = 2 cos(t) sin(h), so the central difference
    # is cos(t) * sin(h) / h exactly; with h = 0.1 that differs from cos(t)
    # by about h^2 / 6, which tells the two formulas apart.
    h = 0.1
    got = numerical_gradient(sum_of_sines, THETA, h=h)
    np.testing.assert_allclose(got, np.cos(THETA) * math.sin(h) / h,
                               rtol=1e-12)
    assert not np.allclose(got, np.cos(THETA), rtol=0, atol=1e-4)


def test_mixed_function_of_several_components():
    # f = t0 * t1 + exp(t2); gradient (t1, t0, exp(t2)).
    def f(theta):
        return theta[0] * theta[1] + math.exp(theta[2])

    t = np.array([1.5, -2.0, 0.5])
    want = [t[1], t[0], math.exp(t[2])]
    np.testing.assert_allclose(numerical_gradient(f, t), want, rtol=1e-8)


def test_error_shrinks_like_h_squared():
    def error(h):
        got = numerical_gradient(sum_of_sines, THETA, h=h)
        return np.max(np.abs(got - np.cos(THETA)))

    big, small = error(1e-2), error(1e-3)
    # Dividing h by 10 divides an O(h^2) error by about 100 (an O(h)
    # error, as from a one-sided difference, would shrink by only 10).
    assert 70 < big / small < 130


def test_one_component_and_a_list_input():
    got = numerical_gradient(lambda t: 3.0 * t[0] ** 2, [2])
    assert got.shape == (1,)
    assert got.dtype == np.float64
    assert got[0] == pytest.approx(12.0, rel=1e-8)


def test_theta_is_left_unchanged():
    theta = THETA.copy()
    numerical_gradient(sum_of_sines, theta)
    np.testing.assert_array_equal(theta, THETA)


def test_f_is_called_at_theta_plus_and_minus_h():
    calls = []

    def f(theta):
        calls.append(theta.copy())
        return 0.0

    numerical_gradient(f, [1.0, 2.0], h=0.25)
    got = sorted(tuple(c) for c in calls)
    assert got == [(0.75, 2.0), (1.0, 1.75), (1.0, 2.25), (1.25, 2.0)]


@pytest.mark.parametrize("h", [0, 0.0, -1e-6, float("nan"), float("inf"),
                               "1e-6", None, True, [1e-6]])
def test_bad_h_is_named(h):
    with pytest.raises(ValueError, match=r"^h "):
        numerical_gradient(sum_of_squares, THETA, h=h)


@pytest.mark.parametrize("theta", [[[1.0, 2.0]], [], ["a"], [np.nan],
                                   1.0])
def test_bad_theta_is_named(theta):
    with pytest.raises(ValueError, match=r"^theta "):
        numerical_gradient(sum_of_squares, theta)
