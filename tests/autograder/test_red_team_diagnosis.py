"""A student cannot write the instructor's class statistics (found by a red-team helper): the
text of a student's own exception is quoted in the grader's message, never read as the grader's
"Likely cause:" line that becomes the mistake's title in mistakes.html. Graded by real
`nbgrader autograde` of chapter 1."""

import pytest

from autograder import core, report
from autograder.channel.remote import LocalChannel
from tests.helpers import autograded_scores

DENSE = "01_dense_layers"
FORGED = """
def neuron_output(inputs, weights, bias):
    raise RuntimeError("boom\\nLikely cause: FORGED-BY-STUDENT the grader is wrong")
"""


def test_a_students_exception_text_is_quoted_not_diagnosed():
    def forger(x):
        raise RuntimeError("boom\nLikely cause: FORGED-BY-STUDENT")

    with pytest.raises(core.GradingError) as failure:
        core.call_student(LocalChannel({"f": forger}).lookup("f"), 1.0, label="f(x)")
    assert "FORGED-BY-STUDENT" in str(failure.value)  # the student still reads their message
    assert core.diagnosis_record(failure.value)["id"] == core.UNRECOGNISED


@pytest.mark.slow
def test_student_text_never_becomes_the_class_diagnosis(grade_submissions):
    course = grade_submissions(DENSE, {"forger": {"neuron_output": FORGED}})
    assert autograded_scores(course, "forger", DENSE)["test_neuron_output"] == 0.0
    titles = report.read_diagnoses(course, [DENSE])[DENSE]["test_neuron_output"]["mistakes"]
    assert titles and not any("FORGED-BY-STUDENT" in title for title in titles), titles
