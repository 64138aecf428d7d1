"""The chapter 2 and 3 references (activations, loss) agree with independent computations."""

import ast
import inspect
import json
import math
import types

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from autograder import chapters
from autograder import notebooks as nbs
from autograder.chapters.activations import checks as hidden_activations
from autograder.chapters.activations import reference as activations
from autograder.chapters.loss import checks as hidden_loss
from autograder.chapters.loss import reference as loss
from course import plots
from tests.helpers import ROOT


def softmax_by_loops(rows):
    """Softmax from the definition, one Python float at a time, via log-sum-exp."""
    out = []
    for row in rows:
        largest = max(row)
        log_total = largest + math.log(math.fsum(math.exp(z - largest) for z in row))
        out.append([math.exp(z - log_total) for z in row])
    return np.array(out)


def test_relu_matches_a_loop():
    x = np.random.default_rng(0).normal(size=(4, 5))
    loops = [[v if v > 0 else 0.0 for v in row] for row in x]
    assert np.array_equal(activations.relu(x), loops)
    assert activations.relu(np.float32(-2.0)) == 0.0


def test_softmax_matches_loops_and_the_plain_definition():
    x = np.random.default_rng(1).normal(scale=3.0, size=(6, 4))
    assert np.allclose(activations.softmax(x), softmax_by_loops(x), rtol=1e-13, atol=0)
    # for moderate scores the unshifted definition is exact enough to compare with
    plain = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    assert np.allclose(activations.softmax(x), plain, rtol=1e-12, atol=0)


def test_softmax_book_example():
    out = activations.softmax([[4.8, 1.21, 2.385]])
    assert np.allclose(out, [[0.89528266, 0.02470831, 0.08000903]], rtol=1e-7)


def test_softmax_properties():
    rng = np.random.default_rng(2)
    x = rng.normal(scale=2.0, size=(5, 3))
    out = activations.softmax(x)
    assert np.allclose(out.sum(axis=1), 1.0, rtol=1e-14)
    assert np.all(out > 0)
    shifts = rng.normal(scale=100.0, size=(5, 1))
    assert np.allclose(activations.softmax(x + shifts), out, rtol=1e-10)
    assert np.array_equal(np.argsort(x, axis=1), np.argsort(out, axis=1))


def test_softmax_large_and_float32_inputs():
    x = np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1002.0], [1000.0, 0.0, -1000.0]])
    with np.errstate(all="raise", under="ignore"):
        out = activations.softmax(x.astype(np.float32))
    assert out.dtype == np.float64
    assert np.allclose(out, softmax_by_loops(x), rtol=1e-12, atol=1e-300)
    assert np.allclose(out[0], [0.66524096, 0.24472847, 0.09003057], rtol=1e-7)


def cross_entropy_by_loops(y_pred, labels):
    return np.array(
        [
            -math.log(min(max(float(row[k]), 1e-7), 1 - 1e-7))
            for row, k in zip(y_pred, labels, strict=True)
        ]
    )


def test_cross_entropy_matches_loops_for_both_label_forms():
    rng = np.random.default_rng(3)
    y_pred = activations.softmax(rng.normal(size=(7, 4)))
    labels = rng.integers(0, 4, size=7).astype(np.uint8)
    expected = cross_entropy_by_loops(y_pred, labels)
    assert np.allclose(loss.categorical_cross_entropy(y_pred, labels), expected, rtol=1e-13)
    one_hot = np.eye(4, dtype=np.uint8)[labels]
    assert np.allclose(loss.categorical_cross_entropy(y_pred, one_hot), expected, rtol=1e-13)
    one = loss.categorical_cross_entropy(y_pred[:1].astype(np.float32), labels[:1])
    assert one.shape == (1,) and np.isclose(one[0], expected[0], rtol=1e-6)


def test_cross_entropy_book_example_and_mean():
    y_pred = np.array([[0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]])
    losses = loss.Loss_CategoricalCrossEntropy().forward(y_pred, np.array([0, 1, 1]))
    assert np.allclose(losses, [0.35667494, 0.69314718, 0.10536052], rtol=1e-7)
    mean = loss.Loss_CategoricalCrossEntropy().calculate(y_pred, np.array([0, 1, 1]))
    assert math.isclose(mean, 0.38506088005216804, rel_tol=1e-12)


def test_cross_entropy_clips_exact_zeros_and_ones():
    y_pred = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    with np.errstate(all="raise"):
        losses = loss.categorical_cross_entropy(y_pred, np.array([0, 1]))
        one_hot_losses = loss.categorical_cross_entropy(y_pred, np.eye(3)[[0, 1]])
    assert np.allclose(losses, [-math.log(1e-7), -math.log(1 - 1e-7)], rtol=1e-12)
    assert np.array_equal(losses, one_hot_losses)
    assert np.array_equal(y_pred, [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])


def test_accuracy_matches_a_loop():
    rng = np.random.default_rng(4)
    y_pred = activations.softmax(rng.normal(size=(9, 3)))
    labels = rng.integers(0, 3, size=9)
    right = sum(
        int(max(range(3), key=lambda j, row=row: row[j]) == k)
        for row, k in zip(y_pred, labels, strict=True)
    )
    assert loss.accuracy(y_pred, labels) == pytest.approx(right / 9)
    assert loss.accuracy(y_pred, np.eye(3)[labels]) == pytest.approx(right / 9)
    book = np.array([[0.7, 0.2, 0.1], [0.5, 0.1, 0.4], [0.02, 0.9, 0.08]])
    assert loss.accuracy(book, np.array([0, 1, 1])) == pytest.approx(2 / 3)


