"""Checks for the exercises of Chapter 2, the learning rate.

Each check takes the learner's function and returns a ``Feedback``; it
never raises. The hints name the usual slips: a forgotten factor of 2,
the smallest eigenvalue in place of the largest, 1/L in place of 2/L, the
learning rate dropped from ``1 - lr * lambda``, a missing absolute value,
rounding down a number of steps.
"""

import math

import numpy as np

from .. import linear
from .. import quadratic as quad
from ..data import flipper_and_mass, load_penguins
from ._feedback import (LearnerError, call, checked, close, correct, hint,
                        number, pair)


def _bound_cases():
    """Inputs for ``curvature_and_bound``: the course's centred x, the
    raw flipper lengths in cm (mean far from 0) and a small made-up x."""
    x, _ = flipper_and_mass()
    raw = load_penguins().flipper_length_mm / 10.0
    return (("the course's centred x", x),
            ("the uncentred flipper lengths", raw),
            ("x = [0, 1, 2, 3, 10]", np.array([0.0, 1.0, 2.0, 3.0, 10.0])))


def _largest(value, what):
    """A hint for the common case of returning every eigenvalue."""
    array = np.asarray(value) if isinstance(value, (list, tuple,
                                                    np.ndarray)) else None
    if array is not None and array.ndim == 1 and array.size == 2:
        raise LearnerError(
            f"{what} holds two numbers: those are both eigenvalues. L is "
            f"the largest one (np.linalg.eigvalsh sorts them in ascending "
            f"order, so take the last)."
        )
    return number(value, what)


@checked
def check_bound(curvature_and_bound):
    """Check ``curvature_and_bound(x) -> (L, lr_max)``."""
    for name, x in _bound_cases():
        result = call(curvature_and_bound, "curvature_and_bound", x)
        if result is None:
            raise LearnerError("curvature_and_bound returned None; did you "
                               "forget a return statement?")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            pair(result, "curvature_and_bound", ("L", "lr_max"))
        L_got = _largest(result[0], "L")
        bound_got = number(result[1], "lr_max")
        H = linear.mse_hessian(x)
        mu, L = np.linalg.eigvalsh(H)
        diagonal_L = max(H[0, 0], H[1, 1])
        if not close(L_got, L):
            if close(L_got, L / 2):
                return hint("L is half the right value: the Hessian of the "
                            "mean squared error is 2 [[mean x^2, mean x], "
                            "[mean x, 1]]; keep the factor 2.")
            if close(L_got, mu):
                return hint("that is the smallest eigenvalue, mu. The "
                            "bound is set by the steepest direction, the "
                            "largest eigenvalue L.")
            if close(L_got, diagonal_L):
                return hint(f"right for centred x, not for {name}: when "
                            "mean x is not 0 the Hessian is not diagonal. "
                            "Take the largest eigenvalue of the whole "
                            "2x2 matrix (np.linalg.eigvalsh).")
            return hint(f"for {name}, L should be {L:.6g}; yours is "
                        f"{L_got:.6g}. Build the Hessian 2 [[mean x^2, "
                        f"mean x], [mean x, 1]] and take its largest "
                        f"eigenvalue.")
        if close(bound_got, 2.0 / L):
            continue
        if close(bound_got, 1.0 / L):
            return hint("lr_max = 1/L is where the steepest component "
                        "starts to flip sign, not where it diverges: the "
                        "factor 1 - lr L stays above -1 up to lr = 2/L.")
        if close(bound_got, 2.0 / mu):
            return hint("lr_max uses the smallest eigenvalue; the limit "
                        "comes from the largest, lr_max = 2/L.")
        if close(bound_got, L / 2.0) or close(bound_got, 2.0 * L):
            return hint("lr_max is upside down: it is 2 divided by L.")
        return hint(f"L is right, but lr_max should be 2/L = "
                    f"{2.0 / L:.6g}; yours is {bound_got:.6g}.")
    return correct("L is the largest eigenvalue of the Hessian and "
                   "lr_max = 2/L, also for uncentred x.")


# (lr, lambda) pairs: a monotone case, two oscillating ones (factor
# negative), a diverging one and one with lambda below 1.
CONTRACTION_CASES = ((0.1, 2.0), (0.45, 3.943), (0.3, 5.0), (0.6, 3.943),
                     (0.2, 0.5))


def _matches(got, slip, cases):
    """True if the learner's answers equal ``slip`` on every case."""
    return all(close(g, slip(*case)) for g, case in zip(got, cases))


@checked
def check_contraction(contraction_factor):
    """Check ``contraction_factor(lr, lam) -> |1 - lr * lam|``."""
    cases = CONTRACTION_CASES
    got = [number(call(contraction_factor, "contraction_factor", lr, lam),
                  "contraction_factor(lr, lam)") for lr, lam in cases]
    if _matches(got, lambda lr, lam: abs(1.0 - lr * lam), cases):
        return correct("One step multiplies the component along an "
                       "eigenvector by 1 - lr*lambda; its size shrinks "
                       "by |1 - lr*lambda|.")
    if _matches(got, lambda lr, lam: 1.0 - lr * lam, cases):
        return hint("you return 1 - lr*lambda, which is negative when "
                    "lr*lambda > 1: the component flips sign. How much it "
                    "shrinks is the size of the factor: take the absolute "
                    "value.")
    if (_matches(got, lambda lr, lam: abs(1.0 - lam), cases)
            or _matches(got, lambda lr, lam: 1.0 - lam, cases)):
        return hint("the learning rate is missing: in the eigenbasis "
                    "each component is multiplied by 1 - lr*lambda, not "
                    "1 - lambda.")
    if _matches(got, lambda lr, lam: abs(1.0 - lr / lam), cases):
        return hint("lr and lambda multiply, 1 - lr*lambda; you divided.")
    if _matches(got, lambda lr, lam: lr * lam, cases):
        return hint("that is lr*lambda; the factor is |1 - lr*lambda|.")
    for g, (lr, lam) in zip(got, cases):
        if not close(g, abs(1.0 - lr * lam)):
            return hint(f"at lr = {lr}, lambda = {lam} the factor should "
                        f"be {abs(1.0 - lr * lam):.6g}; yours is {g:.6g}.")


