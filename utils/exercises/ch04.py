"""Checks for the exercises of Chapter 4, SGD with momentum.

Each check takes the learner's function and returns a ``Feedback``; it
never raises. The hints name the usual slips: the step taken with the old
velocity, the learning rate folded into the velocity, a dampened sum, the
limit of plain gradient descent or of Nesterov's variant, the rate
sqrt(beta*) in place of beta*, and an off-by-one power of beta.
"""

import math

import numpy as np

from ..optimizers import SGD
from ._feedback import (LearnerError, call, changes_its_inputs, checked,
                        close, correct, hint, number)

# --- Exercise 4.1: one momentum step ----------------------------------------

# theta, u (the velocity before the step), g, lr, beta: a step with a
# velocity already under way, where the usual slips all differ.
STEP_CASE = (np.array([1.0, -2.0]), np.array([0.5, 0.25]),
             np.array([2.0, -1.0]), 0.2, 0.9)
BOWL = np.array([[5.5, 4.5], [4.5, 5.5]])


def _slips(theta, u, g, lr, beta):
    """What the usual slips return for one step, by name."""
    new_u = beta * u + g
    return {
        "right": (theta - lr * new_u, new_u),
        "sign": (theta + lr * new_u, new_u),
        "old velocity": (theta - lr * u, new_u),
        "lr inside": (theta - lr * (beta * u + lr * g), beta * u + lr * g),
        "velocity B": (theta - (beta * u + lr * g), beta * u + lr * g),
        "dampened": (theta - lr * (beta * u + (1 - beta) * g),
                     beta * u + (1 - beta) * g),
        "nesterov": (theta - lr * (g + beta * new_u), new_u),
        "no velocity": (theta - lr * g, new_u),
        "u not updated": (theta - lr * new_u, u),
    }


def _two_arrays(result, size):
    if result is None:
        raise LearnerError("momentum_step returned None; did you forget a "
                           "return statement?")
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise LearnerError("momentum_step should return two arrays, "
                           "(theta, u): the new parameters and the new "
                           "velocity.")
    out = []
    for name, value in zip(("theta", "u"), result):
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise LearnerError(f"the new {name} should be an array of "
                               f"numbers; got {type(value).__name__}"
                               ) from None
        if array.shape != (size,):
            raise LearnerError(f"the new {name} should have the shape of "
                               f"theta, ({size},); got {array.shape}")
        if not np.all(np.isfinite(array)):
            raise LearnerError(f"the new {name} holds NaN or infinite "
                               f"values")
        out.append(array)
    return out


def _same(got, want):
    return all(np.allclose(a, w, rtol=1e-9, atol=1e-12)
               for a, w in zip(got, want))


STEP_HINTS = {
    "sign": "the step goes uphill: subtract lr * u from theta.",
    "old velocity": "theta moved with the velocity from before the step. "
                    "Update u first, u <- beta*u + g, then step with the "
                    "new u.",
    "lr inside": "the learning rate is inside the velocity and then "
                 "applied again: in this convention u adds up raw "
                 "gradients, u <- beta*u + g, and lr scales the step.",
    "velocity B": "that is convention (B), d <- beta*d + lr*g, theta <- "
                  "theta - d. It matches (A) only while lr is constant; "
                  "this exercise asks for (A), u <- beta*u + g, theta <- "
                  "theta - lr*u.",
    "dampened": "the gradient is weighted by (1 - beta): that is a running "
                "mean (PyTorch's dampening). Here u <- beta*u + g.",
    "nesterov": "that is Nesterov's step, theta - lr*(g + beta*u); the "
                "heavy ball steps with u alone.",
    "no velocity": "theta moved by the gradient alone, as in plain "
                   "gradient descent; step with the velocity, "
                   "theta - lr*u.",
    "u not updated": "theta is right, but the u you return is the old "
                     "one; return the updated velocity beta*u + g.",
}


@checked
def check_momentum_step(momentum_step):
    """Check ``momentum_step(theta, u, g, lr, beta) -> (theta, u)``."""
    theta, u, g, lr, beta = STEP_CASE
    got = _two_arrays(call(momentum_step, "momentum_step", theta, u, g, lr,
                           beta), 2)
    slips = _slips(theta, u, g, lr, beta)
    if not _same(got, slips["right"]):
        for name, text in STEP_HINTS.items():
            if _same(got, slips[name]):
                return hint(text)
        want_theta, want_b = slips["right"]
        return hint(f"for theta = {theta.tolist()}, u = {u.tolist()}, "
                    f"g = {g.tolist()}, lr = {lr}, beta = {beta} the step "
                    f"should give theta = {want_theta.tolist()} and u = "
                    f"{want_b.tolist()}; yours gives "
                    f"{got[0].tolist()} and {got[1].tolist()}.")
    # Many steps on a quadratic, from u = 0, against utils.optimizers.SGD.
    lr, beta = 0.05, 0.9
    theta = np.array([-3.0, 0.5])
    u = np.zeros(2)
    reference = theta.copy()
    opt = SGD(lr=lr, momentum=beta)
    for t in range(1, 31):
        g = BOWL @ theta
        theta, u = _two_arrays(call(momentum_step, "momentum_step", theta,
                                    u, g, lr, beta), 2)
        opt.step([reference], [BOWL @ reference])
        if not np.allclose(theta, reference, rtol=1e-9, atol=1e-12):
            return hint(f"one step from a given velocity is right, but "
                        f"started from u = 0 your steps part from "
                        f"SGD(momentum=0.9) at step {t}: does your "
                        f"function keep anything between calls?")
    if changes_its_inputs(momentum_step, *STEP_CASE):
        return hint("momentum_step changed an array it was given; build "
                    "new arrays (for example u_new = beta * u + g) instead "
                    "of writing into theta or u with -= or +=.")
    return correct("u <- beta*u + g, then theta <- theta - lr*u: the same "
                   "30 iterates as SGD(lr, momentum=beta).")


