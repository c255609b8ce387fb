"""Training loops that record every step and stop cleanly on divergence.

A run whose loss becomes NaN or infinite stops at that step and records
it in ``Run.diverged_at``; numpy's overflow warnings are silenced inside
the loop, because the run itself reports what happened.
"""

from typing import NamedTuple, Optional

import numpy as np

from . import _validate, linear
from .optimizers import SGD


class Run(NamedTuple):
    """The record of one optimisation run.

    ``theta[k]`` holds the parameters after k steps (row 0 is the start)
    and ``loss[k]`` the loss there. If the loss stopped being finite,
    ``diverged_at`` is the step where that happened and the arrays end
    with that step; otherwise it is ``None``.
    """

    theta: np.ndarray
    loss: np.ndarray
    diverged_at: Optional[int]

    @property
    def steps(self):
        """Number of steps taken."""
        return len(self.loss) - 1

    def summary(self):
        """One line saying how the run ended."""
        if self.diverged_at is not None:
            return (
                f"diverged at step {self.diverged_at}: the loss became "
                f"{self.loss[-1]} (last finite loss "
                f"{_last_finite(self.loss):.4g})"
            )
        return f"{self.steps} steps, final loss {self.loss[-1]:.6g}"


def _last_finite(loss):
    finite = loss[np.isfinite(loss)]
    return finite[-1] if finite.size else float("nan")


def _evaluate(f, theta):
    try:
        return float(f(theta))
    except OverflowError:
        return float("inf")


def descend(loss, grad, theta0, steps, optimizer):
    """Run ``steps`` steps of ``optimizer`` on ``loss`` from ``theta0``.

    ``loss(theta)`` returns a number and ``grad(theta)`` an array shaped
    like ``theta``. Returns a ``Run``.
    """
    theta = _validate.float_array(theta0, "theta0", ndim=1).copy()
    steps = _validate.count(steps, "steps", minimum=0)
    thetas = [theta.copy()]
    losses = [_evaluate(loss, theta)]
    diverged_at = None
    with np.errstate(over="ignore", invalid="ignore"):
        if not np.isfinite(losses[0]):
            raise ValueError("the loss at theta0 is not finite")
        for k in range(1, steps + 1):
            g = np.asarray(grad(theta), dtype=np.float64)
            optimizer.step([theta], [g])
            thetas.append(theta.copy())
            losses.append(_evaluate(loss, theta))
            if not np.isfinite(losses[-1]):
                diverged_at = k
                break
    return Run(np.array(thetas), np.array(losses), diverged_at)


def gradient_descent(loss, grad, theta0, lr, steps):
    """Plain gradient descent: ``theta <- theta - lr * grad(theta)``."""
    return descend(loss, grad, theta0, steps, SGD(lr=lr))


def fit_linear(x, y, lr, steps, w0=0.0, b0=0.0):
    """Gradient descent on the mean squared error of ``w * x + b``.

    Returns a ``Run`` whose ``theta`` rows are ``(w, b)``.
    """
    x, y = _validate.xy(x, y)
    theta0 = [_validate.real_number(w0, "w0"),
              _validate.real_number(b0, "b0")]

    def loss(theta):
        return linear.mse(theta[0], theta[1], x, y)

    def grad(theta):
        return np.array(linear.mse_grad(theta[0], theta[1], x, y))

    return gradient_descent(loss, grad, theta0, lr, steps)
