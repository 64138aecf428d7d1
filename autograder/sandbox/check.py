"""Does a sandbox start here? The self-test (cached per process and settings), the refusal
that names the cause, and `python -m autograder.sandbox`, which runs the test and prints it."""

import os
import shutil
import subprocess
import sys
import tempfile

from autograder.sandbox.launch import Launch, own_folder, wrapper
from autograder.sandbox.settings import ALLOW_ENV, ETC, Sandbox, SandboxUnavailable, kernel_env

_checked = {}


def self_test(settings: Sandbox) -> str | None:
    """None if a sandbox starts here (cached per process and settings), else why not."""
    bwrap = settings.program()
    if not bwrap:
        return f"bubblewrap was not found (Sandbox.bwrap = {settings.bwrap!r})"
    try:
        key = (bwrap, tuple(settings.read_only()), os.geteuid(), settings.uids)
    except SandboxUnavailable as e:
        return str(e)
    if key not in _checked:
        folder = tempfile.mkdtemp(prefix="sandbox-check-")
        try:
            uid = own_folder(folder, settings)
            launch = Launch(settings, bwrap, folder, None, kernel_env(settings, {}), uid)
            cmd = [*wrapper(settings), *launch.args, sys.executable, "-S", "-c", "import os"]
            try:
                done = subprocess.run(
                    cmd, capture_output=True, text=True, timeout=30, env={},
                    pass_fds=[int(f) for f in launch.fds], cwd="/",
                )  # fmt: skip
            finally:
                launch.close()
            error = (done.stderr or done.stdout).strip()
            _checked[key] = None if done.returncode == 0 else f"{bwrap} failed: {error}"
        except (OSError, subprocess.SubprocessError) as e:
            _checked[key] = f"{bwrap} could not run: {e}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return _checked[key]


def refusal(reason: str) -> str:
    return (
        f"Grading refused: the student's kernel cannot be sandboxed ({reason}). Without the "
        "sandbox, the notebook's code would run as the grader, able to read the course "
        "(reference solutions, hidden tests, other students' submissions), write the "
        "gradebook, read the grader's environment (database credentials) and use the network. "
        "Fix the cause (bubblewrap: apt-get install bubblewrap; user namespaces, e.g. in a "
        "Kubernetes pod: docs/scaling.md; `python -m autograder.sandbox` checks again), or, "
        "knowing all this, grade without it: "
        f"--Sandbox.allow_unsandboxed=True or {ALLOW_ENV}=1."
    )


def main(argv: list[str] | None = None) -> int:
    """`python -m autograder.sandbox`: check this machine; --help-all lists the settings."""
    from traitlets.config import Application

    class SandboxCheck(Application):
        name = "autograder.sandbox"
        description = "Check that grading kernels can be sandboxed here (bubblewrap)."
        classes = [Sandbox]

    app = SandboxCheck()
    app.initialize(argv)
    settings = Sandbox(parent=app)
    reason = self_test(settings)
    if reason:
        print(refusal(reason))
        return 1
    print(f"sandbox ok: {settings.program()}; kernels run as uid "
          f"{settings.uids if os.geteuid() == 0 else os.geteuid()}; read-only: "
          f"/usr, /etc ({', '.join(ETC)}), {', '.join(settings.read_only())}")  # fmt: skip
    return 0
