"""Figures of Chapter 2: what the learning rate does.

Each function takes its data as arguments and returns a matplotlib
figure; ``utils.plotting.show`` displays it. A ``Quadratic`` (see
``utils.quadratic``) draws the contour lines; a ``training.Run`` the
path. A run whose loss stopped being finite says "diverged at step N".
"""

import matplotlib.pyplot as plt
import numpy as np

from .. import quadratic as quad
from ..training import fit_linear
from . import LOG_TOP, _log_y

# Values are drawn no higher than the top of a log axis.
LOG_CEILING = 10.0 ** LOG_TOP
# A path is drawn until its first point this many half-widths away from
# the centre of the plot; past it the picture would only be a blur.
LEAVE_FACTOR = 1.5


def outcome(quadratic, run):
    """One line saying how ``run`` ended on ``quadratic``.

    "diverged at step N" if the loss stopped being finite, "J - J* grew
    by ..." if it ended above its start, else the final ``J - J*``.
    """
    if run.diverged_at is not None:
        return f"diverged at step {run.diverged_at}"
    start, end = _excess_path(quadratic, run)[[0, -1]]
    if end > start:
        return (f"J - J* grew {_factor(end / start)}-fold in {run.steps} "
                f"steps")
    return f"J - J* = {end:.1e} after {run.steps} steps"


def _factor(ratio):
    """A growth factor as a reader writes it: 3.4, 250, 12,000, 3.1e+07.

    Two significant digits; plain digits up to a million.
    """
    rounded = float(f"{ratio:.2g}")
    if rounded >= 1e6:
        return f"{rounded:.1e}"
    if rounded >= 10:
        return f"{rounded:,.0f}"
    return f"{rounded:g}"


def regimes_figure(quadratic, runs, window=None, title=None,
                   names=("theta[0]", "theta[1]")):
    """Side-by-side panels: each run's path on the contours of f.

    ``runs`` maps a label (the panel's title) to a ``training.Run``
    started at the same point. Under each label, ``outcome`` says how
    the run ended.
    """
    runs = dict(runs)
    if not runs:
        raise ValueError("runs must hold at least one run")
    first = next(iter(runs.values()))
    window = _window(quadratic, first.theta[0], window)
    fig, axes = plt.subplots(1, len(runs), figsize=(3.3 * len(runs), 3.6),
                             squeeze=False, sharey=True)
    for ax, (label, run) in zip(axes[0], runs.items()):
        _contours(ax, quadratic, window)
        _path(ax, run, window)
        ax.set_title(f"{label}\n{outcome(quadratic, run)}", fontsize=10)
        ax.set_xlabel(names[0])
    axes[0, 0].set_ylabel(names[1])
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def descent_figure(quadratic, run, label, window=None,
                   names=("theta[0]", "theta[1]"), unit=None):
    """The path of ``run`` on the contours (left), ``J - J*`` (right).

    ``label`` is the figure's title; the right panel's title is
    ``outcome``, so a diverged run says "diverged at step N" there, and
    its last finite value is a cross. ``unit``, if given, is the unit of
    J, added to the label of its axis.
    """
    window = _window(quadratic, run.theta[0], window)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, 3.8))
    _contours(left, quadratic, window)
    _path(left, run, window)
    left.set_xlabel(names[0])
    left.set_ylabel(names[1])
    left.set_title("path on the contours of J")
    excess = _excess_path(quadratic, run)
    shown = np.isfinite(excess) & (excess > 0)
    steps = np.arange(len(excess))
    line, = right.plot(steps[shown], np.minimum(excess[shown], LOG_CEILING),
                       ".-", ms=3)
    if run.diverged_at is not None and shown.any():
        last = np.flatnonzero(shown)[-1]
        right.plot(steps[last], min(excess[last], LOG_CEILING), "x", ms=10,
                   mew=2, color=line.get_color())
    _log_y(right, excess[shown])
    right.set_xlabel("step k")
    right.set_ylabel(_with_unit("J - J*", unit))
    right.set_title(outcome(quadratic, run))
    fig.suptitle(label)
    fig.tight_layout()
    return fig


def lr_figure(lr, x, y, steps=50, theta0=(0.0, 0.0), window=None):
    """``descent_figure`` for Chapter 1's line fitted at ``lr``.

    Runs ``training.fit_linear`` on ``(x, y)``; the label names the
    learning rate, its regime and the factor ``1 - lr L``. The slider of
    Chapter 2 calls this with one ``lr`` after another.
    """
    cost = quad.linear_cost(x, y)
    run = fit_linear(x, y, lr=lr, steps=steps, w0=theta0[0], b0=theta0[1])
    factor = quad.step_factor(lr, cost.L)
    label = (f"lr = {lr:.3g}: {quad.regime(lr, cost.L)}, "
             f"1 - lr L = {factor:.3g}")
    return descent_figure(cost, run, label, window,
                          names=("w (kg/cm)", "b (kg)"), unit="kg²")


