"""MakeInert: the graded notebook renders no live student HTML (autograder/inert.py says how).

The last autograde preprocessor, and again in generate_feedback (for notebooks graded before
it existed): markdown, raw cells, outputs and attachments are rewritten with inert.py's
functions, and the notebook's widget state is dropped, so every later view of the notebook
(formgrader, feedback) is safe.
"""

from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import inert


class MakeInert(NbGraderPreprocessor):
    """Autograde preprocessor (the last): the graded notebook renders no live student HTML."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)  # widget state: views the page would build
        for cell in nb.cells:
            if "attachments" in cell:
                cell.attachments = inert.inert_attachments(cell.attachments)
            if cell.cell_type == "markdown":
                cell.source = inert.inert_markdown(cell.source, cell.get("attachments"))
            elif cell.cell_type == "raw":
                cell.source = inert.clean_html(cell.source)
            elif cell.cell_type == "code":
                cell.outputs = [inert.inert_output(o) for o in cell.get("outputs", [])]
        return nb, resources
