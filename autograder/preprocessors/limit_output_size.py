"""LimitOutputSize: each code cell's output cut to a size, after nbgrader's LimitOutput.

nbgrader's LimitOutput counts lines: one 50 MB line is one. This one counts characters of text
(stream text, the text of rich outputs, error messages and tracebacks) and bytes of other
displayed data (images, JSON...), so a notebook cannot grow the graded copy, the formgrader or
the feedback without bound. Its limits default to GradingLimits' (autograder/limits.py).
"""

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer, default

from autograder.limits import TRUNCATED, GradingLimits

DATA_DROPPED = "[{} of {} bytes not kept: a cell may display {} bytes while grading]"


class LimitOutputSize(NbGraderPreprocessor):
    """Truncate each code cell's text output to `max_chars` characters, and its other
    displayed data (images, JSON...) to `max_data` bytes (module docstring)."""

    max_chars = Integer(
        help="maximum characters of text output per cell (-1: no limit; default: "
        "GradingLimits.max_output_chars)"
    ).tag(config=True)
    max_data = Integer(
        help="maximum bytes of images and other displayed data per cell (default: "
        "GradingLimits.max_output_data)"
    ).tag(config=True)

    @default("max_chars")
    def _max_chars_default(self):
        return GradingLimits(parent=self).max_output_chars

    @default("max_data")
    def _max_data_default(self):
        return GradingLimits(parent=self).max_output_data

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or self.max_chars < 0:
            return cell, resources
        # errors have a budget of their own: what was printed must not hide why a test failed
        budget, errors, data = self.max_chars, self.max_chars, self.max_data
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                output.text, budget = truncate(output.text, budget)
            elif output.output_type == "error":
                output.evalue, errors = truncate(output.evalue, errors)
                kept = []
                for line in output.traceback:
                    line, errors = truncate(line, errors)
                    kept.append(line)
                    if errors <= 0:
                        break
                output.traceback = kept
            elif "data" in output:
                for mime, value in list(output.data.items()):
                    if mime.startswith("text/") and isinstance(value, str):
                        output.data[mime], budget = truncate(value, budget)
                    else:
                        size = len(value) if isinstance(value, str) else len(str(value))
                        data -= size
                        if data < 0:
                            del output.data[mime]
                            output.data["text/plain"] = DATA_DROPPED.format(
                                mime, size, self.max_data
                            )
        return cell, resources


def truncate(text: str, budget: int) -> tuple[str, int]:
    """(text cut to `budget` characters, with TRUNCATED after a cut; the budget left)."""
    if budget <= 0:
        return ("" if not text else TRUNCATED.strip()), 0
    if len(text) <= budget:
        return text, budget - len(text)
    return text[:budget] + TRUNCATED, 0
