"""Fixtures of the grader's tests: a course a sandboxed kernel must not see into, the grader's
secrets in the environment, and submissions graded by real `nbgrader autograde`."""

from pathlib import Path

import pytest

from autograder import examples
from autograder import notebooks as nbs
from tests.autograder.kernels import SECRETS
from tests.helpers import copy_course, run


@pytest.fixture()
def fake_course(tmp_path):
    """A course root with everything a kernel must not see, and two students' submissions."""
    root = tmp_path / "course"
    for folder in ("source/ch", "autograder", ".grading", "autograded", "feedback"):
        (root / folder).mkdir(parents=True)
    (root / "autograder" / "secret.py").write_text("ANSWER = 42\n")
    (root / "gradebook.db").write_bytes(b"SQLite format 3\x00")
    for student in ("alice", "bob"):
        (root / "submitted" / student / "ch").mkdir(parents=True)
        (root / "submitted" / student / "ch" / "nb.ipynb").write_text(f"{student}'s notebook")
    # links out of a submission are not followed into its scratch copy
    (root / "submitted" / "alice" / "ch" / "answers.py").symlink_to(
        root / "autograder" / "secret.py"
    )
    (root / "submitted" / "alice" / "ch" / "grader").symlink_to(root / "autograder")
    return root


@pytest.fixture
def grader_secrets(monkeypatch):
    """The grader's database URL and password in the environment, as a grading run has them
    (no kernel may see them); returns them ({name: value})."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    return SECRETS


@pytest.fixture
def grade_submissions(tmp_path):
    """grade_submissions(chapter, {student: {solution cell id: code}}) -> the course folder: a
    scratch course in which each student's notebook (the chapter's solutions, those cells
    replaced) was submitted and graded by one real `nbgrader autograde`."""

    def grade(chapter: str, students: dict[str, dict[str, str]]) -> Path:
        course = copy_course(tmp_path)
        run(["nbgrader", "generate_assignment", chapter, "--force", "--log-level=WARN"], course)
        for student, cells in students.items():
            code = {cell: text.lstrip() for cell, text in cells.items()}
            nb = examples.filled(chapter, code, root=course)
            nbs.save(nb, nbs.notebook_path(chapter, f"submitted/{student}", course))
        run(["nbgrader", "autograde", chapter, "--force", "--log-level=ERROR"], course)
        return course

    return grade
