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

# Grading safety (README, "Grading safety"; autograder/safety.py, autograder/feedback.py):
# per-kernel memory cap (BACKPROP_KERNEL_MEMORY, default 2G), a clear message when a cell
# times out, output cut at 100 000 characters per cell, Python warnings in test cells not
# scored as failures, deleted test cells graded as if present, and feedback without hidden
# tests or grader code. Keep this block last: it adds to the kernel arguments and
# preprocessors set above.
import sys  # noqa: E402
import warnings  # noqa: E402

if ROOT not in sys.path:
    sys.path.append(ROOT)  # nbgrader loads the preprocessors below from autograder/
try:
    from autograder import feedback, safety

    safety.configure(c)
    feedback.configure(c)
except Exception as error:  # nbgrader would log it and grade without the limits: stop instead
    raise SystemExit(f"nbgrader_config.py: grading safety not set up: {error!r}") from error
# nbgrader 0.9's own harmless warnings, printed for every new submission or re-added cell
warnings.filterwarnings("ignore", message=r".*not in session, add operation along")
warnings.filterwarnings("ignore", message=r"Cell is missing an id field")
# Kernels reach nbgrader through Unix sockets in a private folder, not TCP ports on localhost:
# no port taken by another grader, and no "running over TCP without encryption" warning.
if os.name == "posix":
    import atexit  # noqa: E402
    import shutil  # noqa: E402
    import tempfile  # noqa: E402

    _sockets = tempfile.mkdtemp(prefix="nbgrader-kernels-")
    atexit.register(shutil.rmtree, _sockets, True)
    c.KernelManager.transport = "ipc"
    c.KernelManager.ip = os.path.join(_sockets, "kernel")

# Integrity (README, "Integrity"; autograder/guard.py, autograder/seal.py): a guard starts in
# every grading kernel before the notebook's first cell, and autograde gives a hidden-test
# cell its points only with the guard's seal for each check it calls.
from autograder import seal  # noqa: E402

seal.configure(c)

# Autograde's sanitize step expects test cells released without their hidden tests: no
# "checksum has changed" warning for those, plain words for a real edit (autograder/sanitize.py).
# Due dates and the late penalty come from term.toml (autograder/term.py).
from autograder import sanitize, term  # noqa: E402

sanitize.configure(c)
term.configure(c, ROOT)
