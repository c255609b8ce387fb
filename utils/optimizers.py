"""Optimizers with one interface: ``opt.step(params, grads)``.

``params`` is a list of float numpy arrays, updated in place; ``grads``
is a list of arrays of the same shapes, the gradient of the loss with
respect to each parameter. Pass the same list, in the same order, at
every step: any state an optimizer keeps is stored per position.

The update rules follow the definitions in PyTorch's ``torch.optim``
documentation, so that what the course teaches carries over.
"""

import numpy as np

from . import _validate


class Optimizer:
    """Base class: validates a step, then updates each parameter."""

    def step(self, params, grads):
        """Update every array in ``params`` in place from ``grads``."""
        params, grads = _checked(params, grads)
        for i, (p, g) in enumerate(zip(params, grads)):
            self._update(i, p, g)

    def _update(self, i, p, g):
        raise NotImplementedError


class SGD(Optimizer):
    """Plain gradient descent: ``p <- p - lr * g``.

    This is ``torch.optim.SGD`` with its default momentum of zero and no
    weight decay.
    """

    def __init__(self, lr):
        self.lr = _validate.learning_rate(lr, "lr")

    def __repr__(self):
        return f"SGD(lr={self.lr:g})"

    def _update(self, i, p, g):
        p -= self.lr * g


def _checked(params, grads):
    if not isinstance(params, (list, tuple)):
        raise ValueError(
            "params must be a list of numpy arrays; got "
            f"{type(params).__name__}"
        )
    if not isinstance(grads, (list, tuple)):
        raise ValueError(
            "grads must be a list of numpy arrays; got "
            f"{type(grads).__name__}"
        )
    if len(params) != len(grads):
        raise ValueError(
            f"params and grads must have the same length; got "
            f"{len(params)} and {len(grads)}"
        )
    checked = []
    for i, (p, g) in enumerate(zip(params, grads)):
        if not (isinstance(p, np.ndarray)
                and np.issubdtype(p.dtype, np.floating)):
            raise ValueError(
                f"params[{i}] must be a numpy array of floats, which can "
                f"be updated in place; got {_kind(p)}"
            )
        g = np.asarray(g)
        if not np.issubdtype(g.dtype, np.number):
            raise ValueError(f"grads[{i}] must hold numbers; got {_kind(g)}")
        _validate.same_shape(g, p, f"grads[{i}]", f"params[{i}]")
        checked.append(g)
    return params, checked


def _kind(value):
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype}"
    return f"a value of type {type(value).__name__}"
