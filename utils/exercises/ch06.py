"""Checks for the exercises of Chapter 6, Adam.

Each check takes the learner's function and returns a ``Feedback``; it
never raises. The hints name the usual slips: no bias correction, or a
correction for one moment only; t counted from 0; the average of g
instead of g^2; epsilon inside the square root or left out; the sign of
the step; the factor ``beta^t`` in place of ``1 - beta^t``.
"""

import numpy as np

from ._feedback import (LearnerError, call, changes_its_inputs, checked,
                        close, correct, hint, number, pair)

# Hyperparameters for the step checks: not the defaults, so that a
# function ignoring its arguments is caught.
STEP_SETTINGS = {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}
# Gradients for five steps of a three-parameter model: mixed signs and
# scales, one entry at the scale of eps.
STEP_GRADS = np.array([[0.5, -3.0, 1e-6],
                       [0.4, 2.0, 2e-6],
                       [-0.1, -1.0, 1e-6],
                       [0.3, 4.0, -1e-6],
                       [0.2, -2.0, 1e-6]])
THETA0 = np.array([1.0, -0.5, 0.0])


def _reference_path(correct_m=True, correct_v=True,
                    eps_inside=False, t_offset=0, g_not_squared=False):
    """Parameters after each step of STEP_GRADS, for Adam or a slip."""
    lr, beta1, beta2, eps = (STEP_SETTINGS[k] for k in
                             ("lr", "beta1", "beta2", "eps"))
    theta, m, v = THETA0.copy(), np.zeros(3), np.zeros(3)
    out = []
    with np.errstate(all="ignore"):
        for t, g in enumerate(STEP_GRADS, start=1):
            tt = t + t_offset
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * (np.abs(g) if g_not_squared
                                           else g * g)
            m_hat = m / (1 - beta1 ** tt) if correct_m else m
            v_hat = v / (1 - beta2 ** tt) if correct_v else v
            if eps_inside:
                step = m_hat / np.sqrt(v_hat + eps)
            else:
                step = m_hat / (np.sqrt(v_hat) + eps)
            theta = theta - lr * step
            out.append((theta.copy(), m.copy(), v.copy()))
    return out


def _array3(value, what):
    """``value`` as a float array of shape (3,), or a hint."""
    if value is None:
        raise LearnerError(f"{what} is None; it should be an array.")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise LearnerError(f"{what} should be an array of numbers; got "
                           f"{type(value).__name__}") from None
    if array.shape != (3,):
        raise LearnerError(f"{what} should have the shape of theta, (3,); "
                           f"got {array.shape}")
    return array


def _triple(result):
    if result is None:
        raise LearnerError("adam_step returned None; did you forget a "
                           "return statement?")
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise LearnerError("adam_step should return three arrays, "
                           "(theta, m, v)")
    return tuple(_array3(r, name) for r, name in
                 zip(result, ("theta", "m", "v")))


def _same(a, b):
    return bool(np.allclose(a, b, rtol=1e-9, atol=1e-15))


