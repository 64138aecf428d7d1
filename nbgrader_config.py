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

# `nbgrader validate` checks every code cell, not only the test cells: a solution cell that
# still raises NotImplementedError (or a demo cell that breaks) is a failure, listed with its
# source, instead of "Success!".
c.Validator.validate_all = True
c.Validator.failed_warning = (
    "VALIDATION FAILED ON {num_failed} CELL(S)! If you submit your assignment as it is, you\n"
    "WILL NOT receive full credit. A cell that raises NotImplementedError is an exercise not\n"
    "done yet: replace its `raise NotImplementedError()` with your code.\n"
)

# Grading safety (README, "Grading safety"; autograder/safety.py, autograder/feedback.py):
# per-cell time limit (an infinite loop costs that student one cell, not the batch) with a
# clear message, per-kernel memory cap, output cut at 100 000 characters per cell, Python
# warnings in test cells not scored as failures, deleted test cells graded as if present, and
# feedback without hidden tests or grader code. The limits are GradingLimits settings
# (autograder/limits.py), by default from BACKPROP_CELL_TIMEOUT (30 s) and
# BACKPROP_KERNEL_MEMORY (2G); set them here, before safety.configure, e.g.
# c.GradingLimits.cell_timeout = 60. Keep this block after any kernel arguments or
# preprocessors set above: it adds to them.
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

# Hidden tests run in nbgrader's own process, never in the student's kernel, which they reach
# through a narrow channel of plain data; the grader alone scores test cells (README,
# "Grading security"; autograder/execute.py).
from autograder import execute, restore_metadata  # noqa: E402

execute.configure(c)
# Edited nbgrader metadata (a test cell made a solution cell, a duplicated grade_id) is put
# back from the gradebook, with a note, instead of failing the whole notebook.
restore_metadata.configure(c)

# Sandbox (README, "Grading security"; autograder/sandbox/): every grading kernel runs under
# bubblewrap, seeing only Python, the `course` package and a scratch copy of its submission;
# grading refuses to run where it cannot (unless --Sandbox.allow_unsandboxed=True).
from autograder import sandbox  # noqa: E402

sandbox.configure(c)
# Kernels forked from a warm template that has already imported the course (autograder/warm.py),
# each in a sandbox of its own; BACKPROP_WARM_KERNELS=0 starts every kernel cold.
from autograder import warm  # noqa: E402

warm.configure(c)
# The uids kernels run as when the grader is root ("FIRST-LAST"): in a Kubernetes pod with its
# own user namespace, a range that namespace maps (deploy/grade-job.yaml).
if os.environ.get("BACKPROP_KERNEL_UIDS"):
    c.Sandbox.uids = os.environ["BACKPROP_KERNEL_UIDS"]

# Student HTML is inert in the autograded notebook, so in the formgrader and the feedback
# (README, "Grading safety"; autograder/inert.py): sanitized with nh3, scripts dropped.
from autograder import inert  # noqa: E402

inert.configure(c)

# Autograde's sanitize step expects test cells released without their hidden tests: no
# "checksum has changed" warning for those, plain words for a real edit (autograder/sanitize.py).
# Due dates and the late penalty come from term.toml (autograder/term.py).
from autograder import sanitize, term  # noqa: E402

sanitize.configure(c)
term.configure(c, ROOT)
