"""Fixtures for the browser tests: JupyterLab servers over scratch courses, Chromium, pages.

The browser is Debian's Chromium (`apt-get install chromium`), driven by Playwright for Python;
Playwright's own browser download is not used. Screenshots go to test-artifacts/screenshots/
(lab.screenshot), which CI keeps; a failing test leaves one named FAILED-<test>.png there.
"""

import os
import shutil
from pathlib import Path

import pytest

from autograder import examples
from autograder import notebooks as nbs
from tests.helpers import ROOT

from .lab import SCREENSHOTS, VIEWPORT, screenshot, start_lab

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# No sandbox (CI containers run as root), no GPU, nothing that reaches for the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium), "
            "set CHROMIUM to its path, or deselect these tests with -m 'not browser'"
        )
    from playwright.sync_api import sync_playwright

    # this run's screenshots only
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser tab; on failure its last state is saved as FAILED-<test>.png."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    if request.node.stash.get(FAILED, False):
        screenshot(page, f"FAILED-{request.node.name}")
    context.close()


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory):
    """JupyterLab over a student's folder, empty until student_notebook puts chapters in it."""
    server = start_lab(tmp_path_factory.mktemp("student"), tmp_path_factory.mktemp("student-lab"))
    yield server
    server.stop()


@pytest.fixture
def student_notebook(student_lab):
    """student_notebook(chapter): copy the chapter's release/ folder, and the earlier chapters'
    (later chapters load the student's classes from them), into the student's folder, each
    notebook filled in with the solutions (what a student who finished has: blank stubs would
    stop Run All at the first NotImplementedError); returns the notebook's path there."""

    def copy(chapter):
        for earlier in nbs.chapters(ROOT)[: nbs.chapters(ROOT).index(chapter) + 1]:
            folder = student_lab.root / earlier
            if not folder.exists():
                shutil.copytree(ROOT / "release" / earlier, folder)
                nbs.save(examples.filled(earlier), folder / f"{earlier}.ipynb")
        return f"{chapter}/{chapter}.ipynb"

    yield copy
    student_lab.shut_down_kernels()


@pytest.fixture(scope="module")
def instructor_lab(graded_course, tmp_path_factory):
    """JupyterLab started in the graded scratch course (tests/conftest.py's graded_course), so
    nbgrader's formgrader reads that course's nbgrader_config.py and gradebook."""
    server = start_lab(graded_course, tmp_path_factory.mktemp("instructor-lab"))
    yield server
    server.stop()
