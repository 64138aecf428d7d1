"""The backprop references (chapters 4 and 5) agree with centred differences in float64."""

import numpy as np
import pytest

from autograder.chapters.layer_backprop import reference as layer
from autograder.chapters.single_neuron_backprop import reference as neuron
from course.gradcheck import numerical_gradient, relative_error

# float64 centred differences with h = 1e-5 agree to about 1e-10 on these functions
TOLERANCE = 1e-8


def away_from_kinks(z, margin=1e-3):
    """Push values off ReLU's kink, where a centred difference straddles two slopes."""
    return np.where(np.abs(z) < margin, margin, z)


def not_tiny(rng, size):
    """Random values of magnitude 0.3 to 2: a tiny gradient entry would be swamped by the
    rounding error of f (about 1e-16 * |f| / h), which is no fault of the gradient."""
    return rng.choice([-1.0, 1.0], size=size) * rng.uniform(0.3, 2.0, size=size)


def test_relu_derivative_convention():
    z = np.array([-2.0, -1e-300, 0.0, 1e-300, 3.0])
    assert np.array_equal(neuron.relu_derivative(z), [0.0, 0.0, 0.0, 1.0, 1.0])
    assert neuron.relu_derivative(z).dtype == np.float64
    assert np.array_equal(layer.relu_backward(z, np.full(5, 7.0)), [0, 0, 0, 7.0, 7.0])


@pytest.mark.parametrize("seed", range(6))
def test_neuron_gradients_match_centred_differences(seed):
    rng = np.random.default_rng(seed)
    n_inputs = int(rng.integers(1, 7))
    inputs, weights = not_tiny(rng, n_inputs), rng.normal(size=n_inputs)
    target = float(rng.normal())
    # half the seeds start inactive (z < 0), half active
    bias = float(-(inputs @ weights) + (1.5 if seed % 2 else -1.5))
    dweights, dbias = neuron.neuron_gradients(inputs, weights, bias, target)
    numeric_w = numerical_gradient(
        lambda: neuron.neuron_loss(inputs, weights, bias, target), weights
    )
    b = np.array([bias])
    numeric_b = numerical_gradient(lambda: neuron.neuron_loss(inputs, weights, b[0], target), b)
    assert relative_error(dweights, numeric_w) < TOLERANCE
    assert relative_error(dbias, numeric_b[0]) < TOLERANCE
    assert np.ndim(dbias) == 0 and dweights.shape == (n_inputs,)
    if seed % 2 == 0:
        assert np.all(dweights == 0) and dbias == 0


def test_neuron_gradients_at_the_kink_follow_the_convention():
    # z == 0 exactly: the ReLU derivative is taken as 0, so nothing moves
    dweights, dbias = neuron.neuron_gradients(np.array([1.0, 2.0]), np.array([1.0, 1.0]), -3.0, 0.5)
    assert np.all(dweights == 0) and dbias == 0


def test_centred_difference_reference():
    rng = np.random.default_rng(7)
    x = not_tiny(rng, (3, 4))
    a = not_tiny(rng, (3, 4))
    x_before = x.copy()
    grad = neuron.centred_difference(lambda v: float(np.sum(a * v**3)), x)
    assert relative_error(grad, 3 * a * x**2) < TOLERANCE
    assert np.array_equal(x, x_before)


@pytest.mark.parametrize("seed", range(6))
def test_layer_gradients_match_centred_differences(seed):
    rng = np.random.default_rng(100 + seed)
    n_neurons, n_inputs = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    inputs = not_tiny(rng, n_inputs)
    weights = rng.normal(size=(n_neurons, n_inputs))
    biases = rng.normal(size=n_neurons)
    biases = away_from_kinks(weights @ inputs + biases) - weights @ inputs
    dweights, dbiases = layer.layer_gradients(inputs, weights, biases)
    assert dweights.shape == (n_neurons, n_inputs) and dbiases.shape == (n_neurons,)
    numeric_w = numerical_gradient(lambda: layer.layer_loss(inputs, weights, biases), weights)
    numeric_b = numerical_gradient(lambda: layer.layer_loss(inputs, weights, biases), biases)
    assert relative_error(dweights, numeric_w) < TOLERANCE
    assert relative_error(dbiases, numeric_b) < TOLERANCE


@pytest.mark.parametrize("n_samples", [1, 2, 7])
def test_dense_and_relu_backward_match_centred_differences(n_samples):
    rng = np.random.default_rng(n_samples)
    n_inputs, n_neurons = 4, 3
    inputs = not_tiny(rng, (n_samples, n_inputs))
    weights = not_tiny(rng, (n_inputs, n_neurons))
    biases = rng.normal(size=(1, n_neurons))
    # the next layer's gradient: L = sum(G * ReLU(dense(inputs))), so dL/d(ReLU output) = G
    G = not_tiny(rng, (n_samples, n_neurons))

    def loss():
        return float(np.sum(G * neuron.relu(layer.dense_forward(inputs, weights, biases))))

    z = layer.dense_forward(inputs, weights, biases)
    assert np.all(np.abs(z) > 1e-4), "test data too close to ReLU's kink"
    dz = layer.relu_backward(z, G)
    dweights, dbiases, dinputs = layer.dense_backward(inputs, weights, dz)
    assert dweights.shape == weights.shape and dbiases.shape == biases.shape
    assert dinputs.shape == inputs.shape
    assert relative_error(dweights, numerical_gradient(loss, weights)) < TOLERANCE
    assert relative_error(dbiases, numerical_gradient(loss, biases)) < TOLERANCE
    assert relative_error(dinputs, numerical_gradient(loss, inputs)) < TOLERANCE


def test_single_sample_batch_form_is_the_transposed_outer_product():
    """Chapter 5's point: the batch form's dweights is the layer form's, transposed."""
    inputs = np.array([1.0, 2.0, 3.0, 4.0])
    weights = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]])
    biases = np.array([0.1, 0.2, 0.3])
    dweights, dbiases = layer.layer_gradients(inputs, weights, biases)
    z = layer.dense_forward(inputs[None, :], weights.T, biases[None, :])
    dz = layer.relu_backward(z, np.full_like(z, 2 * np.sum(neuron.relu(z))))
    batch_dweights, batch_dbiases, _ = layer.dense_backward(inputs[None, :], weights.T, dz)
    assert np.array_equal(batch_dweights, dweights.T)
    assert np.array_equal(batch_dbiases[0], dbiases)


def test_training_takes_gradient_steps():
    inputs, weights = np.array([1.0, -2.0, 3.0]), np.array([-3.0, -1.0, 2.0])
    losses, new_weights, new_bias = neuron.train_neuron(inputs, weights, 1.0, 0.0, 0.001, 1)
    dweights, dbias = neuron.neuron_gradients(inputs, weights, 1.0, 0.0)
    assert losses.tolist() == [36.0]
    assert np.array_equal(new_weights, weights - 0.001 * dweights)
    assert new_bias == 1.0 - 0.001 * dbias
    losses, *_ = neuron.train_neuron(inputs, weights, 1.0, 0.0, 0.001, 200)
    assert np.all(np.diff(losses) < 0) and losses[-1] < 1e-3
    layer_losses, layer_weights, _ = layer.train_layer(
        np.arange(1.0, 5.0), np.full((3, 4), 0.1), np.zeros(3), 0.001, 50
    )
    assert np.all(np.diff(layer_losses) < 0) and layer_weights.shape == (3, 4)
