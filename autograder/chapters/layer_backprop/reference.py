"""Chapter 5 reference: backpropagation through a layer and a batch, built on chapter 4's.

Everything is float64 and uses `@`, which nnfs.init() does not patch.
"""

import numpy as np

# the layer's checks use chapter 4's pieces through this module too
from autograder.chapters.single_neuron_backprop.reference import (  # noqa: F401
    centred_difference,
    f64,
    relu,
    relu_derivative,
)

# a layer of neurons, weights (n_neurons, n_inputs), loss = (sum of ReLU outputs)^2


def layer_loss(inputs, weights, biases):
    """inputs: (n_inputs,), weights: (n_neurons, n_inputs), biases: (n_neurons,) -> float."""
    z = f64(weights) @ f64(inputs) + f64(biases)
    return float(np.sum(relu(z)) ** 2)


def layer_gradients(inputs, weights, biases):
    """-> (dweights (n_neurons, n_inputs), dbiases (n_neurons,))."""
    inputs = f64(inputs)
    z = f64(weights) @ inputs + f64(biases)
    dloss_dz = 2.0 * np.sum(relu(z)) * relu_derivative(z)
    return np.outer(dloss_dz, inputs), dloss_dz


def train_layer(inputs, weights, biases, learning_rate, n_iterations):
    """-> (losses (n_iterations,), weights, biases); losses[i] is computed before update i."""
    weights, biases = f64(weights).copy(), f64(biases).copy()
    losses = np.empty(n_iterations)
    for i in range(n_iterations):
        losses[i] = layer_loss(inputs, weights, biases)
        dweights, dbiases = layer_gradients(inputs, weights, biases)
        weights = weights - learning_rate * dweights
        biases = biases - learning_rate * dbiases
    return losses, weights, biases


# batch form: weights (n_inputs, n_neurons), one row of inputs per sample


def dense_forward(inputs, weights, biases):
    """(n_samples, n_inputs), (n_inputs, n_neurons), (1, n_neurons) -> (n_samples, n_neurons)."""
    return f64(inputs) @ f64(weights) + f64(biases)


def dense_backward(inputs, weights, dvalues):
    """dvalues = dL/doutput (n_samples, n_neurons) ->
    (dweights (n_inputs, n_neurons), dbiases (1, n_neurons), dinputs (n_samples, n_inputs))."""
    inputs, weights, dvalues = f64(inputs), f64(weights), f64(dvalues)
    return inputs.T @ dvalues, np.sum(dvalues, axis=0, keepdims=True), dvalues @ weights.T


def relu_backward(inputs, dvalues):
    """dL/dinputs of ReLU, same shape as inputs: dvalues where inputs > 0, else 0."""
    return f64(dvalues) * relu_derivative(inputs)


# the sum rule at a fork, and a layer's gradient check written by the student


def layer_dinputs(inputs, weights, biases):
    """-> dinputs (n_inputs,) of layer_loss: input k feeds every neuron j, so its gradient is
    the sum over the neurons, dL/dx_k = sum_j dL/dz_j * weights[j, k]."""
    z = f64(weights) @ f64(inputs) + f64(biases)
    dloss_dz = 2.0 * np.sum(relu(z)) * relu_derivative(z)
    return f64(weights).T @ dloss_dz


def numerical_dweights(loss, weights, h=1e-5):
    """Centred differences of loss(weights) -> float, one entry at a time; shaped like weights."""
    return centred_difference(loss, weights, h)