# (eps, L, mu): the course's data, a condition number of 10, of 100.
STEPS_CASES = ((1e-6, 3.943072569337574, 2.0), (1e-3, 10.0, 1.0),
               (1e-2, 100.0, 1.0))


def _q(L, mu):
    return (L - mu) / (L + mu)


@checked
def check_steps(steps_needed):
    """Check ``steps_needed(eps, L, mu) -> k``."""
    cases = STEPS_CASES
    got = [number(call(steps_needed, "steps_needed", *case),
                  "steps_needed(eps, L, mu)") for case in cases]
    want = [quad.steps_needed(*case) for case in cases]
    if got == want:
        return correct("k = ceil(log(eps) / log(q)) with q = (L-mu)/(L+mu), "
                       "the contraction factor of the best constant rate.")
    for g, case in zip(got, cases):
        if not float(g).is_integer():
            return hint(f"for eps = {case[0]:g}, L = {case[1]:g}, "
                        f"mu = {case[2]:g} you return {g:.6g}; a number of "
                        f"steps is whole. Round up (math.ceil): fewer steps "
                        f"than the exact solution would not reach eps.")
    if all(g == w - 1 for g, w in zip(got, want)):
        return hint("you are one step short: after that many steps q**k "
                    "is still above eps. Round up, not down.")
    if _matches(got, lambda eps, L, mu: math.ceil(
            math.log(eps) / math.log(1.0 - mu / L)), cases):
        return hint("that is the count for the factor 1 - mu/L, the one "
                    "of lr = 1/L. At lr = 2/(L+mu) the factor is "
                    "(L - mu)/(L + mu).")
    if _matches(got, lambda eps, L, mu: math.ceil(
            math.log(eps) / (2 * math.log(_q(L, mu)))), cases):
        return hint("you counted for the loss J - J*, which shrinks by "
                    "q**2 per step; the question is about the distance "
                    "to the minimum, which shrinks by q.")
    for g, w, (eps, L, mu) in zip(got, want, cases):
        if g != w:
            return hint(f"for eps = {eps:g}, L = {L:g}, mu = {mu:g} the "
                        f"answer is {w}: the smallest k with q**k <= eps, "
                        f"q = (L-mu)/(L+mu) = {_q(L, mu):.4f}; yours is "
                        f"{g:g}.")


# (lr, L) with the regime gradient descent shows along the top direction.
CLASSIFY_CASES = ((0.1, 3.943), (0.25, 3.943), (0.3, 3.943), (0.45, 3.943),
                  (0.51, 3.943), (1.0, 3.943), (0.05, 10.0), (0.15, 10.0),
                  (0.25, 10.0))
LABELS = ("monotone", "oscillating", "diverging")


@checked
def check_classify(classify_lr):
    """Check ``classify_lr(lr, L) -> 'monotone' | 'oscillating' |
    'diverging'``."""
    for lr, L in CLASSIFY_CASES:
        got = call(classify_lr, "classify_lr", lr, L)
        if not isinstance(got, str):
            raise LearnerError(
                f"classify_lr should return one of the strings "
                f"{', '.join(repr(s) for s in LABELS)}; got "
                f"{type(got).__name__}"
            )
        got = got.strip().lower()
        if got not in LABELS:
            raise LearnerError(
                f"classify_lr returned {got!r}; use one of "
                f"{', '.join(repr(s) for s in LABELS)}."
            )
        want = quad.regime(lr, L)
        if got == want:
            continue
        where = f"lr = {lr}, L = {L}: lr*L = {lr * L:.3g}"
        if want == "oscillating" and got == "diverging":
            return hint(f"{where}. Between 1 and 2 the factor 1 - lr*L is "
                        f"between -1 and 0: the iterate overshoots and "
                        f"flips sign, but shrinks. It diverges only when "
                        f"lr*L > 2.")
        if want == "diverging":
            return hint(f"{where}, above 2: the factor 1 - lr*L is below "
                        f"-1, so each step makes the error larger.")
        if want == "monotone":
            return hint(f"{where}, at most 1: the factor 1 - lr*L is in "
                        f"[0, 1), so the error shrinks without changing "
                        f"sign.")
        return hint(f"{where}, between 1 and 2: the factor is between -1 "
                    f"and 0, so the sign flips while the size shrinks.")
    return correct("lr*L <= 1 is monotone, 1 < lr*L < 2 oscillates but "
                   "converges, lr*L > 2 diverges.")


__all__ = ["check_bound", "check_contraction", "check_steps",
           "check_classify", "LearnerError"]
