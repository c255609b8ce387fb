"""Every slider and dropdown of the course, used in JupyterLab in Chromium.

nbval runs the notebooks but never draws a widget: it cannot tell a
slider that redraws from one that shows nothing or an error. Here each
notebook with widgets is opened in a real JupyterLab, all its cells are
run, and the controls are used as a learner would:

- a ``live_figure`` (its figure is in an Output widget): every slider is
  moved and every dropdown changed, since each one is an argument of the
  figure function;
- any other widget with a picture (say an ``ipywidgets.Image`` panel):
  its first slider is moved and its first dropdown changed, since some
  of a panel's controls may rightly leave the picture as it is (Adam's
  beta2 while Adam is switched off).

After each change the picture must be a new one, and no cell may show
an error. A screenshot of each widget after the changes is saved in
build/screenshots/ for a person to look at.

Notebooks are found by what they hold: code that calls ``live_figure(``
or imports ipywidgets, or a committed output that is a widget. A new
chapter with a slider is covered without editing this file.
"""

import re

import pytest

from notebooks import NOTEBOOKS, ROOT, code_cells, load

from . import conftest

WIDGET_CODE = re.compile(r"\blive_figure\(|\bipywidgets\b")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def shows_a_widget(path):
    return any(WIDGET_VIEW in output.get("data", {})
               for cell in load(path)["cells"]
               for output in cell.get("outputs", []))


def widget_notebooks():
    return [path for path in NOTEBOOKS
            if shows_a_widget(path)
            or any(WIDGET_CODE.search(code) for code in code_cells(path))]


# Upper bounds in milliseconds; a healthy run needs a fraction of each.
OPEN = 90_000
RUN_ALL = 180_000
REDRAW = 60_000
READOUT = 5_000

NOTEBOOK_READY = """path => {
    const app = window.jupyterapp;
    const panel = app && app.shell.currentWidget;
    if (!panel || !panel.context || panel.context.path !== path) {
        return false;
    }
    const session = panel.sessionContext.session;
    return !!(session && session.kernel
              && session.kernel.status === 'idle');
}"""

# Resolves when every cell has run (or rejects after `limit` ms).
RUN_ALL_CELLS = """async limit => {
    const app = window.jupyterapp;
    await app.commands.execute('notebook:clear-all-cell-outputs');
    const run = app.commands.execute('notebook:run-all-cells');
    const timeout = new Promise((_, reject) => setTimeout(
        () => reject(new Error('run-all did not finish')), limit));
    return await Promise.race([run, timeout]);
}"""

# Idle kernel, and every code cell has an execution count again.
ALL_RUN_AND_IDLE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel.sessionContext.session.kernel;
    if (!kernel || kernel.status !== 'idle') {
        return false;
    }
    return panel.content.widgets.every(cell =>
        cell.model.type !== 'code' || cell.model.executionCount !== null);
}"""

# Errors and stderr in the notebook's model (what the kernel sent back).
MODEL_PROBLEMS = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const problems = [];
    panel.content.widgets.forEach((cell, index) => {
        if (cell.model.type !== 'code') {
            return;
        }
        for (const output of cell.model.outputs.toJSON()) {
            if (output.output_type === 'error') {
                problems.push(`cell ${index}: ${output.ename}: `
                              + output.evalue);
            } else if (output.output_type === 'stream'
                       && output.name === 'stderr') {
                problems.push(`cell ${index} stderr: ${output.text}`);
            }
        }
    });
    return problems;
}"""

# What the page shows as an error or stderr, widget outputs included.
SHOWN_PROBLEMS = """() => Array.from(document.querySelectorAll(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
)).map(node => node.innerText.slice(0, 500))"""

# The picture of a widget: a figure shown in an Output widget, or an
# ipywidgets.Image.
PICTURE = ".widget-output img, img.widget-image"

PICTURE_SRC = """([cell, selector]) => {
    const img = cell.querySelector(selector);
    return img ? img.src : null;
}"""

PICTURE_CHANGED = """([cell, selector, before]) => {
    const img = cell.querySelector(selector);
    return !!img && !!img.src && img.src !== before
           && img.complete && img.naturalWidth > 0;
}"""


def assert_no_errors(page):
    shown = page.evaluate(SHOWN_PROBLEMS)
    in_model = page.evaluate(MODEL_PROBLEMS)
    assert not shown and not in_model, "\n".join(shown + in_model)


def open_and_run(page, lab, relative):
    page.goto(lab.notebook_url(relative), wait_until="domcontentloaded",
              timeout=OPEN)
    page.wait_for_function(NOTEBOOK_READY, arg=relative, timeout=OPEN,
                           polling=250)
    # Put the focus in the notebook, as a reader's click would.
    page.locator(".jp-NotebookPanel .jp-Cell").first.click()
    page.evaluate(RUN_ALL_CELLS, RUN_ALL)
    page.wait_for_function(ALL_RUN_AND_IDLE, timeout=RUN_ALL, polling=250)


