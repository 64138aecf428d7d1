"""The committed notebooks: normalized, well-formed for nbgrader, free of solutions in release/."""

import ast
import re
from pathlib import Path

import pytest

from autograder import normalize
from autograder import notebooks as nbs
from tests.helpers import ROOT, run

CHAPTERS = nbs.chapters(ROOT)
GRADE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def test_there_are_chapters():
    assert CHAPTERS[0] == "01_dense_layers"
    for chapter in CHAPTERS:
        assert nbs.notebook_path(chapter, "release").exists(), (
            f"release/ lacks {chapter}: run `make release`"
        )


@pytest.mark.parametrize(
    "path", normalize.committed_notebooks(ROOT), ids=lambda p: str(p.relative_to(ROOT))
)
def test_committed_without_outputs_and_normalized(path):
    nb = nbs.load(path)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, (
                f"{path}: outputs committed"
            )
    assert nb == normalize.normalized(nb), f"{path} is not normalized: run `make normalize`"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_grade_cells_are_well_formed(chapter):
    check_grade_cells(nbs.load(nbs.notebook_path(chapter, "source")))


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


BACKPROP_CHAPTERS = [c for c in CHAPTERS if c >= "04"]


@pytest.mark.parametrize("chapter", BACKPROP_CHAPTERS)
def test_backprop_chapters_have_a_written_answer_with_a_rubric(chapter):
    """A manually graded answer (markdown, solution and grade cell, unlocked) whose source holds
    the model answer and the rubric, under a heading that states its points."""
    nb = nbs.load(nbs.notebook_path(chapter, "source"))
    written = nbs.written_answers(nb)
    assert written, f"{chapter} has no written answer"
    for i, cell in enumerate(nb["cells"]):
        meta = nbs.nbgrader_meta(cell)
        if meta.get("grade_id") not in written:
            continue
        assert not meta.get("locked") and written[meta["grade_id"]] > 0
        text = nbs.source_text(cell)
        assert text.startswith(nbs.MODEL_ANSWER) and nbs.RUBRIC in text, meta["grade_id"]
        assert nbs.model_answer(text) and nbs.RUBRIC not in nbs.model_answer(text)
        heading = nbs.source_text(nb["cells"][i - 1])
        assert re.search(
            rf"^#+ .*\({written[meta['grade_id']]:g} points, graded by hand", heading, re.M
        )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_exercise_headings_state_points(chapter):
    """Each exercise heading says how many points its tests are worth."""
    check_exercise_headings(nbs.load(nbs.notebook_path(chapter, "source")))


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


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_release_has_no_solutions_or_hidden_tests(chapter):
    check_release(ROOT / "release" / chapter)


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


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_source_notebook_passes_its_own_tests(chapter, monkeypatch):
    """The solution notebook runs top to bottom and passes its visible and hidden tests, run
    as autograde runs them (hidden blocks in this process, the rest in a kernel). `nbgrader
    validate` cannot do this for a source notebook: its kernel (sandboxed) has no grader."""
    import nbformat

    from autograder.execute import GradeInGrader

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    path = nbs.notebook_path(chapter, "source")
    nb = nbformat.read(path, as_version=4)
    executor = GradeInGrader(timeout=300, kernel_name="python3")
    nb, resources = executor.preprocess(nb, {"metadata": {"path": str(path.parent)}})
    verdicts = resources["backprop"]["hidden"]
    assert verdicts and all(v.passed for v in verdicts.values()), {
        k: v.text[-500:] for k, v in verdicts.items() if not v.passed
    }
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors[:2]


@pytest.mark.slow
def test_generate_assignment_reproduces_release(tmp_path):
    """`make release` output is committed: regenerate it and compare byte for byte."""
    from tests.helpers import copy_course

    course = copy_course(tmp_path)
    for chapter in CHAPTERS:
        run(["nbgrader", "generate_assignment", chapter, "--force", "--log-level=WARN"], course)
    normalize.normalize_tree(course)
    for chapter in CHAPTERS:
        generated = sorted(
            p.relative_to(course) for p in (course / "release" / chapter).rglob("*") if p.is_file()
        )
        committed = sorted(
            p.relative_to(ROOT) for p in (ROOT / "release" / chapter).rglob("*") if p.is_file()
        )
        assert generated == committed
        for rel in generated:
            assert (course / rel).read_bytes() == (ROOT / rel).read_bytes(), (
                f"{rel} is stale: run `make release`"
            )