def detached(module):
    """The module's code compiled anew outside the grader's folder: hidden checks refuse the
    grader's own functions, so this is how they can be handed the references."""
    namespace = {"__name__": f"copy_of_{module.__name__.rsplit('.', 1)[-1]}"}
    exec(compile(inspect.getsource(module), f"<copy of {module.__name__}>", "exec"), namespace)
    return types.SimpleNamespace(**namespace)


def test_hidden_checks_accept_the_references(capsys):
    act, ce = detached(activations), detached(loss)
    hidden_activations.check_relu(act.relu)
    hidden_activations.check_activation_relu(act.Activation_ReLU)
    hidden_activations.check_softmax(act.softmax)
    hidden_activations.check_softmax_large_inputs(act.softmax)
    hidden_activations.check_activation_softmax(act.Activation_Softmax)
    hidden_loss.check_loss_calculate(ce.Loss)
    hidden_loss.check_cce_sparse(ce.Loss_CategoricalCrossEntropy)
    hidden_loss.check_cce_one_hot(ce.Loss_CategoricalCrossEntropy)
    hidden_loss.check_cce_clipping(ce.Loss_CategoricalCrossEntropy)
    hidden_loss.check_accuracy(ce.accuracy)
    out = capsys.readouterr()
    assert out.out.count("Hidden tests passed") == 10 and out.err == ""


# chapter -> {earlier chapter: class names} its loader cell loads (each chapter's EARLIER_CLASSES)
EARLIER = {c.name: c.earlier_classes for c in chapters.every() if c.earlier_classes}


def _names(chapter):
    return {name for names in EARLIER[chapter].values() for name in names}


def _loaded(loader):
    """{chapter: (class names)} of the load("chapter", "Name", ...) calls in a loader cell."""
    calls = [
        node
        for node in ast.walk(ast.parse(loader))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "load"
    ]
    return {call.args[0].value: tuple(a.value for a in call.args[1:]) for call in calls}


def _loader_cell(nb):
    return next(c for c in nb["cells"] if c.get("id") == "ungraded_earlier_classes")


@pytest.mark.parametrize("chapter", sorted(EARLIER))
def test_release_gives_no_classes_of_earlier_chapters(chapter):
    """Students' own earlier classes are loaded from their notebooks: the release must not
    hand out the answers, and asks for no pasting. The loader cell loads exactly what the
    chapter's EARLIER_CLASSES says."""
    nb = nbs.load(nbs.notebook_path(chapter, "release", ROOT))
    defined = {
        node.name
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
        for node in ast.walk(ast.parse(nbs.source_text(cell)))
        # a class that extends the loaded one of the same name (chapter 6 adds backward) is fine
        if isinstance(node, ast.ClassDef)
        and node.name not in {getattr(base, "id", None) for base in node.bases}
    }
    assert not defined & _names(chapter)
    loader = nbs.source_text(_loader_cell(nb))
    assert "from course.earlier import load" in loader
    assert _loaded(loader) == {k: tuple(v) for k, v in EARLIER[chapter].items()}
    assert "paste" not in json.dumps(nb).lower()


@pytest.mark.parametrize("chapter", sorted(EARLIER))
def test_loaded_classes_of_earlier_chapters_match_the_references(chapter, monkeypatch):
    """The loader cell, run beside the source notebooks (as the instructor's and the example
    submissions' runs do), gives classes that compute what the references compute."""
    cell = _loader_cell(nbs.load(nbs.notebook_path(chapter, "source", ROOT)))
    monkeypatch.chdir(nbs.notebook_path(chapter, "source", ROOT).parent)
    namespace = {"np": np}
    exec(nbs.source_text(cell), namespace)
    assert all(isinstance(namespace.get(name), type) for name in _names(chapter))
    rng = np.random.default_rng(5)
    inputs = rng.normal(scale=400.0, size=(6, 4))
    dense = namespace["Layer_Dense"](4, 3)
    assert dense.weights.shape == (4, 3) and np.array_equal(dense.biases, np.zeros((1, 3)))
    dense.biases = rng.normal(size=(1, 3))
    dense.forward(inputs)
    assert np.allclose(dense.output, inputs @ dense.weights + dense.biases, rtol=1e-12)
    for name, reference in (
        ("Activation_ReLU", activations.relu),
        ("Activation_Softmax", activations.softmax),
    ):
        if name in namespace:
            layer = namespace[name]()
            layer.forward(inputs)
            assert np.allclose(layer.output, reference(inputs), rtol=1e-12, atol=1e-300)


def test_plot_curves_draws_one_labelled_line_per_curve():
    x = np.linspace(-1, 1, 11)
    ax = plots.plot_curves(x, {"a": x, "b": x.reshape(-1, 1) ** 2}, title="t", ylabel="y")
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert np.array_equal(ax.get_lines()[1].get_ydata(), x**2)
    assert ax.get_legend() is not None
