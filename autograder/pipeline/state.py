"""What a grading run leaves in `<course>/.grading/`, so that the next run resumes.

A submission counts as graded when (1) its marker `done/<chapter>/<student>.json` exists, written
by the worker only after nbgrader's autograde succeeded (and its feedback was written), (2) the
marker's hash of the submitted files equals their hash now (a resubmission is graded again), (3)
the marker names the same gradebook, and (4) that gradebook holds the submission with a score for
every graded cell. Anything less is graded again: nbgrader's autograde of one student is
idempotent (it replaces `autograded/<student>/<chapter>/` and that submission's grades).
"""

import hashlib
import json
import os
from pathlib import Path

STATE_DIR = ".grading"


def state_dir(root):
    """`<course>/.grading/`, created with a .gitignore that keeps it out of git."""
    path = Path(root) / STATE_DIR
    path.mkdir(parents=True, exist_ok=True)
    ignore = path / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# grading state, made by `python -m autograder grade`\n*\n")
    return path


def file_hash(path) -> str:
    """The sha256 of a file's contents, in hex."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def folder_hashes(folder):
    """{relative path: sha256} of every file under `folder` ({} when it does not exist)."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {
        str(p.relative_to(folder)): file_hash(p) for p in sorted(folder.rglob("*")) if p.is_file()
    }


def submission_hash(folder):
    """One sha256 over a submission folder's file names and contents."""
    digest = hashlib.sha256()
    for name, value in folder_hashes(folder).items():
        digest.update(f"{name}\0{value}\n".encode())
    return digest.hexdigest()


def write_json(path, data):
    """Write atomically: a killed run leaves the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def marker_path(state, chapter, student):
    return Path(state) / "done" / chapter / f"{student}.json"


def failure_path(state, chapter, student):
    return Path(state) / "failed" / chapter / f"{student}.json"


def log_path(state, chapter, student):
    return Path(state) / "logs" / chapter / f"{student}.log"
