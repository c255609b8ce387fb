"""Figures of Chapter 6: Adam's bias correction and weight decay.

Each function builds and returns a matplotlib figure from its arguments
alone; show it with ``utils.plotting.show``. The numbers come from
``utils.adam_analysis``.
"""

import matplotlib.pyplot as plt
import numpy as np

from .. import adam_analysis as aa
from .. import linear
from . import FIGSIZE

WIDE = (11.0, 4.0)

# The legend entry of the dashed line of decoupled decay alone.
SHRINK_LABEL = r"$\theta_0\,(1 - \eta\lambda)^t$"

# The four ways to treat the two moments, as (label, first, second).
VARIANTS = (("both corrected (Adam)", True, True),
            ("neither corrected", False, False),
            ("$m$ only corrected", True, False),
            ("$v$ only corrected", False, True))


def correction_figure(beta1=0.9, beta2=0.999, steps=3000):
    """``1 - beta^t`` for the two moments against the step t (log x).

    The curves are what a moving average started at zero falls short
    by: m_t and v_t are these fractions of the average they estimate.
    """
    t = np.arange(1, steps + 1)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.plot(t, aa.correction_factor(t, beta1),
            label=rf"$m$: $1 - \beta_1^t$, $\beta_1 = {beta1:g}$")
    ax.plot(t, aa.correction_factor(t, beta2),
            label=rf"$v$: $1 - \beta_2^t$, $\beta_2 = {beta2:g}$")
    ax.axhline(1.0, color="0.5", ls=":", lw=1)
    ax.set_xscale("log")
    ax.set_ylim(0.0, 1.05)
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"sum of the weights, $1 - \beta^t$")
    ax.set_title("How far a moving average started at zero falls short")
    ax.legend(loc="lower right")
    return fig


def step_ratio_figure(beta1=0.9, beta2=0.999, steps=3000):
    """Adam's step over lr for a constant gradient, per correction.

    One curve per entry of ``VARIANTS``, from the closed form
    ``adam_analysis.constant_gradient_ratio`` (eps left out), on log-log
    axes. With both moments corrected the step is lr at every t.
    """
    t = np.arange(1, steps + 1)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    for label, first, second in VARIANTS:
        ratio = aa.constant_gradient_ratio(t, beta1, beta2, first, second)
        ax.plot(t, ratio, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step $t$")
    ax.set_ylabel(r"step size / $\eta$")
    ax.set_title(rf"Constant gradient, $\beta_1 = {beta1:g}$, "
                 rf"$\beta_2 = {beta2:g}$")
    ax.legend(loc="best", fontsize=9)
    return fig


def ablation_figure(x, y, lr=0.05, beta1=0.9, beta2=0.999, steps=200):
    """Adam on the penguin model with and without bias correction.

    Left: the bias b against the step, with its optimum b* dashed.
    Right: the size of each step in b divided by lr (log y), with the
    line 1 that corrected Adam's steps stay under.
    """
    runs = aa.ablation_runs(x, y, lr, steps, beta1=beta1, beta2=beta2)
    _, b_star = linear.least_squares(x, y)
    fig, (left, right) = plt.subplots(1, 2, figsize=WIDE)
    for i, (label, run) in enumerate(runs.items()):
        t = np.arange(len(run.theta))
        left.plot(t, run.theta[:, 1], color=f"C{i}", label=label)
        sizes = aa.step_sizes(run.theta)[:, 1] / lr
        right.plot(t[1:], sizes, color=f"C{i}", label=label)
    left.axhline(b_star, color="k", ls="--", lw=1,
                 label=f"$b^* = {b_star:.3f}$")
    left.set_xlabel("step $t$")
    left.set_ylabel("$b$ (kg)")
    left.set_title("the bias $b$")
    left.legend(loc="lower right")
    right.axhline(1.0, color="0.5", ls=":", lw=1)
    right.set_yscale("log")
    right.set_xlabel("step $t$")
    right.set_ylabel(r"$|\Delta b| / \eta$")
    right.set_title(r"step size in $b$, in units of $\eta$")
    right.legend(loc="upper right")
    fig.suptitle(rf"Adam with and without bias correction: $\eta = {lr:.3g}$"
                 rf", $\beta_1 = {beta1:g}$, $\beta_2 = {beta2:g}$")
    fig.tight_layout()
    return fig


def decay_figure(paths, lr, weight_decay, scales, theta0=1.0):
    """One panel per weight: its path under each optimizer in ``paths``.

    ``paths`` maps a label to an array of shape ``(steps + 1, n)``, as
    ``adam_analysis.decay_runs`` returns; ``scales`` gives each weight's
    gradient scale for the panel titles. A dashed line shows
    ``theta0 * (1 - lr * weight_decay)^t``, the shrinking that decoupled
    decay alone gives.
    """
    paths = dict(paths)
    scales = np.asarray(scales, dtype=np.float64)
    fig, axes = plt.subplots(1, len(scales), figsize=WIDE, sharey=True,
                             squeeze=False)
    for j, ax in enumerate(axes[0]):
        for i, (label, path) in enumerate(paths.items()):
            ax.plot(np.arange(len(path)), path[:, j], color=f"C{i}",
                    label=label)
        t = np.arange(len(next(iter(paths.values()))))
        ax.plot(t, theta0 * (1.0 - lr * weight_decay) ** t, "k--", lw=1,
                label=SHRINK_LABEL)
        ax.axhline(0.0, color="0.5", lw=0.8)
        ax.set_xlabel("step $t$")
        ax.set_title(f"weight {j + 1}: gradient noise of scale "
                     f"{scales[j]:g}")
    axes[0, 0].set_ylabel(r"$\theta$")
    axes[0, 0].legend(loc="lower left", fontsize=9)
    fig.suptitle(rf"Weight decay in Adam: $\eta = {lr:g}$, "
                 rf"$\lambda = {weight_decay:g}$")
    fig.tight_layout()
    return fig