def sweep_figure(sweep, L, mu=None, title=None, unit=None):
    """Final ``J - J*`` against the learning rate, both on log axes.

    Marks ``1/L``, where the steepest component starts to oscillate, the
    bound ``2/L`` (and ``2/(L+mu)`` when ``mu`` is given) and the
    starting value; runs that diverged are crosses on the top edge.
    ``unit``, if given, is the unit of J, added to the y label.
    """
    bound = quad.stability_bound(L)
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    ok = sweep.diverged_at < 0
    ax.plot(sweep.lr[ok], np.maximum(sweep.excess[ok], 1e-300), ".-",
            label=f"after {sweep.steps} steps")
    ax.axhline(sweep.start_excess, color="gray", ls="--", lw=1,
               label=f"at the start: {sweep.start_excess:.3g}")
    ax.axvline(1.0 / L, color="0.4", ls="-.", lw=1.2,
               label=f"1/L = {1.0 / L:.3f}")
    ax.axvline(bound, color="C3", lw=1.5, label=f"2/L = {bound:.3f}")
    if mu is not None:
        best = quad.optimal_lr(L, mu)
        ax.axvline(best, color="C2", ls=":", lw=1.5,
                   label=f"2/(L+mu) = {best:.3f}")
    if (~ok).any():
        top = ax.get_xaxis_transform()
        ax.plot(sweep.lr[~ok], np.full((~ok).sum(), 0.97), "x", ms=8,
                mew=2, color="C1", transform=top,
                label="diverged (loss not finite)")
    ax.set_xscale("log")
    _log_y(ax, sweep.excess[ok & np.isfinite(sweep.excess)])
    ax.set_xlabel("learning rate lr")
    ax.set_ylabel(_with_unit("final J - J*", unit))
    ax.set_title(title or f"Final loss after {sweep.steps} steps")
    ax.legend(loc="best", fontsize=9)
    return fig


def _with_unit(label, unit):
    return f"{label} ({unit})" if unit else label


def _excess_path(quadratic, run):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.array([quadratic.excess(t) if np.all(np.isfinite(t))
                         else np.inf for t in run.theta])


def _window(quadratic, theta0, window):
    """``((left, right), (bottom, top))`` framing the start and minimum."""
    if window is not None:
        return tuple(tuple(float(v) for v in pair) for pair in window)
    centre = quadratic.theta_star
    gap = np.abs(np.asarray(theta0, dtype=np.float64) - centre)
    half = 1.3 * np.maximum(gap, 0.25 * gap.max())
    if half.max() == 0.0:
        half = np.ones_like(half)
    return tuple((c - h, c + h) for c, h in zip(centre, half))


def _contours(ax, quadratic, window):
    (x0, x1), (y0, y1) = window
    grid_x, grid_y = np.meshgrid(np.linspace(x0, x1, 121),
                                 np.linspace(y0, y1, 121))
    values = quadratic.excess(np.stack([grid_x, grid_y]))
    top = values.max()
    levels = top * np.geomspace(1e-3, 0.8, 10)
    ax.contour(grid_x, grid_y, values, levels=levels, colors="0.6",
               linewidths=0.8)
    ax.plot(*quadratic.theta_star, "*", ms=12, color="C2", zorder=3)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def _path(ax, run, window):
    """Draw the path until it first leaves a frame around the window."""
    theta = np.asarray(run.theta)
    finite = np.all(np.isfinite(theta), axis=1)
    centre = np.array([(lo + hi) / 2 for lo, hi in window])
    half = np.array([(hi - lo) / 2 for lo, hi in window])
    with np.errstate(over="ignore", invalid="ignore"):
        inside = finite & np.all(
            np.abs(theta - centre) <= LEAVE_FACTOR * half, axis=1)
    end = len(theta) if inside.all() else int(np.argmin(inside)) + 1
    shown = theta[:end][finite[:end]]
    ax.plot(shown[:, 0], shown[:, 1], ".-", color="C0", ms=4, lw=1,
            zorder=4)
    ax.plot(*theta[0], "o", color="k", ms=5, zorder=5)
    if end < len(theta) or not finite.all():
        # On a white box above the path, so the path cannot hide it.
        ax.annotate(f"leaves the plot at step {end - 1}",
                    xy=(0.03, 0.03), xycoords="axes fraction", fontsize=8,
                    zorder=6, bbox=dict(boxstyle="round,pad=0.2",
                                        fc="white", ec="0.7", alpha=0.9))
