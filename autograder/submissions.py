"""What students actually submit: problems found before grading, and what to grade instead.

nbgrader expects `submitted/<student>/<chapter>/<chapter>.ipynb`. Anything else either fails
that student (invalid JSON, a renamed notebook) or is skipped, and `nbgrader export` then shows
a silent 0.0. This module names each problem in a sentence for the student and the instructor:

- no notebook submitted;
- `<chapter>.ipynb` is not valid JSON (with the line and column) or not a notebook;
- a notebook with another name (`dense.ipynb`): graded under the right name if it is this
  chapter's notebook, from a copy (`stage`), so the student loses nothing;
- another chapter's notebook, or one with none of the chapter's graded cells;
- cells copied from another notebook, which keep its grading metadata: nbgrader (with
  OverwriteCells.add_missing_cells) would fail the whole submission on them; `stage` removes
  that metadata from its copy, so they run as ordinary cells.

Submitted files are only ever read. A grading pipeline calls, per chapter:

    problems = submissions.stage(course_root, chapter, staging_dir)   # {student: [Problem]}
    nbgrader autograde CHAPTER --CourseDirectory.submitted_directory=<staging_dir> [--student S]

for the students in `problems` with `gradable(problems[student])`; the score table
(autograder/report.py) shows the others with their reason instead of a score.
"""

import functools
import json
import os
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

from autograder import notebooks as nbs


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a submission.

    kind: 'missing', 'invalid', 'wrong-chapter', 'ambiguous' (not graded), 'renamed',
        'extra', 'foreign' (graded: see `stage`), or 'not-graded' (report.py: grading failed);
    message: a sentence for the student and the instructor;
    gradable: True when the submission is graded anyway (renamed, extra notebooks ignored).
    """

    kind: str
    message: str
    gradable: bool = False
    path: str = ""

    def __str__(self):
        return self.message


SHORT = {
    "missing": "missing",
    "invalid": "invalid notebook",
    "wrong-chapter": "wrong chapter",
    "renamed": "renamed",
    "ambiguous": "which notebook?",
    "extra": "extra files",
    "foreign": "copied cells",
    "not-graded": "not graded",
}


def gradable(problems):
    """Whether nbgrader should grade a submission with these problems."""
    return all(p.gradable for p in problems)


def submission_dir(course_root, chapter, student):
    return Path(course_root) / "submitted" / student / chapter


def students(course_root):
    """Students with a folder in submitted/."""
    folder = Path(course_root) / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _notebooks(folder):
    """The .ipynb files a student put in their chapter folder (not checkpoints)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == ".ipynb" and p.is_file())


def _grade_ids(nb):
    return {
        nbs.nbgrader_meta(c)["grade_id"]
        for c in nb.get("cells", [])
        if isinstance(c, dict) and nbs.nbgrader_meta(c).get("grade_id")
    }


def _chapter_ids(course_root):
    """{chapter: grade_ids of its source notebook} (read again only when one changed)."""
    paths = [nbs.notebook_path(c, "source", course_root) for c in nbs.chapters(course_root)]
    stamp = tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in paths)
    return _read_chapter_ids(stamp)


@functools.lru_cache(maxsize=8)
def _read_chapter_ids(stamp):
    result = {}
    for path, _ in stamp:
        try:
            result[Path(path).stem] = frozenset(_grade_ids(nbs.load(path)))
        except (OSError, ValueError):
            result[Path(path).stem] = frozenset()
    return result


# far above a real notebook with its outputs; reading one costs several times its size in memory
MAX_NOTEBOOK_BYTES = 64 << 20


def read_notebook(path) -> tuple[dict | None, str | None]:
    """(notebook, None) or (None, why it cannot be read) for a submitted file: the notebook as
    nbgrader will read it (nbformat, version 4)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            return None, (
                f"{path.name} is {size >> 20} MB, over the {MAX_NOTEBOOK_BYTES >> 20} MB a "
                "notebook may be: clear its outputs (Edit > Clear All Outputs) and submit it again"
            )
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return None, f"{path.name} is not a text file (byte {error.start} is not UTF-8)"
    except OSError as error:
        return None, f"{path.name} cannot be read ({error.strerror})"
    if not text.strip():
        return None, f"{path.name} is empty"
    # json first, for the line and column of the damage (nbformat only says "not JSON")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, (
            f"{path.name} is not valid JSON (line {error.lineno} column {error.colno}: "
            f"{error.msg}): the file was damaged, perhaps edited outside Jupyter"
        )
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        return None, f"{path.name} is JSON but not a Jupyter notebook (it has no cells)"
    try:
        with warnings.catch_warnings():  # e.g. duplicate cell ids, which nbformat repairs
            warnings.simplefilter("ignore")
            return nbs.parse(text), None
    except Exception as error:  # what nbgrader would trip on when reading it
        return None, f"{path.name} is not a notebook nbgrader can read ({type(error).__name__})"


def _which_chapter(nb, chapter_ids):
    """The chapter whose graded cells the notebook has most of (None: none of them)."""
    ids = _grade_ids(nb)
    best = max(chapter_ids, key=lambda c: len(ids & chapter_ids[c]), default=None)
    return best if best is not None and ids & chapter_ids[best] else None


def _judge(course_root, chapter, nb, name):
    """Problems with a readable notebook's content (another chapter, no graded cells)."""
    chapter_ids = _chapter_ids(course_root)
    ids = _grade_ids(nb)
    mine = len(ids & chapter_ids.get(chapter, set()))
    found = _which_chapter(nb, chapter_ids)
    if found is not None and found != chapter and len(ids & chapter_ids[found]) > mine:
        return Problem(
            "wrong-chapter",
            f"{name} is chapter {found}'s notebook, not {chapter}'s: submit the notebook of "
            f"this chapter (release/{chapter}/{chapter}.ipynb, filled in)",
        )
    if not mine:
        return Problem(
            "wrong-chapter",
            f"{name} has none of {chapter}'s graded cells: was the work copied into a new "
            f"notebook? Fill in the chapter's own notebook (release/{chapter}/{chapter}.ipynb)",
        )
    return None


