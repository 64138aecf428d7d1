"""Chapters 4 and 5 reference: backpropagation through a neuron, a layer and a batch.

Everything is float64 and uses `@`, which nnfs.init() does not patch. The ReLU derivative is 0
at z == 0, as in the original material.
"""

import numpy as np


def _f64(a):
    return np.asarray(a, dtype=np.float64)


def relu(z):
    """Any shape -> same shape: max(0, z)."""
    return np.maximum(0.0, _f64(z))


def relu_derivative(z):
    """Any shape -> same shape: 1.0 where z > 0, else 0.0 (0 at z == 0)."""
    return (_f64(z) > 0).astype(np.float64)


# Chapter 4: one neuron, loss = (ReLU(inputs . weights + bias) - target)^2


def neuron_loss(inputs, weights, bias, target):
    """inputs, weights: (n_inputs,); bias, target: floats -> float."""
    z = _f64(inputs) @ _f64(weights) + float(bias)
    return float((relu(z) - target) ** 2)


def neuron_gradients(inputs, weights, bias, target):
    """-> (dweights (n_inputs,), dbias float): the chain rule, factor by factor."""
    inputs = _f64(inputs)
    z = inputs @ _f64(weights) + float(bias)
    dloss_doutput = 2.0 * (float(relu(z)) - target)
    dloss_dz = dloss_doutput * float(relu_derivative(z))
    return dloss_dz * inputs, dloss_dz


def train_neuron(inputs, weights, bias, target, learning_rate, n_iterations):
    """-> (losses (n_iterations,), weights, bias); losses[i] is computed before update i."""
    weights, bias = _f64(weights).copy(), float(bias)
    losses = np.empty(n_iterations)
    for i in range(n_iterations):
        losses[i] = neuron_loss(inputs, weights, bias, target)
        dweights, dbias = neuron_gradients(inputs, weights, bias, target)
        weights = weights - learning_rate * dweights
        bias = bias - learning_rate * dbias
    return losses, weights, bias


def centred_difference(f, x, h=1e-5):
    """df/dx by centred differences; f takes an array shaped like x and returns a float."""
    x = _f64(x)
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        grad[index] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


# Chapter 5: a layer of neurons, weights (n_neurons, n_inputs), loss = (sum of ReLU outputs)^2


def layer_loss(inputs, weights, biases):
    """inputs: (n_inputs,), weights: (n_neurons, n_inputs), biases: (n_neurons,) -> float."""
    z = _f64(weights) @ _f64(inputs) + _f64(biases)
    return float(np.sum(relu(z)) ** 2)


def layer_gradients(inputs, weights, biases):
    """-> (dweights (n_neurons, n_inputs), dbiases (n_neurons,))."""
    inputs = _f64(inputs)
    z = _f64(weights) @ inputs + _f64(biases)
    dloss_dz = 2.0 * np.sum(relu(z)) * relu_derivative(z)
    return np.outer(dloss_dz, inputs), dloss_dz


def train_layer(inputs, weights, biases, learning_rate, n_iterations):
    """-> (losses (n_iterations,), weights, biases); losses[i] is computed before update i."""
    weights, biases = _f64(weights).copy(), _f64(biases).copy()
    losses = np.empty(n_iterations)
    for i in range(n_iterations):
        losses[i] = layer_loss(inputs, weights, biases)
        dweights, dbiases = layer_gradients(inputs, weights, biases)
        weights = weights - learning_rate * dweights
        biases = biases - learning_rate * dbiases
    return losses, weights, biases


# Chapter 5, batch form: weights (n_inputs, n_neurons), one row of inputs per sample


def dense_forward(inputs, weights, biases):
    """(n_samples, n_inputs), (n_inputs, n_neurons), (1, n_neurons) -> (n_samples, n_neurons)."""
    return _f64(inputs) @ _f64(weights) + _f64(biases)


def dense_backward(inputs, weights, dvalues):
    """dvalues = dL/doutput (n_samples, n_neurons) ->
    (dweights (n_inputs, n_neurons), dbiases (1, n_neurons), dinputs (n_samples, n_inputs))."""
    inputs, weights, dvalues = _f64(inputs), _f64(weights), _f64(dvalues)
    return inputs.T @ dvalues, np.sum(dvalues, axis=0, keepdims=True), dvalues @ weights.T


def relu_backward(inputs, dvalues):
    """dL/dinputs of ReLU, same shape as inputs: dvalues where inputs > 0, else 0."""
    return _f64(dvalues) * relu_derivative(inputs)


# Chapter 5: the sum rule at a fork, and a layer's gradient check written by the student


def layer_dinputs(inputs, weights, biases):
    """-> dinputs (n_inputs,) of layer_loss: input k feeds every neuron j, so its gradient is
    the sum over the neurons, dL/dx_k = sum_j dL/dz_j * weights[j, k]."""
    z = _f64(weights) @ _f64(inputs) + _f64(biases)
    dloss_dz = 2.0 * np.sum(relu(z)) * relu_derivative(z)
    return _f64(weights).T @ dloss_dz


def numerical_dweights(loss, weights, h=1e-5):
    """Centred differences of loss(weights) -> float, one entry at a time; shaped like weights."""
    return centred_difference(loss, weights, h)
