"""The committed notebooks: normalized, well-formed for nbgrader, free of solutions in release/."""

import re

import pytest

from autograder import normalize
from autograder import notebooks as nbs
from tests.helpers import ROOT, run
from tests.notebook_checks import check_exercise_headings, check_grade_cells, check_release

CHAPTERS = nbs.chapters(ROOT)


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


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_release_has_no_solutions_or_hidden_tests(chapter):
    check_release(ROOT / "release" / chapter)


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
