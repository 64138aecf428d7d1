"""nbgrader configuration for Backprop from Scratch (instructor side).

Run nbgrader from this folder (the course root) with the virtual environment's bin/ on PATH:
nbgrader runs its own `alembic` to create the gradebook.
"""

import os

c = get_config()  # noqa: F821 (injected by traitlets)

ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = ROOT
c.CourseDirectory.course_id = "backprop-from-scratch"
# SQLite gradebook in the course root (nbgrader's default); a larger class sets a
# PostgreSQL URL here, e.g. "postgresql://grader@localhost/backprop".
c.CourseDirectory.db_url = os.environ.get("BACKPROP_DB_URL", f"sqlite:///{ROOT}/gradebook.db")

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Hidden tests import `autograder`, which is never installed for students: grading kernels
# (started by nbgrader as subprocesses) inherit this PYTHONPATH and find it in the course root.
_pythonpath = os.environ.get("PYTHONPATH", "")
if ROOT not in _pythonpath.split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, _pythonpath) if p)

# Per-cell time limit while validating and autograding (seconds): an infinite loop costs
# that student one cell, not the batch.
c.Execute.timeout = int(os.environ.get("BACKPROP_CELL_TIMEOUT", "30"))
