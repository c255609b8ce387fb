"""utils.plotting.compare: each figure draws the results it is given.

The tests read back the lines, markers, scales, labels and titles, and
compare them with the runs of a small comparison made here.
"""

import math

import numpy as np
import pytest

from figures import render
from utils import compare as cp
from utils import softmax as sm
from utils.plotting import compare as pc

LRS = [1e-2, 1e-1, 1.0]


@pytest.fixture(scope="module")
def small():
    task = sm.digits_task()
    return cp.compare(task, names=["SGD", "Adam"], lrs=LRS, epochs=1,
                      record_every=5)


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_every_optimizer_has_its_own_style():
    assert set(pc.STYLES) == set(cp.OPTIMIZERS)
    assert len(set(pc.STYLES.values())) == len(pc.STYLES)
    assert pc.style("SGD")[1] == "-" and pc.style("Adam")[1] == "--"
    assert pc.style("something else") == ("0.4", ":")


def test_digits_figure_shows_the_images_with_their_labels():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 17, size=(12, 64)).astype(float)
    labels = np.arange(12) % 10
    fig = pc.digits_figure(images, labels, count=12, columns=5)
    render(fig)
    assert len(fig.axes) == 15  # 3 rows of 5, the last 3 left blank
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 12
    for ax, image, label in zip(shown, images, labels):
        np.testing.assert_array_equal(ax.images[0].get_array(),
                                      image.reshape(8, 8))
        assert ax.get_title() == str(label)


def test_sweep_figure_draws_each_sweep_and_marks_its_best(small):
    fig = pc.sweep_figure(small.sweeps, start_loss=math.log(10.0))
    render(fig)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_xlabel() == "learning rate lr"
    assert ax.get_ylabel() == "final training loss (nats)"
    lines = ax.get_lines()
    for name, s in small.sweeps.items():
        curve = next(line for line in lines
                     if line.get_label().startswith(name + " "))
        np.testing.assert_array_equal(curve.get_xdata(), s.lrs)
        np.testing.assert_array_equal(curve.get_ydata(), s.final_loss)
        assert f"best lr {s.best_lr:.3g}" in curve.get_label()
        assert curve.get_color() == pc.style(name)[0]
        dots = [line for line in lines if len(line.get_xdata()) == 1
                and line.get_xdata()[0] == s.best_lr
                and line.get_ydata()[0] == s.best_loss]
        assert dots, f"no dot at the best rate of {name}"
    start = [line for line in lines
             if line.get_label().startswith("loss at the start")]
    assert start and start[0].get_ydata()[0] == math.log(10.0)
    assert "(2.303)" in start[0].get_label()


def test_sweep_figure_puts_diverged_runs_on_the_top_edge(small):
    s = small.sweeps["SGD"]
    broken = s._replace(final_loss=np.array([s.final_loss[0], np.inf,
                                             s.final_loss[2]]))
    fig = pc.sweep_figure({"SGD": broken})
    render(fig)
    ax = fig.axes[0]
    crosses = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert len(crosses) == 1
    assert list(crosses[0].get_xdata()) == [LRS[1]]
    assert list(crosses[0].get_ydata()) == [0.97]
    curve = ax.get_lines()[0]
    assert list(curve.get_xdata()) == [LRS[0], LRS[2]]


def test_curves_figure_draws_loss_against_epochs(small):
    runs = {"first": small.finals["SGD"], "second": small.finals["Adam"]}
    fig = pc.curves_figure(runs, title="a title")
    render(fig)
    ax = fig.axes[0]
    assert ax.get_title() == "a title"
    assert ax.get_xlabel() == "epoch" and ax.get_yscale() == "log"
    assert ax.get_ylabel() == "training loss (nats)"
    assert legend_texts(ax) == ["first", "second"]
    for line, run in zip(ax.get_lines(), runs.values()):
        np.testing.assert_allclose(line.get_xdata(),
                                   run.steps / run.steps_per_epoch)
        np.testing.assert_array_equal(line.get_ydata(), run.loss)
        assert (line.get_color(), line.get_linestyle()) == pc.style(
            run.name)
    assert ax.get_lines()[0].get_xdata()[-1] == pytest.approx(1.0)


def test_curves_figure_ends_a_diverged_run_with_a_cross():
    X = np.full((8, 2), 1e200)
    run = cp.train("SGD", 1e300, X, np.arange(8), epochs=2, batch_size=4)
    ok = cp.train("SGD", 1e-3, np.ones((8, 2)), np.arange(8), epochs=2,
                  batch_size=4)
    fig = pc.curves_figure({"bad": run, "good": ok})
    render(fig)
    ax = fig.axes[0]
    assert legend_texts(ax)[0] == (f"bad (diverged at step "
                                   f"{run.diverged_at})")
    crosses = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert len(crosses) == 1
    assert np.isfinite(crosses[0].get_ydata()).all()


def test_best_curves_figure_shows_the_final_runs(small):
    fig = pc.best_curves_figure(small)
    render(fig)
    ax = fig.axes[0]
    assert ax.get_title() == "Each optimizer at its own best lr"
    want = [f"{name}, lr = {run.lr:.3g}"
            for name, run in small.finals.items()]
    assert legend_texts(ax) == want
    for line, run in zip(ax.get_lines(), small.finals.values()):
        np.testing.assert_array_equal(line.get_ydata(), run.loss)


def test_same_lr_figure_picks_each_sweeps_run_at_that_rate(small):
    fig = pc.same_lr_figure(small.sweeps, LRS[1])
    render(fig)
    ax = fig.axes[0]
    assert ax.get_title() == "Every optimizer at lr = 0.1"
    assert legend_texts(ax) == ["SGD", "Adam"]
    for line, s in zip(ax.get_lines(), small.sweeps.values()):
        np.testing.assert_array_equal(line.get_ydata(), s.runs[1].loss)


def test_same_lr_figure_keeps_its_y_axis_for_every_rate(small):
    limits = {pc.same_lr_figure(small.sweeps, lr).axes[0].get_ylim()
              for lr in LRS}
    assert len(limits) == 1
    low, high = limits.pop()
    every = np.concatenate([r.loss for s in small.sweeps.values()
                            for r in s.runs])
    assert low < every.min() and high > every.max()


def test_run_at_refuses_a_rate_off_the_grid(small):
    assert pc.run_at(small.sweeps["SGD"], 1.0).lr == 1.0
    with pytest.raises(ValueError, match="lr"):
        pc.run_at(small.sweeps["SGD"], 0.5)
