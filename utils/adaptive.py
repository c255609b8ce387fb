"""Chapter 5: AdaGrad, RMSProp and the step each coordinate takes.

Both optimizers divide the gradient by a root of accumulated squared
gradients, coordinate by coordinate. The factor that multiplies the
gradient at step t is the *effective learning rate* of that coordinate:

    AdaGrad   eta / (sqrt(s_t) + eps),   s_t = s_0 + sum_{k<=t} g_k^2
    RMSProp   eta / (sqrt(v_t) + eps),   v_t = alpha v_{t-1} + (1-alpha) g_t^2

(``eps`` outside the root, as in ``utils.optimizers`` and PyTorch;
``RMSPropEpsInside`` is the other convention, ``eta / sqrt(v_t + eps)``.)

``trace`` runs an optimizer with ``training.descend`` and records, for
every step, the gradient, the accumulator after that step and the
effective learning rate, recomputed from the gradients with the
formulas above, so ``theta_t - theta_{t-1} = -eff_t * g_t``.
"""

import math
from typing import NamedTuple

import numpy as np

from . import _validate
from . import quadratic as quad
from .data import flipper_and_mass, load_penguins
from .optimizers import AdaGrad, Optimizer, RMSProp
from .training import Run, descend


def effective_step(v, lr, eps, eps_inside=False):
    """The factor that multiplies the gradient, for accumulator ``v``.

    ``lr / (sqrt(v) + eps)`` by default (PyTorch's convention), or
    ``lr / sqrt(v + eps)`` with ``eps_inside=True``. ``v`` may be an
    array of non-negative values.
    """
    lr = _validate.learning_rate(lr)
    eps = _validate.positive_number(eps, "eps")
    v = _validate.float_array(v, "v", allow_empty=True)
    if np.any(v < 0.0):
        raise ValueError("v must be non-negative: it is a sum or mean of "
                         "squares")
    if eps_inside:
        step = lr / np.sqrt(v + eps)
    else:
        step = lr / (np.sqrt(v) + eps)
    return float(step) if step.ndim == 0 else step


def ema_from_zero(c2, alpha, t):
    """RMSProp's v after ``t`` steps of a constant ``g^2 = c2``.

    From v_0 = 0, v_t = (1 - alpha) sum_{k=1}^{t} alpha^(t-k) c2
    = c2 (1 - alpha^t). ``t`` may be an array of step counts.
    """
    c2 = _validate.float_array(c2, "c2", ndim=0)
    if c2 < 0.0:
        raise ValueError("c2 is a squared gradient: it must be >= 0")
    alpha = _validate.fraction(alpha, "alpha")
    t = _steps(t)
    value = float(c2) * (1.0 - alpha ** t)
    return float(value) if value.ndim == 0 else value


def time_constant(alpha):
    """``1 / (1 - alpha)``: steps for a weight alpha^k to fall by ~e."""
    alpha = _validate.fraction(alpha, "alpha")
    return 1.0 / (1.0 - alpha)


def _steps(t):
    t = np.asarray(t)
    if t.dtype.kind not in "iu" or np.any(t < 0):
        raise ValueError("t must hold whole numbers of steps, >= 0")
    return t.astype(np.float64)


class RMSPropEpsInside(Optimizer):
    """RMSProp with eps inside the root, the other convention.

        v <- alpha * v + (1 - alpha) * g^2
        theta <- theta - eta * g / sqrt(v + eps)

    No weight decay, momentum or centring: only what Chapter 5 compares.
    """

    def __init__(self, lr=1e-2, alpha=0.99, eps=1e-8):
        super().__init__()
        self.lr = _validate.learning_rate(lr, "lr")
        self.alpha = _validate.fraction(alpha, "alpha")
        self.eps = _validate.positive_number(eps, "eps")

    def __repr__(self):
        return (f"RMSPropEpsInside(lr={self.lr:g}, alpha={self.alpha:g}, "
                f"eps={self.eps:g})")

    def _new_state(self, p):
        state = super()._new_state(p)
        state["v"] = np.zeros_like(p)
        return state

    def _update(self, p, g, state):
        v = state["v"]
        state["t"] += 1
        # v <- alpha * v + (1 - alpha) * g^2
        v *= self.alpha
        v += (1.0 - self.alpha) * g * g
        # theta <- theta - eta * g / sqrt(v + eps)
        p -= self.lr * g / np.sqrt(v + self.eps)


