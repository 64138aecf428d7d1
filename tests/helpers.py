"""Shared fixtures: the course root and a scratch copy of the course for nbgrader runs."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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
