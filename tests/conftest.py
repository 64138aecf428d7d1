"""Fixtures for the whole suite. The folders mirror what they test: autograder/ (the grader:
channel, sandbox, pipeline, security), chapters/ (each chapter's reference, checks and mutants),
course/ (the student package), e2e/ (JupyterLab in Chromium); the files directly in tests/ check
the project as shipped (notebooks, packaging, bundle, system packages).

pytest imports test files with --import-mode=importlib (pyproject.toml), so same-named files in
two folders do not clash and tests/ is not on sys.path. No test file imports another: what several
share is a fixture in a conftest.py, or a plain function in a helper module (tests/helpers.py;
in a folder that shares more, a module named for what it holds, e.g. autograder/kernels.py),
imported from the checkout's root: `from tests.helpers import ROOT`.
"""

import sys

import pytest

from tests.helpers import ROOT, copy_course, run


@pytest.fixture(scope="session")
def graded_course(tmp_path_factory):
    """A scratch course in which every chapter was generated, the examples submitted and
    autograded, and the grades exported: the pipeline `make` runs, end to end."""
    course = copy_course(tmp_path_factory.mktemp("course"))
    from autograder import notebooks as nbs

    for chapter in nbs.chapters(ROOT):
        run(["nbgrader", "generate_assignment", chapter, "--force", "--log-level=WARN"], course)
    run(
        [sys.executable, "-c", "from autograder import examples; examples.write_submissions()"],
        course,
    )
    for chapter in nbs.chapters(ROOT):
        run(["nbgrader", "autograde", chapter, "--force", "--log-level=ERROR"], course)
    run(["nbgrader", "export", "--log-level=WARN"], course)
    return course
