"""Students' classes from earlier chapters come from their own notebooks (course/earlier.py):
loaded when there, stand-ins with a clear error when not, and a missing or unfinished earlier
chapter costs a later chapter none of its points under real `nbgrader autograde`."""

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from autograder import examples, sandbox
from autograder import notebooks as nbs
from course import earlier
from tests.helpers import (
    ROOT,
    autograded_scores,
    copy_course,
    kernel_imports_this_course,
    run,
)


def _place(root, chapter, nb):
    path = Path(root) / chapter / f"{chapter}.ipynb"
    nbs.save(nb, path)
    return path


@pytest.fixture
def beside(tmp_path):
    """A student's folder with chapter 2's folder in it (where load() is called from)."""
    (tmp_path / "02_activations").mkdir()
    return tmp_path


def test_loads_the_students_own_class_from_the_sibling_notebook(beside, capsys):
    _place(beside, "01_dense_layers", examples.filled("01_dense_layers"))
    (Layer_Dense,) = earlier.load("01_dense_layers", "Layer_Dense", here=beside / "02_activations")
    layer = Layer_Dense(4, 3)
    assert layer.weights.shape == (4, 3)
    inputs = np.arange(8.0).reshape(2, 4)
    layer.forward(inputs)
    assert np.allclose(layer.output, inputs @ layer.weights + layer.biases)
    assert capsys.readouterr().out == ""


def test_the_students_own_mistake_comes_along(beside):
    """The student's code, not a reference: their chapter 1 mistake shows in chapter 2."""
    buggy = examples.mutants("01_dense_layers").MUTANTS["layer_dense"]["forward_no_bias"]["code"]
    _place(beside, "01_dense_layers", examples.filled("01_dense_layers", {"layer_dense": buggy}))
    (Layer_Dense,) = earlier.load("01_dense_layers", "Layer_Dense", here=beside / "02_activations")
    layer = Layer_Dense(2, 3)
    layer.biases = np.ones((1, 3))
    layer.forward(np.zeros((1, 2)))
    assert np.array_equal(layer.output, np.zeros((1, 3)))


def test_only_exercise_cells_run_and_a_failing_one_is_skipped(beside):
    nb = examples.filled("01_dense_layers", {"neuron_output": "raise ValueError('broken')\n"})
    for cell in nb["cells"]:  # a demo cell that would fail or leave a trace if it ran
        if cell["cell_type"] == "code" and not nbs.nbgrader_meta(cell):
            cell["source"] = "open('ran', 'w').write('demo cell ran')\n"
    _place(beside, "01_dense_layers", nb)
    Layer_Dense, neuron_output = earlier.load(
        "01_dense_layers", "Layer_Dense", "neuron_output", here=beside / "02_activations"
    )
    assert isinstance(Layer_Dense, type) and not (beside / "02_activations" / "ran").exists()
    assert not Path("ran").exists()
    # not a class: a stand-in that says why
    with pytest.raises(earlier.EarlierChapterMissing, match="is not available"):
        neuron_output().forward(np.zeros(3))


def test_missing_notebook_gives_stand_ins_the_chapter_can_subclass(beside, capsys):
    (Activation_Softmax,) = earlier.load(
        "02_activations", "Activation_Softmax", here=beside / "06_capstone"
    )
    note = capsys.readouterr().out
    assert "No notebook at" in note and "02_activations.ipynb" in note and "stand-ins" in note

    class Activation_Softmax(Activation_Softmax):  # as chapter 6 extends it
        def backward(self, dvalues):
            self.dinputs = dvalues * 2

    softmax = Activation_Softmax()
    softmax.backward(np.ones(3))  # the chapter's own exercise still runs
    assert np.array_equal(softmax.dinputs, 2 * np.ones(3))
    assert not hasattr(softmax, "forward")
    with pytest.raises(earlier.EarlierChapterMissing) as raised:
        softmax.forward(np.zeros((1, 3)))
    assert "Activation_Softmax.forward is not available: No notebook at" in str(raised.value)


def test_unfinished_method_says_which_notebook_to_finish(beside):
    blank = nbs.load(nbs.notebook_path("01_dense_layers", "release", ROOT))
    _place(beside, "01_dense_layers", blank)
    (Layer_Dense,) = earlier.load("01_dense_layers", "Layer_Dense", here=beside / "02_activations")
    with pytest.raises(NotImplementedError, match=r"Layer_Dense.__init__ is not written yet .*01_"):
        Layer_Dense(2, 3)


