"""Tests for utils.plotting.rates: the figures of Chapter 2, read back."""


import numpy as np
import pytest
from matplotlib.lines import Line2D

from figures import render
from utils import quadratic as quad
from utils.data import flipper_and_mass
from utils.plotting import LOG_TOP, rates
from utils.training import Run, fit_linear

BOWL = np.array([[5.5, 4.5], [4.5, 5.5]])


@pytest.fixture(scope="module")
def data():
    return flipper_and_mass()


@pytest.fixture(scope="module")
def bowl():
    return quad.Quadratic(BOWL)


def paths(ax):
    """The lines drawn with more than one point (the descent paths)."""
    return [line for line in ax.get_lines() if len(line.get_xdata()) > 1]


def test_outcome_says_how_a_run_ended(bowl):
    converged = bowl.descend(0.1, 30, (-3.0, 0.5))
    growing = bowl.descend(0.25, 30, (-3.0, 0.5))
    stopped = Run(np.array([[1.0, 1.0], [np.inf, np.inf]]),
                  np.array([10.0, np.inf]), 1)
    assert rates.outcome(bowl, converged).startswith("J - J* = ")
    assert "after 30 steps" in rates.outcome(bowl, converged)
    assert "grew" in rates.outcome(bowl, growing)
    assert rates.outcome(bowl, stopped) == "diverged at step 1"


def test_regimes_figure_draws_each_run_on_its_own_panel(bowl):
    lrs = {"too low": 0.01, "well chosen": 2 / 11, "converges": 0.19,
           "diverges": 0.21}
    runs = {k: bowl.descend(lr, 30, (-3.0, 0.5)) for k, lr in lrs.items()}
    fig = rates.regimes_figure(bowl, runs, window=((-4, 4), (-4, 4)),
                               title="the bowl")
    render(fig)
    assert fig._suptitle.get_text() == "the bowl"
    axes = fig.axes
    assert len(axes) == 4
    for ax, (label, run) in zip(axes, runs.items()):
        title = ax.get_title()
        assert title.startswith(label + "\n")
        assert rates.outcome(bowl, run) in title
        assert ax.get_xlim() == (-4.0, 4.0)
        assert ax.collections, "no contour lines"
        path = paths(ax)[0]
        n = len(path.get_xdata())
        assert np.array_equal(path.get_xdata(), run.theta[:n, 0])
        assert np.array_equal(path.get_ydata(), run.theta[:n, 1])
    # The converging runs stay in view; the diverging one is cut where it
    # leaves, and the panel says so.
    assert len(paths(axes[1])[0].get_xdata()) == 31
    cut = len(paths(axes[3])[0].get_xdata())
    assert cut < 31
    notes = [t.get_text() for t in axes[3].texts]
    assert notes == [f"leaves the plot at step {cut - 1}"]


def test_regimes_figure_marks_the_minimum(data):
    x, y = data
    cost = quad.linear_cost(x, y)
    runs = {"lr = 0.3": fit_linear(x, y, lr=0.3, steps=20)}
    fig = rates.regimes_figure(cost, runs, names=("w", "b"))
    ax = fig.axes[0]
    stars = [line for line in ax.get_lines() if line.get_marker() == "*"]
    assert len(stars) == 1
    assert stars[0].get_xdata()[0] == pytest.approx(cost.theta_star[0])
    assert stars[0].get_ydata()[0] == pytest.approx(cost.theta_star[1])
    assert ax.get_xlabel() == "w" and ax.get_ylabel() == "b"


def test_regimes_figure_needs_runs(bowl):
    with pytest.raises(ValueError, match="runs"):
        rates.regimes_figure(bowl, {})


