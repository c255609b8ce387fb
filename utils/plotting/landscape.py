"""Figures of Appendix A3: optimizers racing across a loss landscape.

One figure, two views of the same landscape: the surface in 3D on the
left, its contour map on the right, and each optimizer's path drawn on
both. It is built in three layers, so that the slider panel in
``utils.landscape_widget`` can redraw only what a control changes:

- ``base_figure`` draws what depends on the landscape alone: the
  surface, the contours, the minima and the fixed axis limits;
- ``draw_runs`` draws the paths up to a step, with a legend that says
  how each run ended ("Adam: diverged at step 37", "GD: left the view at
  step 12"), replacing the paths drawn before;
- ``set_view`` turns the 3D view.

``landscape_figure`` stacks the three into a new figure and
``race_figure`` also runs the race: both are pure, arguments in, figure
out. The grids behind the surface and the contours come from
``surface_grids``, computed once per landscape by whoever caches them.

Paths are clipped to the plotted range before they are drawn, so a run
that diverges or leaves the view never stretches the axes; the limits
are fixed by the landscape. Figures are ``matplotlib.figure.Figure``
objects made without pyplot, so nothing is displayed or kept open
unless it is shown.
"""

import io
from typing import NamedTuple

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image
from matplotlib.ticker import MaxNLocator

from .. import landscapes

FIGSIZE = (10.0, 4.8)
DPI = 80
SURFACE_POINTS = 40
CONTOUR_POINTS = 121
CONTOUR_LEVELS = 14
# One colour per optimizer, the same in every figure.
COLOURS = {name: f"C{i}" for i, name in enumerate(landscapes.OPTIMIZERS)}
PATH_GID = "landscape-path"
STEP_GID = "landscape-step"
LEGEND_GID = "landscape-legend"


class Grids(NamedTuple):
    """Values of a landscape on two grids, as the figure draws them.

    ``surface`` and ``contour`` are ``(X, Y, H)`` triples of meshgrids,
    with ``H = landscape.height(f(X, Y))``; ``levels`` are the contour
    levels and ``zlim`` the height range of the 3D axes.
    """

    surface: tuple
    contour: tuple
    levels: np.ndarray
    zlim: tuple


def surface_grids(landscape, surface_points=SURFACE_POINTS,
                  contour_points=CONTOUR_POINTS):
    """Evaluate ``landscape`` on a coarse grid (3D) and a fine one."""
    land = landscapes.get(landscape)

    def grid(points):
        xs = np.linspace(*land.xlim, points)
        ys = np.linspace(*land.ylim, points)
        X, Y = np.meshgrid(xs, ys)
        return X, Y, land.height(land.f(X, Y))

    surface, contour = grid(surface_points), grid(contour_points)
    heights = contour[2]
    # Levels at quantiles of the heights: evenly spread over the map,
    # whatever the shape of the function.
    levels = np.unique(np.quantile(heights, np.linspace(
        0.01, 0.97, CONTOUR_LEVELS)))
    low, high = float(heights.min()), float(heights.max())
    zlim = (low, high + 0.02 * (high - low))
    return Grids(surface, contour, levels, zlim)


