"""Every notebook reads and reruns as the course promises.

nbval (strict) reruns each notebook and compares its outputs; these tests
look at what nbval does not: the order of execution, stray warnings,
line length, imports, and the shape every chapter shares.
"""

import re

import pytest

from notebooks import (APPENDIX, CHAPTERS, NOTEBOOKS, ROOT, load, source,
                       solutions_for)

IDS = [p.relative_to(ROOT).as_posix() for p in NOTEBOOKS]


def test_the_course_has_notebooks():
    assert CHAPTERS, "no notebooks found in chapters/"
    assert APPENDIX, "no notebooks found in appendix/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executed_top_to_bottom(path):
    counts = [c.get("execution_count") for c in load(path)["cells"]
              if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), (
        "run the notebook from a fresh kernel, top to bottom, and save")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_outputs_are_quiet(path):
    for i, cell in enumerate(load(path)["cells"]):
        for out in cell.get("outputs", []):
            where = f"cell {i}"
            assert out["output_type"] != "error", f"{where}: an error"
            assert out.get("name") != "stderr", f"{where}: stderr output"
            text = "".join(out.get("text", ""))
            text += "".join(out.get("data", {}).get("text/plain", ""))
            assert not re.search(r"0x[0-9a-f]{6,}", text), (
                f"{where}: a memory address in the output")
            assert "<Figure size" not in text, (
                f"{where}: a figure repr; display figures with show(fig)")
            assert "np.float64(" not in text, (
                f"{where}: a numpy scalar repr; format the number")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_lines_fit_79_columns(path):
    for i, cell in enumerate(load(path)["cells"]):
        for line in source(cell).splitlines():
            assert len(line) <= 79, f"cell {i}: {len(line)} columns"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_imports_are_plain(path):
    for i, cell in enumerate(load(path)["cells"]):
        if cell["cell_type"] != "code":
            continue
        text = source(cell)
        assert "sys.path" not in text, f"cell {i} edits sys.path"
        assert not re.search(r"import\s+\*", text), f"cell {i}: star import"
        assert "plt.show()" not in text, (
            f"cell {i}: use utils.plotting.show(fig), which sends the "
            "picture only")


def builds_widgets(cell):
    """A cell that shows a widget, by its source or by its saved output."""
    if "live_figure(" in source(cell):
        return True
    return any("application/vnd.jupyter.widget-view+json"
               in out.get("data", {}) for out in cell.get("outputs", []))


def test_widget_cells_are_recognised():
    found = [path.name for path in NOTEBOOKS
             if any(builds_widgets(c) for c in load(path)["cells"])]
    assert "02-learning-rate.ipynb" in found
    assert "A3-loss-landscape-3d.ipynb" in found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_widgets_have_a_static_figure_first(path):
    cells = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    since = []  # the code cells since the previous widget
    for i, cell in enumerate(cells):
        if not builds_widgets(cell):
            since.append(cell)
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        assert "nbval-ignore-output" in tags, (
            f"code cell {i} builds widgets: tag it nbval-ignore-output")
        assert any("image/png" in o.get("data", {})
                   for c in since for o in c.get("outputs", [])), (
            f"code cell {i}: show the default figure before the widget, "
            "for readers without a widget front end")
        since = []


@pytest.mark.parametrize("path", CHAPTERS,
                         ids=[p.name for p in CHAPTERS])
def test_chapter_shape(path):
    cells = load(path)["cells"]
    markdown = "\n".join(source(c) for c in cells
                         if c["cell_type"] == "markdown")
    assert re.match(r"# Chapter \d+: ", source(cells[0])), (
        "the first cell is the chapter's title")
    assert "\\leftarrow" in markdown, (
        "the chapter writes its update equations in LaTeX with a left arrow")
    headings = re.findall(r"^## (.+)$", markdown, flags=re.M)
    assert headings and headings[-1] == "Exercises", (
        "the chapter ends with a section '## Exercises'")
    assert solutions_for(path).is_file(), (
        f"no worked solutions at {solutions_for(path).relative_to(ROOT)}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_listed_in_the_readme_course_map(path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert path.relative_to(ROOT).as_posix() in readme