def inspect(course_root, chapter, student):
    """Problems with `student`'s submission of `chapter`: a list of Problem (empty: fine).

    Reads submitted/<student>/<chapter>/; nothing is written.
    """
    folder = submission_dir(course_root, chapter, student)
    expected = f"{chapter}.ipynb"
    found = _notebooks(folder)
    if not found:
        return [Problem("missing", f"no notebook submitted for {chapter}")]
    names = [p.name for p in found]
    if expected in names:
        nb, error = read_notebook(folder / expected)
        if error:
            return [Problem("invalid", error, path=str(folder / expected))]
        problem = _judge(course_root, chapter, nb, expected)
        if problem:
            return [problem]
        problems = _foreign(course_root, chapter, nb, expected, folder / expected)
        others = [n for n in names if n != expected]
        if others:
            message = f"also found {', '.join(others)}: only {expected} is graded"
            problems.append(Problem("extra", message, gradable=True))
        return problems
    # No notebook under the expected name: is one of them this chapter's, renamed?
    readable, errors = [], []
    for path in found:
        nb, error = read_notebook(path)
        if error:
            errors.append(error)
        elif _judge(course_root, chapter, nb, path.name) is None:
            readable.append((path, nb))
    if len(readable) == 1:
        path, nb = readable[0]
        message = (
            f"found {path.name} instead of {expected}: graded as {expected} "
            "(keep the notebook's name next time)"
        )
        renamed = Problem("renamed", message, gradable=True, path=str(path))
        return [renamed, *_foreign(course_root, chapter, nb, path.name, path)]
    if len(readable) > 1:
        return [
            Problem(
                "ambiguous",
                f"found {', '.join(p.name for p, _ in readable)} instead of {expected}: "
                "submit one notebook, named as given",
            )
        ]
    if len(found) == 1 and errors:
        return [Problem("invalid", f"found {names[0]} instead of {expected}, and {errors[0]}")]
    nb, _ = read_notebook(found[0]) if len(found) == 1 else (None, None)
    if nb is not None:
        return [_judge(course_root, chapter, nb, found[0].name)]
    return [Problem("missing", f"found {', '.join(names)} but no notebook of {chapter}")]


def _foreign(course_root, chapter, nb, name, path):
    """Cells carrying another notebook's grading metadata (a cell copied from an earlier
    chapter keeps it). nbgrader would fail the whole submission on them (with
    OverwriteCells.add_missing_cells); `stage` grades them as ordinary cells."""
    mine = _chapter_ids(course_root).get(chapter, set())
    foreign = sorted(_grade_ids(nb) - mine)
    if not foreign:
        return []
    return [
        Problem(
            "foreign",
            f"{name} has cells copied from another notebook ({', '.join(foreign)}): "
            "they are run, not graded",
            gradable=True,
            path=str(path),
        )
    ]


def _strip_foreign(nb, mine):
    for cell in nb["cells"]:
        meta = cell.get("metadata", {})
        if nbs.nbgrader_meta(cell).get("grade_id") not in mine and "nbgrader" in meta:
            del meta["nbgrader"]
    return nb


def copy_submission(source, target):
    """Copy a submission's folder without hidden files, without links and without anything
    but files and folders: a link in a submission could point into the course (solutions, the
    gradebook) and the copy would hold the target's bytes; a named pipe or a socket would stop
    the copy (shutil.Error), and with it the class's."""

    def left_out(folder, names):
        hidden = set(shutil.ignore_patterns(".*")(folder, names))
        return hidden | {n for n in names if not _plain(os.path.join(folder, n))}

    shutil.copytree(source, target, ignore=left_out, copy_function=shutil.copyfile)


def _plain(path):
    """A regular file or a folder, not a link."""
    return not os.path.islink(path) and (os.path.isfile(path) or os.path.isdir(path))


def stage(course_root, chapter, staging_dir, students_=None):
    """Copy what nbgrader should grade into staging_dir/<student>/<chapter>/.

    Each student's folder is copied whole; a renamed notebook of this chapter is copied under
    the expected name; a submission with a problem that is not gradable is not copied (grade
    only the students whose problems are all gradable). Returns {student: [Problem]} for
    every student with a folder in submitted/ (or in `students_`).
    """
    staging_dir = Path(staging_dir)
    result = {}
    for student in students_ if students_ is not None else students(course_root):
        problems = inspect(course_root, chapter, student)
        result[student] = problems
        target = staging_dir / student / chapter
        if target.exists():
            shutil.rmtree(target)
        if not gradable(problems):
            continue
        source = submission_dir(course_root, chapter, student)
        copy_submission(source, target)
        notebook = target / f"{chapter}.ipynb"
        for problem in problems:
            if problem.kind == "renamed":
                (target / Path(problem.path).name).rename(notebook)
        if any(p.kind == "foreign" for p in problems):
            mine = _chapter_ids(course_root).get(chapter, set())
            nbs.save(_strip_foreign(nbs.load(notebook), mine), notebook)
    return result


def inspect_all(course_root, chapters=None, students_=None):
    """{(student, chapter): [Problem]} for every submission with a problem."""
    chapters = chapters or nbs.chapters(course_root)
    found = {}
    for student in students_ if students_ is not None else students(course_root):
        for chapter in chapters:
            problems = inspect(course_root, chapter, student)
            if problems:
                found[(student, chapter)] = problems
    return found
