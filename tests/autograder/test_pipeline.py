"""nbgrader end to end on the bundled example submissions: correct, blank, buggy."""

import csv

import pytest

from autograder import examples
from autograder import notebooks as nbs
from tests.helpers import ROOT

pytestmark = pytest.mark.slow
CHAPTERS = nbs.chapters(ROOT)


def cell_scores(course, student, chapter, written=False):
    """{test grade_id: score} from the gradebook (written answers only if `written`)."""
    from nbgrader.api import Gradebook

    manual = nbs.written_answers(nbs.load(nbs.notebook_path(chapter, "source")))
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        submission = gb.find_submission_notebook(chapter, chapter, student)
        return {
            grade.name: grade.score
            for grade in submission.grades
            if written or grade.name not in manual
        }


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_correct_submission_gets_full_marks(graded_course, chapter):
    points = nbs.autograded_points(nbs.load(nbs.notebook_path(chapter, "source")))
    scores = cell_scores(graded_course, "example_correct", chapter)
    assert scores == points


@pytest.mark.parametrize("chapter", [c for c in CHAPTERS if c >= "04"])
def test_written_answers_wait_for_the_instructor(graded_course, chapter):
    """Autograde scores no written answer: an answered one waits for manual grading (an
    unanswered one gets 0); the example's answer is in the graded notebook."""
    from nbgrader.api import Gradebook

    source = nbs.load(nbs.notebook_path(chapter, "source"))
    written = nbs.written_answers(source)
    assert written
    with Gradebook(f"sqlite:///{graded_course}/gradebook.db") as gb:
        for student in examples.STUDENTS:
            submission = gb.find_submission_notebook(chapter, chapter, student)
            for grade in submission.grades:
                if grade.name not in written:
                    continue
                assert grade.manual_score is None
                if student == "example_correct":  # answered: waits for the instructor
                    assert grade.auto_score is None and grade.needs_manual_grade
                else:  # left as released: nbgrader scores it 0 at once
                    assert grade.auto_score == 0 and not grade.needs_manual_grade
    for student, answered in (("example_correct", True), ("example_blank", False)):
        nb = nbs.load(graded_course / "autograded" / student / chapter / f"{chapter}.ipynb")
        for grade_id in written:
            model = nbs.model_answer(nbs.source_text(nbs.cell_by_id(source, grade_id)))
            assert (nbs.source_text(nbs.cell_by_id(nb, grade_id)) == model) is answered


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_blank_submission_gets_zero(graded_course, chapter):
    scores = cell_scores(graded_course, "example_blank", chapter)
    assert scores and all(score == 0 for score in scores.values()), scores


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_buggy_submission_loses_exactly_its_mistakes(graded_course, chapter):
    points = nbs.autograded_points(nbs.load(nbs.notebook_path(chapter, "source")))
    failing = examples.expected_failures(chapter)
    assert failing, "the buggy example should get something wrong"
    scores = cell_scores(graded_course, "example_buggy", chapter)
    assert scores == {t: (0.0 if t in failing else p) for t, p in points.items()}


def test_export_has_every_student_and_chapter(graded_course):
    with open(graded_course / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    seen = {(r["student_id"], r["assignment"]) for r in rows}
    assert seen == {(s, c) for s in examples.STUDENTS for c in CHAPTERS}
