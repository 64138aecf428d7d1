"""SaveGraderScores: a test cell's score is the grader's verdict on its hidden checks."""

import pytest
from nbgrader.api import Gradebook

from autograder.hidden_tests import Outcome
from autograder.preprocessors.save_grader_scores import DIAGNOSIS, SaveGraderScores
from tests.autograder.preprocessors.chapter import ASSIGNMENT, NOTEBOOK, STUDENT, source_notebook

# nbgrader 0.9's own harmless warning when a submission is added (nbgrader_config.py hides it too)
pytestmark = pytest.mark.filterwarnings("ignore:Object of type.*not in session")

MISTAKE = {"id": "relu_derivative_at_zero", "title": "ReLU'(0) taken as 1"}


def score(resources, outcome, outputs=()):
    nb = source_notebook()
    nb.cells[2].outputs = list(outputs)
    nb.cells[2].metadata[DIAGNOSIS] = {"id": "forged"}  # a submission's own copy means nothing
    with Gradebook(resources["nbgrader"]["db_url"]) as gradebook:
        gradebook.add_submission(ASSIGNMENT, STUDENT)
    resources = {**resources, "backprop": {"hidden": {"test_relu": outcome}}}
    done, _ = SaveGraderScores().preprocess(nb, resources)
    with Gradebook(resources["nbgrader"]["db_url"]) as gradebook:
        grade = gradebook.find_grade("test_relu", NOTEBOOK, ASSIGNMENT, STUDENT)
        return grade.auto_score, done.cells[2].metadata.get(DIAGNOSIS)


def test_passed_hidden_checks_score_full_points_whatever_the_kernel_printed(resources):
    from nbformat.v4 import new_output

    error = new_output("error", ename="AssertionError", evalue="", traceback=[])
    assert score(resources, Outcome(True, "passed"), [error]) == (2.0, None)


def test_failed_hidden_checks_score_zero_and_name_the_mistake(resources):
    assert score(resources, Outcome(False, "wrong", MISTAKE)) == (0.0, MISTAKE)
