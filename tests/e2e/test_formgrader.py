"""The instructor's side: nbgrader's formgrader, opened from JupyterLab's Nbgrader menu on a
course whose example submissions were autograded, shows every student's scores."""

import pytest
from playwright.sync_api import expect

from autograder import examples

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def gradebook_scores(course):
    """{student: {chapter: (score, max_score)}}, read from the course's gradebook."""
    from nbgrader.api import Gradebook

    scores = {student: {} for student in examples.STUDENTS}
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        for assignment in gb.assignments:
            for student in examples.STUDENTS:
                submission = gb.find_submission(assignment.name, student)
                scores[student][assignment.name] = (submission.score, submission.max_score)
    return scores


def shown(score, max_score):
    """A score as the formgrader prints it: rounded to 2 decimals, no trailing zeros."""
    return f"{round(score, 2):g} / {round(max_score, 2):g}"


def open_formgrader(page, server):
    """JupyterLab, then Nbgrader > Formgrader: the formgrader in a panel's iframe."""
    page.goto(server.lab_url())
    page.locator(".lm-MenuBar-item:has(.lm-MenuBar-itemLabel:text-is('Nbgrader'))").click()
    page.locator(".lm-Menu-item:has(.lm-Menu-itemLabel:text-is('Formgrader'))").click()
    return page.frame_locator("#formgrader-iframe iframe")


def test_formgrader_shows_the_example_scores(instructor_lab, graded_course, page):
    scores = gradebook_scores(graded_course)
    totals = {
        student: tuple(map(sum, zip(*chapters.values(), strict=True)))
        for student, chapters in scores.items()
    }
    # three different scores out of the same maximum, so each row below tells them apart
    # (the exact scores are tests/test_pipeline.py's business)
    assert len({score for score, _ in totals.values()}) == 3, totals
    assert len({max_score for _, max_score in totals.values()}) == 1, totals

    formgrader = open_formgrader(page, instructor_lab)
    formgrader.get_by_role("link", name="Manage Students").click()
    rows = formgrader.locator("tbody tr", has=formgrader.locator("td.score"))
    expect(rows).to_have_count(len(examples.STUDENTS))
    for student, total in totals.items():
        row = rows.filter(has=formgrader.locator("td.id", has_text=student))
        expect(row.locator("td.score")).to_have_text(shown(*total))
    screenshot(page, "instructor-formgrader-students")

    # the buggy example's page: its score in each chapter
    rows.filter(has=formgrader.locator("td.id", has_text="example_buggy")).locator(
        "td.name a"
    ).click()
    chapters = formgrader.locator("tbody tr", has=formgrader.locator("td.score"))
    expect(chapters).to_have_count(len(scores["example_buggy"]))
    for chapter, score in scores["example_buggy"].items():
        row = chapters.filter(has=formgrader.locator("td.name", has_text=chapter))
        expect(row.locator("td.score")).to_have_text(shown(*score))
    screenshot(page, "instructor-formgrader-example-buggy")
