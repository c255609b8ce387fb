"""Checks for the exercises of Chapter 5, AdaGrad and RMSProp.

Each check takes the learner's function and returns a ``Feedback``; it
never raises. The hints name the usual slips: eps inside the root where
the chapter puts it outside (or the reverse), the old v in the step,
a missing (1 - alpha), g where g^2 belongs, AdaGrad's sum in place of
RMSProp's average, a square root forgotten, the steady state c^2 given
for a moving average that starts at zero, an off-by-one in t.
"""

import math

import numpy as np

from .. import adaptive
from ._feedback import (LearnerError, call, checked, close, correct, hint,
                        number, pair)


def _array(value, what, shape):
    """Return ``value`` as a float array of ``shape`` (NaN allowed: a
    slip such as averaging g instead of g^2 can give a negative v)."""
    if value is None:
        raise LearnerError(f"{what} is None; return an array.")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise LearnerError(
            f"{what} should be an array of numbers; got "
            f"{type(value).__name__}") from None
    if array.shape != shape:
        raise LearnerError(
            f"{what} should have the shape of theta, {shape}; got "
            f"{array.shape}")
    return array


def _rms_reference(theta, g, v, lr, alpha, eps, inside=False,
                   old_v=False, v_rule=None, root=True, sign=-1.0):
    """One RMSProp step, or one of the usual slips."""
    if v_rule is None:
        v_new = alpha * v + (1 - alpha) * g * g
    else:
        v_new = v_rule(v, g, alpha)
    used = v if old_v else v_new
    if not root:
        denom = used + eps
    elif inside:
        denom = np.sqrt(used + eps)
    else:
        denom = np.sqrt(used) + eps
    return theta + sign * lr * g / denom, v_new


# theta, g, v, lr, alpha, eps. The second case has v = 0 and a tiny
# gradient, where eps inside or outside the root differ a hundredfold.
RMS_CASES = (
    (np.array([0.5, -1.0]), np.array([2.0, -0.3]), np.array([1.0, 0.04]),
     0.01, 0.9, 1e-8),
    (np.array([1.0, 2.0, 3.0]), np.array([1e-6, -2e-6, 0.5]),
     np.zeros(3), 0.1, 0.99, 1e-8),
    (np.array([0.0]), np.array([-4.0]), np.array([9.0]), 0.05, 0.5, 1e-8),
)

RMS_SLIPS = (
    (dict(inside=True),
     "you put eps inside the root, sqrt(v + eps). This chapter follows "
     "PyTorch: eps is added after the root, sqrt(v) + eps. The two "
     "differ most when v is tiny, as in one of the cases checked."),
    (dict(old_v=True),
     "the step uses v from before the update. Update v first, with "
     "this step's g^2, then divide by sqrt of the new v."),
    (dict(v_rule=lambda v, g, a: a * v + g * g),
     "v is missing the factor (1 - alpha) on g^2; without it v is not "
     "an average and grows towards g^2 / (1 - alpha)."),
    (dict(v_rule=lambda v, g, a: (1 - a) * v + a * g * g),
     "alpha and 1 - alpha are swapped: alpha (close to 1) keeps the old "
     "v, and 1 - alpha weighs the new g^2."),
    (dict(v_rule=lambda v, g, a: a * v + (1 - a) * g),
     "v averages g itself; it averages the squared gradient, g**2."),
    (dict(v_rule=lambda v, g, a: v + g * g),
     "that is AdaGrad's sum, v + g^2. RMSProp keeps a moving average: "
     "alpha * v + (1 - alpha) * g^2."),
    (dict(root=False),
     "the step divides by v + eps; divide by its square root, "
     "sqrt(v) + eps, so that the step has the units of theta."),
    (dict(sign=1.0),
     "theta moved uphill: subtract lr * g / (sqrt(v) + eps)."),
)


