"""The chapter 6 reference agrees with independent computations: every backward pass with
centred differences in float64, the optimizer with numbers worked by hand."""

import numpy as np
import pytest

from autograder.chapters.capstone import reference as ref
from course.gradcheck import numerical_gradient, relative_error

# Centred differences in float64 with h = 1e-5 are good to about 1e-9 here; a wrong gradient
# is off by 1e-2 or more. The inputs keep away from ReLU's kink and the loss's clipping.
TOLERANCE = 1e-8


def probabilities(rng, n_samples, n_classes):
    return ref.softmax(rng.normal(size=(n_samples, n_classes)))


@pytest.mark.parametrize("seed", range(3))
def test_softmax_backward_is_the_jacobian_vector_product(seed):
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(4, 5))
    dvalues = rng.normal(size=(4, 5))
    softmax = ref.Activation_Softmax()
    softmax.forward(inputs)
    softmax.backward(dvalues)
    # d/dinputs of sum(softmax(inputs) * dvalues) is the gradient backward should return
    numeric = numerical_gradient(lambda: float(np.sum(ref.softmax(inputs) * dvalues)), inputs)
    assert relative_error(softmax.dinputs, numeric) < TOLERANCE


def test_softmax_jacobian_of_the_worked_example():
    jacobian = ref.softmax_jacobians(np.array([[0.7, 0.1, 0.2]]))[0]
    expected = [[0.21, -0.07, -0.14], [-0.07, 0.09, -0.02], [-0.14, -0.02, 0.16]]
    assert np.allclose(jacobian, expected, atol=1e-12)


@pytest.mark.parametrize("one_hot", [False, True])
def test_loss_backward_is_the_gradient_of_the_mean_loss(one_hot):
    rng = np.random.default_rng(4)
    predictions = probabilities(rng, 6, 4)
    labels = rng.integers(0, 4, size=6)
    y_true = ref.one_hot(labels, 4) if one_hot else labels
    loss = ref.Loss_CategoricalCrossEntropy()
    loss.backward(predictions, y_true)
    numeric = numerical_gradient(lambda: loss.calculate(predictions, y_true), predictions)
    assert relative_error(loss.dinputs, numeric) < TOLERANCE


@pytest.mark.parametrize("one_hot", [False, True])
def test_combined_backward_is_the_gradient_with_respect_to_the_scores(one_hot):
    rng = np.random.default_rng(5)
    scores = rng.normal(size=(7, 3))
    labels = rng.integers(0, 3, size=7)
    y_true = ref.one_hot(labels, 3) if one_hot else labels
    combined = ref.Activation_Softmax_Loss_CategoricalCrossEntropy()
    combined.forward(scores, y_true)
    combined.backward(combined.output, y_true)
    numeric = numerical_gradient(lambda: combined.forward(scores, y_true), scores)
    assert relative_error(combined.dinputs, numeric) < TOLERANCE


def test_combined_and_separate_backward_agree():
    rng = np.random.default_rng(6)
    predictions = probabilities(rng, 9, 5)
    labels = rng.integers(0, 5, size=9)
    separate = ref.softmax_backward(predictions, ref.cross_entropy_backward(predictions, labels))
    assert np.allclose(separate, ref.combined_backward(predictions, labels), atol=1e-14)


def test_dense_and_relu_backward():
    rng = np.random.default_rng(7)
    inputs = rng.normal(size=(5, 3))
    dvalues = rng.normal(size=(5, 4))
    dense = ref.Layer_Dense(3, 4, rng)
    dense.weights = rng.normal(size=(3, 4))
    dense.biases = rng.normal(size=(1, 4))
    relu = ref.Activation_ReLU()

    def objective():
        dense.forward(inputs)
        relu.forward(dense.output)
        return float(np.sum(relu.output * dvalues))

    objective()
    relu.backward(dvalues)
    dense.backward(relu.dinputs)
    for analytic, parameter in (
        (dense.dweights, dense.weights),
        (dense.dbiases, dense.biases),
        (dense.dinputs, inputs),
    ):
        analytic = analytic.copy()
        assert relative_error(analytic, numerical_gradient(objective, parameter)) < TOLERANCE


@pytest.mark.parametrize("one_hot", [False, True])
def test_whole_network_gradients(one_hot):
    """dense -> ReLU -> dense -> softmax + cross-entropy: all four parameter arrays."""
    rng = np.random.default_rng(8)
    X = rng.normal(size=(10, 2))
    labels = rng.integers(0, 3, size=10)
    y = ref.one_hot(labels, 3) if one_hot else labels
    dense1, dense2 = ref.Layer_Dense(2, 6), ref.Layer_Dense(6, 3)
    dense1.weights = rng.normal(scale=0.5, size=(2, 6))
    dense1.biases = rng.uniform(0.1, 0.5, size=(1, 6))
    dense2.weights = rng.normal(scale=0.5, size=(6, 3))
    network = (
        dense1,
        ref.Activation_ReLU(),
        dense2,
        ref.Activation_Softmax_Loss_CategoricalCrossEntropy(),
    )
    ref.forward_backward(X, y, *network)
    analytic = [dense1.dweights, dense1.dbiases, dense2.dweights, dense2.dbiases]
    parameters = [dense1.weights, dense1.biases, dense2.weights, dense2.biases]
    for gradient, parameter in zip(analytic, parameters, strict=True):
        numeric = numerical_gradient(lambda: ref.forward_backward(X, y, *network), parameter)
        assert relative_error(gradient, numeric) < TOLERANCE


