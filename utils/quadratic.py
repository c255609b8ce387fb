"""Gradient descent on a quadratic, where its stability is exact.

A quadratic with minimiser ``theta_star`` and minimum ``f_star``,

    f(theta) = f_star + 1/2 (theta - theta_star)^T A (theta - theta_star),

has the gradient ``A (theta - theta_star)`` and the constant Hessian
``A``. One step of gradient descent multiplies the error's component
along the eigenvector of eigenvalue ``lam`` by ``1 - lr * lam``. So the
whole story of the learning rate is in the eigenvalues of ``A``: the
smallest ``mu``, the largest ``L`` and their ratio ``kappa = L / mu``.

The mean squared error of Chapter 1 is such a quadratic in ``(w, b)``;
``linear_cost`` builds it from the data. ``divergence_threshold`` finds
the largest stable learning rate by running gradient descent on the data,
without using the eigenvalues, so the two can be compared.
"""

import math
from typing import NamedTuple

import numpy as np

from . import _validate, linear
from .training import fit_linear, gradient_descent


class Quadratic:
    """A quadratic ``f_star + 1/2 e^T A e``, ``e = theta - theta_star``.

    ``A`` must be symmetric with positive eigenvalues. ``theta_star``
    defaults to the origin and ``f_star`` to zero.
    """

    def __init__(self, A, theta_star=None, f_star=0.0):
        A = _validate.float_array(A, "A", ndim=2)
        if A.shape[0] != A.shape[1]:
            raise ValueError(f"A must be a square matrix; got shape {A.shape}")
        if not np.allclose(A, A.T, rtol=1e-12, atol=0.0):
            raise ValueError("A must be symmetric, A == A.T")
        eigenvalues = np.linalg.eigvalsh(A)
        if eigenvalues[0] <= 0.0:
            raise ValueError(
                "A must be positive definite; its smallest eigenvalue is "
                f"{eigenvalues[0]:.6g}"
            )
        if theta_star is None:
            theta_star = np.zeros(A.shape[0])
        theta_star = _validate.float_array(theta_star, "theta_star", ndim=1)
        if theta_star.shape != (A.shape[0],):
            raise ValueError(
                f"theta_star must have {A.shape[0]} entries, one per row "
                f"of A; got shape {theta_star.shape}"
            )
        f_star = _validate.float_array(f_star, "f_star", ndim=0)
        self.A = A
        self.theta_star = theta_star
        self.f_star = float(f_star)
        self.eigenvalues = eigenvalues  # ascending

    def __repr__(self):
        return (f"Quadratic(A={self.A.tolist()}, "
                f"theta_star={self.theta_star.tolist()}, "
                f"f_star={self.f_star:g})")

    @property
    def mu(self):
        """The smallest eigenvalue of ``A``: the flattest curvature."""
        return float(self.eigenvalues[0])

    @property
    def L(self):
        """The largest eigenvalue of ``A``: the steepest curvature."""
        return float(self.eigenvalues[-1])

    @property
    def kappa(self):
        """The condition number ``L / mu``."""
        return self.L / self.mu

    def excess(self, theta):
        """``f(theta) - f_star``, computed without cancellation.

        ``theta`` has the parameters along its first axis: shape ``(n,)``
        for one point, ``(n, ...)`` for a grid of points.
        """
        theta = np.asarray(theta, dtype=np.float64)
        shape = (-1,) + (1,) * (theta.ndim - 1)
        error = theta - self.theta_star.reshape(shape)
        value = 0.5 * np.einsum("i...,ij,j...->...", error, self.A, error)
        return float(value) if value.ndim == 0 else value

    def loss(self, theta):
        """``f(theta)``; ``theta`` as in ``excess``."""
        return self.f_star + self.excess(theta)

    def grad(self, theta):
        """``A (theta - theta_star)`` at one point ``theta``."""
        theta = np.asarray(theta, dtype=np.float64)
        return self.A @ (theta - self.theta_star)

    def eigen_components(self, thetas):
        """Coordinates of ``theta - theta_star`` in the eigenbasis of A.

        ``thetas`` is one point or a sequence of points (one per row);
        column i is the component along the eigenvector of the i-th
        smallest eigenvalue.
        """
        _, vectors = np.linalg.eigh(self.A)
        # An eigenvector's sign is arbitrary, and LAPACK builds differ in
        # the one they return. Fix it: the first entry of (nearly) the
        # largest size is positive. "Nearly", because two entries of the
        # same size, as in (1, -1)/sqrt(2), can differ in the last bit.
        size = np.abs(vectors)
        lead = np.argmax(size >= (1.0 - 1e-9) * size.max(axis=0), axis=0)
        signs = np.sign(vectors[lead, np.arange(vectors.shape[1])])
        vectors = vectors * signs
        thetas = np.asarray(thetas, dtype=np.float64)
        return (thetas - self.theta_star) @ vectors

    def descend(self, lr, steps, theta0):
        """Run plain gradient descent on f; returns a ``training.Run``."""
        theta0 = _validate.float_array(theta0, "theta0", ndim=1)
        if theta0.shape != self.theta_star.shape:
            raise ValueError(
                f"theta0 must have {self.theta_star.size} entries, one per "
                f"row of A; got shape {theta0.shape}"
            )
        return gradient_descent(self.loss, self.grad, theta0, lr, steps)


