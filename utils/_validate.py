"""Argument checks shared by the public functions of ``utils``.

Each check raises ``ValueError`` with a message that names the argument, so
a learner sees what to fix instead of a traceback from deep inside numpy.
"""

import numbers

import numpy as np


def _zero_dim(value):
    """Unwrap a 0-dimensional numpy array, such as ``np.array(0.1)``."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value


def positive_number(value, name):
    """Return ``value`` as a float if it is a finite number above zero.

    A plain number, a numpy scalar or a 0-dimensional array will do.
    """
    value = _zero_dim(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"{name} must be a positive number; got {_describe(value)}"
        )
    value = _as_float(value, name)
    if not np.isfinite(value) or value <= 0.0:
        raise ValueError(
            f"{name} must be a positive, finite number; got {value!r}"
        )
    return value


def _as_float(value, name):
    """``float(value)``, naming ``name`` if the number is too large."""
    try:
        return float(value)
    except OverflowError:
        raise ValueError(
            f"{name} is too large to be a float; got {_describe(value)}"
        ) from None


def learning_rate(lr, name="lr"):
    """Return a learning rate as a float, or say why it cannot be one."""
    return positive_number(lr, name)


def real_number(value, name, finite=True):
    """Return ``value`` as a float if it is one real number.

    A plain number, a numpy scalar or a 0-dimensional array will do;
    text, booleans and arrays of several entries will not. With
    ``finite=False`` infinity and NaN pass: a diverged parameter has a
    cost, and that cost says the run diverged.
    """
    value = _zero_dim(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        shape = getattr(value, "shape", None)
        extra = f" of shape {shape}" if shape is not None else ""
        raise ValueError(
            f"{name} must be a single real number; got "
            f"{_describe(value)}{extra}"
        )
    value = _as_float(value, name)
    if finite and not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return value


def fraction(value, name):
    """Return ``value`` as a float if it lies in [0, 1).

    The range of every decay rate and momentum coefficient of the course
    (beta, beta1, beta2, alpha): at 1 nothing is ever forgotten.
    """
    value = real_number(value, name)
    if not 0.0 <= value < 1.0:
        raise ValueError(
            f"{name} must be at least 0 and below 1; got {value!r}"
        )
    return value


def count(value, name, minimum=1, maximum=None):
    """Return ``value`` if it is a whole number in [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(
            f"{name} must be a whole number; got {value!r} "
            f"of type {type(value).__name__}"
        )
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be at most {maximum}; got {value}")
    return value


def float_array(value, name, ndim=None, allow_empty=False):
    """Return ``value`` as a float64 array of finite numbers.

    Text, objects and NaN or infinite entries are rejected with a message
    naming ``name``. ``ndim`` fixes the number of dimensions when given.
    """
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must hold numbers only; got {_describe(value)}"
        ) from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(
            f"{name} must be a {ndim}-dimensional array; "
            f"got shape {array.shape}"
        )
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty: it must hold at least one value")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} holds NaN or infinite values")
    return array


def same_shape(a, b, name_a, name_b):
    """Raise unless arrays ``a`` and ``b`` have the same shape."""
    if np.shape(a) != np.shape(b):
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape; "
            f"got {np.shape(a)} and {np.shape(b)}"
        )


def xy(x, y):
    """Return the data ``(x, y)`` as two 1-D float arrays of one length.

    The check every function taking the course's regression data makes:
    finite numbers, one dimension, the same number of entries.
    """
    x = float_array(x, "x", ndim=1)
    y = float_array(y, "y", ndim=1)
    same_shape(x, y, "x", "y")
    return x, y


def _describe(value):
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} of type {type(value).__name__}"