def test_unreadable_notebook_gives_stand_ins(beside, capsys):
    path = beside / "01_dense_layers" / "01_dense_layers.ipynb"
    path.parent.mkdir()
    path.write_text("{not json", encoding="utf-8")
    (Layer_Dense,) = earlier.load("01_dense_layers", "Layer_Dense", here=beside / "02_activations")
    assert "could not be read as a notebook" in capsys.readouterr().out
    with pytest.raises(AttributeError, match="could not be read"):
        Layer_Dense(2, 3).forward(np.zeros((1, 2)))


def test_sandbox_binds_only_the_students_own_earlier_notebooks(tmp_path):
    root = tmp_path
    for student in ("alice", "bob"):
        for chapter in ("01_dense_layers", "02_activations", "06_capstone"):
            _place(root / "submitted" / student, chapter, {"cells": []})
    (root / "submitted" / "alice" / "notes").mkdir()  # not a chapter
    (root / "submitted" / "alice" / "03_loss").symlink_to(
        root / "submitted" / "bob" / "02_activations"
    )
    graded = root / "autograded" / "alice" / "06_capstone"
    graded.mkdir(parents=True)
    assert sandbox.earlier_submissions(graded) == [
        (str(root / "submitted/alice/01_dense_layers/01_dense_layers.ipynb"),
         "/01_dense_layers/01_dense_layers.ipynb"),
        (str(root / "submitted/alice/02_activations/02_activations.ipynb"),
         "/02_activations/02_activations.ipynb"),
    ]  # fmt: skip
    assert sandbox.earlier_submissions(root / "autograded" / "alice" / "01_dense_layers") == []
    assert sandbox.earlier_submissions(root / "elsewhere" / "06_capstone") == []
    # a student's own folder, outside a course (nbgrader validate): the notebooks beside it
    own = tmp_path / "home" / "work"
    _place(own, "01_dense_layers", {"cells": []})
    assert sandbox.earlier_submissions(own / "06_capstone") == [
        (
            str(own / "01_dense_layers/01_dense_layers.ipynb"),
            "/01_dense_layers/01_dense_layers.ipynb",
        )
    ]


# -- real nbgrader autograde: chapter 6 with its earlier chapters submitted, blank, or missing

CHAPTER = "06_capstone"
EARLIER = ("02_activations", "03_loss", "05_layer_backprop")
STUDENTS = {
    "with_earlier": lambda chapter: examples.filled(chapter),
    "blank_earlier": lambda chapter: nbs.load(nbs.notebook_path(chapter, "release", ROOT)),
    "no_earlier": None,
}
# test cells whose visible part builds a network from the earlier classes (their points come
# from the hidden checks, which use reference classes)
BUILD_NETWORKS = {"test_forward_backward", "test_train", "test_spiral_accuracy"}


@pytest.fixture(scope="module")
def earlier_course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("earlier"))
    shutil.copytree(ROOT / "release", course / "release")
    run(["nbgrader", "generate_assignment", CHAPTER, "--force", "--log-level=WARN"], course)
    for student, earlier_version in STUDENTS.items():
        _place(course / "submitted" / student, CHAPTER, examples.filled(CHAPTER))
        kernel_imports_this_course(course / "submitted" / student / CHAPTER)
        for chapter in EARLIER if earlier_version else ():
            _place(course / "submitted" / student, chapter, earlier_version(chapter))
    run(["nbgrader", "autograde", CHAPTER, "--force", "--log-level=ERROR"], course)
    return course


def _errors(course, student):
    """{cell id: error text} of the autograded notebook's code cells."""
    nb = nbs.load(nbs.notebook_path(CHAPTER, f"autograded/{student}", course))
    found = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if output["output_type"] == "error":
                found[cell.get("id")] = f"{output['ename']}: {output['evalue']}"
    return found


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_earlier_chapters_change_no_points(earlier_course, student):
    points = nbs.autograded_points(nbs.load(nbs.notebook_path(CHAPTER, "source", ROOT)))
    assert autograded_scores(earlier_course, student, CHAPTER) == points


@pytest.mark.slow
def test_grading_kernel_loads_the_students_own_earlier_notebooks(earlier_course):
    """In the sandbox, the loader found the student's submitted chapters: every cell ran."""
    assert _errors(earlier_course, "with_earlier") == {}


@pytest.mark.slow
@pytest.mark.parametrize(
    "student, message",
    [
        ("no_earlier", r"Layer_Dense\.forward is not available: No notebook at"),
        ("blank_earlier", r"Activation_Softmax\.forward is not written yet in your notebook 02_"),
    ],
)
def test_missing_earlier_chapter_fails_only_demo_cells_and_says_why(
    earlier_course, student, message
):
    errors = _errors(earlier_course, student)
    tests_failed = {cell for cell in errors if cell.startswith("test_")}
    assert errors and tests_failed <= BUILD_NETWORKS, errors
    assert any(re.search(message, text) for text in errors.values()), errors
