"""Chapter 6 reference: the backward pass of a whole network, SGD and the training loop.

Everything computes in float64 with `@`, `np.sum` and explicit dtypes, so nnfs.init()'s
float32 patches (np.dot, np.zeros, np.eye, np.random.randn) cannot change it. The classes
keep the attribute names of the course (inputs, output, dinputs, dweights, dbiases), so a
student's training loop can drive them as it drives its own.
"""

import numpy as np


def _f64(values):
    return np.array(values, dtype=np.float64, copy=True)


def one_hot(y_true, n_classes):
    """Sparse labels (n_samples,) -> one-hot rows (n_samples, n_classes); one-hot passes through."""
    y_true = np.asarray(y_true)
    if y_true.ndim == 2:
        return _f64(y_true)
    encoded = np.zeros((len(y_true), n_classes), dtype=np.float64)
    encoded[np.arange(len(y_true)), y_true.astype(np.int64)] = 1.0
    return encoded


def sparse(y_true):
    """One-hot rows (n_samples, n_classes) -> labels (n_samples,); sparse labels pass through."""
    y_true = np.asarray(y_true)
    return np.argmax(y_true, axis=1) if y_true.ndim == 2 else y_true.astype(np.int64)


class Layer_Dense:
    """weights: (n_inputs, n_neurons); biases: (1, n_neurons)."""

    def __init__(self, n_inputs, n_neurons, rng=None):
        rng = rng if rng is not None else np.random.default_rng()
        self.weights = 0.01 * rng.standard_normal((n_inputs, n_neurons))
        self.biases = np.zeros((1, n_neurons), dtype=np.float64)

    def forward(self, inputs):
        """inputs: (n_samples, n_inputs) -> self.output: (n_samples, n_neurons)."""
        self.inputs = _f64(inputs)
        self.output = self.inputs @ self.weights + self.biases

    def backward(self, dvalues):
        """dvalues: (n_samples, n_neurons) -> dweights, dbiases, dinputs."""
        dvalues = _f64(dvalues)
        self.dweights = self.inputs.T @ dvalues
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = dvalues @ np.asarray(self.weights, dtype=np.float64).T


class Activation_ReLU:
    def forward(self, inputs):
        self.inputs = _f64(inputs)
        self.output = np.maximum(0.0, self.inputs)

    def backward(self, dvalues):
        self.dinputs = _f64(dvalues)
        self.dinputs[self.inputs <= 0] = 0.0


def softmax(inputs):
    """(n_samples, n_classes) -> probabilities, each row summing to 1."""
    inputs = _f64(inputs)
    exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
    return exp_values / np.sum(exp_values, axis=1, keepdims=True)


def softmax_jacobians(output):
    """output: (n_samples, n_classes) -> (n_samples, n_classes, n_classes).

    J[i] = diag(s) - s s^T for s = output[i]: J[i][j, k] = d output[i, j] / d inputs[i, k].
    """
    output = _f64(output)
    n_classes = output.shape[1]
    identity = np.identity(n_classes, dtype=np.float64)
    return output[:, :, None] * identity - output[:, :, None] * output[:, None, :]


def softmax_backward(output, dvalues):
    """dinputs[i] = J[i] @ dvalues[i] for each sample's Jacobian J[i]."""
    return np.einsum("ijk,ij->ik", softmax_jacobians(output), _f64(dvalues))


class Activation_Softmax:
    def forward(self, inputs):
        self.output = softmax(inputs)

    def backward(self, dvalues):
        self.dinputs = softmax_backward(self.output, dvalues)


class Loss:
    def calculate(self, output, y):
        """The mean of the per-sample losses."""
        return float(np.mean(self.forward(output, y)))


def cross_entropy(y_pred, y_true):
    """Per-sample losses -log(probability of the right class), predictions clipped to [1e-7, 1 - 1e-7]."""
    clipped = np.clip(_f64(y_pred), 1e-7, 1 - 1e-7)
    return -np.log(np.sum(clipped * one_hot(y_true, clipped.shape[1]), axis=1))


def cross_entropy_backward(dvalues, y_true):
    """d mean loss / d predictions = -y_true / dvalues / n_samples (dvalues = the predictions)."""
    dvalues = _f64(dvalues)
    return -one_hot(y_true, dvalues.shape[1]) / dvalues / len(dvalues)


class Loss_CategoricalCrossEntropy(Loss):
    def forward(self, y_pred, y_true):
        return cross_entropy(y_pred, y_true)

    def backward(self, dvalues, y_true):
        self.dinputs = cross_entropy_backward(dvalues, y_true)


def combined_backward(dvalues, y_true):
    """Softmax then cross-entropy, differentiated together: (predictions - one_hot) / n_samples."""
    dvalues = _f64(dvalues)
    return (dvalues - one_hot(y_true, dvalues.shape[1])) / len(dvalues)


class Activation_Softmax_Loss_CategoricalCrossEntropy:
    def __init__(self):
        self.activation = Activation_Softmax()
        self.loss = Loss_CategoricalCrossEntropy()

    def forward(self, inputs, y_true):
        self.activation.forward(inputs)
        self.output = self.activation.output
        return self.loss.calculate(self.output, y_true)

    def backward(self, dvalues, y_true):
        self.dinputs = combined_backward(dvalues, y_true)


class Optimizer_SGD:
    """SGD with optional momentum and learning-rate decay 1 / (1 + decay * iterations)."""

    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        self.learning_rate = learning_rate
        self.current_learning_rate = learning_rate
        self.decay = decay
        self.momentum = momentum
        self.iterations = 0

    def pre_update_params(self):
        self.current_learning_rate = self.learning_rate / (1.0 + self.decay * self.iterations)

    def update_params(self, layer):
        weight_updates = -self.current_learning_rate * _f64(layer.dweights)
        bias_updates = -self.current_learning_rate * _f64(layer.dbiases)
        if self.momentum:
            if not hasattr(layer, "weight_momentums"):
                layer.weight_momentums = np.zeros(np.shape(layer.weights), dtype=np.float64)
                layer.bias_momentums = np.zeros(np.shape(layer.biases), dtype=np.float64)
            weight_updates = weight_updates + self.momentum * layer.weight_momentums
            bias_updates = bias_updates + self.momentum * layer.bias_momentums
            layer.weight_momentums = weight_updates
            layer.bias_momentums = bias_updates
        layer.weights = layer.weights + weight_updates
        layer.biases = layer.biases + bias_updates

    def post_update_params(self):
        self.iterations += 1


def forward_backward(X, y, dense1, activation1, dense2, loss_activation):
    """One forward and one backward pass through dense -> ReLU -> dense -> softmax + loss.

    Returns the mean loss; leaves dweights, dbiases (and dinputs) on every layer.
    """
    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    loss = loss_activation.forward(dense2.output, y)
    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)
    return loss


def accuracy(output, y):
    """Fraction of samples whose most probable class is the right one."""
    return float(np.mean(np.argmax(output, axis=1) == sparse(y)))


def train(X, y, dense1, activation1, dense2, loss_activation, optimizer, epochs):
    """`epochs` full-batch steps; returns (losses, accuracies), each measured before its update."""
    losses = np.zeros(epochs, dtype=np.float64)
    accuracies = np.zeros(epochs, dtype=np.float64)
    for epoch in range(epochs):
        losses[epoch] = forward_backward(X, y, dense1, activation1, dense2, loss_activation)
        accuracies[epoch] = accuracy(loss_activation.output, y)
        optimizer.pre_update_params()
        optimizer.update_params(dense1)
        optimizer.update_params(dense2)
        optimizer.post_update_params()
    return losses, accuracies
