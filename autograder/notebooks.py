"""Reading the course's notebooks: chapters, cells by grade_id, exercises and their tests."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbformat import NotebookNode

# nbformat's jsonschema imports rfc3987_syntax if it can, which builds a parser for IRIs at
# import time: 1 to 3 s per process here, for a format no notebook schema uses. Set before
# anything imports nbformat (nbgrader included) in a process that imports this module first.
sys.modules.setdefault("rfc3987_syntax", None)

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_BEGIN = "### BEGIN SOLUTION"
SOLUTION_END = "### END SOLUTION"
UNGRADED_PREFIX = "ungraded_"
# A written-answer cell of a source notebook: model answer, then rubric (graders read both;
# nbgrader replaces the whole cell by ClearSolutions.text_stub in release/).
MODEL_ANSWER = "**Model answer.**"
RUBRIC = "**Rubric**"


def chapters(root=ROOT):
    """Chapter ids ('01_dense_layers', ...) in course order: the folders of source/."""
    return sorted(
        p.name for p in (Path(root) / "source").iterdir() if (p / f"{p.name}.ipynb").exists()
    )


def topic(chapter):
    """'01_dense_layers' -> 'dense_layers', the module name of its hidden tests and mutants."""
    return chapter.split("_", 1)[1]


def notebook_path(chapter, step="source", root=ROOT) -> Path:
    return Path(root) / step / chapter / f"{chapter}.ipynb"


def load(path) -> NotebookNode:
    """The notebook at `path`, as nbformat reads it: version 4, each source one string.

    nbformat logs (and does not raise) a notebook that breaks its schema; a file that is not
    JSON raises ValueError. Submitted files go through autograder/submissions.py instead.
    """
    import nbformat  # on first use: it costs about 0.4 s to import

    return nbformat.read(path, as_version=4)


def parse(text: str) -> NotebookNode:
    """The notebook in `text`, as `load` reads a file."""
    import nbformat

    return nbformat.reads(text, as_version=4)


def dumps(nb) -> str:
    """The file text of `nb` (a NotebookNode or a plain dict of one), as nbformat writes it:
    sorted keys, one space of indent, sources as lists of lines, a final newline."""
    import nbformat

    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


def save(nb, path) -> None:
    """Write `nb` to `path` as `dumps` gives it; folders made as needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(nb), encoding="utf-8")


def source_text(cell):
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def cell_by_id(nb, grade_id):
    for cell in nb["cells"]:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            return cell
    raise KeyError(f"no cell with grade_id {grade_id!r}")


def is_ungraded(grade_id):
    """Solution cells named `ungraded_...` hold code no test grades (e.g. the student's classes
    from earlier chapters, pasted in): stubbed in the release, filled in the examples, no points."""
    return grade_id.startswith(UNGRADED_PREFIX)


def solution_cells(nb):
    """grade_ids of every solution code cell, graded or not, in notebook order."""
    return [
        nbgrader_meta(c)["grade_id"]
        for c in nb["cells"]
        if nbgrader_meta(c).get("solution") and c["cell_type"] == "code"
    ]


def exercises(nb):
    """{solution grade_id: [test grade_ids]}: each exercise's tests are the grade cells that
    follow its solution cell, up to the next solution cell. Ungraded solution cells are no
    exercises."""
    result, current = {}, None
    for cell in nb["cells"]:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and cell["cell_type"] == "code":
            current = None if is_ungraded(meta["grade_id"]) else meta["grade_id"]
            if current is not None:
                result[current] = []
        elif meta.get("grade") and cell["cell_type"] == "code" and current is not None:
            result[current].append(meta["grade_id"])
    return result


def written_answers(nb):
    """{grade_id: points} of the answers graded by hand: markdown cells that are both solution
    and grade cells (nbgrader's "Manually graded answer"). Autograde leaves them ungraded."""
    return {
        nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c).get("points", 0))
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
        and nbgrader_meta(c).get("solution")
        and nbgrader_meta(c).get("grade")
    }


def autograded_points(nb):
    """{test grade_id: points} of the cells autograde scores (written answers left out)."""
    manual = written_answers(nb)
    return {k: v for k, v in points(nb).items() if k not in manual}


def model_answer(text):
    """The model answer of a written-answer cell in the source notebook: its text up to the
    rubric, without the "**Model answer.**" label (what a good student might write)."""
    answer = text.split(RUBRIC, 1)[0].strip()
    return answer.removeprefix(MODEL_ANSWER).strip()


def points(nb):
    """{grade_id: points} of every grade cell, written answers included."""
    return {
        nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c).get("points", 0))
        for c in nb["cells"]
        if nbgrader_meta(c).get("grade")
    }


def strip_solution_markers(code):
    """The solution code as a student would have typed it: the markers' lines removed."""
    lines = code.splitlines(keepends=True)
    return "".join(line for line in lines if line.strip() not in (SOLUTION_BEGIN, SOLUTION_END))
