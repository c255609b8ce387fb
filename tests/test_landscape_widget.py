"""Tests for utils.landscape_widget: each control redoes only its work.

The panel is built without a front end; setting a control's value from
Python runs its observers at once, as moving it in a browser does. The
functions the panel calls are wrapped to record their arguments.
"""

import numpy as np
import pytest

from utils import landscape_widget as lw
from utils import landscapes as ls
from utils.plotting import landscape as lp

SPIED = [(ls, "run_one"), (lp, "surface_grids"), (lp, "base_figure"),
         (lp, "draw_paths"), (lp, "draw_legend"), (lp, "set_view")]


@pytest.fixture
def calls(monkeypatch):
    """``calls[name]`` lists the keyword arguments of each call."""
    record = {name: [] for _, name in SPIED}
    for module, name in SPIED:
        original = getattr(module, name)
        names = original.__code__.co_varnames[:original.__code__.co_argcount]

        def spy(*args, _original=original, _name=name, _names=names,
                **kwargs):
            record[_name].append({**dict(zip(_names, args)), **kwargs})
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return record


def reset(calls):
    for value in calls.values():
        value.clear()


@pytest.fixture
def panel(calls):
    made = lw.LandscapePanel("himmelblau", optimizers=("GD", "Adam"),
                             lr=0.01, steps=80)
    reset(calls)
    return made


def test_the_panel_shows_a_png_and_every_control(panel):
    assert bytes(panel.image.value).startswith(b"\x89PNG")
    assert set(panel.controls) == {
        "landscape", "optimizers", "lr", "steps", "momentum", "beta1",
        "beta2", "alpha", "noise", "x0", "y0", "elev", "azim", "step",
        "play"}
    assert panel.controls["step"].max == panel.controls["play"].max == 80
    assert panel.widget.children[-1] is panel.image


def test_the_first_drawing_makes_the_grids_once(calls):
    lw.LandscapePanel("saddle", optimizers=("GD",))
    assert len(calls["surface_grids"]) == 1
    assert len(calls["base_figure"]) == 1
    assert [c["name"] for c in calls["run_one"]] == ["GD"]


def test_lr_reruns_every_optimizer_with_the_new_value(panel, calls):
    before = panel.image.value
    panel.controls["lr"].value = 0.02
    assert sorted(c["name"] for c in calls["run_one"]) == ["Adam", "GD"]
    assert all(c["lr"] == 0.02 for c in calls["run_one"])
    assert len(calls["draw_paths"]) == 1 and len(calls["draw_legend"]) == 1
    assert calls["surface_grids"] == [] and calls["base_figure"] == []
    assert panel.image.value != before


def test_beta1_reruns_adam_only(panel, calls):
    panel.controls["beta1"].value = 0.5
    assert [(c["name"], c["beta1"]) for c in calls["run_one"]] == [
        ("Adam", 0.5)]
    reset(calls)
    panel.controls["momentum"].value = 0.5
    assert calls["run_one"] == [], "neither GD nor Adam reads momentum"
    assert len(calls["draw_paths"]) == 1


def test_fewer_steps_reuse_the_longer_runs(panel, calls):
    panel.controls["steps"].value = 40
    assert calls["run_one"] == []
    assert calls["draw_paths"][-1]["step"] == 40
    assert panel.controls["step"].max == 40
    assert panel.controls["play"].max == 40
    reset(calls)
    panel.controls["steps"].value = 120
    assert [c["steps"] for c in calls["run_one"]] == [120, 120]


def test_start_sliders_rerun_from_the_new_start(panel, calls):
    panel.controls["x0"].value = 2.0
    panel.controls["y0"].value = -1.0
    assert [c["start"] for c in calls["run_one"][-2:]] == [(2.0, -1.0)] * 2


def test_choosing_optimizers_runs_only_the_new_one(panel, calls):
    panel.controls["optimizers"].value = ("GD", "Adam", "RMSProp")
    assert [c["name"] for c in calls["run_one"]] == ["RMSProp"]
    assert list(calls["draw_legend"][-1]["runs"]) == ["GD", "Adam",
                                                      "RMSProp"]


def test_noise_reruns_with_the_new_noise(panel, calls):
    panel.controls["noise"].value = 3.0
    assert {c["noise"] for c in calls["run_one"]} == {3.0}


def test_step_and_play_only_redraw_the_paths(panel, calls):
    before = panel.image.value
    panel.controls["step"].value = 12
    assert [c["step"] for c in calls["draw_paths"]] == [12]
    assert calls["run_one"] == [] and calls["draw_legend"] == []
    assert calls["set_view"] == [] and calls["surface_grids"] == []
    assert panel.image.value != before
    panel.controls["play"].value = 30
    assert panel.controls["step"].value == 30
    assert [c["step"] for c in calls["draw_paths"]] == [12, 30]


def test_view_angles_only_turn_the_view(panel, calls):
    panel.controls["elev"].value = 60
    panel.controls["azim"].value = 15
    assert [(c["elev"], c["azim"]) for c in calls["set_view"]] == [
        (60, -60), (60, 15)]
    assert calls["run_one"] == [] and calls["draw_paths"] == []
    assert calls["base_figure"] == []


def test_landscape_makes_its_grids_once_and_keeps_them(panel, calls):
    c = panel.controls
    c["landscape"].value = "rosenbrock"
    land = ls.get("rosenbrock")
    assert [k["landscape"] for k in calls["surface_grids"]] == ["rosenbrock"]
    assert (c["x0"].min, c["x0"].max) == land.xlim
    assert (c["y0"].min, c["y0"].max) == land.ylim
    assert (c["x0"].value, c["y0"].value) == land.start
    assert c["lr"].value == pytest.approx(land.lr)
    assert {k["landscape"] for k in calls["run_one"]} == {"rosenbrock"}
    c["landscape"].value = "himmelblau"
    c["landscape"].value = "rosenbrock"
    assert len(calls["surface_grids"]) == 1, "the grids are cached"
    assert len(calls["base_figure"]) == 1, "so is the figure"


def test_the_panel_draws_what_race_figure_draws(panel):
    c = panel.controls
    c["lr"].value = 0.005
    c["step"].value = 50
    settings = panel.settings()
    fig = lp.race_figure(**settings)
    shown = panel._fig
    assert lp.legend_texts(shown) == lp.legend_texts(fig)
    for name in settings["optimizers"]:
        mine = lp._path_artists(shown)[name]["line2d"].get_xydata()
        theirs = lp._path_artists(fig)[name]["line2d"].get_xydata()
        assert np.array_equal(mine, theirs)


def test_a_diverging_setting_is_reported_not_raised(panel):
    panel.controls["lr"].value = 1.0
    texts = lp.legend_texts(panel._fig)
    assert any("diverged at step" in t for t in texts)
    assert tuple(panel._fig.axes[1].get_xlim()) == ls.get("himmelblau").xlim


def test_nesterov_with_no_momentum_does_not_fail(panel):
    panel.controls["optimizers"].value = ("Nesterov",)
    panel.controls["momentum"].value = 0.0
    assert lp.legend_texts(panel._fig)[0].startswith("Nesterov: ")


def test_landscape_panel_returns_the_widget():
    import ipywidgets

    widget = lw.landscape_panel(landscape="valley", optimizers=("GD",))
    assert isinstance(widget, ipywidgets.VBox)
