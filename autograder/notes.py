"""Notes from the grader: what happened to a submission, where the student and instructor see it.

A note is a markdown cell at the top of the autograded notebook, so the feedback page and the
formgrader show it; the grading pipeline reads the same cells into its report.
"""

from nbformat.v4 import new_markdown_cell

PREFIX = "**Note from the grader:** "


def add(nb, text):
    """Put a note at the top of `nb` (after the notes already there)."""
    position = sum(1 for cell in nb.cells if is_note(cell))
    nb.cells.insert(position, new_markdown_cell(PREFIX + text))


def is_note(cell):
    return cell.get("cell_type") == "markdown" and _text(cell).startswith(PREFIX)


def read(nb):
    """The notes of `nb` (a notebook node or its JSON dict), without the prefix."""
    return [_text(c)[len(PREFIX) :] for c in nb.get("cells", []) if is_note(c)]


def drop_forged(nb):
    """Remove note-looking cells a submission brought: only the grader writes notes."""
    nb.cells = [cell for cell in nb.cells if not is_note(cell)]


def _text(cell):
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)
