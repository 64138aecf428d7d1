"""Each audience's JupyterLab. A student's, installed the student way (requirements/student.txt
and the course wheel: `make student-venv`, which `make test` runs), shows nothing of nbgrader;
an instructor's (the developers' venv, with the grader extra) shows the Nbgrader menu, the
formgrader and the Create Assignment panel."""

import os
import shutil

import pytest
from playwright.sync_api import expect

from tests.helpers import BIN, ROOT, copy_course

from .lab import lab_env, open_notebook, screenshot, start_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STUDENT_VENV = ROOT / ".venv-student"
CHAPTER = "01_dense_layers"
# nbgrader's JupyterLab extension, as /lab/api/extensions names it
NBGRADER_EXTENSION = "jupyter-nbgrader"
NBGRADER_MENU = ".lm-MenuBar-item:has(.lm-MenuBar-itemLabel:text-is('Nbgrader'))"
FORMGRADER_ITEM = ".lm-Menu-item:has(.lm-Menu-itemLabel:text-is('Formgrader'))"
# nbgrader's own widget id, typo included
CREATE_ASSIGNMENT_TAB = ".jp-SideBar .lm-TabBar-tab[data-id='nbgrader-create_assignemnt']"


def student_env():
    """What a student's shell has: the student venv's bin/, nothing of the developers' venv,
    no PYTHONPATH (the grading config's way to the autograder)."""
    env = lab_env()
    path = [p for p in env["PATH"].split(os.pathsep) if p and os.path.realpath(p) != str(BIN)]
    env["PATH"] = os.pathsep.join([str(STUDENT_VENV / "bin"), *path])
    env["VIRTUAL_ENV"] = str(STUDENT_VENV)
    env.pop("PYTHONPATH", None)
    return env


@pytest.fixture(scope="module")
def student_install_lab(tmp_path_factory):
    """The student venv's JupyterLab over a student's folder holding one release chapter."""
    python = STUDENT_VENV / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{STUDENT_VENV} not found: run `make student-venv` (`make test` does)")
    root = tmp_path_factory.mktemp("student-install")
    shutil.copytree(ROOT / "release" / CHAPTER, root / CHAPTER)
    server = start_lab(root, tmp_path_factory.mktemp("student-install-lab"), student_env(), python)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory):
    """The developers' JupyterLab in a scratch course (config and source/, nothing graded)."""
    course = copy_course(tmp_path_factory.mktemp("course-lab"))
    server = start_lab(course, tmp_path_factory.mktemp("course-lab-state"))
    yield server
    server.stop()


def extensions(server):
    """Names of the prebuilt JupyterLab extensions the server offers its pages."""
    return {ext["name"] for ext in server.api("/lab/api/extensions")}


def test_student_lab_shows_nothing_of_nbgrader(student_install_lab, page):
    server = student_install_lab
    assert NBGRADER_EXTENSION not in extensions(server)
    assert server.request("/formgrader")[0] == 404
    notebook = f"{CHAPTER}/{CHAPTER}.ipynb"
    open_notebook(page, server, notebook)
    # the page is up, its menus built and a kernel idle: nbgrader's parts would be there by now
    expect(
        page.locator(".lm-MenuBar-item:has(.lm-MenuBar-itemLabel:text-is('Run'))")
    ).to_have_count(1)
    expect(page.locator(NBGRADER_MENU)).to_have_count(0)
    expect(page.locator(CREATE_ASSIGNMENT_TAB)).to_have_count(0)
    screenshot(page, "student-install-lab")


def test_instructor_lab_shows_nbgrader(course_lab, page):
    server = course_lab
    assert NBGRADER_EXTENSION in extensions(server)
    # its first visit creates the gradebook (alembic): slower than an API call
    assert server.request("/formgrader", timeout=120)[0] == 200
    open_notebook(page, server, f"source/{CHAPTER}/{CHAPTER}.ipynb")
    expect(page.locator(CREATE_ASSIGNMENT_TAB)).to_have_count(1)
    page.locator(CREATE_ASSIGNMENT_TAB).click()
    expect(page.locator("#nbgrader-create_assignemnt")).to_be_visible()
    screenshot(page, "instructor-create-assignment")
    page.locator(NBGRADER_MENU).click()
    page.locator(FORMGRADER_ITEM).click()
    formgrader = page.frame_locator("#formgrader-iframe iframe")
    expect(formgrader.get_by_role("link", name="Manage Assignments")).to_be_visible()
    screenshot(page, "instructor-formgrader")
