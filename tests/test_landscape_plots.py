"""Tests for utils.plotting.landscape: the figures of Appendix A3."""

import io
import warnings

import numpy as np
import pytest
from PIL import Image

from utils import landscapes as ls
from utils.plotting import landscape as lp


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def path_line(fig, name, role="line2d"):
    return lp._path_artists(fig)[name][role]


# --- clipping -----------------------------------------------------------

def test_clip_path_keeps_a_path_inside_the_box_unchanged():
    pts = np.array([[0.0, 0.0], [0.5, 0.2], [-0.3, 0.9]])
    line, vertex = lp.clip_path(pts, (-1, 1), (-1, 1), vertices=True)
    assert np.array_equal(line, pts)
    assert vertex.all()


def test_clip_path_cuts_a_segment_at_the_edge():
    pts = np.array([[0.0, 0.0], [4.0, 2.0]])
    line, vertex = lp.clip_path(pts, (-1, 1), (-1, 1), vertices=True)
    assert np.allclose(line, [[0.0, 0.0], [1.0, 0.5]])
    assert list(vertex) == [True, False]


def test_clip_path_leaves_a_gap_where_the_path_is_outside():
    pts = np.array([[0.0, 0.0], [3.0, 0.0], [3.0, 0.5], [0.0, 0.5]])
    line = lp.clip_path(pts, (-1, 1), (-1, 1))
    assert line.shape == (5, 2)
    assert np.allclose(line[:2], [[0, 0], [1, 0]])
    assert np.isnan(line[2]).all()
    assert np.allclose(line[3:], [[1, 0.5], [0, 0.5]])


