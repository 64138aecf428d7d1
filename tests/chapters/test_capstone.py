"""Unit tests of chapter 6's student-side helpers: course.capstone and the decision-region plot."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from autograder.chapters.capstone import reference as ref
from course import capstone, plots


def small_network(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(12, 2))
    y = rng.integers(0, 3, size=12)
    dense1, dense2 = ref.Layer_Dense(2, 5), ref.Layer_Dense(5, 3)
    dense1.weights = rng.normal(scale=0.5, size=(2, 5))
    dense1.biases = rng.uniform(0.1, 0.5, size=(1, 5))
    dense2.weights = rng.normal(scale=0.5, size=(5, 3))
    return (
        X,
        y,
        dense1,
        ref.Activation_ReLU(),
        dense2,
        ref.Activation_Softmax_Loss_CategoricalCrossEntropy(),
    )


def test_gradient_check_passes_backprop_and_restores_parameters():
    X, y, *network = small_network()
    before = [network[0].weights.copy(), network[2].biases.copy()]
    errors = capstone.network_gradient_check(ref.forward_backward, X, y, *network)
    assert set(errors) == {"dense1.weights", "dense1.biases", "dense2.weights", "dense2.biases"}
    assert max(errors.values()) < 1e-7
    assert np.array_equal(network[0].weights, before[0])
    assert np.array_equal(network[2].biases, before[1])


def test_gradient_check_converts_float32_parameters():
    X, y, *network = small_network(1)
    network[0].weights = network[0].weights.astype(np.float32)
    errors = capstone.network_gradient_check(ref.forward_backward, X, y, *network)
    assert network[0].weights.dtype == np.float64
    assert max(errors.values()) < 1e-7


def test_gradient_check_catches_a_skipped_relu():
    def relu_skipped(X, y, dense1, activation1, dense2, loss_activation):
        loss = ref.forward_backward(X, y, dense1, activation1, dense2, loss_activation)
        dense1.backward(dense2.dinputs)
        return loss

    X, y, *network = small_network(2)
    errors = capstone.network_gradient_check(relu_skipped, X, y, *network)
    assert errors["dense1.weights"] > 1e-3
    assert errors["dense2.weights"] < 1e-7


def test_under_grader(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert not capstone.under_grader()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert capstone.under_grader()


def test_decision_regions_paint_each_point_with_its_predicted_class():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(40, 2))
    y = (X[:, 0] > 0).astype(int)
    ax = plots.plot_decision_regions(lambda p: (p[:, 0] > 0).astype(int), X, y, resolution=50)
    image = ax.images[0].get_array()
    assert image.shape == (50, 50)
    # left half class 0, right half class 1 (origin="lower": columns run along x)
    assert np.all(image[:, :20] == 0) and np.all(image[:, -20:] == 1)
    assert len(ax.collections) == 2  # the data on top, one scatter per class


def test_decision_regions_accept_class_scores():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 1.0]])
    scores = plots.plot_decision_regions(
        lambda p: np.column_stack([-p[:, 0], p[:, 0], 0 * p[:, 0]]),
        X,
        np.array([0, 1, 2]),
        resolution=10,
    )
    assert set(np.unique(scores.images[0].get_array())) <= {0, 1}


def test_decision_grid_covers_the_data():
    X = np.array([[0.0, -1.0], [2.0, 3.0]])
    points, extent = plots.decision_grid(X, resolution=5, margin=0.1)
    assert points.shape == (25, 2)
    assert extent == pytest.approx((-0.2, 2.2, -1.4, 3.4))


def linear_fit(rate):
    """A stand-in for training: accuracy rises with the rate, regions rotate with it."""
    accuracies = np.linspace(0.3, min(0.3 + rate / 10, 1.0), 20)
    weights = np.array([[1.0, -1.0, rate], [rate, 1.0, -1.0]])
    return np.linspace(1.0, 0.2, 20), accuracies, lambda points: points @ weights


def spiral():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 2))
    return X, rng.integers(0, 3, size=30)


def test_static_explorer_trains_only_the_static_rates():
    X, y = spiral()
    seen = []

    def fit(rate):
        seen.append(rate)
        return linear_fit(rate)

    explorer = capstone.DecisionRegionExplorer(
        fit, X, y, [0.1, 0.3, 1.0, 3.0, 10.0], static_rates=[0.3, 3.0], interactive=False
    )
    assert seen == [0.3, 3.0]
    assert len(explorer.figure.axes) == 3  # accuracy curves + one panel per rate
    assert len(explorer.figure.axes[0].lines) == 2


# ipympl's toolbar, created with the canvas, warns about a traitlets argument; not ours
@pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning")
def test_interactive_explorer_swaps_curve_and_regions_in_place():
    X, y = spiral()
    explorer = capstone.DecisionRegionExplorer(
        linear_fit, X, y, [0.1, 1.0, 10.0], resolution=30, interactive=True
    )
    assert list(explorer.results) == [0.1, 1.0, 10.0]
    regions = explorer.image.get_array().copy()
    explorer.slider.value = 10.0
    assert not np.array_equal(explorer.image.get_array(), regions)
    assert explorer.line.get_ydata()[-1] == pytest.approx(1.0)
    assert len(explorer.accuracy_axes.lines) == 1 and len(explorer.figure.axes[1].images) == 1
    assert "learning rate 10" in explorer.figure.get_suptitle()


# -- the hidden spiral test (autograder/chapters/capstone/spiral.py) --------------------------------------


class GradientAscent(ref.Optimizer_SGD):
    """A broken optimizer: steps up the gradient (the sign of the update flipped)."""

    def update_params(self, layer):
        layer.dweights, layer.dbiases = -layer.dweights, -layer.dbiases
        super().update_params(layer)
        layer.dweights, layer.dbiases = -layer.dweights, -layer.dbiases


def spiral_check(optimizer_class, layer_class=ref.Layer_Dense, train=ref.train):
    """check_spiral_accuracy on the reference classes, as the grader calls it: through the
    channel, on handles into a namespace (here the agent runs in this process)."""
    from autograder.channel.remote import LocalChannel
    from autograder.chapters.capstone import spiral

    namespace = {
        "train": train,
        "forward_backward": ref.forward_backward,
        "Layer_Dense": layer_class,
        "Activation_ReLU": ref.Activation_ReLU,
        "Activation_Softmax_Loss_CategoricalCrossEntropy": (
            ref.Activation_Softmax_Loss_CategoricalCrossEntropy
        ),
        "Optimizer_SGD": optimizer_class,
    }
    channel = LocalChannel(namespace)
    spiral.check_spiral_accuracy(*(channel.lookup(name) for name in namespace))


def test_spiral_check_passes_the_reference(capsys):
    spiral_check(ref.Optimizer_SGD)
    assert "training accuracy on the spiral data in 2,000 steps" in capsys.readouterr().out


def test_spiral_check_fails_a_broken_optimizer_and_names_it():
    from autograder import core

    with pytest.raises(core.GradingError) as failure:
        spiral_check(GradientAscent)
    message = str(failure.value)
    assert "90% is needed" in message
    assert "Likely cause: these parts fail their own tests" in message
    assert "Optimizer_SGD (exercise 6.5)" in message
    # the other parts are right, so only the optimizer is named
    assert "forward_backward (exercise 6.4)" not in message and "Layer_Dense (" not in message


class UnfinishedLayer(ref.Layer_Dense):
    """Layer_Dense as a student's blank chapter 5 leaves it (loaded by course/earlier.py)."""

    def backward(self, dvalues):
        raise NotImplementedError


