"""What every chapter's notebook must satisfy, as functions: the real chapters' tests
(test_notebooks.py) and the throwaway chapter's (test_adding_a_chapter.py) call the same ones."""

import ast
import re
from pathlib import Path

from autograder import notebooks as nbs

GRADE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def check_grade_cells(nb: dict) -> None:
    """A source notebook's nbgrader cells: unique snake_case ids, exercises with tests worth
    points, solutions with markers and a docstring, test cells with hidden tests."""
    ids = [nbs.nbgrader_meta(c)["grade_id"] for c in nb["cells"] if nbs.nbgrader_meta(c)]
    assert len(ids) == len(set(ids)), "duplicate grade_id"
    assert all(GRADE_ID.match(i) for i in ids), f"grade_ids must be snake_case: {ids}"
    points = nbs.points(nb)
    exercises = nbs.exercises(nb)
    assert exercises, "a chapter has graded exercises"
    for exercise, tests in exercises.items():
        assert tests, f"exercise {exercise} has no test cell"
        assert all(points[t] > 0 for t in tests)
    for cell in nb["cells"]:
        meta = nbs.nbgrader_meta(cell)
        text = nbs.source_text(cell)
        if meta.get("solution") and cell["cell_type"] == "code":
            assert "### BEGIN SOLUTION" in text and "### END SOLUTION" in text, meta["grade_id"]
            assert '"""' in text, f"{meta['grade_id']}: the stub needs a docstring with shapes"
        if meta.get("grade") and cell["cell_type"] == "code":
            assert "### BEGIN HIDDEN TESTS" in text, f"{meta['grade_id']} has no hidden tests"
            assert text.lstrip().startswith('"""'), (
                f"{meta['grade_id']}: start with a docstring saying what it checks"
            )
            # nbgrader takes a last expression that is a bare value as the score: assert instead
            last = ast.parse(text).body[-1]
            assert not (isinstance(last, ast.Expr) and not isinstance(last.value, ast.Call)), (
                f"{meta['grade_id']} ends with a bare expression; nbgrader would score its value"
            )


def check_exercise_headings(nb: dict) -> None:
    """The markdown heading before each exercise states the points of its tests."""
    points = nbs.points(nb)
    heading = None
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            found = re.findall(r"^#+ .*\((\d+(?:\.\d+)?) points?", nbs.source_text(cell), re.M)
            heading = float(found[-1]) if found else heading
        meta = nbs.nbgrader_meta(cell)
        if meta.get("solution") and meta["grade_id"] in nbs.exercises(nb):
            tests = nbs.exercises(nb)[meta["grade_id"]]
            assert heading == sum(points[t] for t in tests), (
                f"{meta['grade_id']}: heading says {heading} points, its tests give {sum(points[t] for t in tests)}"
            )
            heading = None


def check_release(folder: Path) -> None:
    """A chapter's release/ folder: no solution, hidden test, grader name or model answer in
    any file; every exercise a stub that raises, every written answer blank."""
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            for forbidden in (
                "BEGIN SOLUTION",
                "BEGIN HIDDEN TESTS",
                "autograder",
                nbs.MODEL_ANSWER,
                nbs.RUBRIC,
            ):
                assert forbidden not in text, f"{path} contains {forbidden!r}"
    nb = nbs.load(folder / f"{folder.name}.ipynb")
    for exercise in nbs.exercises(nb):
        stub = nbs.source_text(nbs.cell_by_id(nb, exercise))
        assert "raise NotImplementedError()" in stub, (
            f"{exercise}: the stub must raise NotImplementedError"
        )
    for answer in nbs.written_answers(nb):
        assert nbs.source_text(nbs.cell_by_id(nb, answer)) == "YOUR ANSWER HERE"
