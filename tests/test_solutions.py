"""Each chapter's exercises: stubs that run, and solutions that pass.

The worked solutions in appendix/ are executed here cell by cell; every
cell that ends with a check must answer Correct. In the chapter itself,
with the stubs unfilled, the same checks must answer with a hint rather
than fail.
"""

import re

import matplotlib
import pytest

from notebooks import CHAPTERS, code_cells, run_cells, solutions_for
from utils.exercises._feedback import Feedback

matplotlib.use("Agg")

CHECK_CALL = re.compile(r"^(check_\w+)\(", flags=re.M)
IDS = [p.name for p in CHAPTERS]


def checks_called(cells):
    return {name for text in cells for name in CHECK_CALL.findall(text)}


@pytest.fixture(autouse=True)
def quiet_display(monkeypatch):
    """Keep show(fig) from printing image data outside a notebook."""
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: None)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_solutions_pass_their_checks(chapter):
    cells = code_cells(solutions_for(chapter))
    _, results = run_cells(cells)
    feedback = [r for r in results if isinstance(r, Feedback)]
    assert feedback, "the solutions call no check"
    for answer in feedback:
        assert answer.passed, answer.message
        assert answer.message.startswith("Correct.")


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_every_exercise_check_has_a_solution(chapter):
    in_chapter = checks_called(code_cells(chapter))
    in_solutions = checks_called(code_cells(solutions_for(chapter)))
    assert in_chapter, "the chapter's exercises call no check"
    assert in_chapter == in_solutions


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_chapter_runs_with_stubs_unfilled(chapter):
    _, results = run_cells(code_cells(chapter))
    feedback = [r for r in results if isinstance(r, Feedback)]
    assert feedback, "the chapter's check cells returned no Feedback"
    for answer in feedback:
        assert not answer.passed
        assert answer.message.startswith("Not yet:")
