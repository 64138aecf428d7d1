"""LimitOutputSize: text, errors and displayed data of a cell cut to a size."""

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from traitlets.config import Config

from autograder.limits import TRUNCATED
from autograder.preprocessors.limit_output_size import DATA_DROPPED, LimitOutputSize


def noisy_notebook():
    cell = new_code_cell("print(...)")
    cell.outputs = [
        new_output("stream", name="stdout", text="x" * 500),
        new_output("stream", name="stdout", text="y" * 500),
        new_output("error", ename="ValueError", evalue="e" * 50, traceback=["t" * 400] * 3),
        new_output("display_data", data={"image/png": "p" * 300, "text/plain": "<Figure>"}),
        new_output("display_data", data={"image/png": "q" * 300}),
    ]
    return new_notebook(cells=[new_markdown_cell("x" * 5000), cell])


def test_text_errors_and_data_cut_each_within_its_budget():
    nb, _ = LimitOutputSize(max_chars=600, max_data=500).preprocess(noisy_notebook(), {})
    markdown, (first, second, error, figure, dropped) = nb.cells[0], nb.cells[1].outputs
    assert markdown.source == "x" * 5000  # only code cells' outputs
    assert first.text == "x" * 500
    assert second.text == "y" * 100 + TRUNCATED
    # errors have a budget of their own: what was printed must not hide why a test failed
    assert error.evalue == "e" * 50
    assert error.traceback == ["t" * 400, "t" * 150 + TRUNCATED]
    assert figure.data == {"image/png": "p" * 300, "text/plain": TRUNCATED.strip()}
    assert dropped.data == {"text/plain": DATA_DROPPED.format("image/png", 300, 500)}


def test_limits_default_to_grading_limits_and_minus_one_keeps_all():
    c = Config()
    c.GradingLimits.max_output_chars = 10
    limiter = LimitOutputSize(config=c)
    assert (limiter.max_chars, limiter.max_data) == (10, 2_000_000)
    nb, _ = LimitOutputSize(max_chars=-1).preprocess(noisy_notebook(), {})
    assert nb.cells[1].outputs[1].text == "y" * 500