def linear_cost(x, y):
    """The mean squared error of Chapter 1 as a ``Quadratic`` in (w, b).

    J is a polynomial of degree two in (w, b), so it equals
    ``J* + 1/2 e^T H e`` exactly, with ``e = (w, b) - (w*, b*)`` and
    ``H = linear.mse_hessian(x)``.
    """
    w_star, b_star = linear.least_squares(x, y)
    return Quadratic(linear.mse_hessian(x), (w_star, b_star),
                     linear.mse(w_star, b_star, x, y))


def curvatures(hessian):
    """Return ``(mu, L)``, the smallest and largest eigenvalues."""
    quadratic = Quadratic(hessian)
    return quadratic.mu, quadratic.L


def stability_bound(L):
    """The largest stable constant learning rate, ``2 / L``."""
    return 2.0 / _validate.positive_number(L, "L")


def optimal_lr(L, mu):
    """The constant learning rate that converges fastest: ``2/(L+mu)``."""
    L, mu = _curvature_pair(L, mu)
    return 2.0 / (L + mu)


def optimal_factor(L, mu):
    """The contraction factor at ``optimal_lr``: ``(L-mu)/(L+mu)``."""
    L, mu = _curvature_pair(L, mu)
    return (L - mu) / (L + mu)


def step_factor(lr, lam):
    """``1 - lr * lam``: what one step does to an eigencomponent.

    Negative when ``lr * lam > 1``: the component changes sign at every
    step. ``lam`` may be a number or an array of eigenvalues.
    """
    lr = _validate.learning_rate(lr)
    lam = _validate.float_array(lam, "lam")
    if np.any(lam <= 0.0):
        raise ValueError("lam must hold positive eigenvalues only")
    factor = 1.0 - lr * lam
    return float(factor) if factor.ndim == 0 else factor


def contraction_factor(lr, lam):
    """``|1 - lr * lam|``: how much one step shrinks an eigencomponent."""
    factor = step_factor(lr, lam)
    return abs(factor) if isinstance(factor, float) else np.abs(factor)


def convergence_factor(lr, L, mu):
    """The worst contraction factor over all eigendirections.

    The factor ``|1 - lr * lam|`` is largest at one end of the spectrum,
    so this is ``max(|1 - lr mu|, |1 - lr L|)``; below 1 exactly when
    ``0 < lr < 2 / L``.
    """
    L, mu = _curvature_pair(L, mu)
    return max(contraction_factor(lr, mu), contraction_factor(lr, L))


def regime(lr, L):
    """What gradient descent does along the steepest direction.

    ``"monotone"`` for ``lr * L <= 1`` (the factor is in [0, 1)),
    ``"oscillating"`` for ``1 < lr * L < 2`` (factor in (-1, 0): the
    sign flips, the size shrinks), ``"bouncing"`` at exactly ``lr * L ==
    2`` (factor -1) and ``"diverging"`` beyond.
    """
    lr = _validate.learning_rate(lr)
    L = _validate.positive_number(L, "L")
    product = lr * L
    if product <= 1.0:
        return "monotone"
    if product < 2.0:
        return "oscillating"
    if product == 2.0:
        return "bouncing"
    return "diverging"


def steps_needed(eps, L, mu):
    """Steps at ``lr = 2/(L+mu)`` to shrink the distance to the minimum
    by the factor ``eps``, for every start.

    The smallest k with ``((L - mu) / (L + mu)) ** k <= eps``.
    """
    eps = _validate.positive_number(eps, "eps")
    if eps >= 1.0:
        raise ValueError(f"eps must be below 1; got {eps!r}")
    q = optimal_factor(L, mu)
    if q == 0.0:
        return 1
    k = math.ceil(math.log(eps) / math.log(q))
    # The quotient of logarithms is rounded, so at (or an ulp from) an
    # exact power of q the ceiling can be one off either way; settle k
    # on q ** k itself.
    while k > 1 and q ** (k - 1) <= eps:
        k -= 1
    while q ** k > eps:
        k += 1
    return k


def _curvature_pair(L, mu):
    L = _validate.positive_number(L, "L")
    mu = _validate.positive_number(mu, "mu")
    if mu > L:
        raise ValueError(
            f"mu is the smallest eigenvalue and L the largest, so mu <= L; "
            f"got mu = {mu:g}, L = {L:g}"
        )
    return L, mu


# --- measuring the stability limit by running --------------------------

