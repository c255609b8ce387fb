"""The course's model: one weight ``w``, one bias ``b``, and its cost.

    prediction  y_hat_i = w * x_i + b
    cost        J(w, b) = (1/n) * sum_i (y_hat_i - y_i) ** 2

These functions take the data as arguments, never from globals. ``w``
and ``b`` must each be one real number; an infinite or NaN parameter
is allowed and gives a cost that is not finite, which is how a training
loop sees that a run diverged.
"""

import numpy as np

from . import _validate


def _parameters(w, b):
    return (_validate.real_number(w, "w", finite=False),
            _validate.real_number(b, "b", finite=False))


def predict(w, b, x):
    """Return ``w * x + b`` for each input in ``x``."""
    w, b = _parameters(w, b)
    return w * _validate.float_array(x, "x", allow_empty=True) + b


def mse(w, b, x, y):
    """Mean squared error J(w, b) of the line ``w * x + b`` on (x, y)."""
    w, b = _parameters(w, b)
    x, y = _validate.xy(x, y)
    residual = w * x + b - y
    return float(np.mean(residual ** 2))


def mse_grad(w, b, x, y):
    """Return ``(dJ/dw, dJ/db)`` of the mean squared error at (w, b)."""
    w, b = _parameters(w, b)
    x, y = _validate.xy(x, y)
    residual = w * x + b - y
    return float(2.0 * np.mean(residual * x)), float(2.0 * np.mean(residual))


def mse_hessian(x):
    """Return the 2x2 Hessian of J over (w, b); it depends on x only."""
    x = _validate.float_array(x, "x", ndim=1)
    mean_x = np.mean(x)
    return 2.0 * np.array([[np.mean(x * x), mean_x], [mean_x, 1.0]])


def least_squares(x, y):
    """Return the exact minimiser ``(w_star, b_star)`` of J."""
    x, y = _validate.xy(x, y)
    if np.all(x == x[0]):
        raise ValueError("x must not be constant: then w is not determined")
    x_c = x - x.mean()
    w_star = np.sum(x_c * (y - y.mean())) / np.sum(x_c * x_c)
    b_star = y.mean() - w_star * x.mean()
    return float(w_star), float(b_star)
