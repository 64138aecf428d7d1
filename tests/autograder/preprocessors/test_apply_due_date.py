"""ApplyDueDate: the chapter's due date from term.toml goes into the gradebook."""

from datetime import datetime

from nbgrader.api import Gradebook

from autograder.preprocessors.apply_due_date import ApplyDueDate
from tests.autograder.preprocessors.chapter import ASSIGNMENT, source_notebook


def due_date(resources):
    with Gradebook(resources["nbgrader"]["db_url"]) as gradebook:
        return gradebook.find_assignment(ASSIGNMENT).duedate


def test_a_listed_chapter_gets_its_due_date_in_utc(resources, tmp_path):
    term = tmp_path / "term.toml"
    term.write_text(f'[due]\n{ASSIGNMENT} = "2026-10-05T17:00:00+02:00"\n')
    ApplyDueDate(term_file=str(term)).preprocess(source_notebook(), resources)
    assert due_date(resources) == datetime(2026, 10, 5, 15, 0)


def test_an_unlisted_chapter_or_no_term_file_changes_nothing(resources, tmp_path):
    term = tmp_path / "term.toml"
    term.write_text('[due]\nother = "2026-10-05"\n')
    ApplyDueDate(term_file=str(term)).preprocess(source_notebook(), resources)
    ApplyDueDate().preprocess(source_notebook(), resources)
    assert due_date(resources) is None
