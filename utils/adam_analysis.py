"""What Chapter 6 measures about Adam: bias correction, scale, decay.

``utils.optimizers.Adam`` and ``AdamW`` are the optimizers the course
uses. This module adds what the chapter needs around them:

- the closed forms of bias correction: the weights of a moving average
  started at zero, the factor ``1 - beta^t`` they add up to, and the size
  of Adam's step for a constant gradient with and without correcting
  each moment;
- ``AblatedAdam``, Adam with either correction switched off, which
  ``torch.optim`` does not offer, so that the ablation can be run;
- the runs behind the chapter's figures: the ablation on the penguin
  model, and weight decay on two weights whose gradients are noise.

Symbols as in ``utils.optimizers``: ``lr`` is eta, ``beta1`` and
``beta2`` the decay rates of m and v, ``eps`` epsilon, ``t`` the step
counted from 1, ``weight_decay`` lambda (PyTorch's name for the decay
coefficient; not an eigenvalue here).
"""

import math

import numpy as np

from . import _validate
from .optimizers import Adam, AdamW
from .quadratic import linear_cost
from .training import descend


def moment_weights(t, beta):
    """Weights of g_1 .. g_t in a moving average started at zero.

    After t steps of ``m <- beta*m + (1 - beta)*g`` from ``m = 0``,
    ``m = sum_{i=1}^{t} w_i g_i`` with ``w_i = (1 - beta) beta^(t - i)``.
    Returns ``w`` as an array of length t, oldest gradient first.
    """
    t = _validate.count(t, "t")
    beta = _validate.fraction(beta, "beta")
    i = np.arange(1, t + 1)
    return (1.0 - beta) * beta ** (t - i)


def correction_factor(t, beta):
    """``1 - beta^t``: what the weights of ``moment_weights`` add up to.

    ``t`` may be a whole number or an array of them.
    """
    beta = _validate.fraction(beta, "beta")
    t = np.asarray(t)
    if t.dtype.kind not in "iu" or np.any(t < 1):
        raise ValueError("t must hold whole numbers from 1")
    factor = 1.0 - beta ** t.astype(np.float64)
    return float(factor) if factor.ndim == 0 else factor


def steps_to_reach(fraction, beta):
    """The first t at which ``1 - beta^t`` reaches ``fraction``."""
    fraction = _validate.positive_number(fraction, "fraction")
    if fraction >= 1.0:
        raise ValueError(f"fraction must be below 1; got {fraction!r}")
    beta = _validate.fraction(beta, "beta")
    if beta == 0.0:
        return 1
    # 1 - beta^t >= fraction  <=>  t >= log(1 - fraction) / log(beta)
    t = math.ceil(math.log1p(-fraction) / math.log(beta))
    # the quotient of two rounded logarithms can land one step off
    # when 1 - beta^t is within rounding of fraction; step to the first
    # t that really reaches it
    while 1.0 - beta ** t < fraction:
        t += 1
    while t > 1 and 1.0 - beta ** (t - 1) >= fraction:
        t -= 1
    return max(t, 1)


def constant_gradient_ratio(t, beta1=0.9, beta2=0.999, correct_m=True,
                            correct_v=True):
    """Adam's step divided by lr when every gradient is the same g.

    Then ``m_t = (1 - beta1^t) g`` and ``v_t = (1 - beta2^t) g^2``, so,
    leaving eps out, the step is ``lr * a / sqrt(b)`` with ``a = 1`` if m
    is corrected and ``1 - beta1^t`` if not, and ``b`` likewise for v:
    1 with both corrections, ``(1 - beta1^t) / sqrt(1 - beta2^t)`` with
    none. ``t`` may be an array.
    """
    t = np.asarray(t)
    a = 1.0 if correct_m else correction_factor(t, beta1)
    b = 1.0 if correct_v else correction_factor(t, beta2)
    ratio = a / np.sqrt(b) * np.ones(t.shape)
    return float(ratio) if ratio.ndim == 0 else ratio


def first_step(g, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
               correct_m=True, correct_v=True):
    """The change ``theta_1 - theta_0`` of Adam's first step, closed form.

    At t = 1, ``m = (1 - beta1) g`` and ``v = (1 - beta2) g^2``; the
    corrections divide them by ``1 - beta1`` and ``1 - beta2``.
    """
    g = np.asarray(g, dtype=np.float64)
    m = (1.0 - beta1) * g
    v = (1.0 - beta2) * g * g
    if correct_m:
        m = m / (1.0 - beta1)
    if correct_v:
        v = v / (1.0 - beta2)
    return -lr * m / (np.sqrt(v) + eps)


