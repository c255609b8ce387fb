"""utils.plotting.adam: each figure draws the numbers it is given.

The tests read back the lines (data, labels), the scales and the titles,
and compare them with hand formulas or with runs made here.
"""

import math

import numpy as np
import pytest

from figures import render
from utils import adam_analysis as aa
from utils import linear
from utils.data import flipper_and_mass
from utils.plotting import adam as adam_plots

X, Y = flipper_and_mass()


def labelled(ax):
    """The lines that have a legend entry, by label."""
    return {line.get_label(): line for line in ax.get_lines()
            if not line.get_label().startswith("_")}


def test_correction_figure_draws_one_minus_beta_to_the_t():
    fig = adam_plots.correction_figure(0.8, 0.99, steps=50)
    ax = fig.axes[0]
    lines = labelled(ax)
    m = lines[r"$m$: $1 - \beta_1^t$, $\beta_1 = 0.8$"]
    v = lines[r"$v$: $1 - \beta_2^t$, $\beta_2 = 0.99$"]
    t = np.arange(1, 51)
    assert np.array_equal(m.get_xdata(), t)
    assert np.allclose(m.get_ydata(), [1 - 0.8 ** k for k in t])
    assert np.allclose(v.get_ydata(), [1 - 0.99 ** k for k in t])
    assert ax.get_xscale() == "log"
    assert ax.get_ylim() == (0.0, 1.05)
    assert ax.get_xlabel() == "step $t$"
    render(fig)


def test_step_ratio_figure_has_one_curve_per_variant():
    fig = adam_plots.step_ratio_figure(0.9, 0.999, steps=100)
    ax = fig.axes[0]
    lines = labelled(ax)
    assert list(lines) == [label for label, _, _ in adam_plots.VARIANTS]
    t = np.arange(1, 101)
    assert np.allclose(lines["both corrected (Adam)"].get_ydata(), 1.0)
    none = [(1 - 0.9 ** k) / math.sqrt(1 - 0.999 ** k) for k in t]
    assert np.allclose(lines["neither corrected"].get_ydata(), none)
    m_only = [1 / math.sqrt(1 - 0.999 ** k) for k in t]
    assert np.allclose(lines["$m$ only corrected"].get_ydata(), m_only)
    v_only = [1 - 0.9 ** k for k in t]
    assert np.allclose(lines["$v$ only corrected"].get_ydata(), v_only)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_title() == (r"Constant gradient, $\beta_1 = 0.9$, "
                              r"$\beta_2 = 0.999$")
    assert ax.get_xlabel() == "step $t$"
    render(fig)


def test_ablation_figure_draws_the_two_runs():
    fig = adam_plots.ablation_figure(X, Y, lr=0.05, beta1=0.9,
                                     beta2=0.999, steps=60)
    left, right = fig.axes
    runs = aa.ablation_runs(X, Y, 0.05, 60)
    _, b_star = linear.least_squares(X, Y)
    for ax in (left, right):
        assert set(labelled(ax)) >= {"corrected", "uncorrected"}
    for name, run in runs.items():
        path = labelled(left)[name]
        assert np.allclose(path.get_ydata(), run.theta[:, 1])
        sizes = labelled(right)[name]
        assert np.array_equal(sizes.get_xdata(), np.arange(1, 61))
        assert np.allclose(sizes.get_ydata(),
                           np.abs(np.diff(run.theta[:, 1])) / 0.05)
    star = labelled(left)[f"$b^* = {b_star:.3f}$"]
    assert np.allclose(star.get_ydata(), b_star)
    assert right.get_yscale() == "log"
    assert left.get_ylabel() == "$b$ (kg)"
    assert left.get_xlabel() == right.get_xlabel() == "step $t$"
    assert (r"$\eta = 0.05$, $\beta_1 = 0.9$, $\beta_2 = 0.999$"
            in fig.get_suptitle())
    render(fig)


def test_ablation_figure_follows_its_controls():
    a = adam_plots.ablation_figure(X, Y, lr=0.05, beta2=0.9999, steps=30)
    b = adam_plots.ablation_figure(X, Y, lr=0.05, beta2=0.99, steps=30)
    first_a = labelled(a.axes[1])["uncorrected"].get_ydata()[0]
    first_b = labelled(b.axes[1])["uncorrected"].get_ydata()[0]
    assert first_a == pytest.approx(0.1 / math.sqrt(1e-4), rel=1e-6)
    assert first_b == pytest.approx(0.1 / math.sqrt(1e-2), rel=1e-6)


def test_decay_figure_one_panel_per_weight():
    paths = aa.decay_runs((100.0, 0.01), lr=1e-3, weight_decay=0.5,
                          steps=300, seed=1)
    fig = adam_plots.decay_figure(paths, 1e-3, 0.5, (100.0, 0.01))
    axes = fig.axes
    assert len(axes) == 2
    for j, ax in enumerate(axes):
        lines = labelled(ax) if j == 0 else {
            line.get_label(): line for line in ax.get_lines()}
        for label, path in paths.items():
            assert np.allclose(lines[label].get_ydata(), path[:, j])
        shrink = lines[adam_plots.SHRINK_LABEL]
        t = np.arange(301)
        assert np.allclose(shrink.get_ydata(), (1 - 5e-4) ** t)
        assert ax.get_xlabel() == "step $t$"
    assert axes[0].get_title() == "weight 1: gradient noise of scale 100"
    assert axes[1].get_title() == "weight 2: gradient noise of scale 0.01"
    legend = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert legend == list(aa.DECAY_LABELS) + [adam_plots.SHRINK_LABEL]
    assert adam_plots.SHRINK_LABEL == r"$\theta_0\,(1 - \eta\lambda)^t$"
    assert r"$\eta = 0.001$, $\lambda = 0.5$" in fig.get_suptitle()
    render(fig)
