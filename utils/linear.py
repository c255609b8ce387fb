"""The course's model: one weight ``w``, one bias ``b``, and its cost.

    prediction  y_hat_i = w * x_i + b
    cost        J(w, b) = (1/n) * sum_i (y_hat_i - y_i) ** 2

These functions take the data as arguments, never from globals.
"""

import numpy as np

from . import _validate


def _data(x, y):
    x = _validate.float_array(x, "x", ndim=1)
    y = _validate.float_array(y, "y", ndim=1)
    _validate.same_shape(x, y, "x", "y")
    return x, y


def predict(w, b, x):
    """Return ``w * x + b`` for each input in ``x``."""
    return w * np.asarray(x, dtype=np.float64) + b


def mse(w, b, x, y):
    """Mean squared error J(w, b) of the line ``w * x + b`` on (x, y)."""
    x, y = _data(x, y)
    residual = w * x + b - y
    return float(np.mean(residual ** 2))


def mse_grad(w, b, x, y):
    """Return ``(dJ/dw, dJ/db)`` of the mean squared error at (w, b)."""
    x, y = _data(x, y)
    residual = w * x + b - y
    return float(2.0 * np.mean(residual * x)), float(2.0 * np.mean(residual))


def mse_hessian(x):
    """Return the 2x2 Hessian of J over (w, b); it depends on x only."""
    x = _validate.float_array(x, "x", ndim=1)
    mean_x = np.mean(x)
    return 2.0 * np.array([[np.mean(x * x), mean_x], [mean_x, 1.0]])


def least_squares(x, y):
    """Return the exact minimiser ``(w_star, b_star)`` of J."""
    x, y = _data(x, y)
    if np.all(x == x[0]):
        raise ValueError("x must not be constant: then w is not determined")
    x_c = x - x.mean()
    w_star = np.sum(x_c * (y - y.mean())) / np.sum(x_c * x_c)
    b_star = y.mean() - w_star * x.mean()
    return float(w_star), float(b_star)
