"""Each chapter's exercises: stubs that run, and solutions that pass.

Every code cell whose last line calls a ``check_...`` function shows that
check's answer as its output. nbval (strict) re-executes every notebook
and requires the same output again, so reading the committed answers
here is enough: in the worked solutions in appendix/ each must be
``Correct.``; in the chapter, with the stubs unfilled, each must be a
hint (``Not yet: ...``), proving the chapter runs without the learner's
code.
"""

import re

import pytest

from notebooks import CHAPTERS, load, solutions_for, source

CHECK_CALL = re.compile(r"^(check_\w+)\(", flags=re.M)
IDS = [p.name for p in CHAPTERS]


def check_cells(path):
    """(check name, text output) for each cell ending with a check."""
    found = []
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "code":
            continue
        lines = source(cell).strip().splitlines()
        last = CHECK_CALL.match(lines[-1]) if lines else None
        if not last:
            continue
        shown = [
            "".join(out.get("data", {}).get("text/plain", ""))
            for out in cell.get("outputs", [])
            if out["output_type"] == "execute_result"
        ]
        found.append((last.group(1), shown))
    return found


def checks_called(path):
    text = [source(c) for c in load(path)["cells"]
            if c["cell_type"] == "code"]
    return {name for t in text for name in CHECK_CALL.findall(t)}


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_solutions_pass_their_checks(chapter):
    answers = check_cells(solutions_for(chapter))
    assert answers, "the solutions call no check"
    for name, shown in answers:
        assert len(shown) == 1, f"{name}: no answer shown"
        assert shown[0].startswith("Correct."), f"{name}: {shown[0]}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_every_exercise_check_has_a_solution(chapter):
    in_chapter = checks_called(chapter)
    assert in_chapter, "the chapter's exercises call no check"
    assert in_chapter == checks_called(solutions_for(chapter))
    # each check's answer is shown, as the last line of a cell
    for path in (chapter, solutions_for(chapter)):
        assert {name for name, _ in check_cells(path)} == in_chapter


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_chapter_runs_with_stubs_unfilled(chapter):
    answers = check_cells(chapter)
    assert answers, "the chapter shows no check's answer"
    for name, shown in answers:
        assert len(shown) == 1, f"{name}: no answer shown"
        assert shown[0].startswith("Not yet:"), f"{name}: {shown[0]}"
