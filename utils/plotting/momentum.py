"""Figures of Chapter 4: gradient descent with momentum.

Each function takes its data as arguments and returns a matplotlib
figure; ``utils.plotting.show`` displays it. Contours come from a
``Quadratic`` (``utils.quadratic``), paths from ``training.Run``s, and
the spectral radii from ``utils.momentum``.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FixedLocator, FormatStrFormatter, NullLocator

from .. import momentum as mom
from .rates import _log_y

# A path is drawn until its first point this many half-widths away from
# the centre of the window; past it the picture would only be a blur.
LEAVE_FACTOR = 1.5
COLORS = ("0.45", "C0", "C3", "C2", "C1", "C4")


def _window(quadratic, theta0, window):
    if window is not None:
        return tuple(tuple(float(v) for v in pair) for pair in window)
    centre = quadratic.theta_star
    gap = np.abs(np.asarray(theta0, dtype=np.float64) - centre)
    if gap.max() == 0.0:
        raise ValueError("the runs start at the minimum, so there is "
                         "nothing to draw around it; pass window=...")
    half = 1.3 * np.maximum(gap, 0.25 * gap.max())
    return tuple((c - h, c + h) for c, h in zip(centre, half))


def _contours(ax, quadratic, window):
    (x0, x1), (y0, y1) = window
    grid_x, grid_y = np.meshgrid(np.linspace(x0, x1, 151),
                                 np.linspace(y0, y1, 151))
    values = quadratic.excess(np.stack([grid_x, grid_y]))
    levels = values.max() * np.geomspace(1e-5, 0.8, 12)
    ax.contour(grid_x, grid_y, values, levels=levels, colors="0.75",
               linewidths=0.8)
    ax.plot(*quadratic.theta_star, "*", ms=13, color="k", zorder=20,
            label="minimum")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def _inside(theta, window, factor=1.0):
    """Which rows of ``theta`` lie within ``factor`` half-widths of the
    window's centre (a row that is not finite lies outside)."""
    theta = np.asarray(theta, dtype=np.float64)
    centre = np.array([(lo + hi) / 2 for lo, hi in window])
    half = np.array([(hi - lo) / 2 for lo, hi in window])
    with np.errstate(over="ignore", invalid="ignore"):
        return np.all(np.isfinite(theta), axis=1) & np.all(
            np.abs(theta - centre) <= factor * half, axis=1)


def _drawn(theta, window):
    """The rows of ``theta`` to draw: NaN where the path is far outside
    the window (past it the picture would only be a blur), and no
    trailing rows once it has left for good."""
    keep = _inside(theta, window, LEAVE_FACTOR)
    shown = np.where(keep[:, None], np.asarray(theta, np.float64), np.nan)
    last = np.flatnonzero(keep)
    return shown[:last[-1] + 1] if last.size else shown[:1]


def left_view(theta, window):
    """``(left, back)``: the first step the path is outside ``window``
    and the step from which it stays inside again.

    ``left`` is None if the path never leaves; ``back`` is None if it
    leaves and does not come back for good.
    """
    inside = _inside(theta, window)
    if inside.all():
        return None, None
    left = int(np.argmin(inside))
    if not inside[-1]:
        return left, None
    return left, int(np.flatnonzero(~inside)[-1]) + 1


def _view_note(theta, window):
    left, back = left_view(theta, window)
    if left is None:
        return ""
    if back is None:
        return f" (left the view at step {left})"
    return f" (left the view at step {left}, back from step {back})"


def _ending(run, excess):
    if run.diverged_at is not None:
        return f"diverged at step {run.diverged_at}"
    if excess[-1] > excess[0]:
        return f"J - J* grew {excess[-1] / excess[0]:.2g}-fold"
    return f"J - J* = {excess[-1]:.1e}"