@checked
def check_adam_step(adam_step):
    """Check ``adam_step(theta, g, m, v, t, lr, beta1, beta2, eps)``."""
    lr, beta1, beta2, eps = (STEP_SETTINGS[k] for k in
                             ("lr", "beta1", "beta2", "eps"))
    want = _reference_path()
    slips = {
        "none": _reference_path(False, False),
        "m only": _reference_path(True, False),
        "v only": _reference_path(False, True),
        "eps inside": _reference_path(eps_inside=True),
        "t + 1": _reference_path(t_offset=1),
        "abs g": _reference_path(g_not_squared=True),
    }
    theta, m, v = THETA0.copy(), np.zeros(3), np.zeros(3)
    for t, g in enumerate(STEP_GRADS, start=1):
        result = call(adam_step, "adam_step", theta, g, m, v, t, lr, beta1,
                      beta2, eps)
        got = _triple(result)
        theta_w, m_w, v_w = want[t - 1]
        if not _same(got[1], m_w):
            if _same(got[1], m_w / (1.0 - beta1 ** t)):
                return hint(f"at t = {t}, m is wrong: it equals m_hat. "
                            f"Either the factor (1 - beta1) is missing "
                            f"from m <- beta1 * m + (1 - beta1) * g, or "
                            f"you returned m_hat in place of m; keep m "
                            f"uncorrected from step to step.")
            return hint(f"at t = {t}, m is wrong: m <- beta1 * m + "
                        f"(1 - beta1) * g, with m the value passed in.")
        if not _same(got[2], v_w):
            if _same(got[2], slips["abs g"][t - 1][2]):
                return hint("v averages the squared gradient, g**2, not "
                            "|g|.")
            if _same(got[2], v_w / (1.0 - beta2 ** t)):
                return hint(f"at t = {t}, v is wrong: it equals v_hat. "
                            f"Either the factor (1 - beta2) is missing "
                            f"from v <- beta2 * v + (1 - beta2) * g**2, "
                            f"or you returned v_hat in place of v; keep v "
                            f"uncorrected from step to step.")
            return hint(f"at t = {t}, v is wrong: v <- beta2 * v + "
                        f"(1 - beta2) * g**2.")
        if _same(got[0], theta_w):
            theta, m, v = got
            continue
        if not np.all(np.isfinite(got[0])):
            return hint(f"at t = {t} theta holds NaN or infinity. Is t "
                        f"counted from 1? With t = 0, 1 - beta**t is 0 and "
                        f"the correction divides by zero.")
        for name, path in slips.items():
            if _same(got[0], path[t - 1][0]):
                return hint(_STEP_HINTS[name])
        if _same(got[0], 2 * theta - theta_w):
            return hint("theta moved the wrong way: subtract the step, "
                        "theta - lr * m_hat / (sqrt(v_hat) + eps).")
        return hint(f"at t = {t}, m and v are right but theta is not: "
                    f"theta - lr * m_hat / (sqrt(v_hat) + eps), with "
                    f"m_hat = m / (1 - beta1**t), v_hat = v / "
                    f"(1 - beta2**t).")
    s = STEP_SETTINGS
    if changes_its_inputs(adam_step, THETA0, STEP_GRADS[1], np.full(3, 0.1),
                          np.full(3, 0.2), 2, s["lr"], s["beta1"],
                          s["beta2"], s["eps"]):
        return hint("adam_step changed an array it was given; build "
                    "new arrays (m = beta1 * m + ...) instead of "
                    "updating them in place (m *= ...).")
    return correct("m and v are the moving averages of g and g**2, both "
                   "corrected by 1 - beta**t, and theta moves by "
                   "lr * m_hat / (sqrt(v_hat) + eps): the steps of "
                   "utils.optimizers.Adam.")


_STEP_HINTS = {
    "none": "theta is what Adam gives without bias correction: divide m by "
            "1 - beta1**t and v by 1 - beta2**t before the step.",
    "m only": "only m is corrected. v starts at zero too: divide it by "
              "1 - beta2**t as well.",
    "v only": "only v is corrected. m starts at zero too: divide it by "
              "1 - beta1**t as well.",
    "eps inside": "eps is inside the square root. Adam here (and in "
                  "PyTorch) adds it outside: sqrt(v_hat) + eps.",
    "t + 1": "the correction uses t + 1; use the t you are given: the "
             "first step divides by 1 - beta**1.",
}


# (t, beta1, beta2): the first step, the defaults later on, other betas.
FACTOR_CASES = ((1, 0.9, 0.999), (10, 0.9, 0.999), (1000, 0.9, 0.999),
                (3, 0.5, 0.9))


def _factors_match(got, slip):
    return all(close(a, b, rtol=1e-9, atol=1e-15)
               and close(c, d, rtol=1e-9, atol=1e-15)
               for (a, c), (b, d) in zip(got, slip))


