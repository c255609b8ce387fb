"""Softmax regression: the classifier of Chapter 7.

A sample is a row ``x`` of 64 pixel values; the model scores each of the
10 classes with ``z = x @ W + b`` (W is 64 x 10, b has 10 entries: 650
parameters) and turns the scores into probabilities with the softmax,

    p_c = exp(z_c) / sum_j exp(z_j).

The loss is the mean cross-entropy over the samples, ``-log p_y`` for a
sample of label y. Its gradient with respect to the scores is
``p - onehot(y)``, per sample, so for a batch of n samples

    dJ/dW = X^T (P - Y) / n,        dJ/db = sum over rows of (P - Y) / n,

with P the n x 10 probabilities and Y the one-hot labels.

Numerical care
--------------
``exp`` overflows above about 709, so the softmax and the log-sum-exp
subtract each row's largest score first; both are unchanged by a shift
of the scores, and after it the largest exponent is exp(0) = 1. The loss
is computed as ``logsumexp(z) - z_y``, never as ``-log(softmax)``, which
would take the log of a probability that may have rounded to zero.

Scores that are not finite (weights blown up by a learning rate far too
large) give a NaN or infinite loss, without a warning: the training
loops in ``utils.compare`` stop there and record it.

The data
--------
``digits_task`` loads the 1797 digits, splits them into a training and a
test set with a seeded generator, and scales each pixel with the mean
and standard deviation of the *training* set only, so nothing about the
test set leaks into training.
"""

from typing import NamedTuple

import numpy as np

from . import _validate
from .data import load_digits
from .minibatch import check_rng

CLASSES = 10
PIXELS = 64


def log_sum_exp(z):
    """``log(sum(exp(z)))`` along the last axis, without overflow.

    Returns one value per row of ``z`` (a number for a 1-D ``z``).
    """
    # the classes go first, so that each reduction runs over whole rows
    # of memory: numpy is many times faster that way than along a short
    # last axis
    zt = _classes_first(z)
    with np.errstate(invalid="ignore", over="ignore"):
        top = zt.max(axis=0)
        # a row whose largest score is infinite has no finite result;
        # shifting it by 0 instead of inf avoids inf - inf = NaN
        top = np.where(np.isfinite(top), top, 0.0)
        zt -= top
        np.exp(zt, out=zt)
        return np.log(zt.sum(axis=0)) + top


def softmax(z):
    """Probabilities from scores, along the last axis; rows sum to 1."""
    zt = _classes_first(z)
    with np.errstate(invalid="ignore", over="ignore"):
        # subtracting each row's largest score changes nothing in exact
        # arithmetic, and keeps every exponent at or below exp(0) = 1
        zt -= zt.max(axis=0)
        np.exp(zt, out=zt)
        zt /= zt.sum(axis=0)
    return np.moveaxis(zt, 0, -1)


def _classes_first(z):
    """A float64 copy of ``z`` with its last axis moved to the front.

    Always a copy, which the callers then overwrite: ``z`` itself is
    never changed.
    """
    z = np.asarray(z, dtype=np.float64)
    if z.ndim == 0:
        raise ValueError("z must hold at least one score per row; got a "
                         "single number")
    return np.moveaxis(z, -1, 0).copy(order="C")


def one_hot(y, classes=CLASSES):
    """An (n, classes) array of zeros with a 1 at each label."""
    y = _labels(y, classes)
    out = np.zeros((y.size, classes))
    out[np.arange(y.size), y] = 1.0
    return out


def scores(W, b, X):
    """The scores ``X @ W + b``, one row per sample."""
    with np.errstate(invalid="ignore", over="ignore"):
        return X @ W + b


def cross_entropy(W, b, X, y):
    """Mean cross-entropy ``-log p_y`` of the model ``(W, b)`` on X, y."""
    z = scores(W, b, X)
    y = _labels(y, z.shape[-1])
    with np.errstate(invalid="ignore", over="ignore"):
        return float(np.mean(log_sum_exp(z) - z[np.arange(y.size), y]))


def cross_entropy_grad(W, b, X, y):
    """``(dJ/dW, dJ/db)`` of the mean cross-entropy; shaped like W, b."""
    return loss_and_grad(W, b, X, y)[1:]


