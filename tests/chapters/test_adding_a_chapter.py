"""Adding a chapter means one source notebook and one grader folder (issue 15's "done when").

A throwaway chapter, 07_toy, is added to a copy of the course: its notebook, built here with
nbformat, and its grader folder, the real files of tests/chapters/toy_chapter/ (linted like any code)
copied to autograder/chapters/toy/. Nothing else in the copy changes. There it passes the
checks the real chapters pass, with the real tests' own helpers: discovery, well-formed grade
cells, a clean `nbgrader generate_assignment` release, `nbgrader validate` of the filled
notebook, its mutants failing with their diagnoses, and the example submissions autograded to
their expected scores.
"""

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import chapters
from autograder import notebooks as nbs
from autograder.pipeline import db
from tests.chapters.mutant_checks import (
    catalogue_problems,
    correct_failures,
    diagnosis_problems,
    kept_problems,
    mutants_report,
)
from tests.helpers import ROOT, kernel_imports_this_course, nbgrader_env
from tests.notebook_checks import check_exercise_headings, check_grade_cells, check_release

CHAPTER = "07_toy"
GRADER_FOLDER = Path(__file__).parent / "toy_chapter"
NOTEBOOK = f"source/{CHAPTER}/{CHAPTER}.ipynb"
PACKAGE = "autograder/chapters/toy"

INTRO = """# Chapter 7: Toy

A throwaway chapter: the squared error of each sample, $(\\hat y - y)^2$.

### Exercise 7.1 (1 point)

Write `squared_error(y_pred, y_true)`."""

SOLUTION = '''def squared_error(y_pred, y_true):
    """The squared error of each sample.

    y_pred: (n_samples,) predictions
    y_true: (n_samples,) targets
    Returns (n_samples,): each prediction's error, squared.
    """
    ### BEGIN SOLUTION
    return (y_pred - y_true) ** 2
    ### END SOLUTION'''

TEST = '''"""Check squared_error on a small example (hidden tests: random sizes and values)."""
### BEGIN HIDDEN TESTS
from autograder.chapters.toy.checks import check_squared_error

check_squared_error(squared_error)
### END HIDDEN TESTS
import numpy as np
from course.checks import expect_close, passed

errors = squared_error(np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 5.0]))
expect_close("squared_error", errors, [0.0, 4.0, 4.0])
passed()'''


def _graded(cell, grade_id, *, solution=False, points=None):
    cell.id = grade_id
    cell.metadata["nbgrader"] = {
        "grade": points is not None,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
        **({"points": points} if points is not None else {}),
    }
    return cell


