"""Gradient descent with momentum on a quadratic, where it is exact.

Chapter 4's symbols: ``lr`` is the learning rate eta, ``beta`` the
momentum coefficient (``utils.optimizers.SGD`` calls it ``momentum``),
``lam`` an eigenvalue lambda of the Hessian, ``L`` and ``mu`` the
largest and smallest eigenvalues and ``kappa = L / mu``.

The heavy-ball step (PyTorch's form, ``u <- beta*u + g``,
``theta <- theta - lr*u``, where the velocity u is PyTorch's momentum
buffer) is, written with the iterates alone,

    theta_{t+1} = theta_t - lr*g_t + beta*(theta_t - theta_{t-1}).

On a quadratic each eigencomponent z of the error obeys its own
recursion, ``z_{t+1} = (1 + beta - lr*lam) z_t - beta z_{t-1}``, so one
step multiplies the pair ``(z_t, z_{t-1})`` by the 2x2 matrix of
``iteration_matrix``; its spectral radius is the per-step contraction
of that component. Nesterov's variant has the recursion
``z_{t+1} = (1 - lr*lam) ((1 + beta) z_t - beta z_{t-1})``.

Two ways of writing the velocity are compared by ``run_conventions``:
(A) ``u <- beta*u + g; theta <- theta - lr*u`` and
(B) ``d <- beta*d + lr*g; theta <- theta - d``. They agree while the
learning rate is constant and part ways when it changes.
"""

import math

import numpy as np

from . import _validate
from .optimizers import SGD
from .training import descend


def momentum_coefficient(beta, name="beta"):
    """Return ``beta`` as a float if it lies in [0, 1)."""
    return _validate.fraction(beta, name)


def _eigenvalues(lam):
    lam = _validate.float_array(lam, "lam")
    if np.any(lam <= 0.0):
        raise ValueError("lam must hold positive eigenvalues only")
    return lam


def _coefficients(lr, beta, lam, nesterov):
    """``(a, c)`` of the characteristic polynomial ``r^2 - a r + c``."""
    s = lr * lam
    if nesterov:
        return (1.0 - s) * (1.0 + beta), (1.0 - s) * beta
    return 1.0 + beta - s, beta + 0.0 * s


def iteration_matrix(lr, beta, lam, nesterov=False):
    """The 2x2 matrix taking ``(z_t, z_{t-1})`` to ``(z_{t+1}, z_t)``.

    ``z`` is the error's component along an eigenvector of eigenvalue
    ``lam`` (a number). Heavy ball: ``[[1 + beta - lr*lam, -beta],
    [1, 0]]``; Nesterov (``nesterov=True``): ``[[(1 - lr*lam)(1 +
    beta), -(1 - lr*lam) beta], [1, 0]]``.
    """
    lr = _validate.learning_rate(lr)
    beta = momentum_coefficient(beta)
    lam = float(_eigenvalues(lam))
    a, c = _coefficients(lr, beta, lam, nesterov)
    return np.array([[a, -c], [1.0, 0.0]])


def roots(lr, beta, lam, nesterov=False):
    """The two eigenvalues of ``iteration_matrix``, as complex numbers.

    They solve ``r^2 - a r + c = 0``; ``lam`` may be an array, and the
    result then has a last axis of length 2.
    """
    lr = _validate.learning_rate(lr)
    beta = momentum_coefficient(beta)
    lam = _eigenvalues(lam)
    a, c = _coefficients(lr, beta, lam, nesterov)
    root = np.sqrt((a * a - 4.0 * c).astype(np.complex128))
    return np.stack([(a + root) / 2.0, (a - root) / 2.0], axis=-1)


def spectral_radius(lr, beta, lam, nesterov=False):
    """The larger size of the two roots: the per-step contraction.

    Below 1 exactly when that eigencomponent converges. ``lam`` may be
    a number (returns a float) or an array (returns an array).
    """
    rho = np.abs(roots(lr, beta, lam, nesterov)).max(axis=-1)
    return float(rho) if rho.ndim == 0 else rho


