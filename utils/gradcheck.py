"""Finite-difference gradients, to check a derivative worked out by hand."""

import numpy as np

from . import _validate


def numerical_gradient(f, theta, h=1e-6):
    """Central-difference gradient of the scalar function ``f`` at ``theta``.

    Component k is ``(f(theta + h e_k) - f(theta - h e_k)) / (2 h)``, whose
    error shrinks like ``h**2`` until rounding takes over (near h = 1e-5
    for float64 and a well-scaled ``f``).
    """
    theta = _validate.float_array(theta, "theta", ndim=1)
    h = _validate.positive_number(h, "h")
    grad = np.empty_like(theta)
    for k in range(theta.size):
        step = np.zeros_like(theta)
        step[k] = h
        grad[k] = (f(theta + step) - f(theta - step)) / (2.0 * h)
    return grad
