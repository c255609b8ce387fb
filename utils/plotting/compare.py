"""Figures of Chapter 7: choosing an optimizer.

Each function builds and returns a matplotlib figure from its arguments
alone (results of ``utils.compare``); show it with
``utils.plotting.show``. Every optimizer keeps the same colour and line
style in every figure: solid lines for the SGD family, dashed for the
adaptive methods.
"""

import matplotlib.pyplot as plt
import numpy as np

from . import _log_y

STYLES = {
    "SGD": ("C0", "-"),
    "momentum": ("C1", "-"),
    "Nesterov": ("C2", "-"),
    "AdaGrad": ("C3", "--"),
    "RMSProp": ("C4", "--"),
    "Adam": ("C5", "--"),
    "AdamW": ("C6", "--"),
}
WIDE = (8.4, 4.2)


def style(name):
    """``(colour, line style)`` of an optimizer; grey for another name."""
    return STYLES.get(name, ("0.4", ":"))


def digits_figure(images, labels, count=20, columns=10):
    """The first ``count`` images, 8 x 8 each, titled with their label."""
    images = np.asarray(images, dtype=np.float64)
    labels = np.asarray(labels)
    count = min(count, len(images))
    rows = -(-count // columns)
    fig, axes = plt.subplots(rows, columns,
                             figsize=(0.8 * columns, 0.95 * rows),
                             squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < count:
            ax.imshow(images[i].reshape(8, 8), cmap="gray_r", vmin=0,
                      vmax=16)
            ax.set_title(str(int(labels[i])), fontsize=10)
    return fig


def sweep_figure(sweeps, start_loss=None, title=None):
    """Final training loss against the learning rate, one line each.

    ``sweeps`` maps a name to a ``compare.Sweep``. Both axes are
    logarithmic; each optimizer's best rate is a large dot; runs that
    diverged are crosses on the top edge; ``start_loss``, if given, is
    a dashed line (above it, a run ended worse than it began).
    """
    fig, ax = plt.subplots(figsize=WIDE)
    shown = [np.empty(0)]
    for name, s in sweeps.items():
        colour, ls = style(name)
        loss = np.asarray(s.final_loss, dtype=np.float64)
        ok = np.isfinite(loss)
        ax.plot(s.lrs[ok], loss[ok], marker="o", ms=4, color=colour,
                ls=ls, label=f"{name} (best lr {s.best_lr:.3g})")
        ax.plot([s.best_lr], [s.best_loss], "o", ms=10, color=colour,
                alpha=0.6)
        if (~ok).any():
            ax.plot(s.lrs[~ok], np.full((~ok).sum(), 0.97), "x", ms=8,
                    mew=2, color=colour, transform=ax.get_xaxis_transform())
        shown.append(loss[ok])
    if start_loss is not None:
        ax.axhline(start_loss, color="gray", ls=":", lw=1.2,
                   label=f"loss at the start ({start_loss:.3f})")
        shown.append(np.array([start_loss]))
    ax.set_xscale("log")
    _log_y(ax, np.concatenate(shown))
    ax.set_xlabel("learning rate lr")
    ax.set_ylabel("final training loss (nats)")
    ax.set_title(title or "Final loss after the same budget, per lr")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9)
    return fig


def curves_figure(runs, title=None):
    """Training loss against epochs for labelled ``compare.TrainRun``s.

    A run that diverged ends with a cross at its last finite loss and
    says so in the legend. The y axis is logarithmic.
    """
    fig, ax = plt.subplots(figsize=WIDE)
    shown = [np.empty(0)]
    for label, run in runs.items():
        colour, ls = style(run.name)
        loss = np.asarray(run.loss, dtype=np.float64)
        epochs = np.asarray(run.epochs, dtype=np.float64)
        finite = np.isfinite(loss)
        if run.diverged_at is not None:
            label = f"{label} (diverged at step {run.diverged_at})"
        ax.plot(epochs[finite], loss[finite], color=colour, ls=ls,
                label=label)
        if run.diverged_at is not None and finite.any():
            last = np.flatnonzero(finite)[-1]
            ax.plot(epochs[last], loss[last], "x", ms=10, mew=2,
                    color=colour)
        shown.append(loss[finite])
    _log_y(ax, np.concatenate(shown))
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss (nats)")
    ax.set_title(title or "Training loss")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=9)
    return fig


def best_curves_figure(comparison):
    """``curves_figure`` of the final runs, each at its best rate."""
    runs = {f"{name}, lr = {run.lr:.3g}": run
            for name, run in comparison.finals.items()}
    return curves_figure(runs, title="Each optimizer at its own best lr")


def run_at(s, lr):
    """The run of sweep ``s`` whose learning rate is ``lr``."""
    i = np.flatnonzero(np.isclose(s.lrs, lr, rtol=1e-9, atol=0.0))
    if i.size == 0:
        raise ValueError(
            f"lr must be one of the sweep's learning rates; got {lr!r}"
        )
    return s.runs[int(i[0])]


def same_lr_figure(sweeps, lr):
    """Every optimizer's training loss at one shared learning rate.

    Drawn from the runs the sweeps already hold, so a slider over the
    grid redraws without training anything. The y axis is the same for
    every ``lr``, so the pictures compare.
    """
    runs = {name: run_at(s, lr) for name, s in sweeps.items()}
    fig = curves_figure(runs, title=f"Every optimizer at lr = {lr:.3g}")
    ax = fig.axes[0]
    every = np.concatenate([np.asarray(r.loss) for s in sweeps.values()
                            for r in s.runs])
    every = every[np.isfinite(every) & (every > 0)]
    if every.size:
        ax.set_ylim(every.min() / 1.3, every.max() * 1.3)
    return fig


__all__ = ["STYLES", "style", "digits_figure", "sweep_figure",
           "curves_figure", "best_curves_figure", "run_at",
           "same_lr_figure"]