@checked
def check_correction_factors(correction_factors):
    """Check ``correction_factors(t, beta1, beta2)``."""
    got = [pair(call(correction_factors, "correction_factors", *case),
                "correction_factors", ("for m", "for v"))
           for case in FACTOR_CASES]

    def make(f):
        return [(f(t, b1), f(t, b2)) for t, b1, b2 in FACTOR_CASES]

    if _factors_match(got, make(lambda t, b: 1 - b ** t)):
        return correct("after t steps the weights of m add up to "
                       "1 - beta1**t and those of v to 1 - beta2**t.")
    if _factors_match(got, make(lambda t, b: b ** t)):
        return hint("beta**t is the weight left on the starting zero; the "
                    "weights of the gradients add up to 1 - beta**t.")
    if _factors_match(got, make(lambda t, b: 1 - b ** (t - 1))):
        return hint("off by one step: the sum of the weights "
                    "(1 - beta) beta**(t - i) over i = 1 .. t is "
                    "1 - beta**t, not 1 - beta**(t - 1).")
    if _factors_match(got, make(lambda t, b: 1 - b ** (t + 1))):
        return hint("off by one step: the weights for i = 1 .. t add up "
                    "to 1 - beta**t.")
    if _factors_match(got, make(lambda t, b: 1 / (1 - b ** t))):
        return hint("that is the multiplier, 1 / (1 - beta**t); return "
                    "the divisor, 1 - beta**t.")
    if _factors_match(got, [(f2, f1) for f1, f2 in
                            make(lambda t, b: 1 - b ** t)]):
        return hint("the two are swapped: m uses beta1, v uses beta2.")
    if _factors_match(got, make(lambda t, b: 1 - b)):
        return hint("1 - beta is the weight of the newest gradient; after "
                    "t steps all the weights add up to 1 - beta**t.")
    for (f_m, f_v), (t, b1, b2) in zip(got, FACTOR_CASES):
        if not (close(f_m, 1 - b1 ** t, rtol=1e-9, atol=1e-15)
                and close(f_v, 1 - b2 ** t, rtol=1e-9, atol=1e-15)):
            return hint(f"for t = {t}, beta1 = {b1}, beta2 = {b2} the "
                        f"factors are {1 - b1 ** t:.6g} and "
                        f"{1 - b2 ** t:.6g}; yours are {f_m:.6g} and "
                        f"{f_v:.6g}. Sum the weights (1 - beta) "
                        f"beta**(t - i) for i = 1 .. t.")


# (g, t, beta2): one step (v_1 = 0.001 g^2), a negative g, other betas.
V_CASES = ((2.0, 1, 0.999), (-3.0, 10, 0.999), (0.5, 500, 0.999),
           (1.5, 4, 0.9))


@checked
def check_constant_v(v_constant):
    """Check ``v_constant(g, t, beta2) -> (1 - beta2**t) g**2``."""
    got = [number(call(v_constant, "v_constant", *case),
                  "v_constant(g, t, beta2)") for case in V_CASES]

    def matches(f):
        return all(close(a, f(*case), rtol=1e-9, atol=1e-15)
                   for a, case in zip(got, V_CASES))

    if matches(lambda g, t, b: (1 - b ** t) * g * g):
        return correct("v_t = (1 - beta2) sum_{i=1}^{t} beta2**(t-i) g**2 "
                       "= (1 - beta2**t) g**2: after one step with "
                       "beta2 = 0.999, v is only 0.001 g**2.")
    if matches(lambda g, t, b: g * g):
        return hint("g**2 is what the corrected v_hat gives; v itself "
                    "starts at zero and falls short by 1 - beta2**t.")
    if matches(lambda g, t, b: (1 - b) * g * g):
        return hint("(1 - beta2) g**2 is v after one step only; add up "
                    "the weights of all t steps.")
    if matches(lambda g, t, b: (1 - b ** t) * g):
        return hint("v averages the squared gradient: use g**2, not g.")
    if matches(lambda g, t, b: (1 - b ** t) * abs(g)):
        return hint("v averages the squared gradient: use g**2, not |g|.")
    if matches(lambda g, t, b: b ** t * g * g):
        return hint("beta2**t is the weight left on the starting zero; the "
                    "gradients carry 1 - beta2**t.")
    if matches(lambda g, t, b: (1 - b ** (t - 1)) * g * g):
        return hint("off by one step: the sum over i = 1 .. t gives "
                    "1 - beta2**t.")
    for a, (g, t, b) in zip(got, V_CASES):
        want = (1 - b ** t) * g * g
        if not close(a, want, rtol=1e-9, atol=1e-15):
            return hint(f"for g = {g}, t = {t}, beta2 = {b}, v_t should be "
                        f"{want:.6g}; yours is {a:.6g}.")


