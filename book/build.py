"""Build the course as a static HTML book (what `make book` runs).

The table of contents is written from the notebooks present, so a new
chapter or appendix notebook is in the book without editing a list:

- Chapters: chapters/*.ipynb, in file-name order (01-, 02-, ...);
- Appendix: the other notebooks of appendix/ (A1-, A2-, ...);
- Worked solutions: appendix/solutions-*.ipynb, in chapter order.

It goes to build/book/_toc.yml, rewritten only when it changes, so a
rebuild with nothing changed is quick. Then Jupyter Book 1 builds the
pages from the committed outputs (nothing is executed) into
build/book/_build/html, with warnings treated as errors.

Usage: python book/build.py
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "build" / "book"
HTML = OUTPUT / "_build" / "html"
TOC = OUTPUT / "_toc.yml"


def parts(root=ROOT):
    """Return [(caption, [notebook paths relative to root])], in order."""
    chapters = sorted((root / "chapters").glob("*.ipynb"))
    appendix = sorted((root / "appendix").glob("*.ipynb"))
    solutions = [p for p in appendix if p.name.startswith("solutions-")]
    others = [p for p in appendix if p not in solutions]
    groups = [("Chapters", chapters), ("Appendix", others),
              ("Worked solutions", solutions)]
    return [(caption, [p.relative_to(root).as_posix() for p in paths])
            for caption, paths in groups if paths]


def toc_text(root=ROOT):
    lines = ["# Written by book/build.py from the notebooks present;",
             "# do not edit.",
             "format: jb-book",
             "root: book/intro",
             "parts:"]
    for caption, notebooks in parts(root):
        lines.append(f"  - caption: {caption}")
        lines.append("    chapters:")
        for notebook in notebooks:
            lines.append(f"      - file: {notebook.removesuffix('.ipynb')}")
    return "\n".join(lines) + "\n"


def write_toc():
    """Write the table of contents; start afresh when it changed.

    Sphinx rebuilds only what changed, but it never deletes the page of
    a notebook that was renamed or removed; a new contents list is the
    sign to rebuild everything (a few seconds).
    """
    text = toc_text()
    if TOC.exists() and TOC.read_text(encoding="utf-8") == text:
        return
    shutil.rmtree(OUTPUT / "_build", ignore_errors=True)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    TOC.write_text(text, encoding="utf-8")


def build():
    write_toc()
    command = [
        sys.executable, "-c", "from jupyter_book.cli.main import main; main()",
        "build", str(ROOT),
        "--config", str(ROOT / "book" / "_config.yml"),
        "--toc", str(TOC), "--path-output", str(OUTPUT),
        "--builder", "html", "--warningiserror", "--keep-going",
        # Every page, every time: an incremental build reads only the
        # notebooks that changed, so it would hide the warnings of the
        # others and pass where a fresh clone fails.
        "--all",
    ]
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(build())
