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
from matplotlib.ticker import LogLocator

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


def loss_figure(runs, title="Loss during training", log=True,
                ylabel="loss J"):
    """Plot the loss against the step for one or more labelled runs.

    ``runs`` maps a label to a ``training.Run``. A run that diverged ends
    with a cross at its last finite loss and says so in the legend.
    ``ylabel`` names the loss and its unit, such as ``"cost J (kg²)"``.
    """
    fig, ax = plt.subplots(figsize=FIGSIZE)
    shown = [np.empty(0)]
    for label, run in runs.items():
        loss = np.asarray(run.loss)
        finite = np.isfinite(loss)
        shown.append(loss[finite])
        steps = np.arange(len(loss))
        if run.diverged_at is not None:
            label = f"{label} (diverged at step {run.diverged_at})"
        line, = ax.plot(steps[finite], loss[finite], label=label)
        if run.diverged_at is not None and finite.any():
            last = np.flatnonzero(finite)[-1]
            ax.plot(steps[last], loss[last], "x", ms=10, mew=2,
                    color=line.get_color())
    if log:
        _log_y(ax, np.concatenate(shown))
    ax.set_xlabel("step k")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    return fig


# A run that diverged ends near the largest float, about 1.8e308. Above
# such a loss, matplotlib's own log axis overflows, in its 5% margin and
# in the ticks it places beyond the top: a RuntimeWarning, and limits of
# 1 to 10 that hide the data. So ``_log_y`` sets the limits itself, with
# the same margin but within 10**-LOG_TOP and 10**LOG_TOP, and drops the
# ticks that overflow.
LOG_TOP = 308.0


class _FiniteLogLocator(LogLocator):
    """A ``LogLocator`` that leaves out ticks beyond the float range."""

    def tick_values(self, vmin, vmax):
        with np.errstate(over="ignore"):
            ticks = super().tick_values(vmin, vmax)
        return ticks[np.isfinite(ticks) & (ticks > 0)]


def _log_y(ax, values):
    """Give ``ax`` a log y axis that fits the finite, positive ``values``.

    Shared by the figure modules; NaN, infinite, zero and negative
    values are left out of the limits.
    """
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values) & (values > 0)]
    if values.size:
        # Limits first: they switch off autoscaling, whose margin would
        # overflow for values near the largest float.
        low, high = np.log10(values.min()), np.log10(values.max())
        margin = 0.05 * (high - low) if high > low else 0.5
        ax.set_ylim(10.0 ** max(low - margin, -LOG_TOP),
                    10.0 ** min(high + margin, LOG_TOP))
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(_FiniteLogLocator())
    ax.yaxis.set_minor_locator(_FiniteLogLocator(subs="auto"))