# --- Exercise 4.2: the stability limit ---------------------------------------

# (beta, lam): plain gradient descent, a middle beta, the uncentred
# penguin cost's L at 0.9, a tiny curvature at 0.99.
STABILITY_CASES = ((0.0, 2.0), (0.5, 1.0), (0.9, 813.27), (0.99, 0.0097))


# At beta = 0 several slips agree with the answer, so they are matched
# on the other cases only.


def _limit(beta, lam):
    return (2.0 + 2.0 * beta) / lam


def _matches(got, slip, cases):
    return all(close(g, slip(*case)) for g, case in zip(got, cases))


@checked
def check_stability(lr_limit):
    """Check ``lr_limit(beta, lam) -> (2 + 2 beta) / lam``."""
    cases = STABILITY_CASES
    got = [number(call(lr_limit, "lr_limit", beta, lam),
                  "lr_limit(beta, lam)") for beta, lam in cases]
    if _matches(got, _limit, cases):
        return correct("lr < (2 + 2 beta) / lambda: where the root of "
                       "r^2 - (1 + beta - lr lambda) r + beta passes -1.")
    if _matches(got[1:], lambda beta, lam: 2.0 / lam, cases[1:]):
        return hint("2/lambda is the limit without momentum. With beta, "
                    "the matrix's characteristic polynomial at -1 is "
                    "2 + 2 beta - lr lambda: the limit grows with beta.")
    if _matches(got, lambda beta, lam: (2.0 + 2.0 * beta) * lam, cases):
        return hint("upside down: the limit on lr*lambda is 2 + 2 beta, so "
                    "lr is (2 + 2 beta) divided by lambda.")
    if _matches(got[1:], lambda beta, lam: 2.0 + 2.0 * beta, cases[1:]):
        return hint("2 + 2 beta is the limit on the product lr*lambda; "
                    "divide by lambda to get the learning rate.")
    if _matches(got[1:], lambda beta, lam:
                _limit(beta, lam) / (1 + 2 * beta),
                cases[1:]):
        return hint("that is the limit of Nesterov's variant; the heavy "
                    "ball's is (2 + 2 beta) / lambda.")
    if _matches(got[1:], lambda beta, lam: 2.0 / ((1 - beta) * lam),
                cases[1:]):
        return hint("2/(lambda (1 - beta)) treats lr/(1 - beta) as the "
                    "step, which holds for a constant gradient, not at the "
                    "edge of stability. Find where a root of r^2 - (1 + "
                    "beta - lr lambda) r + beta reaches -1.")
    for g, (beta, lam) in zip(got, cases):
        if not close(g, _limit(beta, lam)):
            return hint(f"for beta = {beta}, lambda = {lam} the limit "
                        f"should be {_limit(beta, lam):.6g}; yours is "
                        f"{g:.6g}. Where does p(r) = r^2 - (1 + beta - "
                        f"lr lambda) r + beta vanish at r = -1?")


# --- Exercise 4.3: the best momentum coefficient -----------------------------

# The centred penguin cost, 10, 100 and the uncentred penguin cost.
KAPPA_CASES = (1.9715362846687877, 10.0, 100.0, 83869.99635421822)


def _rate(kappa):
    return (math.sqrt(kappa) - 1.0) / (math.sqrt(kappa) + 1.0)


