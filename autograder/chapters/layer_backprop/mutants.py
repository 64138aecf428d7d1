"""Chapter 5 mutants: the mistakes students make backpropagating through a layer and a batch.

"mistake" and "costs_later" as in autograder/chapters/single_neuron_backprop/mutants.py; how
they are written (edits of the solution cell, or functions): autograder/mutant.py. A function
for Layer_Dense is the body of its backward(self, dvalues): the given __init__ and forward stay
the notebook's. Activation_ReLU.backward, layer_dinputs and numerical_dweights are in
mutants_relu_fork_gradcheck.py (one module would be too long).
"""

import numpy as np

# layer_gradients and numerical_gradient: names the functions below use from an earlier
# exercise and from the notebook's imports, imported so that ruff checks them; when a variant
# runs, they are the notebook's own.
from autograder.chapters.layer_backprop import mutants_relu_fork_gradcheck
from autograder.chapters.layer_backprop.reference import layer_gradients
from autograder.mutant import Catalogue
from course.gradcheck import numerical_gradient

_DWEIGHTS = "test_layer_dense_backward_dweights"
_DBIASES = "test_layer_dense_backward_dbiases"
_DINPUTS = "test_layer_dense_backward_dinputs"

# the mutation suite also runs the later exercises' tests with each mutant: their points must
# not change (tests/chapters/test_mutants.py, test_one_bug_costs_once)
ONE_BUG_COSTS_ONCE = True

# The exercises are written in this order, not the notebook's, and those of mutants_relu_fork_gradcheck.py
# come after them: the order of the mutants is the order of course/known_mistakes.py's entries.
catalogue = Catalogue(__name__)

# layer_gradients: z = weights @ inputs + biases, total = sum(ReLU(z)),
# dloss_dz = 2 * total * np.where(z > 0, 1.0, 0.0), dweights = np.outer(dloss_dz, inputs)

catalogue.edit(
    "layer_gradients",
    "original_layout",
    ("np.outer(dloss_dz, inputs)", "inputs.reshape(-1, 1) @ dloss_dz.reshape(1, -1)"),
    diagnosis="original's",
    mistake="transposed_product",
    costs_later={
        "test_train_layer": "dweights shaped (n_inputs, n_neurons) cannot update weights: no "
        "loop can use them"
    },
)
catalogue.edit(
    "layer_gradients",
    "no_relu_mask",
    ("np.where(z > 0, 1.0, 0.0)", "np.ones_like(z)"),
    diagnosis="leaving out the ReLU derivative",
    mistake="missing_relu_mask",
)
catalogue.edit(
    "layer_gradients",
    "boundary_mask",
    ("np.where(z > 0", "np.where(z >= 0"),
    diagnosis="take the ReLU derivative as 1",
    mistake="relu_derivative_at_zero",
)
catalogue.edit(
    "layer_gradients",
    "sum_of_z",
    ("np.sum(np.maximum(0, z))", "np.sum(z)"),
    diagnosis=r"s = sum\(z\)",
    mistake="sum_of_z",
)
catalogue.edit(
    "layer_gradients",
    "no_factor_two",
    ("2 * total", "total"),
    diagnosis="factor 2",
    mistake="lost_factor_2",
)
catalogue.edit(
    "layer_gradients",
    "weights_instead_of_inputs",
    ("np.outer(dloss_dz, inputs)", "dloss_dz[:, None] * weights"),
    diagnosis="not the weight",
    mistake="dz_dw_is_weight",
)
catalogue.edit(
    "layer_gradients",
    "dbiases_summed",
    ("dbiases = dloss_dz", "dbiases = np.sum(dloss_dz)"),
    diagnosis=r"dbiases has shape \(\)",
    mistake="dbiases_summed",
    costs_later={
        "test_train_layer": "one number for dbiases cannot update the biases as the loop must"
    },
)
catalogue.edit(
    "layer_gradients",
    "missing_upstream",
    ("2 * total * ", ""),
    diagnosis="leaving out the upstream gradient",
    mistake="missing_upstream_gradient",
)
catalogue.edit(
    "layer_gradients",
    "sign_flipped",
    ("2 * total", "-2 * total"),
    diagnosis="wrong sign",
    mistake="sign_error",
)


# the visible tests' numerical gradients (course.gradcheck), used as the answer
@catalogue.mutant(
    "layer_gradients", name="numerical", diagnosis="numerically", mistake="numerical_gradient"
)
def numerical_layer_gradients(inputs, weights, biases):
    def loss():
        return float(np.sum(np.maximum(0, weights @ inputs + biases)) ** 2)

    return numerical_gradient(loss, weights), numerical_gradient(loss, biases)


