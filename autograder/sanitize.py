"""Autograde's sanitize step, without false alarms: test cells arrive without their hidden tests.

nbgrader's `OverwriteCells` compares each locked cell of a submission with the gradebook's copy,
which holds the source notebook's text. Our test cells are released with their hidden tests
removed (`ClearHiddenTests`), so every test cell of every submission differs, and nbgrader logs
`Attribute 'checksum' for cell test_... has changed!` for each: to an instructor, that reads as
a student editing the tests. `OverwriteTestCells` knows the released text:

- a locked cell exactly as released (the source minus its hidden-test regions) is put back to
  the gradebook's text in silence (a debug line), as nbgrader would have done anyway;
- any other change is reported in words (the student edited the cell; it was restored from the
  gradebook and graded as released), and the cell is restored as before.

Every other check of `OverwriteCells` (cell type, locked flag, points, missing cells) is
unchanged. `configure(c)` (nbgrader_config.py) puts it in place of `OverwriteCells` in
`Autograde.sanitize_preprocessors`, keeping every other entry (autograder/safety.py's
RestoreMissingCells); applying it twice changes nothing.
"""

import copy

from nbgrader.api import MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells


def released_source(source, parent=None):
    """The text students received for a cell whose source notebook text is `source`."""
    from nbformat.v4 import new_code_cell

    cell = new_code_cell(source)
    ClearHiddenTests(parent=parent)._remove_hidden_test_region(cell)
    return cell.source


class OverwriteTestCells(OverwriteCells):
    """OverwriteCells that expects test cells without their hidden tests (module docstring)."""

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None:
            try:
                source_cell = self.gradebook.find_source_cell(
                    grade_id, self.notebook_id, self.assignment_id
                )
            except MissingEntry:
                source_cell = None  # nbgrader's own warning follows
            if (
                source_cell is not None
                and source_cell.locked
                and cell.source != source_cell.source
                and cell.cell_type == source_cell.cell_type
                and cell.source == released_source(source_cell.source, parent=self)
            ):
                self.log.debug("%s: released without its hidden tests; restored them", grade_id)
                cell.source = source_cell.source
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name, attr, old, new):
        if attr == "checksum":
            self.log.warning(
                "Test cell %s was edited in this submission (it differs from the released "
                "cell). The original was restored from the gradebook and graded as released; "
                "the student's version is not graded.",
                name,
            )
        else:
            super().report_change(name, attr, old, new)


def sanitize_preprocessors(current):
    """Autograde's sanitize preprocessors `current`, OverwriteCells replaced by ours."""
    names = [getattr(p, "__name__", str(p)).rsplit(".", 1)[-1] for p in current]
    return [
        OverwriteTestCells if name == "OverwriteCells" else p
        for p, name in zip(current, names, strict=True)
    ]


def configure(c):
    """Use OverwriteTestCells in an nbgrader Config's autograde; returns `c`."""
    from nbgrader.converters.autograde import Autograde

    from autograder.safety import _current

    current = copy.copy(
        _current(c.Autograde, "sanitize_preprocessors", Autograde.sanitize_preprocessors.default())
    )
    c.Autograde.sanitize_preprocessors = sanitize_preprocessors(current)
    return c
