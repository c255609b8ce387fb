"""Figures of Chapter 5: AdaGrad, RMSProp and their effective steps.

Each function builds and returns a matplotlib figure from its arguments
alone; show it with ``utils.plotting.show``. The effective learning
rate of a coordinate is the factor that multiplies its gradient,
``lr / (sqrt(s) + eps)`` (see ``utils.adaptive``).
"""

import matplotlib.pyplot as plt
import numpy as np

from .. import adaptive
from ..optimizers import AdaGrad, RMSProp
from . import FIGSIZE

WIDE = (11.0, 4.0)
COORD_STYLES = ("-", "--")
# The course's regression: w in kg per cm of flipper, b in kg, and the
# cost, a mean squared error in kg, in kg^2.
NAMES = ("w (kg/cm)", "b (kg)")
COST_LABEL = "J - J* (kg²)"


def _symbol(name):
    """``"b (kg)"`` -> ``"b"``: the name without its unit."""
    return name.split(" (")[0]


def constant_gradient_steps(c, lr, steps, alpha=0.99):
    """Step sizes and distances for a gradient that is always ``c``.

    Runs ``AdaGrad(lr)`` and ``RMSProp(lr, alpha)`` (default eps) on
    one parameter whose gradient is ``c`` at every step. Returns a dict
    mapping "AdaGrad" and "RMSProp" to ``(step_sizes, distances)``, one
    entry per step.
    """
    out = {}
    for name, opt in (("AdaGrad", AdaGrad(lr=lr)),
                      ("RMSProp", RMSProp(lr=lr, alpha=alpha))):
        theta = np.zeros(1)
        path = np.empty(steps + 1)
        path[0] = 0.0
        grad = np.array([float(c)])
        for k in range(1, steps + 1):
            opt.step([theta], [grad])
            path[k] = theta[0]
        out[name] = (np.abs(np.diff(path)), np.abs(path[1:]))
    return out