def test_spiral_check_keeps_its_points_when_only_an_earlier_chapter_fails(capsys):
    """One bug costs once: a Layer_Dense from chapter 5 that fails its own tests (and costs its
    points there) leaves the spiral test its points, and the output says why."""
    spiral_check(ref.Optimizer_SGD, UnfinishedLayer)
    out = capsys.readouterr().out
    assert "only because of classes from earlier chapters" in out
    assert "Layer_Dense (chapters 1 and 5)" in out and "keeps its points" in out
    # with the chapter 6 optimizer broken too, it fails and names the optimizer
    from autograder import core

    with pytest.raises(core.GradingError) as failure:
        spiral_check(GradientAscent, UnfinishedLayer)
    assert "Optimizer_SGD (exercise 6.5)" in str(failure.value)


def endless_train(*args):
    while True:
        pass


def test_spiral_check_stops_at_a_timeout(monkeypatch):
    """A train that runs out of time was interrupted (core.TimedOut): the check says so and
    runs no part's test again (the interrupted kernel's handles could be dead)."""
    from autograder import core
    from autograder.chapters.capstone import spiral

    monkeypatch.setattr(spiral, "TIME_FLOOR", 0.5)
    monkeypatch.setattr(spiral, "TIME_FACTOR", 0.0)
    monkeypatch.setattr(spiral, "_failing_parts", lambda parts: pytest.fail("parts were rerun"))
    with pytest.raises(core.TimedOut) as failure:
        spiral_check(ref.Optimizer_SGD, train=endless_train)
    assert "took more than 0 s" in str(failure.value)
    assert "Likely cause: a Python loop over samples" in str(failure.value)


def test_spiral_data_and_starting_weights_are_fixed():
    from autograder.chapters.capstone import spiral

    state = np.random.get_state()
    X, y = spiral.spiral()
    assert np.array_equal(np.random.get_state()[1], state[1])  # the global state untouched
    assert X.shape == (300, 2) and X.dtype == np.float64 and set(np.unique(y)) == {0, 1, 2}
    first, second = spiral.starting_parameters(), spiral.starting_parameters()
    assert all(np.array_equal(first[k], second[k]) for k in first)
    assert np.std(first["w2"]) == pytest.approx(np.sqrt(2 / spiral.HIDDEN), rel=0.2)
