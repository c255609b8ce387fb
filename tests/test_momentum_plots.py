"""Tests for utils.plotting.momentum: the figures of Chapter 4, read
back from the lines and labels they draw."""


import numpy as np
import pytest

from figures import render
from utils import momentum as mom
from utils import quadratic as quad
from utils.plotting import momentum as mplot

BOWL = np.array([[5.5, 4.5], [4.5, 5.5]])  # eigenvalues 1 and 10


@pytest.fixture(scope="module")
def bowl():
    return quad.Quadratic(BOWL)


def lines_labelled(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_paths_figure_draws_each_path_and_its_excess(bowl):
    runs = {"gd": mom.run(bowl, 0.1, 0.0, 40, (-3.0, 0.5)),
            "heavy": mom.run(bowl, 0.1, 0.5, 40, (-3.0, 0.5))}
    fig = mplot.paths_figure(bowl, runs, title="bowl",
                             window=((-4, 4), (-4, 4)))
    render(fig)
    left, right = fig.axes
    assert fig._suptitle.get_text() == "bowl"
    assert left.get_xlim() == (-4.0, 4.0)
    assert left.collections, "no contour lines"
    paths = lines_labelled(left)
    for label, run in runs.items():
        np.testing.assert_array_equal(paths[label].get_xdata(),
                                      run.theta[:, 0])
        np.testing.assert_array_equal(paths[label].get_ydata(),
                                      run.theta[:, 1])
    curves = [l for l in right.get_lines() if len(l.get_xdata()) > 1]
    for curve, run in zip(curves, runs.values()):
        e = run.theta
        want = 0.5 * np.einsum("ti,ij,tj->t", e, BOWL, e)
        np.testing.assert_allclose(curve.get_ydata(), want, rtol=1e-12)
    assert right.get_yscale() == "log"
    assert right.get_ylabel() == "J - J* (kg²)"
    assert left.get_xlabel() == "w (kg/cm)"
    assert left.get_ylabel() == "b (kg)"
    labels = [t.get_text() for t in right.get_legend().get_texts()]
    assert labels[0].startswith("gd: J - J* = ")


def test_paths_figure_reports_and_clips_divergence(bowl):
    runs = {"gd": mom.run(bowl, 0.1, 0.0, 40, (-3.0, 0.5)),
            "too fast": mom.run(bowl, 0.5, 0.5, 2000, (-3.0, 0.5))}
    assert runs["too fast"].diverged_at is not None
    fig = mplot.paths_figure(bowl, runs, window=((-4, 4), (-4, 4)))
    render(fig)
    left, right = fig.axes
    labels = [t.get_text() for t in right.get_legend().get_texts()]
    assert f"diverged at step {runs['too fast'].diverged_at}" in labels[1]
    # the path is cut soon after it leaves the window, and says when
    (path,) = [l for l in left.get_lines()
               if l.get_label().startswith("too fast")]
    assert len(path.get_xdata()) < 60
    inside = np.all(np.abs(runs["too fast"].theta) <= 4, axis=1)
    left_at = int(np.argmin(inside))
    assert path.get_label() == f"too fast (left the view at step {left_at})"
    start = 0.5 * np.array([-3.0, 0.5]) @ BOWL @ np.array([-3.0, 0.5])
    assert right.get_ylim()[1] <= 1e6 * start * (1 + 1e-9)


def test_paths_figure_needs_a_run(bowl):
    with pytest.raises(ValueError, match="runs"):
        mplot.paths_figure(bowl, {})


def test_momentum_figure_title_and_runs(bowl):
    fig = mplot.momentum_figure(0.15, 0.6, bowl, 50, (-3.0, 0.5))
    render(fig)
    title = fig._suptitle.get_text()
    assert "lr L = 1.5" in title
    assert "2 + 2 beta = 3.2" in title
    rho = max(np.abs(np.linalg.eigvals(
        [[1 + 0.6 - 0.15 * lam, -0.6], [1, 0]])).max() for lam in (1, 10))
    assert f"{rho:.6f}" in title
    labels = [l.get_label() for l in fig.axes[0].get_lines()]
    assert any(t.startswith("gradient descent (beta = 0)") for t in labels)
    assert any(t.startswith("momentum, beta = 0.600") for t in labels)


def test_radius_figure_curves_and_markers():
    fig = mplot.radius_figure([0.0, 0.5, 0.9], s_max=4.0, points=400)
    render(fig)
    ax = fig.axes[0]
    curves = lines_labelled(ax)
    for beta in (0.0, 0.5, 0.9):
        line = curves[f"beta = {beta:g}"]
        s, rho = line.get_xdata(), line.get_ydata()
        for si, ri in zip(s[::37], rho[::37]):
            want = np.abs(np.roots([1, -(1 + beta - si), beta])).max()
            assert ri == pytest.approx(want, rel=1e-9, abs=1e-12)
    verticals = sorted(l.get_xdata()[0] for l in ax.get_lines()
                       if len(set(l.get_xdata())) == 1
                       and l.get_linestyle() == ":")
    assert verticals == pytest.approx([2.0, 3.0, 3.8])
    dashed = sorted(l.get_ydata()[0] for l in ax.get_lines()
                    if l.get_linestyle() == "--")
    assert dashed == pytest.approx([np.sqrt(0.5), np.sqrt(0.9)])
    assert ax.get_xlabel() == "lr * lambda"


def test_region_figure_boundary_line():
    fig = mplot.region_figure(points=101)
    render(fig)
    ax = fig.axes[0]
    line = lines_labelled(ax)["lr * lambda = 2 + 2 beta"]
    np.testing.assert_allclose(line.get_xdata(), 2 + 2 * line.get_ydata())
    assert ax.get_ylabel() == "beta"
    assert ax.get_xlabel() == "lr * lambda"


def test_conventions_figure_reads_back_step_lengths():
    A = np.array([[2.0, 0.0], [0.0, 0.5]])
    lrs = mom.step_decay(0.1, 60, drop_at=40, factor=0.1)
    a, b = mom.run_conventions(lambda th: A @ th, [1.0, 1.0], lrs, 0.9)
    fig = mplot.conventions_figure(a, b, lrs)
    render(fig)
    top, bottom = fig.axes
    la, lb = [l for l in top.get_lines()]
    np.testing.assert_allclose(la.get_ydata(),
                               np.linalg.norm(np.diff(a, axis=0), axis=1))
    np.testing.assert_allclose(lb.get_ydata(),
                               np.linalg.norm(np.diff(b, axis=0), axis=1))
    assert la.get_label().startswith("(A)")
    assert lb.get_label().startswith("(B)")
    np.testing.assert_array_equal(bottom.get_lines()[0].get_ydata(), lrs)
    assert top.get_yscale() == "log"
    assert sorted(bottom.get_yticks()) == pytest.approx([0.01, 0.1])


def test_paths_figure_notes_a_path_that_leaves_and_comes_back(bowl):
    # lr * 10 = 1.9: along (1, 1) (eigenvalue 10) the error is
    # multiplied by -0.9 a step: (2, 2), (-1.8, -1.8), (1.62, 1.62),
    # (-1.458, -1.458), ... The window ends at -1.5 on the low side, so
    # only step 1 is outside it.
    run = mom.run(bowl, 0.19, 0.0, 30, (2.0, 2.0))
    np.testing.assert_allclose(run.theta[:4, 0], [2, -1.8, 1.62, -1.458])
    window = ((-1.5, 2.5), (-1.5, 2.5))
    back = 2
    assert mplot.left_view(run.theta, window) == (1, back)
    fig = mplot.paths_figure(bowl, {"flips": run}, window=window)
    render(fig)
    labels = [l.get_label() for l in fig.axes[0].get_lines()]
    assert f"flips (left the view at step 1, back from step {back})" in labels
    assert mplot.left_view(run.theta[:1], window) == (None, None)


def test_paths_figure_draws_the_last_run_on_top(bowl):
    runs = {name: mom.run(bowl, 0.1, beta, 40, (-3.0, 0.5))
            for name, beta in (("a", 0.0), ("b", 0.5), ("c", 0.8))}
    fig = mplot.paths_figure(bowl, runs, window=((-4, 4), (-4, 4)))
    render(fig)
    lines = lines_labelled(fig.axes[0])
    a, b, c = (lines[k] for k in "abc")
    assert a.get_zorder() > c.get_zorder() > b.get_zorder()
    assert b.get_alpha() < 1 and c.get_alpha() == 1 and a.get_alpha() == 1


def test_paths_figure_needs_a_window_for_a_start_at_the_minimum(bowl):
    run = mom.run(bowl, 0.1, 0.0, 5, (0.0, 0.0))
    with pytest.raises(ValueError, match="window"):
        mplot.paths_figure(bowl, {"still": run})


def test_paths_figure_says_how_much_a_finite_run_grew(bowl):
    # lr * 10 = 2.5 > 2: along (1, 1) (eigenvalue 10) the error is
    # multiplied by 1 - 2.5 = -1.5 a step, so J - J* by 2.25.
    run = mom.run(bowl, 0.25, 0.0, 20, (1.0, 1.0))
    assert run.diverged_at is None
    fig = mplot.paths_figure(bowl, {"grows": run},
                             window=((-4, 4), (-4, 4)))
    render(fig)
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert labels == [f"grows: J - J* grew {2.25 ** 20:.2g}-fold"]
