"""RestoreMissingCells: a test cell nbgrader put back keeps its source, with a note above it.

A test cell a student deleted comes back from the gradebook and is graded as if present
(`OverwriteCells.add_missing_cells`, set by safety.configure). nbgrader writes its notice as a
comment at the top of the cell's source, which the feedback would show as code: this sanitize
step, after OverwriteCells, moves the notice to a markdown cell above the test cell.
"""

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

# nbgrader's notice on a test cell it put back (OverwriteCells.missing_cell_notification)
MISSING_CELL_NOTICE = (
    "This cell (id:{cell_id}) was missing from the submission. It was added back by nbgrader.\n\n"
)
RESTORED_NOTE = (
    "**Test cell `{cell_id}` was missing from your notebook.** The grader put it back below "
    "and graded it as if it had been there."
)


class RestoreMissingCells(NbGraderPreprocessor):
    """Sanitize step after OverwriteCells: a test cell nbgrader put back keeps its source."""

    def preprocess(self, nb, resources):
        cells = []
        for cell in nb.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            prefix = "# " + MISSING_CELL_NOTICE.format(cell_id=grade_id)
            if grade_id and cell.cell_type == "code" and cell.source.startswith(prefix):
                cell.source = cell.source[len(prefix) :]
                cells.append(nbformat.v4.new_markdown_cell(RESTORED_NOTE.format(cell_id=grade_id)))
            cells.append(cell)
        nb.cells = cells
        return nb, resources
