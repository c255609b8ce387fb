"""Tests for utils.plotting: what the figures draw, read back from them."""

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest

from figures import render
from utils.data import flipper_and_mass
from utils.plotting import fit_figure, loss_figure, scatter_figure, show
from utils.training import Run, fit_linear


@pytest.fixture(scope="module")
def data():
    return flipper_and_mass()


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def a_run(losses, diverged_at=None):
    losses = np.asarray(losses, dtype=float)
    return Run(np.zeros((len(losses), 2)), losses, diverged_at)


# fit_figure -----------------------------------------------------------------

def test_fit_figure_draws_the_line_between_the_extreme_inputs():
    x = np.array([2.0, -1.0, 5.0, 0.5])
    y = np.array([1.0, 0.0, 3.0, 2.0])
    w, b = 0.5, -2.0
    fig = fit_figure(x, y, w, b)
    ax = fig.axes[0]
    assert len(ax.lines) == 1
    xs, ys = ax.lines[0].get_data()
    np.testing.assert_allclose(xs, [-1.0, 5.0])
    # -1 * 0.5 - 2 = -2.5 and 5 * 0.5 - 2 = 0.5.
    np.testing.assert_allclose(ys, [-2.5, 0.5])


def test_fit_figure_scatters_every_point(data):
    x, y = data
    fig = fit_figure(x, y, 0.5, 4.2, xlabel="flipper (cm)",
                     ylabel="mass (kg)", title="Penguins")
    ax = fig.axes[0]
    points = ax.collections[0].get_offsets()
    np.testing.assert_array_equal(np.asarray(points), np.column_stack([x, y]))
    assert ax.get_xlabel() == "flipper (cm)"
    assert ax.get_ylabel() == "mass (kg)"
    assert ax.get_title() == "Penguins"
    assert legend_texts(ax) == ["data", "w = 0.500, b = 4.200"]
    render(fig)


def test_fit_figure_on_the_least_squares_line(data):
    x, y = data
    w, b = np.polyfit(x, y, 1)
    xs, ys = fit_figure(x, y, w, b).axes[0].lines[0].get_data()
    np.testing.assert_allclose(xs, [x.min(), x.max()])
    np.testing.assert_allclose(ys, [w * x.min() + b, w * x.max() + b])


def test_fit_figure_accepts_lists_and_has_no_title_by_default():
    fig = fit_figure([0, 1, 2], [1, 2, 3], 1.0, 1.0)
    ax = fig.axes[0]
    assert ax.get_title() == ""
    np.testing.assert_allclose(ax.lines[0].get_data()[1], [1.0, 3.0])


def test_scatter_figure_has_no_line():
    fig = scatter_figure([0, 1], [2, 3], title="t")
    ax = fig.axes[0]
    assert len(ax.lines) == 0
    np.testing.assert_array_equal(np.asarray(ax.collections[0].get_offsets()),
                                  [[0, 2], [1, 3]])


# loss_figure ----------------------------------------------------------------

def test_loss_figure_plots_each_run_against_the_step():
    runs = {"slow": a_run([4.0, 2.0, 1.0]),
            "fast": a_run([4.0, 1.0, 0.25, 0.0625])}
    fig = loss_figure(runs, title="Two runs")
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert ax.get_title() == "Two runs"
    assert legend_texts(ax) == ["slow", "fast"]
    assert len(ax.lines) == 2
    for line, run in zip(ax.lines, runs.values()):
        xs, ys = line.get_data()
        np.testing.assert_array_equal(xs, np.arange(len(run.loss)))
        np.testing.assert_array_equal(ys, run.loss)
    low, high = ax.get_ylim()
    assert low < 0.0625 and high > 4.0


def test_loss_figure_can_use_a_linear_scale():
    fig = loss_figure({"a": a_run([3.0, 2.0, 1.0])}, log=False)
    assert fig.axes[0].get_yscale() == "linear"