def constant_gradient_figure(c, lr, steps, alpha=0.99):
    """Left: the size of each step; right: the distance travelled.

    Both against the step t on log-log axes, for a gradient that never
    changes. Dashed: AdaGrad's prediction lr / sqrt(t) (left) and
    2 lr sqrt(t) (right); dotted: lr and lr t.
    """
    data = constant_gradient_steps(c, lr, steps, alpha)
    t = np.arange(1, steps + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=WIDE)
    for i, (name, (size, dist)) in enumerate(data.items()):
        left.plot(t, size, color=f"C{i}", lw=2, label=name)
        right.plot(t, dist, color=f"C{i}", lw=2, label=name)
    left.plot(t, lr / np.sqrt(t), "k--", lw=1,
              label=r"$\eta/\sqrt{t}$")
    left.plot(t, np.full(t.shape, lr), "k:", lw=1, label=r"$\eta$")
    right.plot(t, 2 * lr * np.sqrt(t), "k--", lw=1,
               label=r"$2\eta\sqrt{t}$")
    right.plot(t, lr * t, "k:", lw=1, label=r"$\eta\,t$")
    for ax, ylabel, title in (
            (left, r"step size $|\theta_t - \theta_{t-1}|$",
             "Each step"),
            (right, r"distance $|\theta_t - \theta_0|$",
             "Distance travelled")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("step t")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend()
    fig.suptitle(f"A gradient that is always {c:g}: lr = {lr:g}, "
                 f"alpha = {alpha:g}")
    fig.tight_layout()
    return fig


def ema_figure(alphas, steps):
    """``v_t / c^2 = 1 - alpha^t`` against t, one curve per alpha.

    A dotted vertical line marks each time constant 1 / (1 - alpha),
    where the curve crosses 1 - 1/e (grey line).
    """
    t = np.arange(1, steps + 1)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    for i, alpha in enumerate(alphas):
        tau = adaptive.time_constant(alpha)
        ax.plot(t, adaptive.ema_from_zero(1.0, alpha, t), color=f"C{i}",
                lw=2, label=f"alpha = {alpha:g}")
        ax.axvline(tau, color=f"C{i}", ls=":", lw=1.5)
    ax.axhline(1 - np.exp(-1), color="0.5", lw=1,
               label="1 - 1/e")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("step t")
    ax.set_ylabel(r"$v_t / c^2$")
    ax.set_title(r"Moving average of a constant $c^2$, from $v_0 = 0$")
    ax.legend(loc="upper left")
    return fig


def runs_figure(quadratic, runs, coord=1, names=NAMES, title=None):
    """Left: one coordinate against the step; right: ``J - J*``.

    ``runs`` maps a label to a ``training.Run``. The left panel follows
    coordinate ``coord`` (named ``names[coord]``), with its optimum as
    a dashed line; in a long, thin valley that is where progress shows.
    """
    runs = dict(runs)
    if not runs:
        raise ValueError("runs must hold at least one run")
    fig, (left, right) = plt.subplots(1, 2, figsize=WIDE)
    for i, (label, run) in enumerate(runs.items()):
        theta = np.asarray(run.theta)
        steps = np.arange(len(theta))
        left.plot(steps, theta[:, coord], color=f"C{i}", lw=2,
                  label=label)
        right.plot(steps, quadratic.excess(theta.T), color=f"C{i}", lw=2,
                   label=label)
    star = quadratic.theta_star[coord]
    symbol = _symbol(names[coord])
    left.axhline(star, color="k", ls="--", lw=1,
                 label=f"optimum {symbol}* = {star:.3g}")
    left.set_xlabel("step t")
    left.set_ylabel(names[coord])
    left.set_title(f"{symbol} on its way to the optimum")
    left.legend(fontsize=9)
    right.set_yscale("log")
    right.set_xlabel("step t")
    right.set_ylabel(COST_LABEL)
    right.set_title("cost above the minimum")
    right.legend(fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def effective_lr_figure(traces, names=NAMES, title=None):
    """The effective learning rate of each coordinate against the step.

    ``traces`` maps a label to an ``adaptive.Trace``. Log-log axes; one
    colour per trace, solid for the first coordinate, dashed for the
    second.
    """
    fig, ax = plt.subplots(figsize=FIGSIZE)
    for i, (label, tr) in enumerate(traces.items()):
        t = np.arange(1, len(tr.eff) + 1)
        for j, name in enumerate(names):
            ax.plot(t, tr.eff[:, j], COORD_STYLES[j], color=f"C{i}",
                    lw=2, label=f"{label}: {_symbol(name)}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step t")
    ax.set_ylabel("effective learning rate (the factor on g)")
    ax.set_title(title or "Effective learning rate per coordinate")
    ax.legend(fontsize=9)
    return fig


def eps_figure(lr, eps, v):
    """Effective learning rate against v, for both places of eps.

    Log-log. Dotted lines mark v = eps^2, where sqrt(v) = eps, and
    v = eps, where v + eps doubles v.
    """
    v = np.asarray(v, dtype=np.float64)
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.plot(v, adaptive.effective_step(v, lr, eps), color="C0", lw=2,
            label=r"outside: $\eta/(\sqrt{v}+\epsilon)$")
    ax.plot(v, adaptive.effective_step(v, lr, eps, eps_inside=True),
            color="C3", lw=2, ls="--",
            label=r"inside: $\eta/\sqrt{v+\epsilon}$")
    ax.axvline(eps ** 2, color="C0", ls=":", lw=1,
               label=r"$v = \epsilon^2$: $\sqrt{v} = \epsilon$")
    ax.axvline(eps, color="C3", ls=":", lw=1,
               label=r"$v = \epsilon$")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("accumulated v (mean of g^2)")
    ax.set_ylabel("effective learning rate")
    ax.set_title(f"Where eps goes: lr = {lr:g}, eps = {eps:g}")
    ax.legend()
    return fig


def alpha_figure(quadratic, alpha, lr, steps, theta0=(0.0, 0.0),
                 names=NAMES):
    """RMSProp at ``alpha`` and ``lr`` beside AdaGrad at the same lr.

    Left: ``J - J*`` against the step. Right: the effective learning
    rate of the second coordinate, with the time constant 1/(1 - alpha)
    marked. The slider of Chapter 5 calls this.
    """
    traces = {
        f"RMSProp, alpha = {alpha:g}": adaptive.trace(
            quadratic.loss, quadratic.grad, theta0, steps,
            RMSProp(lr=lr, alpha=alpha)),
        "AdaGrad": adaptive.trace(quadratic.loss, quadratic.grad, theta0,
                                  steps, AdaGrad(lr=lr)),
    }
    fig, (left, right) = plt.subplots(1, 2, figsize=WIDE)
    for i, (label, tr) in enumerate(traces.items()):
        theta = np.asarray(tr.run.theta)
        excess = quadratic.excess(theta.T)
        left.plot(np.arange(len(excess)), excess, color=f"C{i}", lw=2,
                  label=label)
        t = np.arange(1, len(tr.eff) + 1)
        right.plot(t, tr.eff[:, 1], color=f"C{i}", lw=2, label=label)
    tau = adaptive.time_constant(alpha)
    right.axvline(tau, color="0.4", ls=":", lw=1.5,
                  label=f"1/(1 - alpha) = {tau:.3g}")
    left.set_yscale("log")
    left.set_xlabel("step t")
    left.set_ylabel(COST_LABEL)
    left.set_title("cost above the minimum")
    left.legend()
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xlabel("step t")
    right.set_ylabel(f"effective learning rate of {_symbol(names[1])}")
    right.set_title(f"how far {_symbol(names[1])} may step")
    right.legend()
    fig.suptitle(f"lr = {lr:g}, {steps} steps")
    fig.tight_layout()
    return fig