def _start(theta0):
    """``theta0`` as the two floats ``(w0, b0)``."""
    theta0 = _validate.float_array(theta0, "theta0", ndim=1)
    if theta0.shape != (2,):
        raise ValueError(
            f"theta0 must hold the two numbers (w0, b0); got shape "
            f"{theta0.shape}"
        )
    return float(theta0[0]), float(theta0[1])


def final_loss(x, y, lr, steps, theta0=(0.0, 0.0)):
    """Loss of the line after ``steps`` steps of gradient descent.

    The same update as Chapter 1, on the data ``(x, y)``, written for
    speed: no record is kept. Returns ``inf`` as soon as the parameters
    stop being finite; numpy's overflow warnings are silenced, because
    the returned value says what happened.
    """
    x, y = _validate.xy(x, y)
    lr = _validate.learning_rate(lr)
    steps = _validate.count(steps, "steps", minimum=0)
    w, b = _start(theta0)
    scale = 2.0 * lr / x.size  # dJ/dw = (2/n) sum r x, dJ/db = (2/n) sum r
    residual = np.empty_like(x)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            np.multiply(w, x, out=residual)
            residual += b - y
            w, b = (w - scale * float(residual @ x),
                    b - scale * float(residual.sum()))
            if not math.isfinite(w + b):
                return math.inf
        loss = float(np.mean((w * x + b - y) ** 2))
    return loss if math.isfinite(loss) else math.inf


def diverges(x, y, lr, steps, theta0=(0.0, 0.0)):
    """True if ``steps`` steps at ``lr`` end no lower than they started.

    This is what can be seen by running: a learning rate just above the
    limit grows so slowly that a short run cannot tell it apart from one
    just below. More steps sharpen the test.
    """
    x, y = _validate.xy(x, y)
    w0, b0 = _start(theta0)
    start = float(np.mean((w0 * x + b0 - y) ** 2))
    return not final_loss(x, y, lr, steps, theta0) < start


def divergence_threshold(x, y, lo, hi, steps=3000, rtol=1e-6,
                         theta0=(0.0, 0.0)):
    """The learning rate where gradient descent on (x, y) starts to
    diverge, found by bisection on runs of ``steps`` steps.

    ``lo`` must converge and ``hi`` diverge (``diverges``). Halves the
    bracket until it is narrower than ``rtol`` times its lower end and
    returns its midpoint. Uses the runs only, never the Hessian.
    """
    x, y = _validate.xy(x, y)
    lo = _validate.learning_rate(lo, "lo")
    hi = _validate.learning_rate(hi, "hi")
    rtol = _validate.positive_number(rtol, "rtol")
    if not lo < hi:
        raise ValueError(f"lo must be below hi; got lo = {lo}, hi = {hi}")
    if diverges(x, y, lo, steps, theta0):
        raise ValueError(f"lo = {lo} diverges already; choose a smaller lo")
    if not diverges(x, y, hi, steps, theta0):
        raise ValueError(f"hi = {hi} does not diverge; choose a larger hi")
    while hi - lo > rtol * lo:
        mid = 0.5 * (lo + hi)
        if diverges(x, y, mid, steps, theta0):
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


# --- a learning-rate sweep ----------------------------------------------

class Sweep(NamedTuple):
    """Runs of the same budget at several learning rates.

    ``final_loss[i]`` is the loss after the budget at ``lr[i]`` (``inf``
    if the run diverged), ``excess[i]`` the same minus the minimum J*,
    computed without cancellation, and ``diverged_at[i]`` the step where
    the loss stopped being finite (-1 if it never did).
    """

    lr: np.ndarray
    final_loss: np.ndarray
    excess: np.ndarray
    diverged_at: np.ndarray
    steps: int
    start_excess: float


def lr_sweep(x, y, lrs, steps, theta0=(0.0, 0.0)):
    """Run ``training.fit_linear`` for ``steps`` steps at each of ``lrs``."""
    x, y = _validate.xy(x, y)
    lrs = _validate.float_array(lrs, "lrs", ndim=1)
    for i, lr in enumerate(lrs):
        _validate.learning_rate(float(lr), f"lrs[{i}]")
    steps = _validate.count(steps, "steps")
    w0, b0 = _start(theta0)
    cost = linear_cost(x, y)
    final, excess, diverged_at = [], [], []
    for lr in lrs:
        run = fit_linear(x, y, lr=float(lr), steps=steps, w0=w0, b0=b0)
        if run.diverged_at is None:
            final.append(run.loss[-1])
            with np.errstate(over="ignore"):
                excess.append(cost.excess(run.theta[-1]))
            diverged_at.append(-1)
        else:
            final.append(math.inf)
            excess.append(math.inf)
            diverged_at.append(run.diverged_at)
    return Sweep(lrs.copy(), np.array(final), np.array(excess),
                 np.array(diverged_at), steps, cost.excess([w0, b0]))

