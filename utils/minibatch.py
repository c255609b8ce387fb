"""Mini-batches, their gradients and stochastic gradient descent.

Randomness always comes from a ``numpy.random.Generator`` passed in by
the caller (``numpy.random.default_rng(seed)``); nothing here touches
numpy's global random state, so a seed fixes every number.

- ``minibatches``: the index arrays of one epoch, freshly shuffled;
- ``minibatch_grad``: the gradient of the mean squared error of the
  line ``w * x + b`` on one batch, the mean of the per-sample gradients;
- ``sgd_linear``: SGD on that model, through an optimizer of
  ``utils.optimizers``, recording the loss on the full data after every
  step and the number of samples processed so far (a ``training.Run``
  with two more records);
- ``batch_gradients``, ``measured_variance``, ``predicted_variance``
  and ``log_log_slope``: the noise of a mini-batch gradient, measured
  and predicted.

Variance of a mini-batch gradient
---------------------------------
Let ``g_i`` be the gradient of sample i's squared error and ``g`` their
mean, the full gradient. A batch of B distinct samples drawn at random
without replacement has mean ``g_B``, with ``E[g_B] = g`` and

    E ||g_B - g||^2 = (sigma2 / B) * (n - B) / (n - 1),

where ``sigma2 = (1/n) sum_i ||g_i - g||^2`` (divisor n). The factor
``(n - B) / (n - 1)`` is the finite-population correction: it is 1 for
B = 1, close to 1 for B much smaller than n, and 0 for B = n, where the
batch is the whole data set. ``predicted_variance`` uses this formula;
the 1/B law holds exactly for ``variance * (n - 1) / (n - B)``.
"""

import numpy as np

from . import _validate, linear, quadratic
from .optimizers import SGD
from .training import Run


