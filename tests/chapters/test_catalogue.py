"""Feedback that teaches: the generic diagnosis, the catalogue's records, one bug costs once.

The unit tests call core directly. The class test grades a small chapter-4 class with known
mistakes by real `nbgrader autograde`: a notebook whose only mistake is a missing upstream
gradient in neuron_gradients scores 6/8 and is told why, each failed test cell records the
mistake it diagnosed, and the report counts them for the instructor.
"""

import numpy as np
import pytest

from autograder import core, examples, report
from autograder import notebooks as nbs
from tests.helpers import ROOT, autograded_scores, cell_text, copy_course, run

# -- the generic message -------------------------------------------------------------------------


def generic(got, expected, scale_factors=None):
    cause = core._generic_diagnosis(
        np.asarray(got, dtype=float), np.asarray(expected, dtype=float), 1e-4, 1e-6, scale_factors
    )
    return cause


def test_generic_ratio_says_the_right_direction():
    expected = np.array([2.0, -4.0, 6.0])
    small = generic(expected * 0.4779, expected)
    assert "about 2.1 times too small" in small and "large" not in small
    assert "1/N" not in small and "n_samples" not in small
    assert small.id == "generic_factor"
    large = generic(expected * 3.5, expected)
    assert "about 3.5 times too large" in large
    assert "wrong sign" in generic(expected * -2.5, expected)


def test_generic_ratio_names_n_only_when_it_exists_and_matches():
    expected = np.array([[1.0, -2.0], [3.0, 0.5]])
    divided = generic(expected / 5, expected, {"n_samples": 5})
    assert divided.id == "generic_divided_by_n"
    assert "n_samples = 5 times too small" in divided
    not_divided = generic(expected * 5, expected, {"n_samples": 5})
    assert not_divided.id == "generic_not_divided_by_n" and "times too large" in not_divided
    # a ratio that is not N is not blamed on N
    other = generic(expected / 4, expected, {"n_samples": 5})
    assert other.id == "generic_factor" and "n_samples" not in other
    # no N: no N in the message
    assert "n_samples" not in generic(expected / 5, expected)


def test_generic_ratio_ignores_entries_that_are_zero_in_both():
    expected = np.array([0.0, 2.0, -4.0])  # a masked entry stays 0
    assert "times too small" in generic(expected / 3, expected)
    assert generic([1.0, 1.0, -2.0], expected) is None  # a non-zero where 0 is expected


def test_expect_close_keeps_the_cause_as_data():
    cause = core.Mistake("some_id", "some title", "these values are what X gives")
    with pytest.raises(core.GradingError) as failure:
        core.expect_close("x", [2.0, 4.0], [1.0, 2.0], wrong_answers={cause: [2.0, 4.0]})
    assert "Likely cause: these values are what X gives." in str(failure.value)
    assert core.diagnosis_record(failure.value) == {"id": "some_id", "title": "some title"}
    # a plain label (another chapter's wrong_answers) is recorded under its text
    with pytest.raises(core.GradingError) as failure:
        core.expect_close("x", [2.0, 4.0], [1.0, 2.0], wrong_answers={"a plain label": [2, 4]})
    assert core.diagnosis_record(failure.value)["id"] == "a plain label"
    # a message that wrote its own hint; and one with none
    hinted = core.GradingError("x is wrong.\n  Likely cause: a hint written by hand.")
    assert core.diagnosis_record(hinted)["title"] == "a hint written by hand"
    assert core.diagnosis_record(core.GradingError("x is wrong."))["id"] == "unrecognised"


def test_a_stub_left_as_released_counts_as_not_attempted():
    """The class's summary counts a blank exercise apart from the unrecognised mistakes."""

    def stub(x):
        raise NotImplementedError()

    with pytest.raises(core.GradingError) as failure:
        core.call_student(stub, 1.0, label="f(x)")
    assert "f(x) is not implemented yet" in str(failure.value)
    assert core.diagnosis_record(failure.value) == {
        "id": "not_attempted",
        "title": "not attempted (NotImplementedError)",
    }
    with pytest.raises(core.GradingError) as failure:
        core.call_student(lambda x: 1 / 0, 1.0, label="g(x)")
    assert core.diagnosis_record(failure.value)["id"] == "unrecognised"


