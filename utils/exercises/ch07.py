"""Checks for the exercises of Chapter 7, choosing an optimizer.

Each check takes the learner's answer and returns a ``Feedback``; it
never raises. The hints name the usual slips: a softmax that overflows
or normalises the wrong axis, a gradient summed instead of averaged,
without the one-hot subtraction or transposed, and a best learning rate
read off a sweep that holds NaN.
"""

import numbers

import numpy as np

from .. import softmax as sm
from ._feedback import LearnerError, call, checked, correct, hint

# --- Exercise 7.1: a stable softmax -----------------------------------

# Scores of moderate size, and scores large enough that exp overflows.
SMALL_SCORES = np.array([[1.0, 2.0, 3.0, 0.5],
                         [-1.0, 0.0, 4.0, 2.0],
                         [0.3, 0.3, 0.3, 0.3]])
LARGE_SCORES = np.array([[1000.0, 1001.0, 999.0, 990.0],
                         [-800.0, -799.0, -805.0, -790.0]])


def _array(value, name, shape):
    """Return ``value`` as a float array of ``shape``, or explain."""
    if value is None:
        raise LearnerError(f"{name} is None; did you forget a return "
                           f"statement?")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise LearnerError(f"{name} should be an array of numbers; got "
                           f"{type(value).__name__}") from None
    if array.shape != shape:
        extra = ""
        if array.shape == shape[::-1]:
            extra = " It looks transposed."
        raise LearnerError(f"{name} should have shape {shape}; yours "
                           f"has shape {array.shape}.{extra}")
    return array


@checked
def check_softmax(my_softmax):
    """Check ``my_softmax(z) -> probabilities``, one row per sample."""
    for z in (SMALL_SCORES, LARGE_SCORES):
        got = _array(call(my_softmax, "my_softmax", z),
                     "the result of my_softmax", z.shape)
        want = sm.softmax(z)
        if np.allclose(got, want, rtol=1e-9, atol=1e-12):
            continue
        if not np.all(np.isfinite(got)):
            return hint("some probabilities are NaN or infinite: exp "
                        "overflows above about 709. Subtract each row's "
                        "largest score first (z - z.max(axis=1, "
                        "keepdims=True)); the softmax does not change.")
        if np.allclose(got, np.log(want), rtol=1e-9, atol=1e-9):
            return hint("those are the logarithms of the probabilities "
                        "(a log-softmax); the softmax itself is "
                        "exp(z) / sum(exp(z)).")
        if np.allclose(got.sum(axis=0), 1.0) and not np.allclose(
                got.sum(axis=1), 1.0):
            return hint("your columns sum to 1, not your rows: normalise "
                        "along axis=1, with keepdims=True so the sum "
                        "lines up with each row.")
        if not np.allclose(got.sum(axis=1), 1.0):
            return hint("each row should sum to 1: divide exp(z) by its "
                        "row sum.")
        return hint(f"for the scores {np.round(z[0], 2).tolist()} the "
                    f"probabilities should be "
                    f"{np.round(want[0], 4).tolist()}; yours are "
                    f"{np.round(got[0], 4).tolist()}.")
    return correct("Your softmax matches, even for scores near 1000, "
                   "where a plain exp would overflow.")


# --- Exercise 7.2: the gradient of the cross-entropy ------------------

def gradient_case():
    """A batch of 40 scaled digits and a small random model."""
    task = sm.digits_task()
    rng = np.random.default_rng(7)
    rows = rng.choice(task.X_train.shape[0], size=40, replace=False)
    W = rng.normal(scale=0.1, size=(sm.PIXELS, sm.CLASSES))
    b = rng.normal(scale=0.1, size=sm.CLASSES)
    return W, b, task.X_train[rows], task.y_train[rows]


def _gradient_pair(value):
    if value is None:
        raise LearnerError("my_gradient returned None; did you forget a "
                           "return statement?")
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise LearnerError("my_gradient should return two arrays, "
                           "(dW, db)")
    return value


def _close(a, b):
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-7,
                                              atol=1e-10)


