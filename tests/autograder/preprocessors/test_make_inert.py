"""MakeInert: nothing a submission renders runs in the page (attacks in tests/autograder/test_inert.py)."""

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from autograder import inert
from autograder.preprocessors.make_inert import MakeInert

PLAIN = "## ReLU\n\nThe *rectified* linear unit: $\\max(0, x)$."


def attacked_notebook():
    markdown = new_markdown_cell("Hi <img src=x onerror=alert(1)>\n\n" + PLAIN)
    markdown.attachments = {"a.png": {"image/png": inert.BLANK_PNG, "text/html": "<script>"}}
    code = new_code_cell("show()")
    code.outputs = [
        new_output("display_data", data={"text/html": "<b onclick=steal()>bold</b>"}),
        new_output("display_data", data={"application/javascript": "steal()"}),
        new_output("stream", name="stdout", text="<script>printed text is escaped</script>"),
    ]
    nb = new_notebook(cells=[new_markdown_cell(PLAIN), markdown, code, new_raw_cell("<script>")])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    return nb


def test_every_part_a_page_would_run_is_made_inert():
    nb, _ = MakeInert().preprocess(attacked_notebook(), {})
    plain, markdown, code, raw = nb.cells
    assert plain.source == PLAIN  # plain markdown stays as written
    assert "onerror" not in markdown.source and "Hi" in markdown.source
    assert markdown.attachments == {"a.png": {"image/png": inert.BLANK_PNG}}
    html, script, stream = code.outputs
    assert html.data == {"text/html": "<b>bold</b>"}
    assert script.data == {"text/plain": inert.DROPPED_NOTE.format("application/javascript")}
    assert stream.text == "<script>printed text is escaped</script>"
    assert raw.source == "" and "widgets" not in nb.metadata
