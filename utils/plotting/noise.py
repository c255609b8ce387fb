"""Figures of Chapter 3: the noise of stochastic gradient descent.

Each function builds and returns a matplotlib figure from its arguments
alone; show it with ``utils.plotting.show``. Randomness comes in as a
seed and is turned into a local ``numpy.random.Generator``.
"""

import matplotlib.pyplot as plt
import numpy as np

from .. import minibatch
from . import FIGSIZE

WIDE = (11.0, 4.0)


def spread_limits(w, b, x, y):
    """Axis limits that hold nearly all single-sample gradients.

    They depend on the data and (w, b) only, not on the batch size, so a
    slider that changes B keeps the same axes and the cloud visibly
    shrinks.
    """
    grads = minibatch.per_sample_grads(w, b, x, y)
    low, high = np.percentile(grads, [1, 99], axis=0)
    pad = 0.05 * (high - low)
    return (low[0] - pad[0], high[0] + pad[0]), (low[1] - pad[1],
                                                 high[1] + pad[1])


def gradient_spread_figure(x, y, w, b, batch_sizes, seed=0, batches=300):
    """Scatter mini-batch gradients at (w, b) for each batch size.

    One cloud of ``batches`` gradients ``(dJ/dw, dJ/db)`` per batch size,
    drawn as SGD draws them (shuffled epochs, equal-size batches), with
    the full gradient marked by a black cross.
    """
    rng = np.random.default_rng(seed)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    for i, batch_size in enumerate(batch_sizes):
        grads = minibatch.batch_gradients(w, b, x, y, batch_size, rng,
                                          batches)
        ax.scatter(grads[:, 0], grads[:, 1], s=8, alpha=0.45,
                   color=f"C{i}", label=f"B = {batch_size}")
    full = minibatch.per_sample_grads(w, b, x, y).mean(axis=0)
    ax.plot(full[0], full[1], "kx", ms=12, mew=3,
            label="full gradient")
    xlim, ylim = spread_limits(w, b, x, y)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("dJ/dw on the batch")
    ax.set_ylabel("dJ/db on the batch")
    ax.set_title(f"{batches} mini-batch gradients at w = {w:g}, b = {b:g}")
    ax.legend(loc="upper left")
    return fig


def variance_figure(batch_sizes, measured, sigma2, n):
    """Measured variance against B on log-log axes, with the formulas.

    Points: ``measured``. Dashed: ``sigma2 / B``. Solid: ``sigma2 / B *
    (n - B) / (n - 1)``, the exact value for sampling without
    replacement, drawn for B from 1 to the largest batch size.
    """
    batch_sizes = np.asarray(batch_sizes, dtype=np.float64)
    grid = np.geomspace(1.0, batch_sizes.max(), 100)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.plot(grid, sigma2 / grid, "--", color="0.5",
            label=r"$\sigma^2 / B$")
    ax.plot(grid, sigma2 / grid * (n - grid) / (n - 1), color="C3",
            label=r"$\sigma^2 / B \cdot (n - B)/(n - 1)$")
    ax.plot(batch_sizes, measured, "o", color="C0", ms=7,
            label="measured")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size B")
    ax.set_ylabel(r"mean of $\|\hat g_B - \nabla J\|^2$")
    ax.set_title("Variance of the mini-batch gradient")
    ax.legend()
    return fig


def _excess(run, J_star):
    return np.asarray(run.loss, dtype=np.float64) - J_star


def _ylabel(unit):
    return r"$J - J^*$" + (f" ({unit})" if unit else "")


def progress_figure(runs, J_star, floor=1e-9, unit=None):
    """Excess loss against steps (left) and samples processed (right).

    ``runs`` maps a label to a ``minibatch.SGDRun``. The excess loss
    ``J - J_star`` is drawn on log-log axes, from step 1 on; a run's
    line stops where its excess falls below ``floor`` (rounding error,
    for a run that reaches the optimum). ``unit``, if given, is the
    unit of J, added to the y label.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=WIDE, sharey=True)
    for i, (label, run) in enumerate(runs.items()):
        excess = _excess(run, J_star)[1:]
        excess = np.where(excess >= floor, excess, np.nan)
        steps = np.arange(1, len(excess) + 1)
        left.plot(steps, excess, color=f"C{i}", lw=0.8, label=label)
        right.plot(run.samples[1:], excess, color=f"C{i}", lw=0.8,
                   label=label)
    left.set_xlabel("step k")
    right.set_xlabel("samples processed")
    left.set_ylabel(_ylabel(unit))
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.legend(loc="lower left")
    left.set_title("Per step")
    right.set_title("Per sample processed")
    return fig


def noise_ball_figure(runs, J_star, plateaus=None, floor=1e-7,
                      unit=None):
    """Excess loss against steps, with each run's plateau dashed.

    ``runs`` maps a label to a ``minibatch.SGDRun``; ``plateaus`` maps
    some of the same labels to a loss level, drawn as a dashed line of
    the run's colour at ``level - J_star``. ``unit``, if given, is the
    unit of J, added to the y label.
    """
    plateaus = plateaus or {}
    fig, ax = plt.subplots(figsize=FIGSIZE)
    for i, (label, run) in enumerate(runs.items()):
        excess = np.maximum(_excess(run, J_star), floor)
        ax.plot(np.arange(len(excess)), excess, color=f"C{i}", lw=0.6,
                alpha=0.8, label=label)
        if label in plateaus:
            ax.axhline(plateaus[label] - J_star, color=f"C{i}", ls="--",
                       lw=1.5)
    ax.set_yscale("log")
    ax.set_xlabel("step k")
    ax.set_ylabel(_ylabel(unit))
    ax.set_title("Constant and decaying learning rates")
    ax.legend(loc="upper right")
    return fig