@checked
def check_cross_entropy_grad(my_gradient):
    """Check ``my_gradient(W, b, X, y) -> (dW, db)``."""
    W, b, X, y = gradient_case()
    n = X.shape[0]
    got_W, got_b = _gradient_pair(call(my_gradient, "my_gradient", W, b,
                                       X, y))
    want_W, want_b = sm.cross_entropy_grad(W, b, X, y)
    got_W = _array(got_W, "dW from my_gradient", want_W.shape)
    P = sm.softmax(sm.scores(W, b, X))
    Y = sm.one_hot(y)
    if not _close(got_W, want_W):
        if _close(got_W, n * want_W):
            return hint(f"dW is n = {n} times too large: you summed over "
                        f"the batch; divide by the number of samples, as "
                        f"the loss is a mean.")
        if _close(got_W, -want_W):
            return hint("dW has the wrong sign: the gradient of the "
                        "scores is p - onehot(y), probabilities minus "
                        "targets.")
        if _close(got_W, X.T @ P / n):
            return hint("you left out the one-hot targets: the gradient "
                        "of the scores is P - Y, not P alone.")
        if _close(got_W, X.T @ (sm.scores(W, b, X) - Y) / n):
            return hint("you used the scores z where the probabilities "
                        "p = softmax(z) belong: the gradient of the "
                        "scores is softmax(z) - onehot(y).")
        return hint("dW should be X.T @ (P - Y) / n, with P the softmax "
                    "probabilities and Y the one-hot labels; compare "
                    "your code with the derivation, term by term.")
    got_b = _array(got_b, "db from my_gradient", want_b.shape)
    if not _close(got_b, want_b):
        if _close(got_b, n * want_b):
            return hint(f"db is n = {n} times too large: take the mean "
                        f"of P - Y over the samples, not the sum.")
        if _close(got_b, -want_b):
            return hint("db has the wrong sign: it is the mean of "
                        "P - Y over the samples.")
        return hint("db should be the mean over the samples (axis=0) of "
                    "P - Y; it has one entry per class.")
    return correct("Your dW and db match the gradient of the mean "
                   "cross-entropy on a batch of 40 digits.")


# --- Exercise 7.3: the best learning rate of a sweep ------------------

# A colleague's sweep of one optimizer: the final training loss at each
# learning rate; NaN where the run diverged.
SWEEP_LRS = np.array([1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1])
SWEEP_LOSS = np.array([0.912, 0.584, 0.301, 0.187, 0.243, np.nan,
                       np.nan])


def sweep_table():
    """The sweep of Exercise 7.3 as ``(lrs, final_loss)`` copies."""
    return SWEEP_LRS.copy(), SWEEP_LOSS.copy()


@checked
def check_best_lr(best_lr):
    """Check the learning rate read off ``sweep_table()``."""
    if best_lr is None:
        return hint("best_lr is None; set it to a learning rate from the "
                    "table.")
    if isinstance(best_lr, np.ndarray) and best_lr.shape == ():
        best_lr = best_lr.item()
    if isinstance(best_lr, bool) or not isinstance(best_lr, numbers.Real):
        return hint(f"best_lr should be one number, a learning rate; "
                    f"got {type(best_lr).__name__}")
    value = float(best_lr)
    finite = np.isfinite(SWEEP_LOSS)
    best = int(np.argmin(np.where(finite, SWEEP_LOSS, np.inf)))
    if not np.isfinite(value):
        return hint(f"best_lr is {value}: pick a learning rate from the "
                    f"table, not a loss.")
    if np.isclose(value, SWEEP_LRS[best], rtol=1e-9, atol=0.0):
        return correct(f"lr = {value:g} has the lowest final loss, "
                       f"{SWEEP_LOSS[best]:.3f}. np.argmin would have "
                       f"returned the position of the first NaN; "
                       f"np.nanargmin, or replacing NaN by inf, skips "
                       f"the runs that diverged.")
    if value in set(SWEEP_LOSS[finite]):
        return hint("that is a loss from the table; answer with the "
                    "learning rate where the loss is lowest.")
    if value == int(value) and 0 <= value < SWEEP_LRS.size:
        return hint("that looks like a position in the table; answer "
                    "with the learning rate itself, lrs[i].")
    match = np.flatnonzero(np.isclose(SWEEP_LRS, value, rtol=1e-9,
                                      atol=0.0))
    if match.size == 0:
        return hint("that rate is not in the table; pick one of its "
                    "learning rates.")
    i = int(match[0])
    if not finite[i]:
        return hint("that run diverged: its loss is NaN. Beware: "
                    "np.argmin returns the position of the first NaN; "
                    "use np.nanargmin, or replace NaN by np.inf first.")
    if i == int(np.flatnonzero(finite)[-1]):
        return hint("the largest rate that did not diverge is not "
                    "always the best; compare the losses.")
    return hint(f"at lr = {value:g} the final loss is {SWEEP_LOSS[i]:.3f}; "
                f"another rate in the table does better.")


__all__ = ["check_softmax", "check_cross_entropy_grad", "check_best_lr",
           "sweep_table", "gradient_case", "LearnerError"]
