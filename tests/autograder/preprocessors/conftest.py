"""Fixtures of the preprocessor tests: a gradebook that knows the fixture chapter (chapter.py)."""

import shutil

import pytest
from nbgrader.api import Gradebook
from nbgrader.preprocessors import SaveCells

from tests.autograder.preprocessors.chapter import ASSIGNMENT, NOTEBOOK, STUDENT, source_notebook


@pytest.fixture(scope="session")
def gradebook_file(tmp_path_factory):
    """A gradebook that knows the chapter, filled by nbgrader's SaveCells as `nbgrader
    generate_assignment` fills it; made once (nbgrader runs `alembic` to create one)."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    info = {"db_url": f"sqlite:///{path}", "assignment": ASSIGNMENT, "notebook": NOTEBOOK}
    with Gradebook(info["db_url"]) as gradebook:
        gradebook.add_assignment(ASSIGNMENT)
        gradebook.add_student(STUDENT)
    SaveCells().preprocess(source_notebook(), {"nbgrader": info})
    return path


@pytest.fixture
def resources(gradebook_file, tmp_path):
    """nbgrader's resources for one submission, with a fresh copy of the gradebook."""
    path = tmp_path / "gradebook.db"
    shutil.copy(gradebook_file, path)
    info = {"db_url": f"sqlite:///{path}", "assignment": ASSIGNMENT, "notebook": NOTEBOOK}
    return {"nbgrader": {**info, "student": STUDENT}}
