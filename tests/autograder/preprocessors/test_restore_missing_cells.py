"""RestoreMissingCells: nbgrader's notice on a test cell it put back becomes a markdown note."""

import copy

from nbformat.v4 import new_notebook

from autograder.preprocessors.restore_missing_cells import (
    MISSING_CELL_NOTICE,
    RESTORED_NOTE,
    RestoreMissingCells,
)
from tests.autograder.preprocessors.chapter import VISIBLE, graded_cell, source_notebook


def test_the_notice_moves_to_a_note_above_the_cell():
    put_back = graded_cell("# " + MISSING_CELL_NOTICE.format(cell_id="test_relu") + VISIBLE)
    kept = source_notebook().cells[:2]
    nb, _ = RestoreMissingCells().preprocess(new_notebook(cells=[*kept, put_back]), {})
    assert [c.cell_type for c in nb.cells] == ["markdown", "code", "markdown", "code"]
    assert nb.cells[2].source == RESTORED_NOTE.format(cell_id="test_relu")
    assert nb.cells[3].source == VISIBLE
    assert nb.cells[:2] == kept


def test_a_notebook_without_the_notice_is_unchanged():
    nb = source_notebook()
    nb.cells[2].source = "# This cell was missing: a student's own comment\n" + VISIBLE
    done, _ = RestoreMissingCells().preprocess(copy.deepcopy(nb), {})
    assert done == nb
