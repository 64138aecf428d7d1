"""HideGraderCode: the feedback shows the failure's message, never hidden tests or grader code."""

import copy

from nbformat.v4 import new_notebook, new_output

from autograder import feedback
from autograder.preprocessors.hide_grader_code import HideGraderCode
from tests.autograder.preprocessors.chapter import VISIBLE, source_notebook

GRADER_FRAME = f"File {feedback.GRADER_DIR}/chapters/activations/checks.py:60, in check_relu\n"
TRACEBACK = [
    "\x1b[0;31m----------------------------------------------------------------\x1b[0m",
    "Cell In[3], line 4\n----> 4 check_relu(relu)\n",
    GRADER_FRAME + "     60     expected = ref.relu(x)\n",
    "AssertionError: relu(-1.0) returned -1.0, expected 0.0",
]


def graded_notebook():
    nb = source_notebook()
    test = nb.cells[2]
    test.execution_count = 3
    test.outputs = [
        new_output("error", ename="AssertionError", evalue="expected 0.0", traceback=TRACEBACK),
        new_output("stream", name="stderr", text=GRADER_FRAME + "  RuntimeWarning"),
        new_output("stream", name="stdout", text="visible tests passed\n"),
    ]
    return nb


def test_hidden_tests_and_grader_frames_are_left_out():
    nb, _ = HideGraderCode().preprocess(graded_notebook(), {})
    test = nb.cells[2]
    assert test.source == VISIBLE + feedback.HIDDEN_NOTE + "\n"
    error, stream = test.outputs
    assert error.traceback == [
        TRACEBACK[0],
        "AssertionError: relu(-1.0) returned -1.0, expected 0.0",
        "(frames of the grader's code are not shown)",
    ]
    assert error.evalue == "expected 0.0" and stream.text == "visible tests passed\n"


def test_a_notebook_without_grader_code_is_unchanged():
    nb = new_notebook(cells=source_notebook().cells[:2])
    nb.cells[1].outputs = [new_output("stream", name="stdout", text="ok\n")]
    done, _ = HideGraderCode().preprocess(copy.deepcopy(nb), {})
    assert done == nb