def test_descent_figure_plots_the_excess_on_a_log_axis(bowl):
    run = bowl.descend(0.15, 40, (-3.0, 0.5))
    fig = rates.descent_figure(bowl, run, "lr = 0.15")
    render(fig)
    left, right = fig.axes
    assert fig._suptitle.get_text() == "lr = 0.15"
    assert right.get_yscale() == "log"
    curve = right.get_lines()[0]
    want = [0.5 * (t @ BOWL @ t) for t in run.theta]
    assert np.allclose(curve.get_ydata(), want, rtol=1e-12)
    assert right.get_title() == rates.outcome(bowl, run)


def test_descent_figure_reports_divergence_at_its_step(data):
    x, y = data
    run = fit_linear(x, y, lr=100.0, steps=100)
    assert run.diverged_at is not None
    cost = quad.linear_cost(x, y)
    fig = rates.descent_figure(cost, run, "lr = 100")
    render(fig)  # no overflow warning from the log axis
    right = fig.axes[1]
    assert right.get_title() == f"diverged at step {run.diverged_at}"
    crosses = [line for line in right.get_lines()
               if line.get_marker() == "x"]
    assert len(crosses) == 1
    low, high = right.get_ylim()
    assert 0 < low < high <= 10.0 ** LOG_TOP < np.finfo(float).max
    assert low <= crosses[0].get_ydata()[0] <= high
    assert all(np.isfinite(right.get_yticks()))


def test_lr_figure_runs_chapter_1_model(data):
    x, y = data
    fig = rates.lr_figure(0.45, x, y, steps=50)
    render(fig)
    title = fig._suptitle.get_text()
    L = 2.0 * np.mean(x ** 2)
    assert title == f"lr = 0.45: oscillating, 1 - lr L = {1 - 0.45 * L:.3g}"
    run = fit_linear(x, y, lr=0.45, steps=50)
    path = paths(fig.axes[0])[0]
    assert np.array_equal(path.get_xdata(), run.theta[:, 0])
    assert np.array_equal(path.get_ydata(), run.theta[:, 1])
    assert fig.axes[0].get_xlabel() == "w (kg/cm)"


@pytest.mark.parametrize("lr, word", [(0.001, "monotone"),
                                      (0.6, "diverging"),
                                      (100.0, "diverging")])
def test_lr_figure_across_the_slider_range(data, lr, word):
    x, y = data
    fig = rates.lr_figure(lr, x, y, steps=100)
    render(fig)
    assert word in fig._suptitle.get_text()


def test_lr_figure_at_the_top_of_the_slider_says_diverged(data):
    x, y = data
    run = fit_linear(x, y, lr=100.0, steps=100)
    fig = rates.lr_figure(100.0, x, y, steps=100)
    assert fig.axes[1].get_title() == f"diverged at step {run.diverged_at}"


def test_sweep_figure_marks_the_bound(data):
    x, y = data
    L = 2.0 * np.mean(x ** 2)
    lrs = np.geomspace(1e-3, 1.0, 21)
    sweep = quad.lr_sweep(x, y, lrs, steps=20)
    fig = rates.sweep_figure(sweep, L, 2.0)
    render(fig)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"2/L = {2 / L:.3f}" in texts
    assert f"2/(L+mu) = {2 / (L + 2.0):.3f}" in texts
    assert "after 20 steps" in texts
    verticals = {line.get_label(): line.get_xdata()[0]
                 for line in ax.get_lines()
                 if line.get_label().startswith("2/")}
    assert verticals[f"2/L = {2 / L:.3f}"] == pytest.approx(2 / L)
    curve = ax.get_lines()[0]
    assert np.array_equal(curve.get_xdata(), lrs)
    assert np.allclose(curve.get_ydata(), sweep.excess)
    assert ax.get_title() == "Final loss after 20 steps"


def test_sweep_figure_shows_diverged_runs(data):
    x, y = data
    sweep = quad.lr_sweep(x, y, [0.1, 0.3, 100.0], steps=100)
    fig = rates.sweep_figure(sweep, 2.0 * np.mean(x ** 2))
    render(fig)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "diverged (loss not finite)" in texts
    crosses = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert len(crosses) == 1
    assert list(crosses[0].get_xdata()) == [100.0]
    assert not any(t.startswith("2/(L+mu)") for t in texts)