def loss_and_grad(W, b, X, y):
    """``(loss, dJ/dW, dJ/db)`` in one pass over X.

    The training loops call this on each mini-batch: the probabilities
    the gradient needs give the loss for free.
    """
    z = scores(W, b, X)
    n = z.shape[0]
    y = _labels(y, z.shape[-1])
    rows = np.arange(n)
    with np.errstate(invalid="ignore", over="ignore"):
        loss = float(np.mean(log_sum_exp(z) - z[rows, y]))
        # dJ/dz = (p - onehot(y)) / n, one row per sample
        dz = softmax(z)
        dz[rows, y] -= 1.0
        dz /= n
        return loss, X.T @ dz, dz.sum(axis=0)


def predict(W, b, X):
    """The most probable class of each row of X."""
    return np.argmax(scores(W, b, X), axis=-1)


def accuracy(W, b, X, y):
    """Fraction of rows of X whose predicted class is the label."""
    y = _labels(y, np.shape(W)[-1])
    return float(np.mean(predict(W, b, X) == y))


# --- flat parameter vectors, for finite differences -------------------

def pack(W, b):
    """W and b as one vector of ``W.size + b.size`` numbers."""
    return np.concatenate([np.ravel(W), np.ravel(b)])


def unpack(theta, features=PIXELS, classes=CLASSES):
    """Undo ``pack``: return ``(W, b)`` from a flat vector."""
    theta = np.asarray(theta, dtype=np.float64)
    size = features * classes
    if theta.shape != (size + classes,):
        raise ValueError(
            f"theta must have {size + classes} entries for a "
            f"{features} x {classes} model; got shape {theta.shape}"
        )
    return theta[:size].reshape(features, classes), theta[size:].copy()


# --- the data ---------------------------------------------------------

class Task(NamedTuple):
    """A classification task, split and scaled; see ``digits_task``."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def train_test_split(X, y, test_fraction, rng):
    """Shuffle the rows with ``rng`` and hold out ``test_fraction``.

    Returns ``(X_train, y_train, X_test, y_test)``; the test set has
    ``round(test_fraction * n)`` rows.
    """
    X = _validate.float_array(X, "X", ndim=2)
    y = np.asarray(y)
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"y must hold one label per row of X; got shapes {y.shape} "
            f"and {X.shape}"
        )
    test_fraction = _validate.positive_number(test_fraction,
                                              "test_fraction")
    if test_fraction >= 1.0:
        raise ValueError(
            f"test_fraction must be below 1; got {test_fraction!r}"
        )
    rng = check_rng(rng)
    n = X.shape[0]
    n_test = int(round(test_fraction * n))
    if not 0 < n_test < n:
        raise ValueError(
            f"test_fraction={test_fraction!r} of {n} rows leaves an "
            f"empty training or test set"
        )
    order = rng.permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


def fit_scaling(X):
    """Per-column mean and scale of X, to standardise features.

    The scale is the standard deviation, or 1 for a column that never
    changes (a pixel that is blank in every image), so that scaling
    leaves such a column at zero instead of dividing by zero.
    """
    X = _validate.float_array(X, "X", ndim=2)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    return mean, np.where(std > 0.0, std, 1.0)


def apply_scaling(X, mean, scale):
    """``(X - mean) / scale``, column by column."""
    return (np.asarray(X, dtype=np.float64) - mean) / scale


def digits_task(test_fraction=0.2, seed=0, path=None):
    """The digits, split with ``default_rng(seed)`` and standardised.

    The mean and scale come from the training rows only and are applied
    to both sets. Returns a ``Task``.
    """
    digits = load_digits(path)
    rng = np.random.default_rng(seed)
    X_train, y_train, X_test, y_test = train_test_split(
        digits.images, digits.digit, test_fraction, rng)
    mean, scale = fit_scaling(X_train)
    return Task(apply_scaling(X_train, mean, scale), y_train,
                apply_scaling(X_test, mean, scale), y_test)


def _labels(y, classes):
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"y must be a 1-D array of whole-number labels; got "
            f"shape {y.shape} and dtype {y.dtype}"
        )
    if y.size and (y.min() < 0 or y.max() >= classes):
        raise ValueError(f"y holds labels outside 0 .. {classes - 1}")
    return y


__all__ = [
    "CLASSES", "PIXELS", "log_sum_exp", "softmax", "one_hot", "scores",
    "cross_entropy", "cross_entropy_grad", "loss_and_grad", "predict",
    "accuracy", "pack", "unpack", "Task", "train_test_split",
    "fit_scaling", "apply_scaling", "digits_task",
]