def check_rng(rng, name="rng"):
    """Return ``rng`` if it is a ``numpy.random.Generator``."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"{name} must be a numpy.random.Generator, such as "
            f"numpy.random.default_rng(0); got {type(rng).__name__}"
        )
    return rng


def check_batch_size(batch_size, n, name="batch_size"):
    """Return ``batch_size`` if it is a whole number from 1 to ``n``."""
    return _validate.count(batch_size, name, minimum=1, maximum=n)


def minibatches(n, batch_size, rng, drop_last=False):
    """Return an iterator over the index arrays of one epoch of ``n``.

    The indices ``0 .. n-1`` are shuffled with ``rng`` and cut into
    consecutive batches of ``batch_size``. Every index appears exactly
    once in the epoch. When ``batch_size`` does not divide ``n``, the
    last batch holds the ``n % batch_size`` samples left over; with
    ``drop_last=True`` it is left out instead (those samples then miss
    this epoch, and every batch has the same size). Call again for the
    next epoch: ``rng`` has moved on, so the order is new.

    The arguments are checked, and the order drawn, when this function
    is called, not when the first batch is asked for.
    """
    n = _validate.count(n, "n", minimum=1)
    batch_size = check_batch_size(batch_size, n)
    rng = check_rng(rng)
    order = rng.permutation(n)
    stop = n - n % batch_size if drop_last else n
    return _batches(order, batch_size, stop)


def _batches(order, batch_size, stop):
    for start in range(0, stop, batch_size):
        yield order[start:start + batch_size]


def per_sample_grads(w, b, x, y):
    """Return an (n, 2) array: row i is sample i's ``(dJ/dw, dJ/db)``.

    Sample i's loss is ``(w x_i + b - y_i) ** 2``; the full gradient of
    the mean squared error is the mean of these rows.
    """
    x, y = _validate.xy(x, y)
    residual = w * x + b - y
    return 2.0 * np.column_stack([residual * x, residual])


def minibatch_grad(w, b, x, y, batch):
    """Return ``(dJ/dw, dJ/db)`` of the mean squared error on ``batch``.

    ``batch`` holds indices into ``x`` and ``y``; the result is the mean
    over the batch of the per-sample gradients. With all n indices it is
    the full gradient.
    """
    x, y = _validate.xy(x, y)
    batch = _indices(batch, x.size)
    xb, yb = x[batch], y[batch]
    residual = w * xb + b - yb
    return (float(2.0 * np.mean(residual * xb)),
            float(2.0 * np.mean(residual)))


def _indices(batch, n):
    batch = np.asarray(batch)
    if batch.ndim != 1 or batch.size == 0:
        raise ValueError(
            f"batch must be a non-empty 1-dimensional array of indices; "
            f"got shape {batch.shape}"
        )
    if not np.issubdtype(batch.dtype, np.integer):
        raise ValueError(
            f"batch must hold whole-number indices; got dtype {batch.dtype}"
        )
    if batch.min() < 0 or batch.max() >= n:
        raise ValueError(f"batch holds indices outside 0 .. {n - 1}")
    return batch


def lr_at(lr0, k, k0=None):
    """The learning rate of step k (k = 0 is the first step).

    Constant ``lr0`` when ``k0`` is None, otherwise the decaying
    ``lr0 / (1 + k / k0)``: after k0 steps it is half of ``lr0``.
    """
    if k0 is None:
        return lr0
    return lr0 / (1.0 + k / k0)


class SGDRun(Run):
    """The record of one run of ``sgd_linear``: a ``training.Run`` with
    two more records.

    As in ``Run``, ``theta[k]`` holds ``(w, b)`` after k steps (row 0 is
    the start), ``loss[k]`` the mean squared error on the full data
    there, and ``diverged_at`` the step where the loss stopped being
    finite, or ``None``. Besides, ``samples[k]`` is the number of samples
    whose gradients were computed in the first k steps, and ``lr[k]``
    the learning rate of step k + 1. It unpacks, compares and prints as
    the ``Run`` ``(theta, loss, diverged_at)``.
    """

    def __new__(cls, theta, loss, diverged_at, samples=None, lr=None):
        run = super().__new__(cls, theta, loss, diverged_at)
        run.samples = samples
        run.lr = lr
        return run

    def summary(self):
        """One line saying how the run ended, with the samples read."""
        if self.diverged_at is not None:
            return super().summary()
        return (f"{self.steps} steps, {self.samples[-1]} samples, "
                f"final loss {self.loss[-1]:.6g}")


def full_excess_function(x, y):
    """Return ``excess(w, b) = J(w, b) - J*`` in a few operations.

    J is a quadratic in (w, b) (Chapter 2), so ``J - J* = 1/2 e^T H e``
    with ``e = (w, b) - (w*, b*)``. Written with the Cholesky factor R
    of H (``H = R^T R``) as ``1/2 ||R e||^2``, a sum of squares, it is
    never negative, even where rounding would make ``J - J*`` so; and
    each call costs O(1), not a pass over the data.
    """
    cost = quadratic.linear_cost(x, y)
    (r00, r01), (_, r11) = np.linalg.cholesky(cost.A).T
    w_star, b_star = (float(v) for v in cost.theta_star)

    def excess(w, b):
        e_w, e_b = w - w_star, b - b_star
        return float(0.5 * ((r00 * e_w + r01 * e_b) ** 2
                            + (r11 * e_b) ** 2))

    return excess


def full_loss_function(x, y):
    """Return ``loss(w, b)``, the full-data MSE in a few operations.

    ``J* + excess(w, b)``, with the minimum J* computed once and
    ``excess`` from ``full_excess_function``: each call costs O(1), and
    ``loss(w, b) - J*`` is never negative.
    """
    x, y = _validate.xy(x, y)
    J_star = linear.mse(*linear.least_squares(x, y), x, y)
    excess = full_excess_function(x, y)

    def loss(w, b):
        return J_star + excess(w, b)

    return loss


def sgd_linear(x, y, lr, batch_size, steps, rng, k0=None, w0=0.0,
               b0=0.0, drop_last=False, optimizer=None):
    """Mini-batch SGD on the mean squared error of ``w * x + b``.

    Each step takes the next batch from ``minibatches(n, batch_size,
    rng, drop_last)``, starting a new shuffled epoch when one runs out,
    computes the mini-batch gradient ``g_B`` and hands it to
    ``optimizer.step``. The optimizer defaults to ``optimizers.SGD(lr)``,
    whose step is ``theta <- theta - lr_k * g_B``; before step k its
    ``lr`` is set to ``lr_at(lr, k, k0)``, so ``lr`` and ``k0`` set the
    schedule of any optimizer passed in. ``batch_size = n`` is full-batch
    gradient descent; ``batch_size = 1`` is single-sample SGD. A run
    whose loss becomes NaN or infinite stops at that step, without a
    warning. Returns an ``SGDRun``.
    """
    x, y = _validate.xy(x, y)
    n = x.size
    lr = _validate.learning_rate(lr, "lr")
    batch_size = check_batch_size(batch_size, n)
    steps = _validate.count(steps, "steps", minimum=0)
    rng = check_rng(rng)
    if k0 is not None:
        k0 = _validate.positive_number(k0, "k0")
    theta = np.array([_validate.real_number(w0, "w0"),
                      _validate.real_number(b0, "b0")])
    if optimizer is None:
        optimizer = SGD(lr)
    elif (isinstance(optimizer, type)
          or not callable(getattr(optimizer, "step", None))):
        raise ValueError(
            f"optimizer must be an object with a step(params, grads) "
            f"method, such as utils.optimizers.SGD(lr); got "
            f"{optimizer!r}"
        )
    loss = full_loss_function(x, y)
    thetas, losses = [theta.copy()], [loss(*theta)]
    samples, rates = [0], []
    diverged_at = None
    batches = iter(())
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(steps):
            batch = next(batches, None)
            if batch is None:
                batches = minibatches(n, batch_size, rng, drop_last)
                batch = next(batches)
            w, b = theta
            xb, yb = x[batch], y[batch]
            residual = w * xb + b - yb
            grad = np.array([2.0 * np.mean(residual * xb),
                             2.0 * np.mean(residual)])
            optimizer.lr = lr_at(lr, k, k0)
            optimizer.step([theta], [grad])
            rates.append(optimizer.lr)
            thetas.append(theta.copy())
            losses.append(loss(*theta))
            samples.append(samples[-1] + batch.size)
            if not np.isfinite(losses[-1]):
                diverged_at = k + 1
                break
    return SGDRun(np.array(thetas), np.array(losses, dtype=np.float64),
                  diverged_at, np.array(samples, dtype=np.int64),
                  np.array(rates, dtype=np.float64))


def batch_gradients(w, b, x, y, batch_size, rng, batches):
    """Return ``batches`` mini-batch gradients as a (batches, 2) array.

    The batches are those SGD would see: consecutive epochs of
    ``minibatches(..., drop_last=True)``, so every batch holds exactly
    ``batch_size`` distinct samples.
    """
    grads = per_sample_grads(w, b, x, y)
    n = grads.shape[0]
    batch_size = check_batch_size(batch_size, n)
    batches = _validate.count(batches, "batches", minimum=1)
    rng = check_rng(rng)
    per_epoch = n // batch_size
    epochs = -(-batches // per_epoch)
    index = np.concatenate([
        np.stack(list(minibatches(n, batch_size, rng, drop_last=True)))
        for _ in range(epochs)
    ])[:batches]
    return grads[index].mean(axis=1)


def measured_variance(w, b, x, y, batch_size, rng, batches=2000):
    """Mean of ``||g_B - g||^2`` over ``batches`` mini-batch gradients."""
    full = per_sample_grads(w, b, x, y).mean(axis=0)
    grads = batch_gradients(w, b, x, y, batch_size, rng, batches)
    return float(np.mean(np.sum((grads - full) ** 2, axis=1)))


def sample_variance(w, b, x, y):
    """``sigma2 = (1/n) sum_i ||g_i - g||^2``, the single-sample noise."""
    grads = per_sample_grads(w, b, x, y)
    return float(np.mean(np.sum((grads - grads.mean(axis=0)) ** 2,
                                axis=1)))


def correction(n, batch_size):
    """The finite-population correction ``(n - B) / (n - 1)``."""
    n = _validate.count(n, "n", minimum=2)
    batch_size = check_batch_size(batch_size, n)
    return (n - batch_size) / (n - 1)


def predicted_variance(w, b, x, y, batch_size):
    """``E||g_B - g||^2 = sigma2 / B * (n - B) / (n - 1)``.

    Exact for a batch of ``batch_size`` distinct samples drawn uniformly
    at random (without replacement).
    """
    sigma2 = sample_variance(w, b, x, y)
    n = np.size(x)
    return sigma2 / batch_size * correction(n, batch_size)


def log_log_slope(batch_sizes, variances):
    """Least-squares slope of ``log(variances)`` against ``log(B)``."""
    batch_sizes = _validate.float_array(batch_sizes, "batch_sizes", ndim=1)
    variances = _validate.float_array(variances, "variances", ndim=1)
    _validate.same_shape(batch_sizes, variances, "batch_sizes", "variances")
    if batch_sizes.size < 2 or np.any(batch_sizes <= 0) or np.any(
            variances <= 0):
        raise ValueError("need at least two positive batch sizes and "
                         "positive variances to fit a slope")
    slope, _ = np.polyfit(np.log(batch_sizes), np.log(variances), 1)
    return float(slope)


def plateau(run, last):
    """Mean loss over the ``last`` steps of ``run``, where SGD settles."""
    last = _validate.count(last, "last", minimum=1, maximum=run.steps)
    return float(np.mean(run.loss[-last:]))


def predicted_noise_ball(x, y, lr):
    """J - J* at which single-sample SGD settles, in a model of it.

    The model draws one sample at each step, with replacement (simpler to
    work out than shuffled epochs). With a_i = (x_i, 1), the error
    e = theta - theta* then moves as e <- (I - lr A_i) e + lr xi_i, where
    A_i = 2 a_i a_i^T and xi_i is sample i's gradient at theta*: the kicks
    grow as theta strays. The covariance P of e settles where

        P = mean_i[(I - lr A_i) P (I - lr A_i)] + lr^2 mean_i[xi_i xi_i^T],

    a linear equation for P, and then J - J* = tr(H P) / 2.
    """
    x, y = _validate.xy(x, y)
    lr = _validate.learning_rate(lr)
    w_star, b_star = linear.least_squares(x, y)
    a = np.column_stack([x, np.ones_like(x)])
    xi = 2.0 * a * (a @ [w_star, b_star] - y)[:, None]
    H = 2.0 * a.T @ a / x.size
    steps = [np.eye(2) - lr * 2.0 * np.outer(r, r) for r in a]
    M = sum(np.kron(S, S) for S in steps) / x.size
    noise = lr ** 2 * xi.T @ xi / x.size
    P = np.linalg.solve(np.eye(4) - M, noise.ravel()).reshape(2, 2)
    return float(0.5 * np.trace(H @ P))


def samples_to_reach(run, level):
    """Samples processed when the loss first fell to ``level`` or below.

    Returns ``None`` if the run never got there.
    """
    below = np.flatnonzero(np.asarray(run.loss) <= level)
    return int(run.samples[below[0]]) if below.size else None


__all__ = [
    "minibatches", "per_sample_grads", "minibatch_grad", "lr_at",
    "SGDRun", "full_loss_function", "full_excess_function",
    "sgd_linear", "batch_gradients",
    "measured_variance", "sample_variance", "correction",
    "predicted_variance", "log_log_slope", "plateau", "check_rng",
    "check_batch_size", "samples_to_reach", "predicted_noise_ball",
]