def test_clip_path_drops_points_that_are_not_finite():
    pts = np.array([[0.0, 0.0], [0.5, 0.5], [1e308, -1e308], [np.inf, 0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        line = lp.clip_path(pts, (-1, 1), (-1, 1))
    assert np.all(np.abs(line[np.isfinite(line)]) <= 1.0)
    assert np.allclose(line[:2], [[0, 0], [0.5, 0.5]])


def test_clip_path_of_one_point_and_of_none():
    assert lp.clip_path([[0.0, 0.0]], (-1, 1), (-1, 1)).shape == (1, 2)
    assert lp.clip_path([[5.0, 0.0]], (-1, 1), (-1, 1)).shape == (0, 2)
    assert lp.clip_path(np.empty((0, 2)), (-1, 1), (-1, 1)).shape == (0, 2)


# --- the figure ---------------------------------------------------------

@pytest.fixture(scope="module")
def himmelblau_grids():
    return lp.surface_grids("himmelblau")


def test_surface_grids_hold_the_heights_of_the_landscape():
    land = ls.get("penguin")
    grids = lp.surface_grids(land, surface_points=9, contour_points=13)
    X, Y, H = grids.surface
    assert X.shape == (9, 9) and grids.contour[0].shape == (13, 13)
    assert X.min() == land.xlim[0] and Y.max() == land.ylim[1]
    assert np.allclose(H, land.f(X, Y))
    assert np.all(np.diff(grids.levels) > 0)
    assert grids.zlim[0] == pytest.approx(grids.contour[2].min())


def test_log_landscapes_draw_log10_of_one_plus_the_excess():
    land = ls.get("rosenbrock")
    X, Y, H = lp.surface_grids(land, 7, 7).surface
    assert np.allclose(H, np.log10(1 + land.f(X, Y)))


def test_base_figure_has_both_views_with_the_landscape_limits(
        himmelblau_grids):
    land = ls.get("himmelblau")
    fig = lp.base_figure(land, himmelblau_grids)
    ax3d, ax2d = fig.axes
    assert ax3d.name == "3d" and ax2d.name == "rectilinear"
    assert ax3d.computed_zorder is False
    for ax in (ax3d, ax2d):
        assert tuple(ax.get_xlim()) == land.xlim
        assert tuple(ax.get_ylim()) == land.ylim
    assert ax3d.get_zlabel() == "log10(1 + f - f*)"
    assert land.formula in fig._suptitle.get_text()
    stars = [line for line in ax2d.get_lines() if line.get_marker() == "*"]
    assert len(stars) == 1 and len(stars[0].get_xdata()) == 4
    crosses = [line for line in ax2d.get_lines()
               if line.get_marker() == "x"]
    assert len(crosses[0].get_xdata()) == len(land.saddles)


def test_paths_are_drawn_on_both_views_above_the_surface():
    runs = ls.race("himmelblau", ["GD", "Adam"], steps=40, lr=0.01)
    fig = lp.landscape_figure("himmelblau", runs)
    land = ls.get("himmelblau")
    surface = fig.axes[0].collections[0]
    for name, run in runs.items():
        flat = path_line(fig, name)
        assert np.allclose(flat.get_xdata(), run.theta[:, 0])
        assert np.allclose(flat.get_ydata(), run.theta[:, 1])
        high = path_line(fig, name, "line3d")
        xs, ys, zs = high.get_data_3d()
        assert np.allclose(xs, run.theta[:, 0])
        heights = np.log10(1 + land.f(run.theta[:, 0], run.theta[:, 1]))
        assert np.all(zs >= heights)
        assert high.get_zorder() > surface.get_zorder()
    assert lp.legend_texts(fig) == [
        f"{name}: {ls.outcome(land, run)}" for name, run in runs.items()]
    assert all(t.get_text() != "" for t in fig.texts)


def test_the_step_cuts_the_paths_and_moves_the_same_lines():
    runs = ls.race("valley", ["GD", "Momentum"], steps=50, lr=0.01)
    fig = lp.landscape_figure("valley", runs, step=10)
    line = path_line(fig, "GD")
    assert len(line.get_xdata()) == 11
    now = path_line(fig, "GD", "now2d")
    assert now.get_xdata()[0] == runs["GD"].theta[10, 0]
    lp.draw_paths(fig, "valley", runs, step=30)
    assert path_line(fig, "GD") is line
    assert len(line.get_xdata()) == 31
    step_text = [t.get_text() for t in fig.texts
                 if t.get_gid() == lp.STEP_GID]
    assert step_text == ["step 30 of 50"]


def test_new_runs_replace_the_old_paths_and_legend():
    fig = lp.race_figure("saddle", ("GD", "Adam", "RMSProp"), steps=20)
    lp.draw_runs(fig, "saddle", ls.race("saddle", ["Momentum"], steps=20))
    assert list(lp._path_artists(fig)) == ["Momentum"]
    assert len(lp.legend_texts(fig)) == 1
    assert lp.legend_texts(fig)[0].startswith("Momentum: ")


def test_a_diverging_run_keeps_the_axes_and_says_what_happened():
    land = ls.get("himmelblau")
    runs = ls.race(land, ["GD", "Adam"], start=(4.0, 4.0), steps=100,
                   lr=0.5)
    assert runs["GD"].diverged_at is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = lp.landscape_figure(land, runs)
        png = lp.render_png(fig)
    assert png.startswith(b"\x89PNG")
    ax3d, ax2d = fig.axes
    for ax in (ax3d, ax2d):
        assert tuple(ax.get_xlim()) == land.xlim
        assert tuple(ax.get_ylim()) == land.ylim
    assert ax3d.get_zlim()[1] < 4, "the z axis is not stretched"
    gd = [t for t in lp.legend_texts(fig) if t.startswith("GD: ")][0]
    assert f"diverged at step {runs['GD'].diverged_at}" in gd
    assert "left the view at step" in gd
    xs = path_line(fig, "GD").get_xdata()
    finite = xs[np.isfinite(xs)]
    assert finite.size >= 2, "the path is drawn up to the edge"
    assert np.all((finite >= land.xlim[0]) & (finite <= land.xlim[1]))


def test_a_start_off_the_view_draws_no_path_and_says_so():
    land = ls.get("valley")
    runs = ls.race(land, ["GD"], start=(30.0, 0.0), steps=10, lr=0.01)
    fig = lp.landscape_figure(land, runs)
    lp.render_png(fig)
    assert len(path_line(fig, "GD").get_xdata()) == 0
    assert len(path_line(fig, "GD", "start2d").get_xdata()) == 0
    assert lp.legend_texts(fig) == ["GD: outside the view from the start"]
    assert tuple(fig.axes[1].get_xlim()) == land.xlim


def test_set_view_turns_the_3d_axes():
    fig = lp.race_figure("saddle", ("GD",), steps=5, elev=50, azim=20)
    assert fig.axes[0].elev == 50 and fig.axes[0].azim == 20
    lp.set_view(fig, 10, -100)
    assert fig.axes[0].elev == 10 and fig.axes[0].azim == -100


def test_race_figure_is_landscape_figure_of_the_race():
    settings = dict(start=(-1.0, 2.0), steps=30, lr=0.001)
    fig = lp.race_figure("rosenbrock", ("GD", "Adam"), **settings)
    runs = ls.race("rosenbrock", ("GD", "Adam"), **settings)
    for name, run in runs.items():
        xs = path_line(fig, name).get_xdata()
        assert np.array_equal(xs, run.theta[:, 0])


def test_renderer_reuses_pixels_and_matches_a_full_drawing():
    runs = ls.race("himmelblau", ["GD", "Momentum"], steps=60, lr=0.01)
    fig = lp.landscape_figure("himmelblau", runs, step=5)
    renderer = lp.PngRenderer(fig)
    draws = []
    original = renderer.canvas.draw
    renderer.canvas.draw = lambda: draws.append(1) or original()
    renderer.png()
    lp.draw_paths(fig, "himmelblau", runs, step=40)
    cached = renderer.png()
    assert len(draws) == 1, "a new step draws only the paths"
    fresh = lp.render_png(fig)
    assert np.array_equal(pixels(cached), pixels(fresh))
    lp.set_view(fig, 60, 10)
    renderer.forget()
    renderer.png()
    assert len(draws) == 2