def stability_bound(beta, lam=1.0, nesterov=False):
    """The largest stable learning rate for eigenvalue ``lam``.

    Heavy ball: ``(2 + 2 beta) / lam``; Nesterov:
    ``(2 + 2 beta) / ((1 + 2 beta) lam)``. With ``lam = 1`` this is the
    bound on ``lr * lam`` itself.
    """
    beta = momentum_coefficient(beta)
    lam = _validate.positive_number(lam, "lam")
    limit = 2.0 + 2.0 * beta
    if nesterov:
        limit /= 1.0 + 2.0 * beta
    return limit / lam


def _pair(L, mu):
    L = _validate.positive_number(L, "L")
    mu = _validate.positive_number(mu, "mu")
    if mu > L:
        raise ValueError(f"mu is the smallest eigenvalue and L the "
                         f"largest, so mu <= L; got mu = {mu:g}, "
                         f"L = {L:g}")
    return L, mu


def optimal_params(L, mu):
    """Polyak's best heavy-ball pair for a quadratic: ``(lr, beta)``.

    ``lr = 4 / (sqrt(L) + sqrt(mu))^2`` and
    ``beta = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2``.
    """
    L, mu = _pair(L, mu)
    lr = 4.0 / (math.sqrt(L) + math.sqrt(mu)) ** 2
    return lr, optimal_rate(L, mu) ** 2


def optimal_rate(L, mu):
    """The contraction at ``optimal_params``: ``sqrt(beta)``,
    ``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)``."""
    L, mu = _pair(L, mu)
    root_kappa = math.sqrt(L / mu)
    return (root_kappa - 1.0) / (root_kappa + 1.0)


def worst_radius(lr, beta, L, mu, nesterov=False):
    """The slowest contraction over every eigenvalue in ``[mu, L]``.

    The spectral radius is largest at an end of the interval, or, for
    the heavy ball, equal to ``sqrt(beta)`` in between, so the two ends
    decide: ``max(rho(mu), rho(L))``.
    """
    L, mu = _pair(L, mu)
    return float(spectral_radius(lr, beta, np.array([mu, L]),
                                 nesterov).max())


def best_on_grid(L, mu, lrs, betas):
    """Search a grid of (lr, beta) pairs for the fastest worst contraction.

    Returns ``(rho, lr, beta)``: the smallest ``worst_radius`` over every
    pair of ``lrs`` x ``betas``, and the pair where it is reached. A check
    of Polyak's pair that uses no formula for it.
    """
    L, mu = _pair(L, mu)
    lrs = _validate.float_array(lrs, "lrs", ndim=1)
    betas = _validate.float_array(betas, "betas", ndim=1)
    if np.any(lrs <= 0.0):
        raise ValueError("lrs must hold positive learning rates only")
    if np.any((betas < 0.0) | (betas >= 1.0)):
        raise ValueError("betas must lie in [0, 1)")
    lr, beta = np.meshgrid(lrs, betas, indexing="ij")
    worst = np.zeros_like(lr)
    for lam in (mu, L):
        a, c = _coefficients(lr, beta, lam, False)
        root = np.sqrt((a * a - 4.0 * c).astype(np.complex128))
        rho = np.maximum(np.abs(a + root), np.abs(a - root)) / 2.0
        worst = np.maximum(worst, rho)
    i, j = np.unravel_index(np.argmin(worst), worst.shape)
    return float(worst[i, j]), float(lrs[i]), float(betas[j])


def run(quadratic, lr, beta, steps, theta0, nesterov=False):
    """``steps`` steps of ``SGD(lr, momentum=beta)`` on a ``Quadratic``.

    Returns a ``training.Run``; ``beta = 0`` is plain gradient descent.
    """
    beta = momentum_coefficient(beta)
    optimizer = SGD(lr=lr, momentum=beta, nesterov=nesterov)
    return descend(quadratic.loss, quadratic.grad, theta0, steps, optimizer)


def excess_path(quadratic, run_):
    """``J - J*`` at every row of ``run_.theta`` (inf where not finite)."""
    theta = np.asarray(run_.theta, dtype=np.float64)
    finite = np.all(np.isfinite(theta), axis=1)
    out = np.full(len(theta), np.inf)
    with np.errstate(over="ignore", invalid="ignore"):
        values = quadratic.excess(theta[finite].T)
    out[finite] = np.where(np.isfinite(values), values, np.inf)
    return out