# right at z == 0, but the last step (dz/dweights) measured one weight at a time
catalogue.edit(
    "layer_gradients",
    "numerical_dz_dweights",
    (
        "np.outer(dloss_dz, inputs)",
        "numerical_gradient(lambda: float(dloss_dz @ (weights @ inputs + biases)), weights)",
    ),
    diagnosis="one forward pass",
)

# train_layer: each iteration appends the loss total**2, then steps weights and biases against
# layer_gradients

catalogue.edit(
    "train_layer",
    "gradient_ascent",
    ("weights - learning_rate", "weights + learning_rate"),
    ("biases - learning_rate", "biases + learning_rate"),
    diagnosis="stepping along the gradient",
    mistake="sign_error_update",
)
catalogue.edit(
    "train_layer",
    "in_place_update",
    ("weights = weights - learning_rate", "weights -= learning_rate"),
    ("biases = biases - learning_rate", "biases -= learning_rate"),
    diagnosis="in place",
    mistake="in_place",
)
# the original's dweights layout, (n_inputs, n_neurons), used without transposing it back
catalogue.edit(
    "train_layer",
    "original_without_transpose",
    ("learning_rate * dweights", "learning_rate * dweights.T"),
    diagnosis=r"needs \.T",
)
catalogue.edit(
    "train_layer",
    "biases_frozen",
    ("biases = biases - learning_rate * dbiases", ""),
    diagnosis="never updates the biases",
    mistake="bias_not_updated",
)
# the two lines that measure the loss, moved below the update
_MEASURE = (
    "        total = np.sum(np.maximum(0, weights @ inputs + biases))\n"
    "        losses.append(total**2)\n"
)
catalogue.edit(
    "train_layer",
    "loss_after_update",
    (_MEASURE, ""),
    ("* dbiases\n", "* dbiases\n" + _MEASURE),
    diagnosis="after its update",
    mistake="loss_after_update",
)
# the original's loop, which records the loss every 20th iteration
catalogue.edit(
    "train_layer",
    "every_twentieth_loss",
    ("np.array(losses)", "np.array(losses[::20])"),
    diagnosis="has shape",
)

# Layer_Dense.backward: self.dweights = np.dot(self.inputs.T, dvalues),
# self.dbiases = np.sum(dvalues, axis=0, keepdims=True), self.dinputs = np.dot(dvalues,
# self.weights.T)

catalogue.edit(
    "layer_dense",
    "dweights_transposed",
    ("np.dot(self.inputs.T, dvalues)", "np.dot(dvalues.T, self.inputs)"),
    diagnosis="dweights may be transposed",
    mistake="transposed_product",
    fails=[_DWEIGHTS],
)
catalogue.edit(
    "layer_dense",
    "dweights_from_output",
    ("np.dot(self.inputs.T, dvalues)", "np.dot(self.output.T, dvalues)"),
    diagnosis="output in place of its inputs",
    mistake="dweights_from_output",
    fails=[_DWEIGHTS],
)
catalogue.edit(
    "layer_dense",
    "dweights_averaged",
    ("np.dot(self.inputs.T, dvalues)", "np.dot(self.inputs.T, dvalues) / len(dvalues)"),
    diagnosis="the loss's gradient sums",
    mistake="averaged_not_summed",
    fails=[_DWEIGHTS],
)
catalogue.edit(
    "layer_dense",
    "dbiases_no_keepdims",
    (", keepdims=True", ""),
    diagnosis="keepdims=True may be missing",
    mistake="dbiases_no_keepdims",
    fails=[_DBIASES],
)
catalogue.edit(
    "layer_dense",
    "dbiases_wrong_axis",
    ("axis=0, keepdims=True", "axis=1, keepdims=True"),
    diagnosis="wrong axis",
    mistake="dbiases_wrong_axis",
    fails=[_DBIASES],
)
catalogue.edit(
    "layer_dense",
    "dbiases_not_summed",
    ("np.sum(dvalues, axis=0, keepdims=True)", "dvalues"),
    diagnosis="may not be summed",
    mistake="dbiases_not_summed",
    fails=[_DBIASES],
)
catalogue.edit(
    "layer_dense",
    "dbiases_total",
    ("np.sum(dvalues, axis=0, keepdims=True)", "np.sum(dvalues)"),
    diagnosis="every entry",
    mistake="dbiases_summed",
    fails=[_DBIASES],
)
catalogue.edit(
    "layer_dense",
    "dinputs_untransposed_weights",
    ("self.weights.T", "self.weights"),
    diagnosis="do not line up",
    # backward crashes on its last line, after setting dweights and dbiases: one bug costs
    # once, in the dinputs test
    fails=[_DINPUTS],
)
catalogue.edit(
    "layer_dense",
    "dinputs_transposed",
    ("np.dot(dvalues, self.weights.T)", "np.dot(self.weights, dvalues.T)"),
    diagnosis="dinputs transposed",
    mistake="dinputs_transposed",
    fails=[_DINPUTS],
)
# the loss's gradient was already averaged: dividing here again divides twice
catalogue.edit(
    "layer_dense",
    "dinputs_divided",
    ("np.dot(dvalues, self.weights.T)", "np.dot(dvalues, self.weights.T) / len(dvalues)"),
    diagnosis="divides twice",
    mistake="divided_by_n_twice",
    fails=[_DINPUTS],
)
catalogue.edit(
    "layer_dense",
    "no_dinputs",
    ("self.dinputs = np.dot(dvalues, self.weights.T)", ""),
    diagnosis="must set self.dinputs",
    fails=[_DINPUTS],
)


