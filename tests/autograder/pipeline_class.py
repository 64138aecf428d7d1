"""A scratch class graded by `python -m autograder grade`: chapter 1 only (to keep the suite
fast), submissions of known kinds (correct, buggy, blank, invalid JSON), and the scores nbgrader
must record for them. Shared by the pipeline, warm-kernel and PostgreSQL tests."""

import csv
import json
import subprocess
import sys

from autograder import examples
from autograder import notebooks as nbs
from autograder.pipeline import db, state
from tests.helpers import ROOT, copy_course, nbgrader_env

CHAPTER = nbs.chapters(ROOT)[0]


# ---- building a class ------------------------------------------------------------------------


def make_course(tmp_path):
    course = copy_course(tmp_path)
    release = course / "release" / CHAPTER
    release.mkdir(parents=True)
    for path in (ROOT / "release" / CHAPTER).iterdir():
        (release / path.name).write_bytes(path.read_bytes())
    return course


def submission(kind):
    """A submitted notebook (as text) of a given kind."""
    if kind == "correct":
        nb = examples.filled(CHAPTER)
    elif kind == "buggy":
        nb = examples.filled(CHAPTER, examples.buggy_replacements(CHAPTER))
    elif kind == "blank":
        nb = nbs.load(nbs.notebook_path(CHAPTER, "release"))
    elif kind == "invalid_json":
        return '{"cells": [ this is not JSON'
    else:
        raise ValueError(kind)
    return json.dumps(nb, indent=1)


def expected_scores(kind):
    """{test grade_id: points} nbgrader must record for a submission of this kind."""
    points = nbs.points(nbs.load(nbs.notebook_path(CHAPTER, "source")))
    if kind == "correct":
        return points
    if kind == "blank":
        return {t: 0.0 for t in points}
    if kind == "buggy":
        failing = examples.expected_failures(CHAPTER)
        return {t: (0.0 if t in failing else p) for t, p in points.items()}
    raise ValueError(kind)


def write_class(course, kinds, folder="submitted"):
    """<folder>/<student>/<chapter>/<chapter>.ipynb for {student: kind}."""
    for student, kind in kinds.items():
        path = course / folder / student / CHAPTER / f"{CHAPTER}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(submission(kind), encoding="utf-8")


def write_roster(path, students):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "first_name", "last_name", "email"])
        for i, student in enumerate(students):
            writer.writerow([student, f"First{i}", f"Last{i}", f"{student}@example.edu"])


# ---- running and reading back ----------------------------------------------------------------


def grade_cmd(*args):
    return [sys.executable, "-m", "autograder", "grade", CHAPTER, *args]


def grade(course, *args, timeout=600):
    result = subprocess.run(
        grade_cmd(*args),
        cwd=course,
        env=nbgrader_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def gradebook_scores(url, course_id="backprop-from-scratch"):
    """{student: {test grade_id: score}} of every submission of CHAPTER in the gradebook."""
    with db.gradebook(db.normalize(url), course_id) as gb:
        return {
            sub.student.id: {g.name: g.score for nb in sub.notebooks for g in nb.grades}
            for sub in gb.find_assignment(CHAPTER).submissions
        }


def sqlite_url(course):
    return f"sqlite:///{course}/gradebook.db"


def tree_hashes(folder):
    return state.folder_hashes(folder)


def markers(course):
    folder = course / ".grading" / "done" / CHAPTER
    return {p.stem: json.loads(p.read_text()) for p in folder.glob("*.json")}


def assert_graded(course, kinds, url=None):
    scores = gradebook_scores(url or sqlite_url(course))
    for student, kind in kinds.items():
        if kind == "invalid_json":
            continue
        assert scores.get(student) == expected_scores(kind), (student, kind, scores.get(student))


def exported(csv_path):
    with open(csv_path, newline="", encoding="utf-8") as f:
        return {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}