@checked
def check_rmsprop_step(rmsprop_step):
    """Check ``rmsprop_step(theta, g, v, lr, alpha, eps) -> (theta, v)``."""
    answers = []
    for case in RMS_CASES:
        result = call(rmsprop_step, "rmsprop_step", *case)
        if result is None:
            raise LearnerError("rmsprop_step returned None; did you forget "
                               "a return statement?")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise LearnerError("rmsprop_step should return two arrays, "
                               "(theta_new, v_new)")
        shape = case[0].shape
        answers.append((_array(result[0], "theta_new", shape),
                        _array(result[1], "v_new", shape)))

    def matches(**slip):
        for (th, v), case in zip(answers, RMS_CASES):
            want_th, want_v = _rms_reference(*case, **slip)
            if not (np.allclose(th, want_th, rtol=1e-9, atol=1e-12,
                                equal_nan=True)
                    and np.allclose(v, want_v, rtol=1e-9, atol=1e-15,
                                    equal_nan=True)):
                return False
        return True

    if matches():
        return correct("v <- alpha v + (1 - alpha) g^2, then "
                       "theta <- theta - lr g / (sqrt(v) + eps).")
    with np.errstate(all="ignore"):
        for slip, message in RMS_SLIPS:
            if matches(**slip):
                return hint(message)
    for th, v in answers:
        if not (np.all(np.isfinite(th)) and np.all(np.isfinite(v))):
            return hint("theta_new or v_new holds NaN or infinite "
                        "values; is a root taken of a negative number?")
    for (th, v), case in zip(answers, RMS_CASES):
        want_th, want_v = _rms_reference(*case)
        if not np.allclose(v, want_v, rtol=1e-9, atol=1e-15):
            return hint(f"for v = {case[2].tolist()}, g = "
                        f"{case[1].tolist()}, alpha = {case[4]} the new v "
                        f"should be {want_v.tolist()}; yours is "
                        f"{v.tolist()}.")
        if not np.allclose(th, want_th, rtol=1e-9, atol=1e-12):
            return hint(f"v is right, but theta_new should be "
                        f"{want_th.tolist()}; yours is {th.tolist()}.")
    return hint("compare your step with the update equations above.")


# c, t, lr, eps. The last gradient is so small that eps matters.
ADAGRAD_CASES = ((2.0, 100, 0.01, 1e-10), (-0.5, 10, 0.1, 1e-10),
                 (3.0, 1, 1.0, 1e-10), (1e-5, 400, 0.01, 1e-4))


def _adagrad(c, t, lr, eps):
    return lr / (abs(c) * math.sqrt(t) + eps)


ADAGRAD_SLIPS = (
    (lambda c, t, lr, eps: lr / (abs(c) * t + eps),
     "you divided by |c| t; the sum s_t = t c^2 grows like t, so its "
     "root grows like sqrt(t)."),
    (lambda c, t, lr, eps: lr / (c * c * t + eps),
     "the square root is missing: divide by sqrt(s_t) + eps with "
     "s_t = t c^2."),
    (lambda c, t, lr, eps: lr / (abs(c) + eps),
     "t is missing: after t steps the sum holds t copies of c^2."),
    (lambda c, t, lr, eps: lr / (abs(c) * math.sqrt(t - 1) + eps),
     "off by one: at step t the sum already includes that step's g^2, "
     "so s_t = t c^2, not (t - 1) c^2."),
    (lambda c, t, lr, eps: lr / math.sqrt(t * c * c + eps),
     "eps went inside the root; AdaGrad here (and in PyTorch) adds it "
     "outside: lr / (sqrt(s_t) + eps)."),
    (lambda c, t, lr, eps: lr * abs(c) / (abs(c) * math.sqrt(t) + eps),
     "that is the size of the step, eta_eff * |c|. The exercise asks "
     "for the effective learning rate eta_eff, the factor that "
     "multiplies g."),
    (lambda c, t, lr, eps: lr / (c * math.sqrt(t) + eps),
     "for a negative c you return a negative rate: sqrt(t c^2) is "
     "|c| sqrt(t), never negative."),
)


@checked
def check_adagrad_effective(adagrad_effective_lr):
    """Check ``adagrad_effective_lr(c, t, lr, eps) -> lr/(|c|sqrt t+eps)``."""
    cases = ADAGRAD_CASES
    got = []
    for case in cases:
        got.append(number(call(adagrad_effective_lr, "adagrad_effective_lr",
                               *case), "adagrad_effective_lr(c, t, lr, eps)"))
    if all(close(g, _adagrad(*case), rtol=1e-9, atol=0.0)
           for g, case in zip(got, cases)):
        return correct("s_t = t c^2, so eta_eff = lr / (|c| sqrt(t) + eps): "
                       "it falls like 1/sqrt(t).")
    for slip, message in ADAGRAD_SLIPS:
        with np.errstate(all="ignore"):
            if all(close(g, slip(*case), rtol=1e-9, atol=0.0)
                   for g, case in zip(got, cases)):
                return hint(message)
    for g, case in zip(got, cases):
        if not close(g, _adagrad(*case), rtol=1e-9, atol=0.0):
            c, t, lr, eps = case
            return hint(f"for c = {c:g}, t = {t}, lr = {lr:g}, eps = "
                        f"{eps:g} the answer is {_adagrad(*case):.6g}; "
                        f"yours is {g:.6g}.")


# c, alpha, t
EMA_CASES = ((2.0, 0.9, 5), (0.5, 0.99, 100), (-3.0, 0.5, 1),
             (1.0, 0.999, 2000))


def _ema(c, alpha, t):
    return c * c * (1 - alpha ** t)


