"""nbgrader end to end on the bundled example submissions: correct, blank, buggy."""

import csv

import pytest
from conftest import ROOT

from autograder import examples
from autograder import notebooks as nbs

pytestmark = pytest.mark.slow
CHAPTERS = nbs.chapters(ROOT)


def cell_scores(course, student, chapter):
    """{test grade_id: score} from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        submission = gb.find_submission_notebook(chapter, chapter, student)
        return {grade.name: grade.score for grade in submission.grades}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_correct_submission_gets_full_marks(graded_course, chapter):
    points = nbs.points(nbs.load(nbs.notebook_path(chapter, "source")))
    scores = cell_scores(graded_course, "example_correct", chapter)
    assert scores == points


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_blank_submission_gets_zero(graded_course, chapter):
    scores = cell_scores(graded_course, "example_blank", chapter)
    assert scores and all(score == 0 for score in scores.values()), scores


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_buggy_submission_loses_exactly_its_mistakes(graded_course, chapter):
    points = nbs.points(nbs.load(nbs.notebook_path(chapter, "source")))
    failing = examples.expected_failures(chapter)
    assert failing, "the buggy example should get something wrong"
    scores = cell_scores(graded_course, "example_buggy", chapter)
    assert scores == {t: (0.0 if t in failing else p) for t, p in points.items()}


def test_export_has_every_student_and_chapter(graded_course):
    with open(graded_course / "grades.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    seen = {(r["student_id"], r["assignment"]) for r in rows}
    assert seen == {(s, c) for s in examples.STUDENTS for c in CHAPTERS}
