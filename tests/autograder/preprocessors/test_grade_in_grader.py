"""GradeInGrader: the hidden block runs in the grader, the rest in the student's kernel.

Grades the fixture chapter in a real kernel (a few seconds): its hidden block calls the real
chapter's check_relu through the channel."""

from autograder.preprocessors.grade_in_grader import HIDDEN_FAILED, GradeInGrader
from tests.autograder.preprocessors.chapter import HIDDEN, SOLUTION, VISIBLE, source_notebook

# relu defined wrongly; and the grader's checks never reach the kernel
WRONG = SOLUTION.replace("np.maximum(0, x)", "x") + (
    "\nimport sys\nassert not any(name.startswith('autograder') for name in sys.modules)\n"
)


def grade(solution):
    """(solution cell, test cell, the grader's state) after grading."""
    grader = GradeInGrader(kernel_name="python3", timeout=60)
    nb, resources = grader.preprocess(source_notebook(solution), {})
    return nb.cells[1], nb.cells[2], resources["backprop"]


def test_hidden_checks_run_in_the_grader_and_decide_the_verdict():
    _, test, state = grade(SOLUTION)
    assert state["hidden"]["test_relu"].passed and state["kernel_died"] is None
    assert test.source == VISIBLE + HIDDEN  # the cell keeps its source; only the kernel missed it
    assert [o.output_type for o in test.outputs] == ["stream"]

    solution, test, state = grade(WRONG)
    assert solution.outputs == [], "the kernel saw the grader's modules"
    verdict = state["hidden"]["test_relu"]
    assert not verdict.passed and verdict.diagnosis is not None
    assert test.outputs[0].ename == HIDDEN_FAILED and test.outputs[0].evalue == verdict.text
    # the visible check ran in the kernel too, and failed there on its own
    assert test.outputs[-1].ename == "AssertionError"