def test_a_diverged_run_is_labelled_and_marked():
    runs = {"lr = 0.1": a_run([5.0, 1.0, 0.2]),
            "lr = 2": a_run([5.0, 50.0, 500.0, np.inf], diverged_at=3)}
    fig = loss_figure(runs)
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    assert legend_texts(ax) == ["lr = 0.1", "lr = 2 (diverged at step 3)"]
    # Two curves and one cross, at the last finite loss of the diverged run.
    assert len(ax.lines) == 3
    xs, ys = ax.lines[1].get_data()
    np.testing.assert_array_equal(xs, [0, 1, 2])
    np.testing.assert_array_equal(ys, [5.0, 50.0, 500.0])
    cross = ax.lines[2]
    assert cross.get_marker() == "x"
    np.testing.assert_array_equal(np.ravel(cross.get_data()), [2, 500.0])
    assert cross.get_color() == ax.lines[1].get_color()


def test_a_run_that_diverged_in_training_is_drawn_without_warnings(data):
    # A real divergence ends with a loss near the largest float (~1.8e308),
    # where a log axis's margin and ticks can overflow.
    x, y = data
    diverged = fit_linear(x, y, lr=1.0, steps=2000)
    assert diverged.diverged_at is not None
    runs = {"lr = 0.1": fit_linear(x, y, lr=0.1, steps=50),
            "lr = 1": diverged}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = loss_figure(runs)
        render(fig)
    assert [str(w.message) for w in caught] == []
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    step = diverged.diverged_at
    assert f"lr = 1 (diverged at step {step})" in legend_texts(ax)
    # Every finite loss of both runs lies inside the y limits.
    low, high = ax.get_ylim()
    for run in runs.values():
        finite = run.loss[np.isfinite(run.loss)]
        assert low <= finite.min() and finite.max() <= high
    assert np.all(np.isfinite(ax.get_yticks()))


def test_loss_figure_with_extreme_losses_draws_without_warnings():
    runs = {"tiny": a_run([1.0, 1e-200, 1e-300]),
            "huge": a_run([1.0, 1e300, 1.7e308, np.inf], diverged_at=3)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render(loss_figure(runs))
    assert [str(w.message) for w in caught] == []


def test_a_run_of_zero_steps_can_be_drawn():
    fig = loss_figure({"start": a_run([2.0])})
    low, high = fig.axes[0].get_ylim()
    assert low < 2.0 < high
    render(fig)


# show -----------------------------------------------------------------------

def test_show_closes_the_figure(capsys):
    fig = fit_figure([0, 1], [0, 1], 1.0, 0.0)
    number = fig.number
    show(fig)
    assert not plt.fignum_exists(number)
    # Outside a notebook IPython prints what it would display: the PNG.
    out = capsys.readouterr().out
    assert "image/png" in out
    assert "<Figure size" not in out


def test_loss_figure_names_the_loss_and_its_unit():
    runs = {"a": a_run([3.0, 2.0, 1.0])}
    assert loss_figure(runs).axes[0].get_ylabel() == "loss J"
    ax = loss_figure(runs, ylabel="cost J (kg²)").axes[0]
    assert ax.get_ylabel() == "cost J (kg²)"


def test_log_axis_ignores_values_it_cannot_draw():
    from utils.plotting import LOG_TOP, _log_y

    fig, ax = plt.subplots()
    _log_y(ax, np.array([np.nan, np.inf, -1.0, 0.0, 1e-2, 1e2]))
    low, high = ax.get_ylim()
    # Four decades, 5% margin on each side.
    assert np.log10(low) == pytest.approx(-2.2)
    assert np.log10(high) == pytest.approx(2.2)
    fig, ax = plt.subplots()
    _log_y(ax, np.array([1e-320, 1.7e308]))
    low, high = ax.get_ylim()
    assert low == 10.0 ** -LOG_TOP and high == 10.0 ** LOG_TOP
