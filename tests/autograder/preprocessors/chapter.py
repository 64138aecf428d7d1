"""A small fixture chapter for the preprocessor tests, built with nbformat: one exercise (ReLU),
its solution cell and its test cell, whose hidden block calls the real chapter's check."""

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from nbgrader.nbgraderformat import SCHEMA_VERSION
from nbgrader.utils import compute_checksum

ASSIGNMENT, NOTEBOOK, STUDENT = "ch", "ch", "alice"
VISIBLE = '"""Check relu."""\nassert relu(-1.0) == 0.0\n'
HIDDEN = (
    "### BEGIN HIDDEN TESTS\n"
    "from autograder.chapters.activations.checks import check_relu\n\n"
    "check_relu(relu)\n"
    "### END HIDDEN TESTS\n"
)
SOLUTION = "import numpy as np\n\n\ndef relu(x):\n    return np.maximum(0, x)\n"


def nbgrader_cell(cell, grade_id, *, grade=False, solution=False, locked=False, points=None):
    cell.metadata.nbgrader = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        cell.metadata.nbgrader["points"] = points
    cell.metadata.nbgrader["checksum"] = compute_checksum(cell)  # as generate_assignment does
    return cell


def graded_cell(source=VISIBLE + HIDDEN, grade_id="test_relu", points=2.0):
    """A locked test cell, as the source notebook holds it (hidden tests included)."""
    return nbgrader_cell(new_code_cell(source), grade_id, grade=True, locked=True, points=points)


def source_notebook(solution=SOLUTION):
    """A chapter in three cells: the exercise's text, its solution cell and its test cell."""
    return new_notebook(
        cells=[
            nbgrader_cell(new_markdown_cell("## ReLU (2 points)"), "intro", locked=True),
            nbgrader_cell(new_code_cell(solution), "relu", solution=True),
            graded_cell(),
        ]
    )
