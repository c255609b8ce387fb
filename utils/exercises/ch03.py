"""Checks for the exercises of Chapter 3, stochastic gradient descent.

Each check takes the learner's answer and returns a ``Feedback``; it
never raises. The hints name the usual slips: an epoch that misses
samples or repeats them, numpy's global random state, no shuffle, a sum
instead of a mean over the batch, the full data instead of the batch,
the standard deviation instead of the variance.
"""

import numpy as np

from .. import linear, minibatch
from ..data import PENGUIN_ROWS, flipper_and_mass
from ._feedback import (LearnerError, call, checked, close, correct, hint,
                        number, pair, plural)

# (n, batch_size) cases for the iterator: one where the batch size
# divides n and one that leaves a smaller last batch.
EPOCH_CASES = ((12, 4), (10, 3))


def _global_state():
    state = np.random.get_state()
    return state[0], state[1].copy(), state[2], state[3], state[4]


def _same_state(a, b):
    return (a[0] == b[0] and np.array_equal(a[1], b[1])
            and a[2:] == b[2:])


def _epoch(fn, n, batch_size, seed):
    """Call the learner's iterator; return its batches as int arrays.

    numpy's global random state is put back afterwards, whatever the
    learner's code did to it; ``touched`` says whether it changed.
    """
    before = _global_state()
    np.random.seed(12345)  # a known state, to see whether it moves
    known = _global_state()
    try:
        result = call(fn, "my_minibatches", n, batch_size,
                      np.random.default_rng(seed))
        batches = _as_batches(result, n)
        touched = not _same_state(known, _global_state())
    finally:
        np.random.set_state(before)
    return batches, touched


def _as_batches(result, n):
    if result is None:
        raise LearnerError("my_minibatches returned None; did you forget "
                           "a return statement?")
    if isinstance(result, np.ndarray) and result.ndim == 1:
        raise LearnerError("my_minibatches returned one array; return a "
                           "list of index arrays, one per batch.")
    try:
        batches = list(result)
    except NotImplementedError:
        raise LearnerError("my_minibatches still raises "
                           "NotImplementedError; replace that line with "
                           "your code.") from None
    except Exception as error:  # a generator may raise anything
        raise LearnerError(
            f"going through the batches of my_minibatches raised "
            f"{type(error).__name__}: {error}") from None
    if not batches:
        raise LearnerError("my_minibatches returned no batches.")
    checked_batches = []
    for i, batch in enumerate(batches):
        batch = np.asarray(batch)
        if batch.ndim != 1 or batch.size == 0:
            raise LearnerError(
                f"batch {i} should be a non-empty 1-D array of indices; "
                f"got shape {batch.shape}")
        if not np.issubdtype(batch.dtype, np.integer):
            if not (np.issubdtype(batch.dtype, np.floating)
                    and np.all(batch == np.round(batch))):
                raise LearnerError(
                    f"batch {i} should hold whole-number indices; got "
                    f"dtype {batch.dtype}")
            batch = batch.astype(np.int64)
        if batch.min() < 0 or batch.max() >= n:
            raise LearnerError(
                f"batch {i} holds an index outside 0 .. {n - 1}; index "
                f"the samples from 0 to n - 1.")
        checked_batches.append(batch)
    return checked_batches


