"""The functions behind the course's figures.

Each ``*_figure`` function builds and returns a matplotlib figure from
its arguments alone; ``show`` displays one in the notebook. ``show``
sends the picture only, so no ``<Figure size ...>`` text reaches the
notebook's outputs.
"""

import base64
import io

import matplotlib.pyplot as plt
import numpy as np

FIGSIZE = (6.4, 4.0)
DPI = 80


def show(fig):
    """Display ``fig`` as a PNG image in the notebook, then close it."""
    from IPython.display import display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    display({"image/png": encoded}, raw=True)


def scatter_figure(x, y, xlabel="x", ylabel="y", title=None):
    """Scatter the data points ``(x, y)``."""
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.scatter(x, y, s=12, alpha=0.6, label="data")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    return fig


def fit_figure(x, y, w, b, xlabel="x", ylabel="y", title=None):
    """Scatter the data and draw the line ``w * x + b`` over it."""
    x = np.asarray(x, dtype=np.float64)
    fig = scatter_figure(x, y, xlabel, ylabel, title)
    ax = fig.axes[0]
    grid = np.linspace(x.min(), x.max(), 2)
    ax.plot(grid, w * grid + b, color="C3", lw=2,
            label=f"w = {w:.3f}, b = {b:.3f}")
    ax.legend()
    return fig


def loss_figure(runs, title="Loss during training", log=True):
    """Plot the loss against the step for one or more labelled runs.

    ``runs`` maps a label to a ``training.Run``. A run that diverged ends
    with a cross at its last finite loss and says so in the legend.
    """
    fig, ax = plt.subplots(figsize=FIGSIZE)
    for label, run in runs.items():
        loss = np.asarray(run.loss)
        finite = np.isfinite(loss)
        steps = np.arange(len(loss))
        if run.diverged_at is not None:
            label = f"{label} (diverged at step {run.diverged_at})"
        line, = ax.plot(steps[finite], loss[finite], label=label)
        if run.diverged_at is not None and finite.any():
            last = np.flatnonzero(finite)[-1]
            ax.plot(steps[last], loss[last], "x", ms=10, mew=2,
                    color=line.get_color())
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step k")
    ax.set_ylabel("loss J")
    ax.set_title(title)
    ax.legend()
    return fig
