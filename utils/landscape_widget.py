"""The control panel of Appendix A3: optimizers racing on a landscape.

A thin layer: it reads the controls, asks ``utils.landscapes`` for the
runs and ``utils.plotting.landscape`` for the figure, and shows the PNG
in an ``ipywidgets.Image``. What it adds is caching, so that a control
redoes only the work it needs:

- the grids of a landscape (``surface_grids``) and its base figure are
  made once per landscape and kept;
- a run is recomputed only when its own inputs change (GD does not rerun
  when beta1 moves), and fewer steps reuse the longer run already made;
- the step slider, the Play button and the view angles only redraw.

``LandscapePanel(**settings).widget`` is the panel; ``settings`` are
those of ``plotting.landscape.race_figure``, which draws the same figure
without widgets.
"""

from contextlib import contextmanager

from . import landscapes
from .plotting import landscape as plot

RUN_CONTROLS = ("optimizers", "lr", "steps", "momentum", "beta1", "beta2",
                "alpha", "noise", "x0", "y0")
VIEW_CONTROLS = ("elev", "azim")
MAX_STEPS = 500
MAX_CACHED_RUNS = 256


class LandscapePanel:
    """Controls over a figure of optimizers racing on a landscape.

    ``controls`` maps a name (``landscape``, ``optimizers``, ``lr``,
    ``steps``, ``momentum``, ``beta1``, ``beta2``, ``alpha``, ``noise``,
    ``x0``, ``y0``, ``elev``, ``azim``, ``step``, ``play``) to its widget;
    ``image`` holds the current figure as PNG bytes. Setting a control's
    ``value`` from Python redraws at once, as moving it does.
    """

    def __init__(self, landscape="penguin",
                 optimizers=("GD", "Momentum", "Adam"), start=None,
                 steps=100, lr=None, momentum=0.9, beta1=0.9, beta2=0.999,
                 alpha=0.99, noise=0.0, seed=0, step=None, elev=30.0,
                 azim=-60.0):
        import ipywidgets as widgets

        land = landscapes.get(landscape)
        start = land.start if start is None else start
        self.seed = seed
        self._grids = {}
        self._figures = {}
        self._runs = {}
        self._current = {}
        self._holding = False
        self.controls = _controls(widgets, land, optimizers, start, steps,
                                  land.lr if lr is None else lr, momentum,
                                  beta1, beta2, alpha, noise, elev, azim)
        c = self.controls
        widgets.link((c["play"], "value"), (c["step"], "value"))
        self.image = widgets.Image(format="png",
                                   layout=widgets.Layout(width="800px"))
        self._redraw_all(step)
        c["landscape"].observe(self._on_landscape, names="value")
        for name in RUN_CONTROLS:
            c[name].observe(self._on_runs, names="value")
        c["step"].observe(self._on_step, names="value")
        for name in VIEW_CONTROLS:
            c[name].observe(self._on_view, names="value")
        self.widget = _layout(widgets, c, self.image)

    # --- what the controls say -------------------------------------

    def settings(self):
        """The current values, as keywords of ``race_figure``."""
        c = self.controls
        return dict(landscape=c["landscape"].value,
                    optimizers=tuple(c["optimizers"].value),
                    start=(c["x0"].value, c["y0"].value),
                    steps=c["steps"].value, lr=c["lr"].value,
                    momentum=c["momentum"].value, beta1=c["beta1"].value,
                    beta2=c["beta2"].value, alpha=c["alpha"].value,
                    noise=c["noise"].value, seed=self.seed,
                    step=c["step"].value, elev=c["elev"].value,
                    azim=c["azim"].value)

    @contextmanager
    def _hold(self):
        """Change controls without each change redrawing."""
        self._holding, before = True, self._holding
        try:
            yield
        finally:
            self._holding = before

    # --- the cached work -------------------------------------------

    def _figure(self, key):
        """The base figure of landscape ``key`` and its PNG renderer."""
        if key not in self._grids:
            self._grids[key] = plot.surface_grids(key)
        if key not in self._figures:
            fig = plot.base_figure(key, self._grids[key])
            self._figures[key] = (fig, plot.PngRenderer(fig))
        return self._figures[key]

    def _run(self, name, s):
        read = landscapes.settings_read_by(name)
        key = (s["landscape"], name, tuple(s["start"]), s["lr"],
               s["noise"], s["seed"]) + tuple(s[k] for k in read)
        run = self._runs.get(key)
        if run is None or (run.steps < s["steps"]
                           and run.diverged_at is None):
            run = landscapes.run_one(
                s["landscape"], name, s["start"], s["steps"], s["lr"],
                s["momentum"], s["beta1"], s["beta2"], s["alpha"],
                s["noise"], s["seed"])
            if len(self._runs) >= MAX_CACHED_RUNS:
                self._runs.clear()
            self._runs[key] = run
        return landscapes.truncate(run, s["steps"])

    def _compute_runs(self, s):
        self._current = {name: self._run(name, s)
                         for name in s["optimizers"]}

    def _render(self):
        self.image.value = self._renderer.png()

    def _redraw_all(self, step=None):
        s = self.settings()
        self._fig, self._renderer = self._figure(s["landscape"])
        self._compute_runs(s)
        with self._hold():
            self._reset_step(s["steps"] if step is None else step)
        plot.draw_runs(self._fig, s["landscape"], self._current,
                       self.controls["step"].value)
        plot.set_view(self._fig, s["elev"], s["azim"])
        self._renderer.forget()
        self._render()

    def _reset_step(self, value):
        c = self.controls
        steps = c["steps"].value
        c["step"].max = c["play"].max = steps
        c["step"].value = min(value, steps)

    # --- the observers ---------------------------------------------

    def _on_landscape(self, change):
        land = landscapes.get(change["new"])
        c = self.controls
        with self._hold():
            for name, lim, value in (("x0", land.xlim, land.start[0]),
                                     ("y0", land.ylim, land.start[1])):
                c[name].min, c[name].max = -1e9, 1e9
                c[name].value = value
                c[name].min, c[name].max = lim
                c[name].step = (lim[1] - lim[0]) / 200
            c["lr"].value = land.lr
        self._redraw_all()

    def _on_runs(self, change):
        if self._holding:
            return
        s = self.settings()
        self._compute_runs(s)
        with self._hold():
            self._reset_step(s["steps"])
        plot.draw_runs(self._fig, s["landscape"], self._current,
                       self.controls["step"].value)
        self._render()

    def _on_step(self, change):
        if self._holding:
            return
        plot.draw_paths(self._fig, self.controls["landscape"].value,
                       self._current, change["new"])
        self._render()

    def _on_view(self, change):
        if self._holding:
            return
        c = self.controls
        plot.set_view(self._fig, c["elev"].value, c["azim"].value)
        self._renderer.forget()
        self._render()