def picture_src(page, cell):
    return page.evaluate(PICTURE_SRC, [cell, PICTURE])


def wait_for_new_picture(page, cell, before, what):
    try:
        page.wait_for_function(PICTURE_CHANGED, arg=[cell, PICTURE, before],
                               timeout=REDRAW, polling=100)
    except Exception as error:
        raise AssertionError(
            f"the picture did not change after {what}") from error
    page.wait_for_function(ALL_RUN_AND_IDLE, timeout=REDRAW, polling=250)


def move_slider(page, slider):
    """Press an arrow key on a slider; return (old, new) readouts."""
    readout = slider.locator(".widget-readout")
    handle = slider.locator(".noUi-handle").first
    old = readout.inner_text().strip()
    for key in ("ArrowRight", "ArrowLeft"):  # left when already at max
        handle.focus()
        handle.press(key)
        try:
            page.wait_for_function(
                "([node, old]) => node.innerText.trim() !== old",
                arg=[readout.element_handle(), old], timeout=READOUT)
            return old, readout.inner_text().strip()
        except Exception:
            continue
    raise AssertionError(f"a slider did not move from {old} with the "
                         "arrow keys")


def change_dropdown(dropdown):
    """Choose the next option of a dropdown; return (old, new) values."""
    select = dropdown.locator("select")
    values = select.locator("option").evaluate_all(
        "options => options.map(o => o.value)")
    old = select.input_value()
    assert len(values) > 1, "a dropdown with a single option"
    new = values[(values.index(old) + 1) % len(values)]
    select.select_option(new)
    return old, new


def use_controls(page, cell):
    """Move the sliders and change the dropdowns of one widget cell.

    Returns a line per change, for the test's report.
    """
    handle = cell.element_handle()
    sliders = cell.locator(".widget-slider")
    dropdowns = cell.locator(".widget-dropdown")
    every = cell.locator(".widget-output img").count() > 0
    n_sliders = sliders.count() if every else min(sliders.count(), 1)
    n_dropdowns = dropdowns.count() if every else min(dropdowns.count(), 1)
    assert n_sliders + n_dropdowns > 0, "a widget with no slider or dropdown"
    changes = []
    for index in range(n_sliders):
        before = picture_src(page, handle)
        old, new = move_slider(page, sliders.nth(index))
        what = f"moving slider {index} from {old} to {new}"
        wait_for_new_picture(page, handle, before, what)
        assert_no_errors(page)
        changes.append(what)
    for index in range(n_dropdowns):
        before = picture_src(page, handle)
        old, new = change_dropdown(dropdowns.nth(index))
        what = f"changing dropdown {index} from {old!r} to {new!r}"
        wait_for_new_picture(page, handle, before, what)
        assert_no_errors(page)
        changes.append(what)
    return changes


def test_widget_notebooks_are_found():
    """Chapter 2's learning-rate slider, at least, is under test."""
    found = [path.relative_to(ROOT).as_posix()
             for path in widget_notebooks()]
    assert "chapters/02-learning-rate.ipynb" in found


@pytest.mark.parametrize("ci, outcome", [
    ("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_a_missing_browser_fails_under_ci_and_skips_elsewhere(
        monkeypatch, tmp_path, ci, outcome):
    monkeypatch.setattr(conftest, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="no-chromium is missing"):
        conftest.need_chromium()


def test_a_widget_output_alone_is_enough_to_be_found(tmp_path):
    notebook = tmp_path / "panel.ipynb"
    notebook.write_text(
        '{"cells": [{"cell_type": "code", "source": "panel()", '
        '"metadata": {}, "outputs": [{"output_type": "display_data", '
        '"metadata": {}, "data": {"' + WIDGET_VIEW + '": {}}}]}], '
        '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
        encoding="utf-8")
    assert shows_a_widget(notebook)
    notebook.write_text(notebook.read_text().replace(WIDGET_VIEW,
                                                     "text/plain"))
    assert not shows_a_widget(notebook)


@pytest.mark.parametrize(
    "notebook", widget_notebooks(),
    ids=lambda path: path.relative_to(ROOT).as_posix())
def test_widgets_redraw_in_jupyterlab(notebook, lab, offline_page,
                                      screenshots):
    page = offline_page.page
    relative = notebook.relative_to(ROOT).as_posix()
    open_and_run(page, lab, relative)
    assert_no_errors(page)

    cells = page.locator(".jp-NotebookPanel .jp-CodeCell").filter(
        has=page.locator(PICTURE))
    assert cells.count() > 0, f"no widget with a picture in {relative}"
    for index in range(cells.count()):
        cell = cells.nth(index)
        cell.scroll_into_view_if_needed()
        use_controls(page, cell)
        cell.scroll_into_view_if_needed()
        cell.screenshot(
            path=screenshots / f"{notebook.stem}-widget{index + 1}.png")
    assert not offline_page.blocked, offline_page.blocked
    assert not offline_page.errors, offline_page.errors