class Trace(NamedTuple):
    """A run with what the optimizer saw at each step.

    Row k-1 of ``grads``, ``acc`` and ``eff`` belongs to step k: the
    gradient g_k, the accumulator (s or v) after step k and the factor
    that multiplied g_k. ``run`` is the ``training.Run``.
    """

    run: Run
    grads: np.ndarray
    acc: np.ndarray
    eff: np.ndarray


def accumulate(grads, optimizer):
    """The accumulator after each step, for a history of gradients.

    ``grads`` has one row per step. AdaGrad: s_0 plus the running sum of
    g^2. RMSProp (either eps convention): the moving average from 0.
    """
    g2 = _validate.float_array(grads, "grads", ndim=2,
                               allow_empty=True) ** 2
    if isinstance(optimizer, AdaGrad):
        return optimizer.initial_accumulator_value + np.cumsum(g2, axis=0)
    if isinstance(optimizer, (RMSProp, RMSPropEpsInside)):
        alpha = optimizer.alpha
        acc = np.empty_like(g2)
        v = np.zeros(g2.shape[1])
        for k, row in enumerate(g2):
            v = alpha * v + (1.0 - alpha) * row
            acc[k] = v
        return acc
    raise ValueError("optimizer must be AdaGrad, RMSProp or "
                     f"RMSPropEpsInside; got {type(optimizer).__name__}")


def trace(loss, grad, theta0, steps, optimizer):
    """Run ``optimizer`` like ``training.descend``; return a ``Trace``.

    Only the plain rules are traced: AdaGrad without lr_decay or weight
    decay, RMSProp without weight decay, momentum or centring.
    """
    _plain(optimizer)
    seen = []

    def recording(theta):
        g = np.array(grad(theta), dtype=np.float64)
        seen.append(g.copy())
        return g

    run = descend(loss, recording, theta0, steps, optimizer)
    grads = np.array(seen).reshape(len(seen), run.theta.shape[1])
    acc = accumulate(grads, optimizer)
    inside = isinstance(optimizer, RMSPropEpsInside)
    eff = effective_step(acc, optimizer.lr, optimizer.eps, inside)
    return Trace(run, grads, acc, np.asarray(eff).reshape(acc.shape))


def _plain(optimizer):
    if isinstance(optimizer, AdaGrad):
        extras = {"lr_decay": optimizer.lr_decay,
                  "weight_decay": optimizer.weight_decay}
    elif isinstance(optimizer, RMSProp):
        extras = {"weight_decay": optimizer.weight_decay,
                  "momentum": optimizer.momentum,
                  "centered": optimizer.centered}
    elif isinstance(optimizer, RMSPropEpsInside):
        extras = {}
    else:
        raise ValueError("optimizer must be AdaGrad, RMSProp or "
                         f"RMSPropEpsInside; got "
                         f"{type(optimizer).__name__}")
    used = [name for name, value in extras.items() if value]
    if used:
        raise ValueError(f"trace follows the plain rule only; switch off "
                         f"{', '.join(used)}")


def uncentred_cost():
    """Chapter 1's cost with x the raw flipper length in cm (not centred).

    A ``Quadratic`` in (w, b); Chapter 2 showed its kappa is about 8e4.
    """
    _, y = flipper_and_mass()
    flipper_cm = load_penguins().flipper_length_mm / 10.0
    return quad.linear_cost(flipper_cm, y)


def diagonal_kappa(A):
    """Condition number left after rescaling each coordinate.

    Dividing coordinate i by sqrt(A_ii) gives the matrix
    A_ij / sqrt(A_ii A_jj), whose diagonal is 1; this returns its
    kappa. A rescaling cannot remove what comes from the off-diagonal.
    """
    A = quad.Quadratic(A).A
    d = np.sqrt(np.diag(A))
    return quad.Quadratic(A / np.outer(d, d)).kappa


def scaled(quadratic, c):
    """``(loss, grad)`` of ``c * f`` for a ``Quadratic`` f: same minimum,
    gradients ``c`` times as large."""
    c = _validate.positive_number(c, "c")

    def loss(theta):
        return c * quadratic.loss(theta)

    def grad(theta):
        return c * quadratic.grad(theta)

    return loss, grad


def adagrad_distance_bound(lr, t):
    """``lr * sum_{k=1}^{t} 1/sqrt(k)``: how far AdaGrad moves a
    coordinate in t steps when its gradient never grows (and eps is
    negligible); below ``lr * (2 sqrt(t) - 1)``."""
    lr = _validate.learning_rate(lr)
    t = _validate.count(t, "t", minimum=0)
    return lr * math.fsum(1.0 / math.sqrt(k) for k in range(1, t + 1))