def distances(quadratic, run_):
    """Distance ``|theta_k - theta*|`` at every step of ``run_``."""
    theta = np.asarray(run_.theta, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.linalg.norm(theta - quadratic.theta_star, axis=1)


def measured_rate(quadratic, run_, start, stop):
    """The mean per-step contraction of the distance to the minimum.

    ``(d[stop] / d[start]) ** (1 / (stop - start))``, the geometric mean
    of ``d[k+1] / d[k]`` over the steps from ``start`` to ``stop``.
    """
    start = _validate.count(start, "start", minimum=0)
    stop = _validate.count(stop, "stop", minimum=start + 1,
                           maximum=run_.steps)
    d = distances(quadratic, run_)
    return float((d[stop] / d[start]) ** (1.0 / (stop - start)))


def final_excess(quadratic, lr, beta, steps, theta0, nesterov=False):
    """``J - J*`` after ``steps`` steps; ``inf`` if the run diverged."""
    result = run(quadratic, lr, beta, steps, theta0, nesterov)
    if result.diverged_at is not None:
        return math.inf
    return float(excess_path(quadratic, result)[-1])


# --- two ways to write the velocity ---------------------------------------

def step_decay(lr, steps, drop_at, factor):
    """A learning rate per step: ``lr`` until step ``drop_at``, then
    ``lr * factor``. Entry t is the rate of step t + 1."""
    lr = _validate.learning_rate(lr)
    steps = _validate.count(steps, "steps")
    drop_at = _validate.count(drop_at, "drop_at", minimum=0,
                              maximum=steps)
    factor = _validate.positive_number(factor, "factor")
    lrs = np.full(steps, lr)
    lrs[drop_at:] *= factor
    return lrs


def run_conventions(grad, theta0, lrs, beta):
    """Iterates of momentum written two ways, with a rate per step.

    (A) ``u <- beta*u + g; theta <- theta - lr_t*u`` (``utils.optimizers
    .SGD``, whose ``lr`` is set before each step) and (B) ``d <- beta*d +
    lr_t*g; theta <- theta - d`` with d starting at 0. ``lrs[t]`` is the
    rate of step t + 1. Returns ``(theta_a, theta_b)``, each with one
    row per step and the start in row 0.
    """
    beta = momentum_coefficient(beta)
    lrs = _validate.float_array(lrs, "lrs", ndim=1)
    for i, lr in enumerate(lrs):
        _validate.learning_rate(float(lr), f"lrs[{i}]")
    theta_a = _validate.float_array(theta0, "theta0", ndim=1).copy()
    theta_b = theta_a.copy()
    d = np.zeros_like(theta_b)
    optimizer = SGD(lr=float(lrs[0]), momentum=beta)
    path_a, path_b = [theta_a.copy()], [theta_b.copy()]
    for lr in lrs:
        optimizer.lr = float(lr)
        optimizer.step([theta_a], [np.asarray(grad(theta_a), float)])
        d = beta * d + lr * np.asarray(grad(theta_b), float)
        theta_b = theta_b - d
        path_a.append(theta_a.copy())
        path_b.append(theta_b.copy())
    return np.array(path_a), np.array(path_b)


def step_lengths(thetas):
    """``|theta_{t+1} - theta_t|`` for each step of a path."""
    thetas = np.asarray(thetas, dtype=np.float64)
    return np.linalg.norm(np.diff(thetas, axis=0), axis=1)


def step_ratio_after_drop(k, beta, lr_old, lr_new):
    """Step of (B) over step of (A), ``k`` steps after the rate changed.

    For a constant gradient, after enough steps at ``lr_old`` that both
    velocities have reached their steady state: (A) steps
    ``lr_new * g / (1 - beta)`` at once, while (B) still carries
    ``beta^k`` of its old velocity, so the ratio is
    ``1 + beta^k (lr_old / lr_new - 1)``.
    """
    k = _validate.count(k, "k", minimum=1)
    beta = momentum_coefficient(beta)
    lr_old = _validate.learning_rate(lr_old, "lr_old")
    lr_new = _validate.learning_rate(lr_new, "lr_new")
    return 1.0 + beta ** k * (lr_old / lr_new - 1.0)
