"""Plain helpers every test folder uses: this checkout's root, nbgrader's environment, a command
runner, scratch copies of the course, and what `nbgrader autograde` left in one (scores, the
graded cells' text). Fixtures live in the conftest.py files."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from autograder import notebooks as nbs
from autograder.pipeline.db import nbgrader_env as with_venv_bin

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def nbgrader_env():
    """Environment for nbgrader subprocesses: the venv's bin/ first (nbgrader runs `alembic`)."""
    env = with_venv_bin()
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


def autograded_scores(course: Path, student: str, chapter: str) -> dict[str, float]:
    """{test cell id: autograded score} of a student's notebook in the course's SQLite
    gradebook (written answers, graded by hand, are left out)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        notebook = gb.find_submission_notebook(chapter, chapter, student)
        return {g.name: g.auto_score for g in notebook.grades if g.name.startswith("test_")}


def autograded(course: Path, student: str, chapter: str) -> dict:
    """The student's autograded notebook (nbformat)."""
    return nbs.load(nbs.notebook_path(chapter, f"autograded/{student}", course))


def cell_text(nb: dict, grade_id: str) -> str:
    """Everything a graded cell shows, colours stripped: its printed text, displayed plain
    text and error messages."""
    parts = []
    for output in nbs.cell_by_id(nb, grade_id).get("outputs", []):
        text = output.get("text") or output.get("data", {}).get("text/plain") or ""
        parts += [text if isinstance(text, str) else "".join(text), output.get("evalue", "")]
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(parts))
