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
counted from 1, ``weight_decay`` lambda.
"""

import math
import numbers

import numpy as np

from . import _validate, linear
from .optimizers import Adam, AdamW
from .training import descend

def _beta(value, name):
    """Return ``value`` as a float if it is a number in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number; got {value!r}")
    value = float(value)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be at least 0 and below 1; "
                         f"got {value!r}")
    return value


def moment_weights(t, beta):
    """Weights of g_1 .. g_t in a moving average started at zero.

    After t steps of ``m <- beta*m + (1 - beta)*g`` from ``m = 0``,
    ``m = sum_{i=1}^{t} w_i g_i`` with ``w_i = (1 - beta) beta^(t - i)``.
    Returns ``w`` as an array of length t, oldest gradient first.
    """
    t = _validate.count(t, "t")
    beta = _beta(beta, "beta")
    i = np.arange(1, t + 1)
    return (1.0 - beta) * beta ** (t - i)


def correction_factor(t, beta):
    """``1 - beta^t``: what the weights of ``moment_weights`` add up to.

    ``t`` may be a whole number or an array of them.
    """
    beta = _beta(beta, "beta")
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
    beta = _beta(beta, "beta")
    if beta == 0.0:
        return 1
    # 1 - beta^t >= fraction  <=>  t >= log(1 - fraction) / log(beta)
    t = math.ceil(math.log1p(-fraction) / math.log(beta))
    # guard against rounding at the boundary
    while 1.0 - beta ** t < fraction:
        t += 1
    while t > 1 and 1.0 - beta ** (t - 1) >= fraction:
        t -= 1
    return max(t, 1)


def constant_gradient_ratio(t, beta1=0.9, beta2=0.999, correct_first=True,
                            correct_second=True):
    """Adam's step divided by lr when every gradient is the same g.

    Then ``m_t = (1 - beta1^t) g`` and ``v_t = (1 - beta2^t) g^2``, so,
    leaving eps out, the step is ``lr * a / sqrt(b)`` with ``a = 1`` if m
    is corrected and ``1 - beta1^t`` if not, and ``b`` likewise for v:
    1 with both corrections, ``(1 - beta1^t) / sqrt(1 - beta2^t)`` with
    none. ``t`` may be an array.
    """
    t = np.asarray(t)
    a = 1.0 if correct_first else correction_factor(t, beta1)
    b = 1.0 if correct_second else correction_factor(t, beta2)
    ratio = a / np.sqrt(b) * np.ones(t.shape)
    return float(ratio) if ratio.ndim == 0 else ratio


def first_step(g, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
               correct_first=True, correct_second=True):
    """The change ``theta_1 - theta_0`` of Adam's first step, closed form.

    At t = 1, ``m = (1 - beta1) g`` and ``v = (1 - beta2) g^2``; the
    corrections divide them by ``1 - beta1`` and ``1 - beta2``.
    """
    g = np.asarray(g, dtype=np.float64)
    m = (1.0 - beta1) * g
    v = (1.0 - beta2) * g * g
    if correct_first:
        m = m / (1.0 - beta1)
    if correct_second:
        v = v / (1.0 - beta2)
    return -lr * m / (np.sqrt(v) + eps)


class AblatedAdam:
    """Adam with each bias correction on or off, for the ablation.

    With both on (the default) this is Adam without weight decay, the
    rule of ``utils.optimizers.Adam`` written as in the chapter:

        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g^2
        m_hat = m / (1 - beta1^t)      (or m, if not correct_first)
        v_hat = v / (1 - beta2^t)      (or v, if not correct_second)
        theta <- theta - lr * m_hat / (sqrt(v_hat) + eps)

    Same interface as the optimizers: ``step(params, grads)`` in place,
    ``reset()``.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,
                 correct_first=True, correct_second=True):
        self.lr = _validate.learning_rate(lr, "lr")
        self.beta1 = _beta(beta1, "beta1")
        self.beta2 = _beta(beta2, "beta2")
        self.eps = _validate.positive_number(eps, "eps")
        self.correct_first = bool(correct_first)
        self.correct_second = bool(correct_second)
        self.reset()

    def __repr__(self):
        return (f"AblatedAdam(lr={self.lr:g}, beta1={self.beta1:g}, "
                f"beta2={self.beta2:g}, eps={self.eps:g}, "
                f"correct_first={self.correct_first}, "
                f"correct_second={self.correct_second})")

    def reset(self):
        """Forget m, v and t."""
        self.t = 0
        self.m = None
        self.v = None

    def step(self, params, grads):
        """Update every array in ``params`` in place from ``grads``."""
        if len(params) != len(grads):
            raise ValueError("params and grads must have the same length")
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        t, beta1, beta2 = self.t, self.beta1, self.beta2
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m[...] = beta1 * m + (1 - beta1) * g
            v[...] = beta2 * v + (1 - beta2) * g ** 2
            m_hat = m / (1 - beta1 ** t) if self.correct_first else m
            v_hat = v / (1 - beta2 ** t) if self.correct_second else v
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def penguin_problem(x, y):
    """``(loss, grad)`` of Chapter 1's mean squared error over (w, b)."""
    x = _validate.float_array(x, "x", ndim=1)
    y = _validate.float_array(y, "y", ndim=1)
    _validate.same_shape(x, y, "x", "y")

    def loss(theta):
        return linear.mse(theta[0], theta[1], x, y)

    def grad(theta):
        return np.array(linear.mse_grad(theta[0], theta[1], x, y))

    return loss, grad


def ablation_runs(x, y, lr, steps, beta1=0.9, beta2=0.999, eps=1e-8,
                  theta0=(0.0, 0.0)):
    """Adam on the penguin model with and without bias correction.

    Returns ``{"corrected": run, "uncorrected": run}`` of
    ``training.Run``: the first from ``utils.optimizers.Adam``, the second
    from ``AblatedAdam`` with both corrections off.
    """
    loss, grad = penguin_problem(x, y)
    corrected = Adam(lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    uncorrected = AblatedAdam(lr=lr, beta1=beta1, beta2=beta2, eps=eps,
                              correct_first=False, correct_second=False)
    return {"corrected": descend(loss, grad, theta0, steps, corrected),
            "uncorrected": descend(loss, grad, theta0, steps, uncorrected)}


def step_sizes(theta):
    """``|theta_k - theta_{k-1}|`` per step (rows) and parameter."""
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