# the visible tests' numerical gradients, used as the answer: right, and far too slow
@catalogue.mutant("layer_dense", name="numerical", diagnosis="one forward pass")
def numerical_dense_backward(self, dvalues):
    def loss():
        return float(np.sum(dvalues * (self.inputs @ self.weights + self.biases)))

    self.dweights = numerical_gradient(loss, self.weights)
    self.dbiases = numerical_gradient(loss, self.biases)
    self.dinputs = numerical_gradient(loss, self.inputs)


@catalogue.correct("layer_gradients")
def original_transposed(inputs, weights, biases):
    z = np.dot(weights, inputs) + biases
    dz = 2 * np.sum(np.maximum(0, z)) * np.where(z > 0, 1, 0)
    return (inputs.reshape(-1, 1) @ dz.reshape(1, -1)).T, dz


@catalogue.correct("layer_gradients")
def loops(inputs, weights, biases):
    n_neurons, n_inputs = weights.shape
    z = [
        sum(weights[j, k] * inputs[k] for k in range(n_inputs)) + biases[j]
        for j in range(n_neurons)
    ]
    total = sum(max(value, 0.0) for value in z)
    dweights = np.zeros((n_neurons, n_inputs))
    dbiases = np.zeros(n_neurons)
    for j in range(n_neurons):
        if z[j] > 0:
            dbiases[j] = 2 * total
            for k in range(n_inputs):
                dweights[j, k] = 2 * total * inputs[k]
    return dweights, dbiases


@catalogue.correct("train_layer")
def original_loop(inputs, weights, biases, learning_rate, n_iterations):
    losses = np.zeros(n_iterations)
    for iteration in range(n_iterations):
        neuron_outputs = np.dot(weights, inputs) + biases
        final_output = np.sum(np.maximum(0, neuron_outputs))
        losses[iteration] = final_output**2
        dz = 2 * final_output * np.where(neuron_outputs > 0, 1, 0)
        dL_dW = inputs.reshape(-1, 1) @ dz.reshape(1, -1)
        weights = weights - learning_rate * dL_dW.T
        biases = biases - learning_rate * dz
    return losses, weights, biases


@catalogue.correct("train_layer")
def copies_first(inputs, weights, biases, learning_rate, n_iterations):
    weights, biases = weights.copy(), biases.copy()
    losses = []
    for _ in range(n_iterations):
        losses.append(float(np.sum(np.maximum(0, weights @ inputs + biases)) ** 2))
        dweights, dbiases = layer_gradients(inputs, weights, biases)
        weights -= learning_rate * dweights
        biases -= learning_rate * dbiases
    return losses, weights, biases


@catalogue.correct("layer_dense")
def matmul(self, dvalues):
    self.dweights = self.inputs.T @ dvalues
    self.dbiases = dvalues.sum(axis=0, keepdims=True)
    self.dinputs = dvalues @ self.weights.T


@catalogue.correct("layer_dense")
def einsum_float32(self, dvalues):
    dvalues = dvalues.astype(np.float32)
    self.dweights = np.einsum("si,sn->in", self.inputs, dvalues)
    self.dbiases = dvalues.sum(axis=0).reshape(1, -1)
    self.dinputs = np.einsum("sn,in->si", dvalues, self.weights)


# strict=False is the plain zip a student writes (ruff's B905 wants it said)
@catalogue.correct("layer_dense")
def sum_of_outer_products(self, dvalues):
    self.dweights = sum(np.outer(x, d) for x, d in zip(self.inputs, dvalues, strict=False))
    self.dbiases = np.sum(dvalues, axis=0)[np.newaxis, :]
    self.dinputs = (self.weights @ dvalues.T).T


MUTANTS = {**catalogue.MUTANTS, **mutants_relu_fork_gradcheck.catalogue.MUTANTS}
CORRECT = {**catalogue.CORRECT, **mutants_relu_fork_gradcheck.catalogue.CORRECT}

BUGGY_EXAMPLE = {
    "layer_dense": "dbiases_no_keepdims",
    "activation_relu": "in_place",
}
