"""The instructor's side: nbgrader's formgrader, opened from JupyterLab's Nbgrader menu on a
course whose example submissions were autograded, shows every student's scores."""

import pytest
from playwright.sync_api import expect

from autograder import examples

from .lab import screenshot

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
    # (the exact scores are tests/autograder/test_pipeline.py's business)
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


def test_written_answer_graded_in_the_formgrader_changes_the_total(
    instructor_lab, graded_course, page
):
    """example_correct's written answer waits for the instructor; grading it in the
    formgrader's submission page (beside the autograded scores) raises the student's total."""
    from nbgrader.api import Gradebook

    from autograder import notebooks as nbs

    from .lab import wait_until

    chapter = "04_single_neuron_backprop"
    source = nbs.load(nbs.notebook_path(chapter))
    written = next(iter(nbs.written_answers(source)))
    url = f"sqlite:///{graded_course}/gradebook.db"

    def manual_score():
        with Gradebook(url) as gb:
            return gb.find_grade(written, chapter, chapter, "example_correct").manual_score

    with Gradebook(url) as gb:
        notebook_id = gb.find_submission_notebook(chapter, chapter, "example_correct").id
        grade = gb.find_grade(written, chapter, chapter, "example_correct")
        assert grade.needs_manual_grade and grade.manual_score is None
    before = gradebook_scores(graded_course)["example_correct"]
    total, max_total = map(sum, zip(*before.values(), strict=True))
    try:
        # logged in through JupyterLab first: the token in a formgrader URL opens the page,
        # but its API calls (the score it saves) need the login cookie
        page.goto(instructor_lab.lab_url())
        expect(page.locator(".lm-MenuBar-itemLabel:text-is('Nbgrader')")).to_be_visible()
        page.goto(
            f"{instructor_lab.url}/formgrader/submissions/{notebook_id}"
            f"?token={instructor_lab.token}"
        )
        # the written answer's score box, among the autograded test cells' scores
        expect(page.locator("input.score")).to_have_count(len(nbs.points(source)))
        box = page.locator(f"input.score#{written}")
        expect(box).to_have_value("")
        answer = page.locator(".nbgrader_cell", has=box)
        expect(answer).to_contain_text("Student's answer")
        expect(answer).to_contain_text("training is stuck for good")  # example_correct's words
        # the formgrader saves a score when its box loses focus; its models load after the
        # page, and one that arrives late renders the box empty again: type it again then
        for attempt in range(3):
            box.fill("1.5")
            box.press("Tab")
            try:
                wait_until(lambda: manual_score() == 1.5, 30, "the formgrader to save the score")
                break
            except TimeoutError:
                if attempt == 2:
                    raise
        screenshot(page, "instructor-formgrader-written-answer")

        formgrader = open_formgrader(page, instructor_lab)
        formgrader.get_by_role("link", name="Manage Students").click()
        row = formgrader.locator(
            "tbody tr", has=formgrader.locator("td.id", has_text="example_correct")
        )
        expect(row.locator("td.score")).to_have_text(shown(total + 1.5, max_total))
    finally:  # the session's graded course is shared: leave the answer ungraded again
        with Gradebook(url) as gb:
            grade = gb.find_grade(written, chapter, chapter, "example_correct")
            grade.manual_score = None
            grade.needs_manual_grade = True
            gb.db.commit()
