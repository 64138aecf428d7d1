"""OverwriteTestCells (in place of nbgrader's OverwriteCells): test cells arrive without their
hidden tests, which is no edit (autograder/sanitize.py says why).

A locked cell exactly as released (its source minus the hidden-test regions) is put back to the
gradebook's text in silence; any other change is reported in words. Every other check of
OverwriteCells (cell type, locked flag, points, missing cells) is nbgrader's.
"""

from nbgrader.api import MissingEntry
from nbgrader.preprocessors import OverwriteCells

from autograder import sanitize


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
                and cell.source == sanitize.released_source(source_cell.source, parent=self)
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