# -- a small class, graded by nbgrader -----------------------------------------------------------

CHAPTER = "04_single_neuron_backprop"
MUTANTS = examples.mutants(CHAPTER).MUTANTS["neuron_gradients"]
CLASS = {
    "upstream_a": {"neuron_gradients": MUTANTS["missing_upstream"]["code"]},
    "upstream_b": {"neuron_gradients": MUTANTS["missing_upstream"]["code"]},
    "no_mask": {"neuron_gradients": MUTANTS["no_relu_mask"]["code"]},
    "correct": {},
}


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("catalogue"))
    run(["nbgrader", "generate_assignment", CHAPTER, "--force", "--log-level=WARN"], course)
    for student, replacements in CLASS.items():
        nb = examples.filled(CHAPTER, replacements, root=course, written=False)
        if student == "correct":  # a diagnosis forged into the submission is not kept
            forged = {"id": "forged", "title": "forged"}
            nbs.cell_by_id(nb, "test_relu_derivative")["metadata"][report.DIAGNOSIS] = forged
        nbs.save(nb, nbs.notebook_path(CHAPTER, f"submitted/{student}", course))
    run(["nbgrader", "autograde", CHAPTER, "--force", "--log-level=ERROR"], course)
    run(["nbgrader", "export", "--log-level=WARN"], course)
    run(["nbgrader", "generate_feedback", CHAPTER, "--force", "--log-level=ERROR"], course)
    return course


@pytest.mark.slow
def test_a_missing_upstream_gradient_costs_its_exercise_only_and_says_why(graded_class):
    scores = autograded_scores(graded_class, "upstream_a", CHAPTER)
    points = nbs.autograded_points(nbs.load(nbs.notebook_path(CHAPTER, "source", ROOT)))
    assert sum(points.values()) == 8
    assert scores == {t: (0.0 if t == "test_neuron_gradients" else p) for t, p in points.items()}
    assert sum(scores.values()) == 6
    nb = nbs.load(nbs.notebook_path(CHAPTER, "autograded/upstream_a", graded_class))
    failed = cell_text(nb, "test_neuron_gradients")
    assert "Likely cause: these values are what leaving out the upstream gradient" in failed
    assert "times too" not in failed  # not the generic ratio message
    kept = cell_text(nb, "test_train_neuron")
    assert "Hidden tests passed" in kept and "train_neuron keeps its points" in kept
    page = graded_class / "feedback" / "upstream_a" / CHAPTER / f"{CHAPTER}.html"
    text = page.read_text(encoding="utf-8")
    assert "leaving out the upstream gradient" in text and "keeps its points" in text


@pytest.mark.slow
def test_each_failed_test_cell_records_its_diagnosis(graded_class):
    def recorded(student):
        nb = nbs.load(nbs.notebook_path(CHAPTER, f"autograded/{student}", graded_class))
        return {
            nbs.nbgrader_meta(c)["grade_id"]: c["metadata"][report.DIAGNOSIS]["id"]
            for c in nb["cells"]
            if report.DIAGNOSIS in c.get("metadata", {})
        }

    assert recorded("upstream_a") == {"test_neuron_gradients": "missing_upstream_gradient"}
    assert recorded("no_mask") == {"test_neuron_gradients": "missing_relu_mask"}
    assert recorded("correct") == {}
    assert autograded_scores(graded_class, "correct", CHAPTER)["test_train_neuron"] == 3.0


@pytest.mark.slow
def test_report_counts_the_class_mistakes(graded_class, capsys):
    assert report.main(str(graded_class / "grades.csv"), graded_class) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "test_neuron_gradients" in line)
    assert "missing upstream gradient: 50% (2/4)" in line
    assert "missing ReLU mask: 25% (1/4)" in line
    page = (graded_class / report.MISTAKES_PAGE).read_text(encoding="utf-8")
    assert "missing upstream gradient" in page and "upstream_a, upstream_b" in page
    diagnoses = report.read_diagnoses(graded_class, [CHAPTER])
    assert sorted(diagnoses[CHAPTER]["test_neuron_gradients"]["graded"]) == sorted(CLASS)
