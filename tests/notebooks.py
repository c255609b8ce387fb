"""Read the course's notebooks, for tests that look inside them."""

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
APPENDIX = sorted((ROOT / "appendix").glob("*.ipynb"))
NOTEBOOKS = CHAPTERS + APPENDIX


def load(path):
    """Return the notebook at ``path`` as a dict."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def source(cell):
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def code_cells(path):
    """Return the sources of the code cells of a notebook, in order."""
    return [source(c) for c in load(path)["cells"]
            if c["cell_type"] == "code"]


def solutions_for(chapter):
    """Return the path of the solutions notebook for a chapter."""
    return ROOT / "appendix" / f"solutions-{Path(chapter).name}"


def run_cells(cells, namespace=None):
    """Execute cell sources in one namespace, like a kernel would.

    Returns the namespace and, per cell, the value of its last line when
    that line is an expression (what Jupyter would display), else None.
    """
    namespace = {} if namespace is None else namespace
    namespace.setdefault("__name__", "__notebook__")
    results = []
    for text in cells:
        tree = ast.parse(text)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, "<cell>", "exec"), namespace)
        value = None
        if last is not None:
            value = eval(compile(last, "<cell>", "eval"), namespace)
        results.append(value)
    return namespace, results
