"""Run every grading kernel in an operating-system sandbox (bubblewrap).

Student code runs in its kernel; the grader talks to it only through Jupyter messages over
Unix sockets. The kernel sees (read-only) /usr, a few files of /etc, the Python installation,
the virtual environment and the `course` package; its only writable folders are a private
tmpfs /tmp and /submission, a size-capped tmpfs holding a copy of this submission's folder
(its working directory). It has no network (even loopback), sees only its own processes, gets
an environment built from an allowlist (never the gradebook URL, PG* variables or PYTHONPATH),
runs as nobody (65534) when the grader is root, and starts under resource limits set before it
runs (processes, open files, file size, data) that it cannot raise.

Interface:
- `configure(c)`: nbgrader_config.py calls it once (idempotent): every kernel nbgrader's
  Execute starts is then a `SandboxedKernelManager`.
- `SandboxedKernelManager` (manager.py): a jupyter_client AsyncKernelManager that wraps the
  kernel command in `bwrap`; one private connection folder (ipc sockets) and one scratch copy
  per start.
- `Sandbox` (settings.py): the settings (traitlets, section `Sandbox`), the paths a kernel may
  read and its environment (`kernel_env`).
- `Launch` (launch.py): one start's bwrap command line and the descriptors it reads.
- `self_test`, `refusal` (check.py): whether a sandbox starts here, and why not;
  `python -m autograder.sandbox` checks this machine and `--help-all` lists the settings.
- `SandboxUnavailable`: raised when a kernel cannot be sandboxed and unsandboxed grading was
  not explicitly allowed (`Sandbox.allow_unsandboxed`, or BACKPROP_ALLOW_UNSANDBOXED=1).
"""

from autograder.sandbox.check import main, refusal, self_test
from autograder.sandbox.launch import (
    Launch,
    earlier_submissions,
    own_folder,
    submission_files,
    wrapper,
)
from autograder.sandbox.manager import KERNEL_MANAGER, SandboxedKernelManager, configure
from autograder.sandbox.settings import (
    ALLOW_ENV,
    MPLCONFIGDIR,
    SUBMISSION,
    Sandbox,
    SandboxUnavailable,
    _course_folder,
    kernel_env,
)

# the names tests and benches used before the split
_own = own_folder

__all__ = [
    "ALLOW_ENV",
    "KERNEL_MANAGER",
    "MPLCONFIGDIR",
    "SUBMISSION",
    "Launch",
    "Sandbox",
    "SandboxUnavailable",
    "SandboxedKernelManager",
    "_course_folder",
    "_own",
    "configure",
    "earlier_submissions",
    "kernel_env",
    "main",
    "own_folder",
    "refusal",
    "self_test",
    "submission_files",
    "wrapper",
]
