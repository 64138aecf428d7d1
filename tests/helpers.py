"""Plain helpers every test folder uses: this checkout's root, nbgrader's environment, a command
runner, and scratch copies of the course (fixtures live in the conftest.py files)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def nbgrader_env():
    """Environment for nbgrader subprocesses: the venv's bin/ first (nbgrader runs `alembic`)."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("MPLBACKEND", "Agg")
    return env


def run(cmd, cwd, check=True, timeout=900):
    """Run a command, returning CompletedProcess; on failure show its output."""
    result = subprocess.run(
        cmd, cwd=cwd, env=nbgrader_env(), capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{cmd} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def copy_course(dest):
    """A fresh course root: config, packages and source/ (no gradebook, no submissions)."""
    dest = Path(dest)
    for name in ("nbgrader_config.py",):
        shutil.copy(ROOT / name, dest / name)
    for folder in ("source", "autograder", "course"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def kernel_imports_this_course(folder):
    """Make a sandboxed grading kernel run in `folder` import this checkout's `course`.

    The kernel imports `course` from the editable install, which may be another checkout's (in
    a git worktree); a copy in the kernel's working folder comes first on its sys.path."""
    from autograder import sandbox

    if Path(sandbox._course_folder()) != ROOT / "course":
        shutil.copytree(
            ROOT / "course", Path(folder) / "course", ignore=shutil.ignore_patterns("__pycache__")
        )
