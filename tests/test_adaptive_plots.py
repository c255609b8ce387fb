"""Tests for utils.plotting.adaptive: the figures of Chapter 5, read
back (their lines' data, labels, scales and titles)."""

import math

import numpy as np
import pytest

from figures import render
from utils import adaptive
from utils.optimizers import SGD, AdaGrad, RMSProp
from utils.plotting import adaptive as figs
from utils.training import descend


@pytest.fixture(scope="module")
def cost():
    return adaptive.uncentred_cost()


def by_label(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_constant_gradient_figure(tmp_path):
    fig = figs.constant_gradient_figure(c=2.0, lr=0.01, steps=200)
    render(fig)
    left, right = fig.axes
    t = np.arange(1, 201)
    for ax in (left, right):
        assert ax.get_xscale() == ax.get_yscale() == "log"
        assert ax.get_xlabel() == "step t"
    lines = by_label(left)
    assert np.allclose(lines["AdaGrad"].get_ydata(), 0.01 / np.sqrt(t),
                       rtol=1e-9)
    rms = lines["RMSProp"].get_ydata()
    assert rms[0] == pytest.approx(0.1, rel=1e-6)
    assert np.allclose(lines[r"$\eta/\sqrt{t}$"].get_ydata(),
                       0.01 / np.sqrt(t))
    dist = by_label(right)
    assert np.allclose(dist["AdaGrad"].get_ydata(),
                       np.cumsum(0.01 / np.sqrt(t)), rtol=1e-9)
    assert np.allclose(dist[r"$2\eta\sqrt{t}$"].get_ydata(),
                       0.02 * np.sqrt(t))
    assert "always 2" in fig._suptitle.get_text()


def test_ema_figure_marks_each_time_constant():
    fig = figs.ema_figure((0.9, 0.99), steps=500)
    render(fig)
    ax = fig.axes[0]
    t = np.arange(1, 501)
    lines = by_label(ax)
    assert np.allclose(lines["alpha = 0.9"].get_ydata(), 1 - 0.9 ** t)
    assert np.allclose(lines["alpha = 0.99"].get_ydata(), 1 - 0.99 ** t)
    verticals = sorted(line.get_xdata()[0] for line in ax.get_lines()
                       if line.get_linestyle() == ":")
    assert verticals == pytest.approx([10.0, 100.0])
    assert lines["1 - 1/e"].get_ydata()[0] == pytest.approx(
        1 - math.exp(-1))
    assert ax.get_xscale() == "log"


def test_runs_figure_follows_b_and_the_cost(cost):
    runs = {"GD": descend(cost.loss, cost.grad, [0.0, 0.0], 50,
                          SGD(lr=0.002)),
            "RMSProp": descend(cost.loss, cost.grad, [0.0, 0.0], 50,
                               RMSProp(lr=0.01))}
    fig = figs.runs_figure(cost, runs, title="two runs")
    render(fig)
    left, right = fig.axes
    for label, run in runs.items():
        assert np.array_equal(by_label(left)[label].get_ydata(),
                              run.theta[:, 1])
        want = [cost.excess(t) for t in run.theta]
        assert np.allclose(by_label(right)[label].get_ydata(), want)
    star = [line for line in left.get_lines()
            if line.get_label().startswith("optimum b*")]
    assert star[0].get_ydata()[0] == pytest.approx(cost.theta_star[1])
    assert left.get_ylabel() == "b (kg)"
    assert right.get_ylabel() == "J - J* (kg²)"
    assert right.get_yscale() == "log"
    assert fig._suptitle.get_text() == "two runs"
    with pytest.raises(ValueError, match="runs"):
        figs.runs_figure(cost, {})


def test_effective_lr_figure_draws_each_coordinate(cost):
    tr = adaptive.trace(cost.loss, cost.grad, [0.0, 0.0], 30,
                        AdaGrad(lr=0.01))
    fig = figs.effective_lr_figure({"AdaGrad": tr})
    render(fig)
    ax = fig.axes[0]
    lines = by_label(ax)
    assert np.array_equal(lines["AdaGrad: w"].get_ydata(), tr.eff[:, 0])
    assert np.array_equal(lines["AdaGrad: b"].get_ydata(), tr.eff[:, 1])
    assert lines["AdaGrad: b"].get_linestyle() == "--"
    assert ax.get_xscale() == ax.get_yscale() == "log"


def test_eps_figure_plots_both_rules():
    v = np.geomspace(1e-20, 1.0, 50)
    fig = figs.eps_figure(0.01, 1e-8, v)
    render(fig)
    ax = fig.axes[0]
    lines = ax.get_lines()
    outside = [ln for ln in lines if ln.get_label().startswith("outside")]
    inside = [ln for ln in lines if ln.get_label().startswith("inside")]
    assert np.allclose(outside[0].get_ydata(), 0.01 / (np.sqrt(v) + 1e-8))
    assert np.allclose(inside[0].get_ydata(), 0.01 / np.sqrt(v + 1e-8))
    verticals = sorted(ln.get_xdata()[0] for ln in lines
                       if ln.get_linestyle() == ":")
    assert verticals == pytest.approx([1e-16, 1e-8])
    assert "eps = 1e-08" in ax.get_title()


def test_alpha_figure_compares_with_adagrad(cost):
    fig = figs.alpha_figure(cost, alpha=0.9, lr=0.01, steps=40)
    render(fig)
    left, right = fig.axes
    rms = descend(cost.loss, cost.grad, [0.0, 0.0], 40,
                  RMSProp(lr=0.01, alpha=0.9))
    assert np.allclose(by_label(left)["RMSProp, alpha = 0.9"].get_ydata(),
                       [cost.excess(t) for t in rms.theta])
    assert "AdaGrad" in by_label(right)
    tau = by_label(right)["1/(1 - alpha) = 10"]
    assert tau.get_xdata()[0] == pytest.approx(10.0)
    assert right.get_xscale() == "log"
    assert left.get_ylabel() == "J - J* (kg²)"
    assert right.get_ylabel() == "effective learning rate of b"
    assert fig._suptitle.get_text() == "lr = 0.01, 40 steps"