class AblatedAdam(Adam):
    """Adam with each bias correction on or off, for the ablation.

    At step t, with m and v starting at zero:

        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g^2
        m_hat = m / (1 - beta1^t)      (or m, if not correct_m)
        v_hat = v / (1 - beta2^t)      (or v, if not correct_v)
        theta <- theta - lr * m_hat / (sqrt(v_hat) + eps)

    With both corrections on (the default) this is
    ``utils.optimizers.Adam`` without weight decay, step for step and bit
    for bit. A subclass of ``Adam``, so ``step(params, grads)`` checks
    its arguments as every optimizer of the course does, and ``reset()``
    forgets m, v and t.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                 correct_m=True, correct_v=True):
        super().__init__(lr=lr, beta1=beta1, beta2=beta2, eps=eps)
        self.correct_m = _flag(correct_m, "correct_m")
        self.correct_v = _flag(correct_v, "correct_v")

    def __repr__(self):
        return (f"AblatedAdam(lr={self.lr:g}, beta1={self.beta1:g}, "
                f"beta2={self.beta2:g}, eps={self.eps:g}, "
                f"correct_m={self.correct_m}, correct_v={self.correct_v})")


def _flag(value, name):
    """Return ``value`` if it is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def ablation_runs(x, y, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8,
                  theta0=(0.0, 0.0)):
    """Adam on the penguin model with and without bias correction.

    The cost is Chapter 1's mean squared error of the line through
    ``(x, y)``, ``quadratic.linear_cost(x, y)``, over ``theta = (w, b)``.

    Returns ``{"corrected": run, "uncorrected": run}`` of
    ``training.Run``: the first from ``utils.optimizers.Adam``, the second
    from ``AblatedAdam`` with both corrections off.
    """
    cost = linear_cost(x, y)
    loss, grad = cost.loss, cost.grad
    corrected = Adam(lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    uncorrected = AblatedAdam(lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                              correct_m=False, correct_v=False)
    return {"corrected": descend(loss, grad, theta0, steps, corrected),
            "uncorrected": descend(loss, grad, theta0, steps, uncorrected)}


def step_sizes(theta):
    """``|theta_t - theta_{t-1}|`` per step (rows) and parameter."""
    theta = np.asarray(theta, dtype=np.float64)
    return np.abs(np.diff(theta, axis=0))


def noise_gradients(scales, steps, seed=0):
    """Gradients that are pure noise: ``g_t = scales * xi_t``.

    ``xi_t`` is one standard normal number per step, the same for every
    weight, from ``numpy.random.default_rng(seed)``. Returns an array of
    shape ``(steps, len(scales))``.
    """
    scales = _validate.float_array(scales, "scales", ndim=1)
    steps = _validate.count(steps, "steps")
    xi = np.random.default_rng(seed).standard_normal(steps)
    return xi[:, None] * scales[None, :]


def follow(optimizer, grads, theta0):
    """Apply ``optimizer`` to one parameter array along given gradients.

    ``grads`` has one row per step; the gradient does not depend on
    theta. Returns theta before the first step and after each, one row
    per step (``len(grads) + 1`` rows).
    """
    grads = np.asarray(grads, dtype=np.float64)
    theta = np.array(theta0, dtype=np.float64)
    path = [theta.copy()]
    for g in grads:
        optimizer.step([theta], [g])
        path.append(theta.copy())
    return np.array(path)



DECAY_LABELS = ("Adam, no decay", "Adam, weight_decay (L2)", "AdamW")


def decay_runs(scales, lr, weight_decay, steps, seed=0, theta0=1.0):
    """Adam without decay, Adam with coupled decay, and AdamW.

    Every weight starts at ``theta0`` and sees the noise gradients of
    ``noise_gradients(scales, steps, seed)``. Returns a dict from the
    labels in ``DECAY_LABELS`` to paths of shape
    ``(steps + 1, len(scales))``.
    """
    grads = noise_gradients(scales, steps, seed)
    theta0 = np.full(grads.shape[1], float(theta0))
    optimizers = (Adam(lr=lr),
                  Adam(lr=lr, weight_decay=weight_decay),
                  AdamW(lr=lr, weight_decay=weight_decay))
    return {label: follow(opt, grads, theta0)
            for label, opt in zip(DECAY_LABELS, optimizers)}
