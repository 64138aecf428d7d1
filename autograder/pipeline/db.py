"""The gradebook: its URL, and the queries the pipeline makes.

SQLite stays the default. nbgrader opens a fresh SQLAlchemy engine for every small read or write
(about ten per submission), so parallel workers take turns on SQLite's single write lock; each
transaction is short, so waiting is the right answer to a busy database. pysqlite waits 5 s by
default and then raises "database is locked"; `normalize` makes every connection nbgrader opens
wait much longer, through the URL (`?timeout=`), the one setting nbgrader passes on to
`create_engine`. PostgreSQL needs no such help: its writers lock rows, not the database.
"""

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import make_url

SQLITE_BUSY_TIMEOUT = 300  # seconds; a worker holds the write lock for milliseconds at a time


def nbgrader_env(base: Mapping[str, str] = os.environ) -> dict[str, str]:
    """A copy of `base` for running nbgrader, with this Python's bin/ first on PATH: nbgrader
    runs `alembic` from its own environment when it creates or upgrades a gradebook."""
    env = dict(base)
    bin_dir = str(Path(sys.executable).parent)
    rest = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != bin_dir]
    env["PATH"] = os.pathsep.join([bin_dir, *rest])
    return env


def normalize(url, seconds=SQLITE_BUSY_TIMEOUT):
    """The URL the pipeline hands to nbgrader.

    SQLite: with a pysqlite busy timeout (unless the URL sets one). PostgreSQL: as given, since
    SQLAlchemy 2.1 defaults `postgresql://` to psycopg 3, the pinned driver; where only psycopg2
    is installed, with that driver spelled out.
    """
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        if "timeout" in parsed.query:
            return url
        parsed = parsed.update_query_dict({"timeout": str(seconds)})
    elif parsed.drivername == "postgresql" and _missing("psycopg") and not _missing("psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg2")
    else:
        return url
    return parsed.render_as_string(hide_password=False)


def _missing(module):
    import importlib.util

    return importlib.util.find_spec(module) is None


def identity(url):
    """The gradebook a URL names, without password or connection options (recorded in markers)."""
    parsed = make_url(url)
    return parsed.set(query={}).render_as_string(hide_password=True)


def is_sqlite(url):
    return make_url(url).drivername.startswith("sqlite")


def gradebook(url, course_id):
    from nbgrader.api import Gradebook

    return Gradebook(url, course_id)


def assignment_ready(url, course_id, chapter):
    """Whether the gradebook knows the chapter's notebook and its graded cells."""
    from nbgrader.api import MissingEntry

    with gradebook(url, course_id) as gb:
        try:
            assignment = gb.find_assignment(chapter)
        except MissingEntry:
            return False
        return any(nb.grade_cells for nb in assignment.notebooks)


def awaits_hand_grading(grade):
    """Whether an nbgrader Grade is a written answer autograde left for the instructor (a
    markdown answer cell with neither an automatic nor a manual score yet)."""
    return (
        grade.auto_score is None
        and grade.manual_score is None
        and getattr(grade.cell, "cell_type", None) == "markdown"
    )


def graded_students(url, course_id, chapter):
    """Students whose submission of `chapter` has a score for every autograded cell (written
    answers may still wait for the instructor)."""
    from nbgrader.api import MissingEntry

    done = set()
    with gradebook(url, course_id) as gb:
        try:
            assignment = gb.find_assignment(chapter)
        except MissingEntry:
            return done
        expected = len(assignment.notebooks)
        for submission in assignment.submissions:
            grades = [g for nb in submission.notebooks for g in nb.grades]
            if (
                len(submission.notebooks) == expected
                and grades
                and all(
                    g.auto_score is not None or g.manual_score is not None or awaits_hand_grading(g)
                    for g in grades
                )
            ):
                done.add(submission.student.id)
    return done


def pending_points(gb):
    """{(student, chapter): points of written answers still to grade by hand} of a Gradebook."""
    pending = {}
    for assignment in gb.assignments:
        for submission in assignment.submissions:
            points = sum(
                float(g.max_score)
                for nb in submission.notebooks
                for g in nb.grades
                if awaits_hand_grading(g)
            )
            if points:
                pending[(submission.student.id, assignment.name)] = points
    return pending


def submission_score(url, course_id, chapter, student):
    """(score, max_score) of one graded submission."""
    with gradebook(url, course_id) as gb:
        submission = gb.find_submission(chapter, student)
        return float(submission.score), float(submission.max_score)
