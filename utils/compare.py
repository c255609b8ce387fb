"""A fair comparison of optimizers: one learning-rate sweep each.

Comparing optimizers at one shared learning rate compares learning
rates, not optimizers: on the digits task of Chapter 7 the best rate of
one method is thirty times that of another. So every optimizer here gets

1. the same task, the same starting point (all weights zero), the same
   mini-batches in the same order (one seed, shared by every run) and
   the same budget of mini-batch steps;
2. its own sweep over a grid of learning rates, spaced evenly on a log
   axis;
3. its best rate chosen by the final *training* loss (this is a
   comparison of optimizers, whose job is to lower that loss), taken as
   the mean of the losses recorded during the last epoch, because the
   loss after any single mini-batch step wobbles; and
4. the sweep's run at that rate scored on the test set (a new run with
   the same seed would repeat it exactly, so none is made).

A run whose loss stops being finite stops at that step; the run records
where (``diverged_at``) and its final loss counts as infinite, so it is
never chosen. No numpy warning is printed on the way.

The model is the softmax regression of ``utils.softmax``. The other
hyperparameters of each optimizer are its defaults from
``utils.optimizers`` (PyTorch's), except SGD's momentum coefficient,
which is set to the common 0.9 for the two momentum variants.
"""

import math
from typing import NamedTuple, Optional

import numpy as np

from . import _validate
from . import softmax as sm
from .minibatch import check_batch_size, minibatches
from .optimizers import SGD, AdaGrad, Adam, AdamW, RMSProp

# The momentum coefficient of the two momentum variants of SGD.
MOMENTUM = 0.9

# Name -> a function of the learning rate that returns a new optimizer.
OPTIMIZERS = {
    "SGD": lambda lr: SGD(lr),
    "momentum": lambda lr: SGD(lr, momentum=MOMENTUM),
    "Nesterov": lambda lr: SGD(lr, momentum=MOMENTUM, nesterov=True),
    "AdaGrad": lambda lr: AdaGrad(lr),
    "RMSProp": lambda lr: RMSProp(lr),
    "Adam": lambda lr: Adam(lr),
    "AdamW": lambda lr: AdamW(lr),
}

# The set-up of Chapter 7: nine rates from 1e-3 to 10, half a decade
# apart (each a factor sqrt(10), about 3.16, from the next); 5 epochs
# of mini-batches of 32; one seed for every run.
GRID = 10.0 ** np.linspace(-3.0, 1.0, 9)
EPOCHS = 5
BATCH_SIZE = 32
SEED = 0


def make_optimizer(name, lr):
    """A new optimizer ``name`` (a key of ``OPTIMIZERS``) at ``lr``."""
    if name not in OPTIMIZERS:
        raise ValueError(
            f"name must be one of {', '.join(OPTIMIZERS)}; got {name!r}"
        )
    return OPTIMIZERS[name](_validate.learning_rate(lr, "lr"))


class TrainRun(NamedTuple):
    """The record of one training run.

    ``loss[i]`` is the mean cross-entropy on the whole training set
    after ``steps[i]`` mini-batch steps (``steps[0]`` is 0, the start).
    ``W`` and ``b`` are the parameters at the end. If the loss stopped
    being finite, ``diverged_at`` is the step where that happened, and
    the records end there; otherwise it is ``None``.
    """

    name: str
    lr: float
    steps: np.ndarray
    loss: np.ndarray
    W: np.ndarray
    b: np.ndarray
    diverged_at: Optional[int]
    steps_per_epoch: int

    @property
    def final_loss(self):
        """Mean training loss over the last epoch; infinite if diverged.

        A single loss at the very end depends on the last few
        mini-batches and wobbles from step to step; the mean of the
        losses recorded during the last epoch is a steadier yardstick.
        """
        if self.diverged_at is not None:
            return math.inf
        last = self.steps > self.steps[-1] - self.steps_per_epoch
        return float(np.mean(self.loss[last]))

    @property
    def last_loss(self):
        """The training loss after the last step (NaN or inf if diverged)."""
        return float(self.loss[-1])

    @property
    def epochs(self):
        """``steps`` counted in epochs (passes over the training set)."""
        return self.steps / self.steps_per_epoch

    def summary(self):
        """One line saying how the run ended."""
        if self.diverged_at is not None:
            return (f"{self.name} at lr = {self.lr:.3g}: diverged at step "
                    f"{self.diverged_at}")
        return (f"{self.name} at lr = {self.lr:.3g}: mean training loss "
                f"{self.final_loss:.4f} over the last epoch, after "
                f"{self.steps[-1]} steps")


