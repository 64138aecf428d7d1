"""HideGraderCode: hidden tests and grader frames out of the feedback (autograder/feedback.py).

A GenerateFeedback preprocessor, right after GetGrades: a hidden-test region becomes one
comment line, an error's traceback keeps the student's frames and its final message, and
stream output that names a file of `autograder/` is dropped.
"""

from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import feedback
from autograder import notebooks as nbs


class HideGraderCode(NbGraderPreprocessor):
    """GenerateFeedback preprocessor: hidden tests and grader frames out of the feedback."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        source, had_hidden = feedback.strip_hidden(cell.source)
        cell.source = source
        is_test = bool(nbs.nbgrader_meta(cell).get("grade")) or had_hidden
        outputs = []
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                output.traceback = feedback.clean_traceback(
                    output.traceback, cell.get("execution_count"), drop_own_cell=is_test
                )
                if feedback.grader_text(output.evalue):
                    output.evalue = ""
            elif output.output_type == "stream" and feedback.grader_text(output.text):
                continue
            outputs.append(output)
        cell.outputs = outputs
        return cell, resources
