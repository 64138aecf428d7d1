"""Chapter 1 reference: neurons, layers and batches of a dense layer."""

import numpy as np


def neuron_output(inputs, weights, bias):
    """inputs: (n_inputs,), weights: (n_inputs,), bias: float -> float."""
    return float(np.asarray(inputs, np.float64) @ np.asarray(weights, np.float64) + bias)


def layer_output(inputs, weights, biases):
    """inputs: (n_inputs,), weights: (n_neurons, n_inputs), biases: (n_neurons,) -> (n_neurons,)."""
    return np.asarray(weights, np.float64) @ np.asarray(inputs, np.float64) + biases


def batch_output(inputs, weights, biases):
    """inputs: (n_samples, n_inputs), weights: (n_inputs, n_neurons), biases: (1, n_neurons)
    -> (n_samples, n_neurons)."""
    return np.asarray(inputs, np.float64) @ np.asarray(weights, np.float64) + biases


class Layer_Dense:
    """weights: (n_inputs, n_neurons), stored "already transposed"; biases: (1, n_neurons)."""

    def __init__(self, n_inputs, n_neurons):
        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons), dtype=np.float64)

    def forward(self, inputs):
        """inputs: (n_samples, n_inputs) -> self.output: (n_samples, n_neurons)."""
        self.output = batch_output(inputs, self.weights, self.biases)