@checked
def check_best_momentum(best_momentum):
    """Check ``best_momentum(kappa) -> ((sqrt k - 1)/(sqrt k + 1))^2``."""
    cases = [(k,) for k in KAPPA_CASES]
    got = [number(call(best_momentum, "best_momentum", k),
                  "best_momentum(kappa)") for (k,) in cases]
    if _matches(got, lambda k: _rate(k) ** 2, cases):
        return correct("beta* = ((sqrt(kappa) - 1)/(sqrt(kappa) + 1))^2; "
                       "every eigencomponent then shrinks by sqrt(beta*).")
    if _matches(got, _rate, cases):
        return hint("that is sqrt(beta*), the rate per step. The roots "
                    "of the 2x2 matrix multiply to beta, so beta* is its "
                    "square.")
    if _matches(got, lambda k: (k - 1.0) / (k + 1.0), cases):
        return hint("(kappa - 1)/(kappa + 1) is gradient descent's best "
                    "rate. With momentum kappa enters through its square "
                    "root.")
    if _matches(got, lambda k: ((k - 1.0) / (k + 1.0)) ** 2, cases):
        return hint("use the square root of kappa: beta* = ((sqrt(kappa) "
                    "- 1)/(sqrt(kappa) + 1))^2.")
    for g, (k,) in zip(got, cases):
        if not close(g, _rate(k) ** 2):
            return hint(f"for kappa = {k:.6g}, beta* should be "
                        f"{_rate(k) ** 2:.6g}; yours is {g:.6g}. Put lr mu "
                        f"and lr L on the two ends of the stretch "
                        f"(1 - sqrt(beta))^2 .. (1 + sqrt(beta))^2.")


# --- Exercise 4.4: convention (B) after a drop -------------------------------

# (k, beta, lr_old, lr_new, g): drops, a long memory, and a rise.
DROP_CASES = ((1, 0.9, 0.1, 0.01, 1.0), (10, 0.9, 0.1, 0.01, 2.0),
              (5, 0.99, 0.01, 0.001, 0.5), (3, 0.5, 0.2, 0.1, 1.0),
              (4, 0.9, 0.01, 0.1, 1.0))


def simulated_step_b(k, beta, lr_old, lr_new, g, warm=5000):
    """(B)'s k-th step after the drop, by running it on a slope."""
    d = 0.0
    for _ in range(warm):
        d = beta * d + lr_old * g
    for _ in range(k):
        d = beta * d + lr_new * g
    return d


def _b_formula(k, beta, lr_old, lr_new, g, power):
    return g / (1 - beta) * (lr_new + beta ** power * (lr_old - lr_new))


@checked
def check_after_drop(step_b):
    """Check ``step_b(k, beta, lr_old, lr_new, g)`` against a run of (B)."""
    cases = DROP_CASES
    got = [number(call(step_b, "step_b", *case),
                  "step_b(k, beta, lr_old, lr_new, g)") for case in cases]
    want = [simulated_step_b(*case) for case in cases]
    if all(close(a, w) for a, w in zip(got, want)):
        return correct("(B) keeps beta^k of its old velocity lr_old*g/(1 - "
                       "beta), so its step is g/(1 - beta) (lr_new + "
                       "beta^k (lr_old - lr_new)): larger than (A)'s after "
                       "a drop, smaller after a rise.")
    if _matches(got, lambda k, beta, lo, ln, g: ln * g / (1 - beta), cases):
        return hint("that is (A)'s step, lr_new g/(1 - beta). (B)'s "
                    "velocity was built at lr_old and forgets it only by "
                    "a factor beta per step.")
    if _matches(got, lambda k, beta, lo, ln, g: lo * g / (1 - beta), cases):
        return hint("that is the step before the drop. Each new step adds "
                    "lr_new*g, while the old velocity shrinks by beta.")
    for power, word in ((lambda k: k - 1, "k - 1"),
                        (lambda k: k + 1, "k + 1")):
        if _matches(got, lambda k, beta, lo, ln, g: _b_formula(
                k, beta, lo, ln, g, power(k)), cases):
            return hint(f"off by one step: you used beta^({word}). On the "
                        f"first step at lr_new (k = 1), d <- beta*d + "
                        f"lr_new*g keeps beta^1 of the old velocity.")
    if _matches(got, lambda k, beta, lo, ln, g:
                1 + beta ** k * (lo / ln - 1), cases):
        return hint("that is the ratio of (B)'s step to (A)'s; the "
                    "question asks for the length, so multiply by (A)'s "
                    "step lr_new*g/(1 - beta).")
    if _matches(got, lambda k, beta, lo, ln, g:
                ln * g + beta ** k * lo * g, cases):
        return hint("the velocity before the drop is not lr_old*g but its "
                    "steady state lr_old*g/(1 - beta), and the new terms "
                    "add up to lr_new*g (1 - beta^k)/(1 - beta).")
    for got_i, want_i, case in zip(got, want, cases):
        if not close(got_i, want_i):
            k, beta, lr_old, lr_new, g = case
            return hint(f"for k = {k}, beta = {beta}, lr_old = {lr_old}, "
                        f"lr_new = {lr_new}, g = {g}, (B)'s step is "
                        f"{want_i:.6g}; yours is {got_i:.6g}. Start from "
                        f"d = lr_old*g/(1 - beta) and apply d <- beta*d + "
                        f"lr_new*g k times.")


__all__ = ["check_momentum_step", "check_stability", "check_best_momentum",
           "check_after_drop", "LearnerError"]
