"""Chapter 2 reference: ReLU and softmax activations, in float64."""

import numpy as np


def relu(inputs):
    """inputs: any shape -> the same shape, max(0, x) element-wise."""
    return np.maximum(0.0, np.asarray(inputs, dtype=np.float64))


def softmax(inputs):
    """inputs: (n_samples, n_classes) -> (n_samples, n_classes), each row sums to 1.

    Each row's maximum is subtracted first: exp never overflows, and the result is unchanged
    because softmax(z - c) = softmax(z) for any constant c per row.
    """
    inputs = np.asarray(inputs, dtype=np.float64)
    exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
    return exp_values / np.sum(exp_values, axis=1, keepdims=True)


class Activation_ReLU:
    def forward(self, inputs):
        """inputs: (n_samples, n_neurons) -> self.output, same shape."""
        self.output = relu(inputs)


class Activation_Softmax:
    def forward(self, inputs):
        """inputs: (n_samples, n_classes) -> self.output, same shape, rows summing to 1."""
        self.output = softmax(inputs)