def write_toy_notebook(root: Path) -> None:
    """The source notebook: a markdown cell, one exercise and its autograded test."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    intro = nbformat.v4.new_markdown_cell(INTRO)
    intro.id = "intro"
    nb.cells = [
        intro,
        _graded(nbformat.v4.new_code_cell(SOLUTION), "squared_error", solution=True),
        _graded(nbformat.v4.new_code_cell(TEST), "test_squared_error", points=1),
    ]
    (root / NOTEBOOK).parent.mkdir(parents=True)
    nbformat.write(nb, root / NOTEBOOK)


def tracked_files() -> list[str]:
    """The course's files, as git lists them (present in the working tree)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def in_copy(course: Path, *cmd: str, timeout: int = 900) -> str:
    """Run `cmd` in the copy, importing the copy's autograder; its stdout."""
    env = nbgrader_env()
    env["PYTHONPATH"] = str(course)
    env.pop("BACKPROP_DB_URL", None)  # the copy's own SQLite gradebook
    done = subprocess.run(cmd, cwd=course, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def in_copy_python(course: Path, code: str):
    """The JSON that `code` prints, run by Python in the copy."""
    return json.loads(in_copy(course, sys.executable, "-c", code))


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """(the course copy with the toy chapter, the files adding it created)."""
    course = tmp_path_factory.mktemp("adding_a_chapter") / "course"
    tracked = tracked_files()
    for name in tracked:
        (course / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, course / name)
    write_toy_notebook(course)
    shutil.copytree(GRADER_FOLDER, course / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    files = {str(p.relative_to(course)) for p in course.rglob("*") if p.is_file()}
    return course, files - set(tracked)


@pytest.fixture(scope="module")
def released(toy):
    course, _ = toy
    in_copy(course, "nbgrader", "generate_assignment", CHAPTER, "--force", "--log-level=WARN")
    return course


def test_the_toy_is_one_notebook_and_one_grader_folder(toy):
    _, added = toy
    assert added == {NOTEBOOK} | {f"{PACKAGE}/{p.name}" for p in GRADER_FOLDER.glob("*.py")}


def test_a_chapter_without_its_grader_folder_is_not_skipped(tmp_path):
    """Discovery fails loudly: this checkout's grader has no toy folder."""
    write_toy_notebook(tmp_path)
    with pytest.raises(ModuleNotFoundError, match="toy"):
        chapters.every(tmp_path)


@pytest.mark.slow
def test_discovery_finds_the_toy_chapter(toy):
    course, _ = toy
    found = in_copy_python(
        course,
        "import json; from autograder import chapters; print(json.dumps("
        "[[c.name, c.package.__file__, sorted(c.mutants.MUTANTS)] for c in chapters.every()]))",
    )
    assert [name for name, _, _ in found] == [*nbs.chapters(ROOT), CHAPTER]
    name, package_file, exercises = found[-1]
    assert Path(package_file) == course / PACKAGE / "__init__.py"
    assert exercises == ["squared_error"]


def test_the_toy_notebook_is_well_formed(toy):
    course, _ = toy
    nb = nbs.load(course / NOTEBOOK)
    check_grade_cells(nb)
    check_exercise_headings(nb)
    assert nbs.exercises(nb) == {"squared_error": ["test_squared_error"]}


@pytest.mark.slow
def test_generate_assignment_makes_a_clean_release(released):
    check_release(released / "release" / CHAPTER)


@pytest.mark.slow
def test_the_filled_notebook_validates(released):
    path = nbs.notebook_path(CHAPTER, "student", released)
    in_copy(
        released,
        sys.executable,
        "-c",
        "from autograder import examples, notebooks as nbs; "
        f"nbs.save(examples.filled({CHAPTER!r}), {str(path)!r})",
    )
    kernel_imports_this_course(path.parent)
    out = in_copy(released, "nbgrader", "validate", str(path))
    assert "Success! Your notebook passes all the tests." in out, out


@pytest.mark.slow
def test_the_toys_mutants_fail_with_their_diagnoses(toy):
    course, _ = toy
    data = mutants_report(CHAPTER, course)
    assert data["baseline_failures"] == {}
    assert len(data["mutants"]) >= 2 and len(data["correct"]) >= 1
    assert diagnosis_problems(data) == []
    assert kept_problems(data) == []
    assert catalogue_problems(data) == []
    assert correct_failures(data) == {}
    # the same checks fail a mutant that passed
    passing = copy.deepcopy(data)
    for result in passing["mutants"]["squared_error/not_squared"]["results"].values():
        result[0] = True
    assert diagnosis_problems(passing)


def gradebook_scores(course: Path) -> dict[str, dict[str, float]]:
    """{student: {test grade_id: score}} of the toy's submissions in the copy's gradebook."""
    url = db.normalize(f"sqlite:///{course}/gradebook.db")
    with db.gradebook(url, "backprop-from-scratch") as gb:
        return {
            sub.student.id: {g.name: g.score for nb in sub.notebooks for g in nb.grades}
            for sub in gb.find_assignment(CHAPTER).submissions
        }


@pytest.mark.slow
def test_the_example_submissions_score_as_expected(released):
    """autograder/examples.py's three students, autograded in the sandbox as `make` does."""
    failing = in_copy_python(
        released,
        "import json; from autograder import examples; "
        f"examples.write_submissions(chapters=[{CHAPTER!r}]); "
        f"print(json.dumps(examples.expected_failures({CHAPTER!r})))",
    )
    in_copy(released, "nbgrader", "autograde", CHAPTER, "--force", "--log-level=ERROR")
    points = nbs.points(nbs.load(released / NOTEBOOK))
    assert failing == ["test_squared_error"]
    assert gradebook_scores(released) == {
        "example_correct": points,
        "example_blank": {test: 0.0 for test in points},
        "example_buggy": {test: 0.0 if test in failing else p for test, p in points.items()},
    }