def steps_per_epoch(n, batch_size):
    """Mini-batches in one epoch of ``n`` samples (the last may be short)."""
    n = _validate.count(n, "n", minimum=1)
    return -(-n // check_batch_size(batch_size, n))


def train(name, lr, X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, seed=SEED,
          record_every=1):
    """Train softmax regression with optimizer ``name`` at ``lr``.

    W and b start at zero. Each epoch shuffles the training set with
    ``default_rng(seed)`` (the same order for every run with the same
    seed) and takes one step per mini-batch. The training loss on all of
    ``X`` is recorded at the start, every ``record_every`` steps and
    after the last step. Returns a ``TrainRun``.
    """
    optimizer = make_optimizer(name, lr)
    X = _validate.float_array(X, "X", ndim=2)
    y = np.asarray(y)
    n = X.shape[0]
    if y.shape != (n,):
        raise ValueError(
            f"y must hold one label per row of X; got shapes {y.shape} "
            f"and {X.shape}"
        )
    epochs = _validate.count(epochs, "epochs", minimum=1)
    batch_size = check_batch_size(batch_size, n)
    record_every = _validate.count(record_every, "record_every", minimum=1)
    rng = np.random.default_rng(seed)
    W = np.zeros((X.shape[1], sm.CLASSES))
    b = np.zeros(sm.CLASSES)
    steps, losses = [0], [sm.cross_entropy(W, b, X, y)]
    diverged_at = None
    t = 0
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            for batch in minibatches(n, batch_size, rng):
                batch_loss, dW, db = sm.loss_and_grad(W, b, X[batch],
                                                      y[batch])
                if not math.isfinite(batch_loss):
                    # the parameters after step t already give a
                    # loss that is not finite
                    diverged_at = t
                    break
                optimizer.step([W, b], [dW, db])
                t += 1
                if t % record_every == 0:
                    steps.append(t)
                    losses.append(sm.cross_entropy(W, b, X, y))
                    if not math.isfinite(losses[-1]):
                        diverged_at = t
                        break
            if diverged_at is not None:
                break
        if diverged_at is None and steps[-1] != t:
            steps.append(t)
            losses.append(sm.cross_entropy(W, b, X, y))
            if not math.isfinite(losses[-1]):
                diverged_at = t
        if diverged_at is not None and steps[-1] != diverged_at:
            steps.append(diverged_at)
            losses.append(sm.cross_entropy(W, b, X, y))
    return TrainRun(name, float(lr), np.array(steps, dtype=np.int64),
                    np.array(losses, dtype=np.float64), W, b, diverged_at,
                    steps_per_epoch(n, batch_size))


class Sweep(NamedTuple):
    """One optimizer's runs over a grid of learning rates.

    ``final_loss[i]`` is the final training loss of ``runs[i]``, at
    ``lrs[i]``, infinite for a run that diverged.
    """

    name: str
    lrs: np.ndarray
    runs: tuple
    final_loss: np.ndarray

    @property
    def best_index(self):
        """Position of the lowest final loss (the first, on a tie)."""
        return best_index(self.final_loss)

    @property
    def best_lr(self):
        """The learning rate with the lowest final loss."""
        return float(self.lrs[self.best_index])

    @property
    def best_loss(self):
        """The lowest final loss of the sweep."""
        return float(self.final_loss[self.best_index])


def sweep(name, X, y, lrs=GRID, epochs=EPOCHS, batch_size=BATCH_SIZE,
          seed=SEED, record_every=1):
    """Run ``train`` once per learning rate in ``lrs``; return a Sweep.

    Every run uses the same seed, so the same mini-batches in the same
    order.
    """
    lrs = _lr_grid(lrs)
    runs = tuple(train(name, lr, X, y, epochs, batch_size, seed,
                       record_every) for lr in lrs)
    final = np.array([r.final_loss for r in runs], dtype=np.float64)
    return Sweep(name, lrs, runs, final)


def best_index(final_loss):
    """Position of the lowest finite value; ties go to the first.

    NaN and infinite values (diverged runs) are never chosen; if every
    value is one of those, there is no best and ``ValueError`` says so.
    """
    final_loss = np.asarray(final_loss, dtype=np.float64)
    if final_loss.ndim != 1 or final_loss.size == 0:
        raise ValueError(
            f"final_loss must be a non-empty 1-D array; got shape "
            f"{final_loss.shape}"
        )
    finite = np.isfinite(final_loss)
    if not finite.any():
        raise ValueError("every run diverged: there is no best lr; "
                         "extend the grid to smaller learning rates")
    return int(np.argmin(np.where(finite, final_loss, np.inf)))


def good_range(lrs, final_loss, factor=2.0):
    """The learning rates whose final loss is within ``factor`` of the best.

    Returns ``(low, high)``: the ends of the unbroken run of grid
    points around the best one whose final loss is at most ``factor``
    times the best. A grid point outside that run does not count, even
    if its loss happens to be low.
    """
    lrs = _lr_grid(lrs)
    final_loss = np.asarray(final_loss, dtype=np.float64)
    _validate.same_shape(lrs, final_loss, "lrs", "final_loss")
    factor = _validate.positive_number(factor, "factor")
    if factor < 1.0:
        raise ValueError(f"factor must be at least 1; got {factor!r}")
    best = best_index(final_loss)
    good = np.isfinite(final_loss) & (
        final_loss <= factor * final_loss[best])
    low = high = best
    while low > 0 and good[low - 1]:
        low -= 1
    while high < lrs.size - 1 and good[high + 1]:
        high += 1
    return float(lrs[low]), float(lrs[high])


def decades(low, high):
    """Width of the range ``[low, high]`` in decades, ``log10(high/low)``."""
    low = _validate.positive_number(low, "low")
    high = _validate.positive_number(high, "high")
    return math.log10(high / low)


class Comparison(NamedTuple):
    """The result of ``compare``: sweeps, best runs, test accuracy."""

    sweeps: dict
    finals: dict
    test_accuracy: dict

    def table(self):
        """Rows ``(name, best lr, final loss, test accuracy)``."""
        return [(name, s.best_lr, self.finals[name].final_loss,
                 self.test_accuracy[name])
                for name, s in self.sweeps.items()]


def compare(task, names=tuple(OPTIMIZERS), lrs=GRID, epochs=EPOCHS,
            batch_size=BATCH_SIZE, seed=SEED, record_every=5):
    """Sweep each optimizer and score its best run on the test set.

    ``task`` is a ``softmax.Task``. Every run records the training loss
    every ``record_every`` steps. ``finals[name]`` is the sweep's run at
    the best rate (``sweeps[name].runs[sweeps[name].best_index]``); its
    final weights are scored on the test set. Returns a ``Comparison``.
    """
    names = tuple(names)
    if not names:
        raise ValueError("names must name at least one optimizer")
    for name in names:
        make_optimizer(name, 1.0)  # an unknown name fails here, early
    sweeps, finals, accuracy = {}, {}, {}
    for name in names:
        s = sweep(name, task.X_train, task.y_train, lrs, epochs,
                  batch_size, seed, record_every)
        final = s.runs[s.best_index]
        sweeps[name], finals[name] = s, final
        accuracy[name] = sm.accuracy(final.W, final.b, task.X_test,
                                     task.y_test)
    return Comparison(sweeps, finals, accuracy)


def _lr_grid(lrs):
    lrs = _validate.float_array(lrs, "lrs", ndim=1)
    if np.any(lrs <= 0.0):
        raise ValueError("lrs must hold positive learning rates only")
    if np.any(np.diff(lrs) <= 0.0):
        raise ValueError("lrs must be in increasing order")
    return lrs


__all__ = [
    "MOMENTUM", "OPTIMIZERS", "GRID", "EPOCHS", "BATCH_SIZE", "SEED",
    "make_optimizer", "TrainRun", "steps_per_epoch", "train", "Sweep",
    "sweep", "best_index", "good_range", "decades", "Comparison",
    "compare",
]