def landscape_panel(**settings):
    """The widget of a ``LandscapePanel`` made with ``settings``."""
    return LandscapePanel(**settings).widget


def _controls(widgets, land, optimizers, start, steps, lr, momentum,
              beta1, beta2, alpha, noise, elev, azim):
    wide = dict(style={"description_width": "90px"},
                layout=widgets.Layout(width="290px"))
    slow = dict(continuous_update=False, **wide)

    def slider(kind, description, value, low, high, step, fast=False,
               **extra):
        return kind(value=value, min=low, max=high, step=step,
                    description=description, **(wide if fast else slow),
                    **extra)

    F, I = widgets.FloatSlider, widgets.IntSlider
    x_step = (land.xlim[1] - land.xlim[0]) / 200
    y_step = (land.ylim[1] - land.ylim[0]) / 200
    return dict(
        landscape=widgets.Dropdown(
            options=[(v.name, k) for k, v in landscapes.LANDSCAPES.items()],
            value=land.key, description="landscape", **wide),
        optimizers=widgets.SelectMultiple(
            options=list(landscapes.OPTIMIZERS), value=tuple(optimizers),
            rows=6, description="optimizers", **wide),
        lr=widgets.FloatLogSlider(value=lr, base=10, min=-4, max=1,
                                  step=0.05, description="lr",
                                  readout_format=".2g", **slow),
        steps=slider(I, "steps", steps, 10, MAX_STEPS, 10),
        momentum=slider(F, "beta (momentum)", momentum, 0.0, 0.99, 0.01),
        beta1=slider(F, "beta1 (Adam)", beta1, 0.0, 0.99, 0.01),
        beta2=slider(F, "beta2 (Adam)", beta2, 0.9, 0.9999, 0.0001,
                     readout_format=".4f"),
        alpha=slider(F, "alpha (RMSProp)", alpha, 0.5, 0.999, 0.001,
                     readout_format=".3f"),
        noise=slider(F, "grad noise", noise, 0.0, 20.0, 0.1),
        x0=slider(F, "start x", start[0], *land.xlim, x_step,
                  readout_format=".3f"),
        y0=slider(F, "start y", start[1], *land.ylim, y_step,
                  readout_format=".3f"),
        elev=slider(I, "elevation", int(elev), 0, 90, 5, fast=True),
        azim=slider(I, "azimuth", int(azim), -180, 180, 5, fast=True),
        step=slider(I, "step", steps, 0, steps, 1, fast=True),
        play=widgets.Play(value=steps, min=0, max=steps, step=1,
                          interval=120, description="play"),
    )


def _layout(widgets, c, image):
    column = widgets.VBox
    return widgets.VBox([
        widgets.HBox([
            column([c["landscape"], c["optimizers"], c["lr"]]),
            column([c["steps"], c["momentum"], c["beta1"], c["beta2"],
                    c["alpha"], c["noise"]]),
            column([c["x0"], c["y0"], c["elev"], c["azim"],
                    widgets.HBox([c["play"]]), c["step"]]),
        ]),
        image,
    ])