def paths_figure(quadratic, runs, title=None, window=None,
                 names=("w (kg/cm)", "b (kg)")):
    """Paths on the contours of J (left) and ``J - J*`` per step (right).

    ``runs`` maps a label to a ``training.Run``; all start at the same
    point. Each legend entry ends with how its run ended; on the left, a
    path that leaves the window says at which step (and when it came
    back), and is not drawn while far outside. A diverged loss ends with
    a cross. Runs between the first and the last are translucent.
    """
    runs = dict(runs)
    if not runs:
        raise ValueError("runs must hold at least one run")
    first = next(iter(runs.values()))
    window = _window(quadratic, first.theta[0], window)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11.0, 4.2))
    _contours(left, quadratic, window)
    shown = []
    for i, ((label, run), color) in enumerate(zip(runs.items(), COLORS)):
        excess = mom.excess_path(quadratic, run)
        drawn = _drawn(run.theta, window)
        points = int(np.isfinite(drawn[:, 0]).sum())
        # The first run (the reference, thick) and the last run are drawn
        # on top; runs in between are translucent, so a path under one
        # that zigzags densely still shows. Markers only on short paths:
        # thousands of them are slow to draw.
        top = i == 0 or i == len(runs) - 1
        order = 5 + len(runs) if i == 0 else 5 + i
        left.plot(drawn[:, 0], drawn[:, 1],
                  ".-" if points <= 200 else "-", ms=2,
                  lw=2.0 if i == 0 else 0.8, color=color,
                  alpha=1.0 if top else 0.45, zorder=order,
                  label=label + _view_note(run.theta, window))
        finite = np.isfinite(excess)
        steps = np.arange(len(excess))
        # Thin lines: a curve that zigzags every step is slow when thick.
        right.plot(steps[finite], excess[finite],
                   lw=1.5 if i == 0 else 0.8, color=color,
                   alpha=1.0 if top else 0.45, zorder=order,
                   label=f"{label}: {_ending(run, excess)}")
        if run.diverged_at is not None and finite.any():
            last = np.flatnonzero(finite)[-1]
            right.plot(steps[last], excess[last], "x", ms=10, mew=2,
                       color=color)
        shown.append(excess[finite])
    left.plot(*first.theta[0], "o", color="k", ms=5, zorder=21,
              label="start")
    left.set_xlabel(names[0])
    left.set_ylabel(names[1])
    left.set_title("paths on the contours of J")
    left.legend(loc="best", fontsize=8)
    _log_y(right, np.concatenate(shown))
    # A diverging run would stretch the axis over hundreds of decades.
    low, high = right.get_ylim()
    right.set_ylim(low, min(high, 1e6 * max(shown[0][0], 1e-300)))
    right.set_xlabel("step t")
    right.set_ylabel("J - J* (kg²)")
    right.set_title("distance in cost to the minimum")
    right.legend(loc="best", fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def momentum_figure(lr, beta, quadratic, steps, theta0, window=None,
                    names=("w (kg/cm)", "b (kg)")):
    """``paths_figure`` for momentum at ``(lr, beta)`` and plain gradient
    descent at the same ``lr``: what the slider of Chapter 4 redraws.

    The title gives ``lr * L`` against the limit ``2 + 2 beta`` and the
    slowest contraction per step over the spectrum.
    """
    runs = {"gradient descent (beta = 0)":
            mom.run(quadratic, lr, 0.0, steps, theta0),
            f"momentum, beta = {beta:.3f}":
            mom.run(quadratic, lr, beta, steps, theta0)}
    rho = mom.worst_radius(lr, beta, quadratic.L, quadratic.mu)
    title = (f"lr = {lr:.3g}, beta = {beta:.3f}: lr L = "
             f"{lr * quadratic.L:.3g} (limit 2 + 2 beta = "
             f"{2 + 2 * beta:.3g}), slowest factor per step "
             f"{rho:.6f}")
    return paths_figure(quadratic, runs, title, window, names)


def radius_figure(betas, s_max=4.2, points=841):
    """Spectral radius against ``s = lr * lambda``, one curve per beta.

    Each curve ends its stable stretch at ``s = 2 + 2 beta`` (a dotted
    vertical line); a dashed horizontal line marks ``sqrt(beta)``, the
    radius wherever the two roots are complex. ``beta = 0`` is plain
    gradient descent, ``|1 - s|``.
    """
    betas = [mom.momentum_coefficient(b, "betas") for b in betas]
    s = np.linspace(s_max / points, s_max, points)
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    for beta, color in zip(betas, COLORS[1:] + COLORS[:1]):
        rho = mom.spectral_radius(1.0, beta, s)
        ax.plot(s, rho, color=color, lw=1.8, label=f"beta = {beta:g}")
        ax.axvline(2 + 2 * beta, color=color, ls=":", lw=1.2)
        if beta > 0:
            ax.axhline(np.sqrt(beta), color=color, ls="--", lw=0.8)
    ax.axhline(1.0, color="k", lw=0.8)
    ax.set_ylim(0.0, 1.6)
    ax.set_xlim(0.0, s_max)
    ax.set_xlabel("lr * lambda")
    ax.set_ylabel("spectral radius (contraction per step)")
    ax.set_title("Above 1 the component diverges; dotted: 2 + 2 beta, "
                 "dashed: sqrt(beta)", fontsize=10)
    ax.legend(loc="upper left", fontsize=9)
    return fig


def region_figure(s_max=4.5, beta_max=0.99, points=301):
    """The stability region in the plane of ``lr * lambda`` and beta.

    Colour: the spectral radius (clipped at 1.2); black line: where it
    equals 1, measured on the grid; dashed red line: ``lr * lambda =
    2 + 2 beta``, the derived boundary.
    """
    s = np.linspace(s_max / points, s_max, points)
    betas = np.linspace(0.0, beta_max, points)
    rho = np.array([mom.spectral_radius(1.0, beta, s) for beta in betas])
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    mesh = ax.pcolormesh(s, betas, np.minimum(rho, 1.2), shading="auto",
                         cmap="viridis", vmin=0.0, vmax=1.2)
    fig.colorbar(mesh, ax=ax, label="spectral radius")
    ax.contour(s, betas, rho, levels=[1.0], colors="k", linewidths=2.5)
    ax.plot(2 + 2 * betas, betas, "--", color="C3", lw=1.5,
            label="lr * lambda = 2 + 2 beta")
    ax.set_xlim(0.0, s_max)
    ax.set_ylim(0.0, beta_max)
    ax.set_xlabel("lr * lambda")
    ax.set_ylabel("beta")
    ax.set_title("Heavy ball: stable where the radius is below 1")
    ax.legend(loc="upper left", fontsize=9)
    return fig


def conventions_figure(theta_a, theta_b, lrs, title=None):
    """Step lengths of conventions (A) and (B), and the learning rate.

    ``theta_a``, ``theta_b`` are the paths of ``momentum.run_conventions``
    and ``lrs`` the rate of each step. Top: ``|theta_{t+1} - theta_t|``
    for both (log scale); bottom: the rate.
    """
    steps_a = mom.step_lengths(theta_a)
    steps_b = mom.step_lengths(theta_b)
    t = np.arange(1, len(steps_a) + 1)
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(7.0, 5.0), sharex=True,
        gridspec_kw={"height_ratios": (3, 1)})
    top.plot(t, steps_a, color="C0", lw=2,
             label="(A) u <- beta u + g,  theta <- theta - lr u")
    top.plot(t, steps_b, color="C3", lw=1.5, ls="--",
             label="(B) d <- beta d + lr g,  theta <- theta - d")
    _log_y(top, np.concatenate([steps_a, steps_b]))
    top.set_ylabel("step length")
    top.legend(loc="best", fontsize=9)
    top.set_title(title or "Two ways to write the velocity")
    bottom.step(t, lrs, where="pre", color="k")
    bottom.set_yscale("log")
    levels = np.unique(lrs)
    if len(levels) <= 4:
        bottom.yaxis.set_major_locator(FixedLocator(levels))
        bottom.yaxis.set_major_formatter(FormatStrFormatter("%.2g"))
        bottom.yaxis.set_minor_locator(NullLocator())
    bottom.set_ylabel("lr")
    bottom.set_xlabel("step t")
    fig.tight_layout()
    return fig