def base_figure(landscape, grids=None):
    """The surface (left) and contour map (right) of ``landscape``.

    Draws the minima as black stars and the saddle points as crosses;
    the axis limits are the landscape's range and stay fixed.
    """
    land = landscapes.get(landscape)
    grids = surface_grids(land) if grids is None else grids
    fig = Figure(figsize=FIGSIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    ax3d = fig.add_axes((0.0, 0.17, 0.52, 0.72), projection="3d")
    ax2d = fig.add_axes((0.59, 0.24, 0.38, 0.62))
    ax3d.computed_zorder = False
    ax3d.plot_surface(*grids.surface, cmap="bone", alpha=0.9,
                      linewidth=0, antialiased=False, zorder=1)
    ax2d.contour(*grids.contour, levels=grids.levels, cmap="bone",
                 linewidths=0.8)
    for ax in (ax3d, ax2d):
        ax.set_xlim(*land.xlim)
        ax.set_ylim(*land.ylim)
        ax.set_xlabel(land.names[0])
        ax.set_ylabel(land.names[1])
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_locator(MaxNLocator(4))
    ax3d.set_zlim(*grids.zlim)
    ax3d.zaxis.set_major_locator(MaxNLocator(4))
    ax3d.set_zlabel("log10(1 + f - f*)" if land.log_z else "f",
                    labelpad=6)
    ax3d.set_box_aspect(None, zoom=0.85)
    _mark_points(ax3d, ax2d, land, grids)
    fig.suptitle(f"{land.name}:  ${land.formula}$", fontsize=12)
    return fig


def _mark_points(ax3d, ax2d, land, grids):
    points = [(land.minima, "*", 11), (land.local_minima, ".", 5),
              (land.saddles, "x", 7)]
    for where, marker, size in points:
        if not where:
            continue
        xy = np.array(where)
        z = land.height(land.f(xy[:, 0], xy[:, 1]))
        style = dict(ls="none", marker=marker, ms=size, color="k",
                     zorder=6)
        ax2d.plot(xy[:, 0], xy[:, 1], **style)
        ax3d.plot(xy[:, 0], xy[:, 1], z, **style)


def clip_path(points, xlim, ylim, vertices=False):
    """The parts of the polyline ``points`` inside the box, for drawing.

    Each segment is cut at the box's edges (Liang-Barsky); segments
    outside the box, or with an endpoint that is not finite, are left
    out, and a row of NaN separates the pieces, which matplotlib draws
    as a gap. Returns an array of shape (m, 2); with ``vertices=True``
    also a boolean array saying which of its rows are points of the
    input (the others are cuts at the edge, or gaps).
    """
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    box = np.array([xlim, ylim], dtype=np.float64)
    if len(p) < 2:
        keep = np.all(np.isfinite(p), axis=1)
        keep &= np.all((p >= box[:, 0]) & (p <= box[:, 1]), axis=1)
        return (p[keep], np.ones(keep.sum(), bool)) if vertices else p[keep]
    a, b = p[:-1], p[1:]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        d = b - a
        ok = np.all(np.isfinite(a) & np.isfinite(b) & np.isfinite(d),
                    axis=1)
        t0, t1 = np.zeros(len(a)), np.ones(len(a))
        for axis in (0, 1):
            lo, hi = box[axis]
            # The segment a + t d stays in the slab where s * t <= r.
            for s, r in ((-d[:, axis], a[:, axis] - lo),
                         (d[:, axis], hi - a[:, axis])):
                ok &= ~((s == 0) & (r < 0))
                ratio = np.where(s != 0, r / np.where(s != 0, s, 1.0), 0.0)
                t0 = np.where(s < 0, np.maximum(t0, ratio), t0)
                t1 = np.where(s > 0, np.minimum(t1, ratio), t1)
        ok &= t0 <= t1
        # Exact endpoints where a segment is not cut.
        start = np.where((t0 == 0.0)[:, None], a, a + t0[:, None] * d)
        end = np.where((t1 == 1.0)[:, None], b, a + t1[:, None] * d)
    index = np.flatnonzero(ok)
    if index.size == 0:
        empty = np.empty((0, 2))
        return (empty, np.zeros(0, bool)) if vertices else empty
    # Consecutive kept segments that meet (one ends at its end, the next
    # starts at its start) share that point and need no gap.
    joined = np.zeros(index.size, dtype=bool)
    joined[1:] = ((np.diff(index) == 1) & (t1[index[:-1]] == 1.0)
                  & (t0[index[1:]] == 0.0))
    pieces = np.full((index.size, 3, 2), np.nan)
    pieces[:, 0] = start[index]
    pieces[:, 1] = end[index]
    keep = np.ones((index.size, 3), dtype=bool)
    keep[1:, 0] = ~joined[1:]       # no repeated start after a join
    keep[:-1, 2] = ~joined[1:]      # no gap before a joined segment
    keep[-1, 2] = False
    if not vertices:
        return pieces[keep]
    is_vertex = np.zeros((index.size, 3), dtype=bool)
    is_vertex[:, 0] = t0[index] == 0.0
    is_vertex[:, 1] = t1[index] == 1.0
    return pieces[keep], is_vertex[keep]


def draw_runs(fig, landscape, runs, step=None):
    """Draw each run's path up to ``step``, and the legend, on ``fig``.

    ``fig`` comes from ``base_figure``; ``runs`` maps an optimizer's
    name to a ``training.Run``. What an earlier call drew is replaced.
    See ``draw_paths`` and ``draw_legend``.
    """
    draw_paths(fig, landscape, runs, step)
    return draw_legend(fig, landscape, runs)


def draw_legend(fig, landscape, runs):
    """Under the views, one entry per run: its name and its outcome.

    Each entry is a short line in the run's colour and the text "name:
    outcome" (``landscapes.outcome``, for the whole run, whatever step is
    shown), two to a row. Built from plain lines and texts, which draw
    several times faster than a matplotlib legend.
    """
    land = landscapes.get(landscape)
    for artist in legend_artists(fig):
        artist.remove()
    for i, (name, run) in enumerate(runs.items()):
        x, y = 0.06 + 0.47 * (i % 2), 0.135 - 0.05 * (i // 2)
        fig.add_artist(Line2D([x, x + 0.03], [y, y], lw=2,
                              color=_colour(name, i), gid=LEGEND_GID,
                              transform=fig.transFigure))
        fig.text(x + 0.04, y, f"{name}: {landscapes.outcome(land, run)}",
                 va="center", fontsize=9, gid=LEGEND_GID)
    return fig


def legend_artists(fig):
    """The lines and texts of the legend ``draw_legend`` drew."""
    return [a for a in fig.artists + fig.texts
            if a.get_gid() == LEGEND_GID]


def legend_texts(fig):
    """The legend's entries, "name: outcome", in order."""
    return [t.get_text() for t in fig.texts if t.get_gid() == LEGEND_GID]


def draw_paths(fig, landscape, runs, step=None):
    """Draw each run's path up to ``step`` on both views of ``fig``.

    ``step`` defaults to the end of the longest run. Each path is cut
    where it leaves the view for good and clipped to the axes; the
    start is an open circle, the point at ``step`` a filled one. Called
    again with runs of the same names, it moves the lines it drew before
    instead of drawing new ones, which is what makes animating quick.
    """
    land = landscapes.get(landscape)
    ax3d, ax2d = fig.axes[:2]
    artists = _path_artists(fig)
    if list(artists) != list(runs):
        for group in artists.values():
            for artist in group.values():
                artist.remove()
        artists = {name: _new_path(ax3d, ax2d, name, _colour(name, i))
                   for i, name in enumerate(runs)}
    longest = max((run.steps for run in runs.values()), default=0)
    step = longest if step is None else max(0, min(int(step), longest))
    lift = 0.01 * (ax3d.get_zlim()[1] - ax3d.get_zlim()[0])
    for name, run in runs.items():
        _move_path(artists[name], land,
                   np.asarray(run.theta)[:step + 1], lift)
    label = f"step {step} of {longest}"
    texts = [t for t in fig.texts if t.get_gid() == STEP_GID]
    if texts:
        texts[0].set_text(label)
    else:
        fig.text(0.78, 0.88, label, ha="center", fontsize=10,
                 gid=STEP_GID)
    return fig


def _colour(name, i):
    return COLOURS.get(name, f"C{i % 10}")


def _path_artists(fig):
    """``{name: {role: artist}}`` for the paths ``draw_paths`` drew."""
    found = {}
    for ax in fig.axes[:2]:
        for artist in ax.lines:
            gid = artist.get_gid() or ""
            if gid.startswith(PATH_GID + ":"):
                _, name, role = gid.split(":", 2)
                found.setdefault(name, {})[role] = artist
    return found


def _new_path(ax3d, ax2d, name, colour):
    def gid(role):
        return f"{PATH_GID}:{name}:{role}"

    line = dict(color=colour, lw=1.6, zorder=4)
    dot = dict(ls="none", marker="o", ms=6, mec=colour, mew=1.5, zorder=5)
    empty2, empty3 = ([], []), ([], [], [])
    return {
        "line2d": ax2d.plot(*empty2, marker=".", ms=4, gid=gid("line2d"),
                            **line)[0],
        "line3d": ax3d.plot(*empty3, gid=gid("line3d"), **line)[0],
        "start2d": ax2d.plot(*empty2, mfc="w", gid=gid("start2d"),
                             **dot)[0],
        "start3d": ax3d.plot(*empty3, mfc="w", gid=gid("start3d"),
                             **dot)[0],
        "now2d": ax2d.plot(*empty2, mfc=colour, gid=gid("now2d"),
                           **dot)[0],
        "now3d": ax3d.plot(*empty3, mfc=colour, gid=gid("now3d"),
                           **dot)[0],
    }


def _move_path(artists, land, theta, lift):
    line, vertex = clip_path(_until_gone(land, theta), land.xlim,
                             land.ylim, vertices=True)
    with np.errstate(invalid="ignore"):
        heights = land.height(land.f(line[:, 0], line[:, 1])) + lift
    artists["line2d"].set_data(line[:, 0], line[:, 1])
    # Dots at the iterates only, not where a segment meets the edge.
    artists["line2d"].set_markevery(list(vertex) if len(vertex) else None)
    artists["line3d"].set_data_3d(line[:, 0], line[:, 1], heights)
    for role, point in (("start", theta[0]), ("now", theta[-1])):
        if land.inside(point)[0]:
            z = land.height(land.f(point[0], point[1])) + lift
            artists[role + "2d"].set_data([point[0]], [point[1]])
            artists[role + "3d"].set_data_3d([point[0]], [point[1]], [z])
        else:
            artists[role + "2d"].set_data([], [])
            artists[role + "3d"].set_data_3d([], [], [])


def overlay_artists(fig):
    """What ``draw_runs`` added to ``fig``: paths, step label, legend."""
    paths = [a for group in _path_artists(fig).values()
             for a in group.values()]
    paths += [t for t in fig.texts if t.get_gid() == STEP_GID]
    return paths, legend_artists(fig)


def _until_gone(land, theta):
    """``theta`` up to the segment where it leaves the view for good.

    A run that diverges by oscillating jumps from one side of the view
    to the other; its long segments cross the view, and drawn they would
    look like a path. Only the segment that leaves is kept.
    """
    inside = np.flatnonzero(land.inside(theta))
    return theta[:inside[-1] + 2] if inside.size else theta[:0]


def set_view(fig, elev, azim):
    """Turn the 3D view of ``fig`` to ``elev`` and ``azim`` degrees."""
    fig.axes[0].view_init(elev=elev, azim=azim)
    return fig


def landscape_figure(landscape, runs, step=None, elev=30.0, azim=-60.0,
                     grids=None):
    """``base_figure`` with ``runs`` drawn up to ``step``, seen from
    ``elev`` and ``azim``."""
    fig = base_figure(landscape, grids)
    draw_runs(fig, landscape, runs, step)
    return set_view(fig, elev, azim)


def race_figure(landscape, optimizers=("GD", "Momentum", "Adam"),
                start=None, steps=100, lr=None, momentum=0.9, beta1=0.9,
                beta2=0.999, alpha=0.99, noise=0.0, seed=0, step=None,
                elev=30.0, azim=-60.0):
    """Race ``optimizers`` on ``landscape`` and draw the result.

    The settings are those of ``landscapes.race``; this is the figure
    the slider panel of Appendix A3 shows for the same values.
    """
    runs = landscapes.race(landscape, optimizers, start, steps, lr,
                           momentum, beta1, beta2, alpha, noise, seed)
    return landscape_figure(landscape, runs, step, elev, azim)


def render_png(fig):
    """The PNG bytes of ``fig``, drawn in full at its fixed layout."""
    return PngRenderer(fig).png()


class PngRenderer:
    """Draws a figure of ``base_figure`` to PNG, redrawing little.

    It keeps two pictures: the figure without anything ``draw_runs``
    added (the background), and the same with the legend. A new step
    moves the paths only, so ``png()`` starts from the second picture
    and draws the paths on it; new runs bring a new legend, drawn on the
    background. Call ``forget()`` after anything else changes (the view
    angle): the next ``png()`` draws everything.
    """

    def __init__(self, fig):
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self._background = None
        self._with_legend = None
        self._legends = None

    def forget(self):
        """Drop the kept pictures; the next ``png()`` draws in full."""
        self._background = None
        self._with_legend = None

    def png(self):
        """The PNG bytes of the figure as it is now."""
        paths, legends = overlay_artists(self.fig)
        if self._background is None:
            for artist in paths + legends:
                artist.set_visible(False)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            for artist in paths + legends:
                artist.set_visible(True)
            self._with_legend = None
        renderer = self.canvas.get_renderer()
        if self._with_legend is None or self._legends != legends:
            # new runs: their legend goes on the background
            self.canvas.restore_region(self._background)
            for legend in legends:
                legend.draw(renderer)
            self._with_legend = self.canvas.copy_from_bbox(self.fig.bbox)
            self._legends = legends
        else:
            self.canvas.restore_region(self._with_legend)
        for artist in paths:
            artist.draw(renderer)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height),
                                 self.canvas.buffer_rgba(), "raw", "RGBA",
                                 0, 1).convert("RGB")
        buffer = io.BytesIO()
        # Level 1 compresses a little less and several times faster.
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()
