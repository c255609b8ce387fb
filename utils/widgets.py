"""Sliders and other controls that redraw a figure.

The callbacks here are thin: they read the controls' values, call a pure
figure function from ``utils.plotting`` and show the result. All the
computing lives in those tested functions.
"""

from .plotting import show


def live_figure(make_figure, **controls):
    """Return a widget: ``controls`` above a figure that follows them.

    ``make_figure`` is called with one keyword argument per control,
    named as in ``controls``, and must return a matplotlib figure. It
    runs once at once, to draw the default figure, and again whenever a
    control's value changes.
    """
    import ipywidgets as widgets

    out = widgets.Output(layout=widgets.Layout(min_height="320px"))

    def redraw(change=None):
        values = {name: c.value for name, c in controls.items()}
        with out:
            out.clear_output(wait=True)
            show(make_figure(**values))

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(list(controls.values())), out])
