"""utils.plotting.noise: each figure draws the data it is given.

The tests read back what is on the axes (points, lines, scales, labels)
and compare it with values computed here from utils.minibatch and
utils.linear.
"""

import numpy as np
import pytest

from utils import linear, minibatch
from utils.data import flipper_and_mass
from utils.plotting import noise

X, Y = flipper_and_mass()
N = X.size
J_STAR = linear.mse(*linear.least_squares(X, Y), X, Y)


def test_spread_figure_draws_the_batch_gradients_sgd_would_see():
    fig = noise.gradient_spread_figure(X, Y, 0.0, 0.0, [1, 8], seed=3,
                                       batches=50)
    ax = fig.axes[0]
    clouds = ax.collections
    assert len(clouds) == 2
    rng = np.random.default_rng(3)
    for cloud, size in zip(clouds, (1, 8)):
        want = minibatch.batch_gradients(0.0, 0.0, X, Y, size, rng, 50)
        assert np.allclose(cloud.get_offsets(), want)
    cross = ax.lines[0]
    assert np.allclose([cross.get_xdata()[0], cross.get_ydata()[0]],
                       linear.mse_grad(0.0, 0.0, X, Y))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["B = 1", "B = 8", "full gradient"]
    assert ax.get_xlabel() == "dJ/dw on the batch"
    assert ax.get_ylabel() == "dJ/db on the batch"


def test_spread_figure_keeps_its_axes_whatever_the_batch_size():
    limits = []
    for size in (1, 20, N):
        ax = noise.gradient_spread_figure(X, Y, 0.2, 3.0, [size]).axes[0]
        limits.append((ax.get_xlim(), ax.get_ylim()))
    assert limits[0] == limits[1] == limits[2]


def test_spread_limits_hold_most_single_sample_gradients():
    (x0, x1), (y0, y1) = noise.spread_limits(0.0, 0.0, X, Y)
    grads = minibatch.per_sample_grads(0.0, 0.0, X, Y)
    inside = ((grads[:, 0] >= x0) & (grads[:, 0] <= x1)
              & (grads[:, 1] >= y0) & (grads[:, 1] <= y1))
    assert 0.95 < inside.mean() < 1.0


def test_whole_data_batches_collapse_onto_the_full_gradient():
    ax = noise.gradient_spread_figure(X, Y, 0.0, 0.0, [N],
                                      batches=5).axes[0]
    points = ax.collections[0].get_offsets()
    assert np.allclose(points, linear.mse_grad(0.0, 0.0, X, Y))


def test_variance_figure_lines_and_scales():
    sizes = [1, 4, 16]
    measured = [10.0, 2.6, 0.6]
    ax = noise.variance_figure(sizes, measured, sigma2=10.0, n=50).axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    law, exact, points = ax.lines
    grid = law.get_xdata()
    assert grid[0] == pytest.approx(1.0) and grid[-1] == pytest.approx(16)
    assert np.allclose(law.get_ydata(), 10.0 / grid)
    assert np.allclose(exact.get_ydata(),
                       10.0 / grid * (50 - grid) / 49)
    assert np.allclose(points.get_xdata(), sizes)
    assert np.allclose(points.get_ydata(), measured)
    assert law.get_linestyle() == "--"
    assert ax.get_xlabel() == "batch size B"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[-1] == "measured"


def runs_for_progress(steps=60):
    return {f"B = {s}": minibatch.sgd_linear(X, Y, 0.05, s, steps,
                                             np.random.default_rng(0))
            for s in (N, 1)}


def test_progress_figure_against_steps_and_samples():
    runs = runs_for_progress()
    fig = noise.progress_figure(runs, J_STAR, floor=1e-9)
    left, right = fig.axes
    for ax in (left, right):
        assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert left.get_xlabel() == "step k"
    assert right.get_xlabel() == "samples processed"
    for i, run in enumerate(runs.values()):
        excess = run.loss[1:] - J_STAR
        shown = left.lines[i].get_ydata()
        keep = excess >= 1e-9
        assert np.allclose(shown[keep], excess[keep])
        assert np.all(np.isnan(shown[~keep]))
        assert np.array_equal(left.lines[i].get_xdata(),
                              np.arange(1, run.steps + 1))
        assert np.array_equal(right.lines[i].get_xdata(), run.samples[1:])
    assert [t.get_text() for t in left.get_legend().get_texts()] == list(
        runs)


def test_progress_figure_hides_rounding_error_below_the_floor():
    run = runs_for_progress(steps=300)["B = 342"]
    fig = noise.progress_figure({"full": run}, J_STAR, floor=1e-6)
    shown = fig.axes[0].lines[0].get_ydata()
    assert np.isnan(shown[-1])  # full batch reached J* to rounding error
    assert np.nanmin(shown) >= 1e-6


def test_noise_ball_figure_draws_runs_and_plateaus():
    runs = {"constant": minibatch.sgd_linear(X, Y, 0.05, 1, 300,
                                             np.random.default_rng(0)),
            "decaying": minibatch.sgd_linear(X, Y, 0.05, 1, 300,
                                             np.random.default_rng(0),
                                             k0=50)}
    levels = {"constant": minibatch.plateau(runs["constant"], 100)}
    ax = noise.noise_ball_figure(runs, J_STAR, plateaus=levels).axes[0]
    assert ax.get_yscale() == "log"
    assert ax.get_xlabel() == "step k"
    constant, plateau, decaying = ax.lines
    excess = runs["constant"].loss - J_STAR
    assert np.allclose(constant.get_ydata(), np.maximum(excess, 1e-7))
    assert np.allclose(plateau.get_ydata(), levels["constant"] - J_STAR)
    assert plateau.get_linestyle() == "--"
    assert plateau.get_color() == constant.get_color()
    assert np.allclose(decaying.get_ydata(),
                       np.maximum(runs["decaying"].loss - J_STAR, 1e-7))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["constant", "decaying"]


def test_loss_axes_carry_the_unit_when_given():
    runs = runs_for_progress(steps=20)
    left = noise.progress_figure(runs, J_STAR).axes[0]
    assert left.get_ylabel() == r"$J - J^*$"
    left = noise.progress_figure(runs, J_STAR, unit="kg²").axes[0]
    assert left.get_ylabel() == r"$J - J^*$ (kg²)"
    ax = noise.noise_ball_figure(runs, J_STAR, unit="kg²").axes[0]
    assert ax.get_ylabel() == r"$J - J^*$ (kg²)"


def test_noise_ball_figure_draws_one_dashed_line_per_plateau():
    """Section 3.7 says each dashed line is its run's plateau, in the
    run's colour, the constant run's above the decaying run's."""
    runs = {"constant": minibatch.sgd_linear(X, Y, 0.05, 1, 600,
                                             np.random.default_rng(0)),
            "decaying": minibatch.sgd_linear(X, Y, 0.05, 1, 600,
                                             np.random.default_rng(0),
                                             k0=50)}
    levels = {k: minibatch.plateau(r, 200) for k, r in runs.items()}
    ax = noise.noise_ball_figure(runs, J_STAR, plateaus=levels).axes[0]
    solid_c, dashed_c, solid_d, dashed_d = ax.lines
    for solid, dashed in ((solid_c, dashed_c), (solid_d, dashed_d)):
        assert dashed.get_linestyle() == "--"
        assert dashed.get_color() == solid.get_color()
    assert dashed_c.get_ydata()[0] > dashed_d.get_ydata()[0]