EMA_SLIPS = (
    (lambda c, a, t: c * c,
     "c^2 is where v ends up after many steps; starting from v_0 = 0 it "
     "has only reached c^2 (1 - alpha^t) after t steps."),
    (lambda c, a, t: c * c * a ** t,
     "alpha^t c^2 is the part still missing; v_t is c^2 minus that, "
     "c^2 (1 - alpha^t)."),
    (lambda c, a, t: c * (1 - a ** t),
     "v averages the squared gradient: use c**2, not c."),
    (lambda c, a, t: c * c * (1 - a ** (t - 1)),
     "off by one: after t steps the weights (1 - alpha) alpha^k, "
     "k = 0 .. t-1, add up to 1 - alpha^t."),
    (lambda c, a, t: c * c * (1 - a ** (t + 1)),
     "off by one: after t steps the weights (1 - alpha) alpha^k, "
     "k = 0 .. t-1, add up to 1 - alpha^t."),
    (lambda c, a, t: c * c * (1 - a),
     "that is v after one step only; unroll the update t times."),
    (lambda c, a, t: c * c * (1 - (1 - a) ** t),
     "alpha and 1 - alpha are swapped: v_t = c^2 (1 - alpha^t)."),
)


@checked
def check_ema(ema_after):
    """Check ``ema_after(c, alpha, t) -> c**2 * (1 - alpha**t)``."""
    cases = EMA_CASES
    got = [number(call(ema_after, "ema_after", *case),
                  "ema_after(c, alpha, t)") for case in cases]
    if all(close(g, _ema(*case), rtol=1e-9, atol=1e-15)
           for g, case in zip(got, cases)):
        return correct("From zero, v_t = c^2 (1 - alpha^t): below c^2 for "
                       "the first few times 1/(1 - alpha) steps.")
    for slip, message in EMA_SLIPS:
        if all(close(g, slip(*case), rtol=1e-9, atol=1e-15)
               for g, case in zip(got, cases)):
            return hint(message)
    for g, case in zip(got, cases):
        if not close(g, _ema(*case), rtol=1e-9, atol=1e-15):
            c, alpha, t = case
            return hint(f"for c = {c:g}, alpha = {alpha:g}, t = {t} the "
                        f"answer is {_ema(*case):.6g}; yours is {g:.6g}.")


# v, lr, eps: v tiny, v large, v equal to eps, and a larger eps.
EPS_CASES = ((1e-12, 0.01, 1e-8), (1.0, 0.01, 1e-8), (1e-8, 0.1, 1e-8),
             (4.0, 1e-3, 0.25))


def _eps_pair(v, lr, eps):
    return (adaptive.effective_step(v, lr, eps),
            adaptive.effective_step(v, lr, eps, eps_inside=True))


@checked
def check_eps_conventions(eps_steps):
    """Check ``eps_steps(v, lr, eps) -> (outside, inside)``."""
    cases = EPS_CASES
    got = [pair(call(eps_steps, "eps_steps", *case), "eps_steps",
                ("outside", "inside")) for case in cases]

    def agree(a, b):
        return close(a, b, rtol=1e-9, atol=0.0)

    want = [_eps_pair(*case) for case in cases]
    if all(agree(g[0], w[0]) and agree(g[1], w[1])
           for g, w in zip(got, want)):
        return correct("Outside: lr / (sqrt(v) + eps); inside: "
                       "lr / sqrt(v + eps). They agree when v is much "
                       "larger than eps, and part when v is near eps or "
                       "below.")
    if all(agree(g[0], w[1]) and agree(g[1], w[0])
           for g, w in zip(got, want)):
        return hint("the two are swapped: return (outside, inside), "
                    "outside being lr / (sqrt(v) + eps).")
    if all(agree(g[1], lr / (math.sqrt(v) + math.sqrt(eps)))
           for g, (v, lr, eps) in zip(got, cases)):
        return hint("inside: sqrt(v + eps) is not sqrt(v) + sqrt(eps); "
                    "add first, then take the root.")
    if all(agree(g[0], lr / (v + eps)) or agree(g[1], lr / (v + eps))
           for g, (v, lr, eps) in zip(got, cases)):
        return hint("a square root is missing: both conventions divide "
                    "by a root of v.")
    for g, w, (v, lr, eps) in zip(got, want, cases):
        for i, name in enumerate(("outside", "inside")):
            if not agree(g[i], w[i]):
                return hint(f"for v = {v:g}, lr = {lr:g}, eps = {eps:g}, "
                            f"{name} should be {w[i]:.6g}; yours is "
                            f"{g[i]:.6g}.")


__all__ = ["check_rmsprop_step", "check_adagrad_effective", "check_ema",
           "check_eps_conventions", "LearnerError"]
