"""Chapter 4 reference: backpropagation through one neuron.

Everything is float64 and uses `@`, which nnfs.init() does not patch. The ReLU derivative is 0
at z == 0, as in the original material.
"""

import numpy as np


def f64(a):
    return np.asarray(a, dtype=np.float64)


def relu(z):
    """Any shape -> same shape: max(0, z)."""
    return np.maximum(0.0, f64(z))


def relu_derivative(z):
    """Any shape -> same shape: 1.0 where z > 0, else 0.0 (0 at z == 0)."""
    return (f64(z) > 0).astype(np.float64)


# one neuron, loss = (ReLU(inputs . weights + bias) - target)^2


def neuron_loss(inputs, weights, bias, target):
    """inputs, weights: (n_inputs,); bias, target: floats -> float."""
    z = f64(inputs) @ f64(weights) + float(bias)
    return float((relu(z) - target) ** 2)


def neuron_gradients(inputs, weights, bias, target):
    """-> (dweights (n_inputs,), dbias float): the chain rule, factor by factor."""
    inputs = f64(inputs)
    z = inputs @ f64(weights) + float(bias)
    dloss_doutput = 2.0 * (float(relu(z)) - target)
    dloss_dz = dloss_doutput * float(relu_derivative(z))
    return dloss_dz * inputs, dloss_dz


def train_neuron(inputs, weights, bias, target, learning_rate, n_iterations):
    """-> (losses (n_iterations,), weights, bias); losses[i] is computed before update i."""
    weights, bias = f64(weights).copy(), float(bias)
    losses = np.empty(n_iterations)
    for i in range(n_iterations):
        losses[i] = neuron_loss(inputs, weights, bias, target)
        dweights, dbias = neuron_gradients(inputs, weights, bias, target)
        weights = weights - learning_rate * dweights
        bias = bias - learning_rate * dbias
    return losses, weights, bias


def centred_difference(f, x, h=1e-5):
    """df/dx by centred differences; f takes an array shaped like x and returns a float."""
    x = f64(x)
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        grad[index] = (f(x + step) - f(x - step)) / (2 * h)
    return grad
