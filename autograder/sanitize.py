"""Autograde's sanitize step, without false alarms: test cells arrive without their hidden tests.

nbgrader's `OverwriteCells` compares each locked cell of a submission with the gradebook's copy,
which holds the source notebook's text. Our test cells are released with their hidden tests
removed (`ClearHiddenTests`), so every test cell of every submission differs, and nbgrader logs
`Attribute 'checksum' for cell test_... has changed!` for each: to an instructor, that reads as
a student editing the tests. `OverwriteTestCells` (autograder/preprocessors/
overwrite_test_cells.py) knows the released text:

- a locked cell exactly as released (the source minus its hidden-test regions) is put back to
  the gradebook's text in silence (a debug line), as nbgrader would have done anyway;
- any other change is reported in words (the student edited the cell; it was restored from the
  gradebook and graded as released), and the cell is restored as before.

Every other check of `OverwriteCells` (cell type, locked flag, points, missing cells) is
unchanged. `configure(c)` (nbgrader_config.py) puts it in place of `OverwriteCells` in
`Autograde.sanitize_preprocessors`, keeping every other entry (RestoreMissingCells, placed by
autograder/safety.py); applying it twice changes nothing.
"""

from nbgrader.preprocessors import ClearHiddenTests
from traitlets.config import Config

from autograder.preprocessors import chain


def released_source(source: str, parent=None) -> str:
    """The text students received for a cell whose source notebook text is `source`."""
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(source)
    ClearHiddenTests(parent=parent)._remove_hidden_test_region(cell)
    return cell.source


def sanitize_preprocessors(current: list) -> list:
    """Autograde's sanitize preprocessors `current`, OverwriteCells replaced by ours."""
    from autograder.preprocessors.overwrite_test_cells import OverwriteTestCells

    return chain.insert(current, OverwriteTestCells, replace="OverwriteCells")


def configure(c: Config) -> Config:
    """Use OverwriteTestCells in an nbgrader Config's autograde; returns `c`."""
    from nbgrader.converters.autograde import Autograde

    from autograder.preprocessors.overwrite_test_cells import OverwriteTestCells

    chain.place(
        c, Autograde, "sanitize_preprocessors", OverwriteTestCells, replace="OverwriteCells"
    )
    return c