def test_a_wrong_gradient_is_caught():
    """The check above has teeth: a network with the ReLU skipped in backward fails it."""
    rng = np.random.default_rng(9)
    X = rng.normal(size=(10, 2))
    y = rng.integers(0, 3, size=10)
    dense1, dense2 = ref.Layer_Dense(2, 6), ref.Layer_Dense(6, 3)
    dense1.weights = rng.normal(size=(2, 6))
    dense2.weights = rng.normal(size=(6, 3))
    relu, loss = ref.Activation_ReLU(), ref.Activation_Softmax_Loss_CategoricalCrossEntropy()
    ref.forward_backward(X, y, dense1, relu, dense2, loss)
    dense1.backward(dense2.dinputs)  # the mistake: ReLU's backward skipped
    wrong = dense1.dweights.copy()
    numeric = numerical_gradient(
        lambda: ref.forward_backward(X, y, dense1, relu, dense2, loss), dense1.weights
    )
    assert relative_error(wrong, numeric) > 1e-3


def test_optimizer_two_steps_by_hand():
    layer = ref.Layer_Dense(1, 1)
    layer.weights, layer.biases = np.array([[0.0]]), np.array([[0.0]])
    optimizer = ref.Optimizer_SGD(learning_rate=1.0, decay=0.5, momentum=0.9)
    for _ in range(2):
        layer.dweights, layer.dbiases = np.array([[1.0]]), np.array([[0.5]])
        optimizer.pre_update_params()
        optimizer.update_params(layer)
        optimizer.post_update_params()
    # step 1: rate 1, update -1; step 2: rate 1 / (1 + 0.5), update 0.9 * (-1) - 2/3
    assert optimizer.iterations == 2
    assert np.isclose(optimizer.current_learning_rate, 2 / 3)
    assert np.allclose(layer.weights, -1 - 0.9 - 2 / 3)
    assert np.allclose(layer.biases, -0.5 - 0.45 - 1 / 3)


def test_plain_sgd_step():
    layer = ref.Layer_Dense(1, 2)
    layer.weights, layer.biases = np.array([[1.0, -2.0]]), np.array([[0.5, 0.0]])
    layer.dweights, layer.dbiases = np.array([[0.5, -1.0]]), np.array([[2.0, 1.0]])
    optimizer = ref.Optimizer_SGD(learning_rate=0.1)
    optimizer.pre_update_params()
    optimizer.update_params(layer)
    assert np.allclose(layer.weights, [[0.95, -1.9]])
    assert np.allclose(layer.biases, [[0.3, -0.1]])
    assert not hasattr(layer, "weight_momentums")


def test_train_records_each_step_before_its_update():
    rng = np.random.default_rng(10)
    X = rng.normal(size=(30, 2))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    dense1, dense2 = ref.Layer_Dense(2, 8, rng), ref.Layer_Dense(8, 3, rng)
    network = (
        dense1,
        ref.Activation_ReLU(),
        dense2,
        ref.Activation_Softmax_Loss_CategoricalCrossEntropy(),
    )
    optimizer = ref.Optimizer_SGD(learning_rate=1.0, decay=1e-3, momentum=0.9)
    losses, accuracies = ref.train(X, y, *network, optimizer, 200)
    assert losses.shape == accuracies.shape == (200,)
    assert np.isclose(losses[0], np.log(3), rtol=1e-3)  # tiny initial weights: uniform guesses
    assert losses[-1] < 0.5 * losses[0] and accuracies[-1] > 0.8
    assert optimizer.iterations == 200
    # the next forward pass sees the updated weights: its loss continues the curve downwards
    assert ref.forward_backward(X, y, *network) <= losses[-1]


def test_label_formats():
    labels = np.array([2, 0, 1], dtype=np.uint8)
    encoded = ref.one_hot(labels, 3)
    assert np.array_equal(encoded, np.eye(3)[labels])
    assert np.array_equal(ref.sparse(encoded), labels)
    assert ref.one_hot(encoded, 3) is not encoded and np.array_equal(
        ref.one_hot(encoded, 3), encoded
    )


def test_benchmark_paths_agree():
    """bench/bench_softmax_ce.py times three paths; they must compute the same gradient."""
    import importlib.util

    from tests.helpers import ROOT

    spec = importlib.util.spec_from_file_location(
        "bench_softmax_ce", ROOT / "bench" / "bench_softmax_ce.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rng = np.random.default_rng(11)
    predictions = probabilities(rng, 20, 4)
    labels = rng.integers(0, 4, size=20)
    expected = bench.combined(predictions, labels)
    assert np.allclose(bench.separate_loop(predictions, labels), expected, atol=1e-14)
    assert np.allclose(bench.separate_batched(predictions, labels), expected, atol=1e-14)
