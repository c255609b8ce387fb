"""Checks for the exercises of Chapter 1, gradient descent.

Each check takes the learner's answer and returns a ``Feedback``; it
never raises. The hints name the usual slips: a sign, a forgotten factor
of 2, a sum instead of a mean, swapped components.
"""

import numpy as np

from .. import linear
from ..data import flipper_and_mass
from ._feedback import (LearnerError, call, checked, close, correct, hint,
                        number, pair)

# Points (w, b) at which a learner's gradient is compared with the truth;
# none is a minimum, and each makes both components clearly non-zero.
GRADIENT_POINTS = ((0.0, 0.0), (0.5, 3.0), (-1.0, 5.0))


def _ratio_hint(name, ratio, n):
    """A hint for a component that is off by a recognisable factor."""
    if close(ratio, -1.0):
        return (f"{name} has the wrong sign. The residual is prediction "
                f"minus target, (w x_i + b) - y_i.")
    if close(ratio, 0.5):
        return (f"{name} is half the right value: the derivative of u**2 "
                f"is 2u, so keep the factor 2.")
    if close(ratio, float(n)):
        return (f"{name} is n = {n} times too large: average over the "
                f"samples (np.mean), do not just sum them.")
    if close(ratio, 0.5 * n):
        return (f"{name} is n/2 times too large: average over the samples "
                f"and keep the factor 2 from the chain rule.")
    return None


@checked
def check_gradient(mse_gradient):
    """Check ``mse_gradient(w, b, x, y) -> (dJ_dw, dJ_db)``."""
    x, y = flipper_and_mass()
    n = x.size
    for w, b in GRADIENT_POINTS:
        got = pair(call(mse_gradient, "mse_gradient", w, b, x, y),
                   "mse_gradient", ("dJ_dw", "dJ_db"))
        want = linear.mse_grad(w, b, x, y)
        if close(got[0], want[0]) and close(got[1], want[1]):
            continue
        if close(got[0], want[1]) and close(got[1], want[0]):
            return hint("the two components are swapped; return "
                        "(dJ_dw, dJ_db) in that order.")
        residual = w * x + b - y
        if close(got[0], 2.0 * np.mean(residual)):
            return hint("dJ_dw is missing the factor x_i that the chain "
                        "rule brings in: d(w x_i + b)/dw = x_i.")
        for k, name in enumerate(("dJ_dw", "dJ_db")):
            if not close(got[k], want[k]):
                found = _ratio_hint(name, got[k] / want[k], n)
                if found:
                    return hint(found)
                return hint(
                    f"at w = {w}, b = {b}, {name} should be "
                    f"{want[k]:.6f} but your function gives {got[k]:.6f}. "
                    f"Compare your formula with the derivation, term by "
                    f"term."
                )
    return correct("Your gradient matches the analytic gradient at "
                   f"{len(GRADIENT_POINTS)} points.")


# The step every learner's gd_step is asked to take, and what it must give.
STEP_CASE = dict(w=1.0, b=2.0, dJ_dw=0.5, dJ_db=-4.0, lr=0.1)


@checked
def check_step(gd_step):
    """Check ``gd_step(w, b, dJ_dw, dJ_db, lr) -> (w_new, b_new)``."""
    c = STEP_CASE
    args = (c["w"], c["b"], c["dJ_dw"], c["dJ_db"], c["lr"])
    got = pair(call(gd_step, "gd_step", *args), "gd_step",
               ("w_new", "b_new"))
    want = (c["w"] - c["lr"] * c["dJ_dw"], c["b"] - c["lr"] * c["dJ_db"])
    if close(got[0], want[0]) and close(got[1], want[1]):
        return correct("Each parameter moved against its own partial "
                       "derivative, scaled by the learning rate.")
    uphill = (c["w"] + c["lr"] * c["dJ_dw"], c["b"] + c["lr"] * c["dJ_db"])
    if close(got[0], uphill[0]) and close(got[1], uphill[1]):
        return hint("you added the gradient, which steps uphill; "
                    "subtract lr times the partial derivative.")
    no_lr = (c["w"] - c["dJ_dw"], c["b"] - c["dJ_db"])
    if close(got[0], no_lr[0]) and close(got[1], no_lr[1]):
        return hint("the learning rate is missing: the step is "
                    "lr * dJ_dw, not dJ_dw alone.")
    swapped = (c["w"] - c["lr"] * c["dJ_db"], c["b"] - c["lr"] * c["dJ_dw"])
    if close(got[0], swapped[0]) and close(got[1], swapped[1]):
        return hint("w moved by dJ_db and b by dJ_dw; each parameter "
                    "moves by its own partial derivative.")
    return hint(
        f"with w={c['w']}, b={c['b']}, dJ_dw={c['dJ_dw']}, "
        f"dJ_db={c['dJ_db']}, lr={c['lr']} the step should give "
        f"({want[0]:.4f}, {want[1]:.4f}); yours gives "
        f"({got[0]:.4f}, {got[1]:.4f})."
    )


@checked
def check_optimum(w_star, b_star):
    """Check the closed-form least-squares ``w_star`` and ``b_star``."""
    x, y = flipper_and_mass()
    w_got = number(w_star, "w_star")
    b_got = number(b_star, "b_star")
    w_want, b_want = linear.least_squares(x, y)
    w_ok, b_ok = close(w_got, w_want), close(b_got, b_want)
    if w_ok and b_ok:
        return correct(f"w* = {w_want:.4f} kg/cm and b* = {b_want:.4f} kg.")
    if close(w_got, b_want) and close(b_got, w_want):
        return hint("w_star and b_star are swapped.")
    if not w_ok:
        n = x.size
        if close(w_got / w_want, n / (n - 1)) or close(
                w_got / w_want, (n - 1) / n):
            return hint("w_star is off by the factor n/(n-1): np.cov "
                        "divides by n-1 by default while np.var divides "
                        "by n. Use the same divisor in both.")
        if close(w_got, w_want, rtol=1e-3):
            return hint("w_star is close but not exact: it looks rounded. "
                        "Compute it with numpy rather than copying printed "
                        "digits.")
        return hint("w_star is off: it is the covariance of x and y "
                    "divided by the variance of x.")
    if close(b_got, b_want, rtol=1e-3):
        return hint("b_star is close but not exact: it looks rounded. "
                    "Compute it with numpy rather than copying printed "
                    "digits.")
    return hint("w_star is right, b_star is not. Because x is centred "
                "(its mean is 0), b_star is simply the mean of y.")


__all__ = ["check_gradient", "check_step", "check_optimum", "LearnerError"]