@checked
def check_minibatches(my_minibatches):
    """Check ``my_minibatches(n, batch_size, rng) -> list of arrays``."""
    for n, batch_size in EPOCH_CASES:
        batches, touched = _epoch(my_minibatches, n, batch_size, seed=1)
        if touched:
            return hint("your function used numpy's global random state "
                        "(np.random.shuffle, np.random.permutation, ...). "
                        "Draw from the rng passed in: "
                        "rng.permutation(n).")
        seen = np.concatenate(batches)
        counts = np.bincount(seen, minlength=n)
        if np.any(counts > 1):
            return hint("some samples appear more than once in the epoch. "
                        "Drawing indices one by one (rng.integers, or "
                        "rng.choice with replacement) repeats some and "
                        "misses others; shuffle all n indices once with "
                        "rng.permutation(n) and cut that.")
        missed = int(np.sum(counts == 0))
        if missed:
            extra = ""
            if missed == n % batch_size:
                last = ("the last one is" if missed == 1
                        else f"the last {missed} are")
                extra = (f" Here {last} missing: keep the smaller last "
                         f"batch (range(0, n, batch_size) goes up to n).")
            never = "never appears" if missed == 1 else "never appear"
            return hint(f"not every sample is visited: with n = {n} and "
                        f"batch_size = {batch_size}, "
                        f"{plural(missed, 'index', 'indices')} {never}."
                        f"{extra}")
        sizes = [b.size for b in batches]
        want = [batch_size] * (n // batch_size)
        if n % batch_size:
            want.append(n % batch_size)
        if sizes != want:
            return hint(f"with n = {n} and batch_size = {batch_size} the "
                        f"batch sizes should be {want}; yours are "
                        f"{sizes}.")
        if np.array_equal(seen, np.arange(n)):
            return hint("the batches take the samples in their stored "
                        "order; shuffle the indices first with "
                        "rng.permutation(n), or an epoch sees the data "
                        "sorted as it is in the file.")
        again, _ = _epoch(my_minibatches, n, batch_size, seed=1)
        other, _ = _epoch(my_minibatches, n, batch_size, seed=2)
        if not np.array_equal(np.concatenate(again), seen):
            return hint("two generators with the same seed gave different "
                        "orders; draw every random number from the rng "
                        "passed in, so a seed repeats a run.")
        if np.array_equal(np.concatenate(other), seen):
            return hint("generators with different seeds gave the same "
                        "order: the shuffle ignores the rng passed in "
                        "(did you make a new default_rng inside?).")
    return correct("Every sample is visited once per epoch, in an order "
                   "that comes from the rng passed in, and the last "
                   "batch holds what is left over.")


def _batch_cases(n):
    rng = np.random.default_rng(3)
    return ((0.0, 0.0, rng.permutation(n)[:16]),
            (0.5, 3.0, rng.permutation(n)[:5]),
            (-1.0, 5.0, rng.permutation(n)[:40]))


@checked
def check_batch_gradient(my_batch_gradient):
    """Check ``my_batch_gradient(w, b, x, y, batch) -> (dJ_dw, dJ_db)``."""
    x, y = flipper_and_mass()
    for w, b, batch in _batch_cases(x.size):
        got = pair(call(my_batch_gradient, "my_batch_gradient", w, b, x,
                        y, batch.copy()),
                   "my_batch_gradient", ("dJ_dw", "dJ_db"),
                   samples=batch.size)
        want = minibatch.minibatch_grad(w, b, x, y, batch)
        if close(got[0], want[0]) and close(got[1], want[1]):
            continue
        full = linear.mse_grad(w, b, x, y)
        if close(got[0], full[0]) and close(got[1], full[1]):
            return hint("that is the gradient on the full data. Pick the "
                        "batch's samples first: xb, yb = x[batch], "
                        "y[batch].")
        if close(got[0], want[1]) and close(got[1], want[0]):
            return hint("the two components are swapped; return "
                        "(dJ_dw, dJ_db) in that order.")
        size = batch.size
        for k, name in enumerate(("dJ_dw", "dJ_db")):
            if close(got[k], want[k]):
                continue
            ratio = got[k] / want[k] if want[k] != 0 else np.nan
            if close(ratio, size):
                return hint(f"{name} is B = {size} times too large: you "
                            f"summed over the batch; take the mean "
                            f"(np.mean), so the step does not grow with "
                            f"the batch size.")
            if close(ratio, size / x.size):
                return hint(f"{name} is divided by n = {x.size} instead of "
                            f"the batch size B = {size}: average over the "
                            f"batch.")
            if close(ratio, -1.0):
                return hint(f"{name} has the wrong sign. The residual is "
                            f"prediction minus target, (w x_i + b) - y_i.")
            if close(ratio, 0.5):
                return hint(f"{name} is half the right value: keep the "
                            f"factor 2 from the derivative of the square.")
        return hint(
            f"at w = {w}, b = {b} on a batch of {batch.size} samples the "
            f"gradient should be ({want[0]:.6f}, {want[1]:.6f}); yours "
            f"gives ({got[0]:.6f}, {got[1]:.6f}).")
    return correct("Your gradient is the mean of the per-sample gradients "
                   "over the batch, checked on three batches.")


# Exercise 3.3: the batch grows from FROM_B to TO_B on the 342 penguins.
FROM_B, TO_B = 4, 16
N_PENGUINS = PENGUIN_ROWS


def variance_factors():
    """Return the factor of the 1/B law and the exact one."""
    law = FROM_B / TO_B
    exact = law * (minibatch.correction(N_PENGUINS, TO_B)
                   / minibatch.correction(N_PENGUINS, FROM_B))
    return law, exact


@checked
def check_variance_factor(variance_factor):
    """Check the predicted factor by which the variance changes."""
    got = number(variance_factor, "variance_factor")
    law, exact = variance_factors()
    if close(got, exact, rtol=2e-3):
        return correct(f"The 1/B law gives {law:g}, and the correction "
                       f"(n - B)/(n - 1) makes it {exact:.4f}: a little "
                       f"less, because B = {TO_B} is a larger share of "
                       f"the data.")
    if close(got, law, rtol=2e-3):
        return correct(f"Four times the batch, a quarter of the variance. "
                       f"With the finite-population correction the exact "
                       f"factor is {exact:.4f}.")
    if close(got, 1.0 / law, rtol=2e-3) or close(got, 1.0 / exact,
                                                 rtol=2e-3):
        return hint("the variance shrinks as the batch grows; you gave "
                    "the factor upside down.")
    if close(got, np.sqrt(law), rtol=2e-3):
        return hint("that is how the typical distance (the standard "
                    "deviation) changes; the variance is its square.")
    if close(got, law ** 2, rtol=2e-3):
        return hint("the variance of a mean falls like 1/B, not 1/B^2.")
    if close(got, 1.0):
        return hint("the variance does change with B; look at the table "
                    "of Section 3.5.")
    if abs(got / law - 1.0) < 0.1 or abs(got / exact - 1.0) < 0.1:
        return hint(f"close, but {got:.4g} looks measured: the table's "
                    f"variances carry sampling noise. Give the factor the "
                    f"1/B law predicts (with the correction, for full "
                    f"marks).")
    return hint("the variance of a mean of B samples is sigma^2 / B "
                "(times the correction); divide the value for B = 16 by "
                "the value for B = 4.")


__all__ = ["check_minibatches", "check_batch_gradient",
           "check_variance_factor", "variance_factors", "LearnerError"]