def test_figures_are_pure(data):
    """Same arguments, same lines: nothing is read from elsewhere."""
    x, y = data
    a = rates.lr_figure(0.2, x, y, steps=30)
    b = rates.lr_figure(0.2, x, y, steps=30)
    for ax_a, ax_b in zip(a.axes, b.axes):
        for la, lb in zip(ax_a.get_lines(), ax_b.get_lines()):
            assert isinstance(la, Line2D)
            assert np.array_equal(la.get_xydata(), lb.get_xydata())


@pytest.mark.parametrize("ratio, text", [(2.5, "2.5"), (3.0, "3"),
                                         (246.7, "250"), (12345.0,
                                                          "12,000"),
                                         (3.14e7, "3.1e+07")])
def test_growth_factors_read_as_a_person_writes_them(ratio, text):
    assert rates._factor(ratio) == text


def test_outcome_of_a_growing_run_is_readable(bowl):
    # lr = 0.21: the steep factor is 1 - 2.1 = -1.1, so J - J* grows.
    run = bowl.descend(0.21, 30, (-3.0, 0.5))
    e = np.array([[-3.0, 0.5], run.theta[-1]])
    ratio = (0.5 * e[1] @ BOWL @ e[1]) / (0.5 * e[0] @ BOWL @ e[0])
    assert ratio > 10
    text = rates.outcome(bowl, run)
    assert text == f"J - J* grew {rates._factor(ratio)}-fold in 30 steps"
    assert "e+" not in text


def test_the_leaving_note_is_drawn_above_the_path(bowl):
    runs = {"diverges": bowl.descend(0.21, 30, (-3.0, 0.5))}
    fig = rates.regimes_figure(bowl, runs, window=((-4, 4), (-4, 4)))
    render(fig)
    ax = fig.axes[0]
    note, = ax.texts
    path = paths(ax)[0]
    assert note.get_zorder() > path.get_zorder()
    patch = note.get_bbox_patch()
    assert patch is not None and patch.get_facecolor()[:3] == (1, 1, 1)


def test_a_run_from_the_minimum_gets_a_unit_window(bowl):
    # The start is the minimum: no gap to frame, so one unit either way.
    run = bowl.descend(0.1, 5, (0.0, 0.0))
    ax = rates.regimes_figure(bowl, {"at the minimum": run}).axes[0]
    assert ax.get_xlim() == (-1.0, 1.0) and ax.get_ylim() == (-1.0, 1.0)


def test_sweep_figure_marks_one_over_l(data):
    x, y = data
    L = 2.0 * np.mean(x ** 2)
    sweep = quad.lr_sweep(x, y, np.geomspace(1e-2, 1.0, 9), steps=20)
    ax = rates.sweep_figure(sweep, L, 2.0, unit="kg²").axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    one_over_l = lines[f"1/L = {1 / L:.3f}"]
    assert one_over_l.get_xdata()[0] == pytest.approx(1 / L)
    assert one_over_l.get_linestyle() == "-."
    assert ax.get_ylabel() == "final J - J* (kg²)"


def test_loss_axes_carry_the_unit(data):
    x, y = data
    fig = rates.lr_figure(0.3, x, y, steps=10)
    assert fig.axes[1].get_ylabel() == "J - J* (kg²)"
    bowl_fig = rates.descent_figure(quad.Quadratic(BOWL),
                                    quad.Quadratic(BOWL).descend(
                                        0.1, 5, (1.0, 1.0)), "bowl")
    assert bowl_fig.axes[1].get_ylabel() == "J - J*"


def test_rates_uses_the_shared_log_axis():
    from utils import plotting
    assert rates._log_y is plotting._log_y
    assert rates.LOG_CEILING == 10.0 ** plotting.LOG_TOP
