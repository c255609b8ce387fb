"""Serve MathJax from the book itself, so equations render offline.

The MathJax 2 files come from the PyPI package jupyter-server-mathjax;
they are copied into the built book's _static/mathjax/ and every page
loads them from there instead of from a CDN.
"""

import shutil
from importlib.resources import files
from pathlib import Path

MATHJAX = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
# MyST wraps each document in an element MathJax is told to skip and
# marks the math itself with the class "math"; MathJax 2 needs to be
# told to typeset inside those, with the delimiters sphinx writes.
TEX2JAX = {
    "inlineMath": [["\\(", "\\)"]],
    "displayMath": [["\\[", "\\]"]],
    "processEscapes": True,
    "processClass": "tex2jax_process|mathjax_process|math|output_area",
    "ignoreClass": "tex2jax_ignore|mathjax_ignore",
}


# The package ships the STIX-Web fonts only (not MathJax's TeX fonts):
# use those, and never look for fonts installed on the reader's machine,
# whose metrics MathJax would have to guess.
HTML_CSS = {
    "availableFonts": [],
    "preferredFont": None,
    "webFont": "STIX-Web",
    "imageFont": None,
}


def configure(app, config):
    config.mathjax_path = MATHJAX
    config.mathjax2_config = {"tex2jax": TEX2JAX, "HTML-CSS": HTML_CSS,
                              "messageStyle": "none"}
    config.mathjax3_config = None
    config.myst_update_mathjax = False


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    source = files("jupyter_server_mathjax") / "static"
    target = Path(app.outdir) / "_static" / "mathjax"
    shutil.copytree(source, target, dirs_exist_ok=True)


def setup(app):
    app.connect("config-inited", configure)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