# Gradients for the first step: mixed signs and scales, one of 0 and
# one at eps.
FIRST_G = np.array([2.0, -0.03, 1e-8, 0.0, 1e4])
FIRST_SETTINGS = {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


def _first(g, lr, beta1, beta2, eps, first, second, inside=False):
    m = (1 - beta1) * g / ((1 - beta1) if first else 1.0)
    v = (1 - beta2) * g * g / ((1 - beta2) if second else 1.0)
    root = np.sqrt(v + eps) if inside else np.sqrt(v) + eps
    return -lr * m / root


@checked
def check_first_step(first_step):
    """Check ``first_step(g, lr, beta1, beta2, eps, corrected)``."""
    s = FIRST_SETTINGS
    args = (s["lr"], s["beta1"], s["beta2"], s["eps"])
    for corrected in (True, False):
        result = call(first_step, "first_step", FIRST_G, *args, corrected)
        if result is None:
            raise LearnerError("first_step returned None; did you forget a "
                               "return statement?")
        try:
            got = np.asarray(result, dtype=np.float64)
        except (TypeError, ValueError):
            raise LearnerError("first_step should return an array of "
                               "numbers") from None
        if got.shape != FIRST_G.shape:
            raise LearnerError(f"first_step should return one change per "
                               f"entry of g, shape {FIRST_G.shape}; got "
                               f"{got.shape}")
        want = _first(FIRST_G, *args, corrected, corrected)
        if np.allclose(got, want, rtol=1e-9, atol=1e-15):
            continue
        which = "corrected=True" if corrected else "corrected=False"
        if not np.all(np.isfinite(got)):
            return hint(f"with {which} your step holds NaN or infinity, "
                        f"at g = 0: that is what eps is for, m / "
                        f"(sqrt(v) + eps) is 0 there.")
        if np.allclose(got, -want, rtol=1e-9, atol=1e-15):
            return hint("the sign is flipped: Adam steps against the "
                        "gradient, theta_1 - theta_0 = -lr * ...")
        other = _first(FIRST_G, *args, not corrected, not corrected)
        if np.allclose(got, other, rtol=1e-9, atol=1e-15):
            return hint(f"with {which} you returned the other case. "
                        f"With both corrections the step is lr * g / "
                        f"(|g| + eps); with neither, m_1 = (1 - beta1) g "
                        f"and v_1 = (1 - beta2) g**2 as they are.")
        for first, second, name in ((True, False, "m only"),
                                    (False, True, "v only")):
            slip = _first(FIRST_G, *args, first, second)
            if np.allclose(got, slip, rtol=1e-9, atol=1e-15):
                return hint(f"you corrected {name.split()[0]} only: "
                            f"corrected=True divides m by 1 - beta1 and v "
                            f"by 1 - beta2.")
        inside = _first(FIRST_G, *args, corrected, corrected, inside=True)
        if np.allclose(got, inside, rtol=1e-9, atol=1e-15):
            return hint("eps is inside the square root; add it outside, "
                        "sqrt(v) + eps.")
        no_eps = np.where(FIRST_G == 0, 0.0, -args[0] * np.sign(FIRST_G)
                          * (1.0 if corrected else
                             (1 - args[1]) / np.sqrt(1 - args[2])))
        if np.allclose(got, no_eps, rtol=1e-9, atol=1e-15):
            return hint("right for large gradients, but eps is left out: "
                        "at g = eps the corrected step is lr/2, not lr.")
        return hint(f"with {which} the change should be "
                    f"{np.array2string(want, precision=4)}; yours is "
                    f"{np.array2string(got, precision=4)}.")
    return correct("corrected, the first step is -lr g / (|g| + eps), "
                   "about lr against the sign of g; uncorrected it is "
                   "(1 - beta1) / sqrt(1 - beta2), about 3.16 times "
                   "larger with the defaults.")


__all__ = ["check_adam_step", "check_correction_factors",
           "check_constant_v", "check_first_step", "LearnerError"]
