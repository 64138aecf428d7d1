"""Chapter 1 mutants: the mistakes students make writing dense layers.

Written with autograder/mutant.py: small mistakes are edits of the notebook's solution cell,
other ways of writing an exercise are real functions and classes.
"""

import numpy as np

from autograder.mutant import Catalogue

catalogue = Catalogue(__name__)

# -- neuron_output: return np.dot(inputs, weights) + bias

catalogue.edit(
    "neuron_output",
    "no_bias",
    ("np.dot(inputs, weights) + bias", "np.dot(inputs, weights)"),
    diagnosis="bias is not added",
)
catalogue.edit(
    "neuron_output",
    "elementwise_no_sum",
    ("np.dot(inputs, weights) + bias", "inputs * weights + bias"),
    diagnosis="should return one number",
)
catalogue.edit(
    "neuron_output",
    "bias_per_product",
    ("np.dot(inputs, weights) + bias", "np.sum(inputs * weights + bias)"),
    diagnosis="bias is added to every product",
)
catalogue.edit(
    "neuron_output",
    "hardcoded_example",
    ("np.dot(inputs, weights) + bias", "4.8"),
    diagnosis="neuron_output is wrong",
)


@catalogue.mutant("neuron_output", diagnosis="neuron_output is wrong")
def off_by_one_loop(inputs, weights, bias):
    total = bias
    for i in range(len(inputs) - 1):
        total += inputs[i] * weights[i]
    return total


# strict=False is the plain zip a student writes (ruff's B905 wants it said)
@catalogue.correct("neuron_output")
def loop(inputs, weights, bias):
    total = 0.0
    for x, w in zip(inputs, weights, strict=False):
        total += x * w
    return total + bias


@catalogue.correct("neuron_output")
def matmul_float32(inputs, weights, bias):
    return np.float32(inputs.astype(np.float32) @ weights.astype(np.float32) + bias)


# -- layer_output: return np.dot(weights, inputs) + biases

catalogue.edit("layer_output", "no_bias", (" + biases", ""), diagnosis="biases are not added")
catalogue.edit(
    "layer_output",
    "wrong_side",
    ("np.dot(weights, inputs)", "np.dot(inputs, weights)"),
    diagnosis="transposed|do not line up",
)
catalogue.edit(
    "layer_output",
    "transposed_weights",
    ("np.dot(weights, inputs)", "np.dot(weights.T, inputs)"),
    diagnosis="transposed|do not line up",
)
catalogue.edit(
    "layer_output",
    "sum_of_biases",
    ("+ biases", "+ np.sum(biases)"),
    diagnosis="layer_output is wrong",
)
catalogue.edit(
    "layer_output",
    "hardcoded_example",
    ("np.dot(weights, inputs) + biases", "np.array([4.8, 1.21, 2.385])"),
    diagnosis="layer_output is wrong",
)
catalogue.edit(
    "layer_output",
    "first_neuron_only",
    ("np.dot(weights, inputs) + biases", "np.array([np.dot(weights[0], inputs) + biases[0]])"),
    diagnosis=r"shape \(1,\)",
)


@catalogue.correct("layer_output")
def loop_over_neurons(inputs, weights, biases):
    return np.array([np.dot(w, inputs) + b for w, b in zip(weights, biases, strict=False)])


@catalogue.correct("layer_output", name="matmul")
def layer_matmul(inputs, weights, biases):
    return weights @ inputs + biases


# -- batch_output: return np.dot(inputs, weights) + biases

catalogue.edit("batch_output", "no_bias", (" + biases", ""), diagnosis="biases are not added")
catalogue.edit(
    "batch_output",
    "transposed_weights",
    ("np.dot(inputs, weights)", "np.dot(inputs, weights.T)"),
    diagnosis="transposed|do not line up",
)
catalogue.edit(
    "batch_output",
    "transposed_result",
    ("np.dot(inputs, weights) + biases", "(np.dot(inputs, weights) + biases).T"),
    diagnosis="result is transposed",
)
catalogue.edit(
    "batch_output",
    "biases_transposed",
    ("+ biases", "+ biases.T"),
    diagnosis="do not line up|as a column",
)
catalogue.edit(
    "batch_output",
    "first_sample_only",
    ("np.dot(inputs, weights)", "np.dot(inputs[0], weights)"),
    diagnosis="batch_output is wrong",
)
catalogue.edit(
    "batch_output",
    "elementwise",
    ("np.dot(inputs, weights) + biases", "inputs * weights.sum(axis=1) + biases.sum()"),
    diagnosis="batch_output",
)


@catalogue.correct("batch_output", name="matmul")
def batch_matmul(inputs, weights, biases):
    return inputs @ weights + biases


@catalogue.correct("batch_output")
def double_transpose(inputs, weights, biases):
    return np.dot(weights.T, inputs.T).T + biases


# -- layer_dense: weights 0.01 * randn(n_inputs, n_neurons), biases zeros((1, n_neurons)),
# forward sets self.output = np.dot(inputs, self.weights) + self.biases

WEIGHTS_TRANSPOSED = ("randn(n_inputs, n_neurons)", "randn(n_neurons, n_inputs)")
catalogue.edit(
    "layer_dense",
    "weights_transposed",
    WEIGHTS_TRANSPOSED,
    ("self.weights) +", "self.weights.T) +"),
    diagnosis="transposed",
    fails=["test_layer_dense_init"],
    # forward is right for the layout its own __init__ made: one bug costs once
    keeps={"test_layer_dense_forward": r"__init__ makes.*test_layer_dense_init"},
)
catalogue.edit(
    "layer_dense",
    "weights_transposed_in_init_only",
    WEIGHTS_TRANSPOSED,
    diagnosis="transposed",
    fails=["test_layer_dense_init"],
    keeps={"test_layer_dense_forward": ""},
)
catalogue.edit(
    "layer_dense",
    "randn_given_a_tuple",
    ("randn(n_inputs, n_neurons)", "randn((n_inputs, n_neurons))"),
    diagnosis=r"forward could not be tested: creating a layer failed",
)
catalogue.edit(
    "layer_dense",
    "flat_biases",
    ("np.zeros((1, n_neurons))", "np.zeros(n_neurons)"),
    diagnosis="biases has shape",
    fails=["test_layer_dense_init"],
)
catalogue.edit(
    "layer_dense",
    "unscaled_weights",
    ("0.01 * np.random", "np.random"),
    diagnosis="standard deviation",
    fails=["test_layer_dense_init"],
)
catalogue.edit(
    "layer_dense",
    "forward_returns",
    ("self.output = ", "return "),
    diagnosis="self.output",
    fails=["test_layer_dense_forward"],
)
catalogue.edit(
    "layer_dense",
    "forward_no_bias",
    (" + self.biases", ""),
    diagnosis="biases are not added",
    fails=["test_layer_dense_forward"],
)
catalogue.edit(
    "layer_dense",
    "uniform_weights",
    ("np.random.randn", "np.random.rand"),
    diagnosis="standard deviation",
    fails=["test_layer_dense_init"],
)


@catalogue.correct("layer_dense")
class normal:
    def __init__(self, n_inputs, n_neurons):
        self.weights = np.random.normal(0.0, 0.01, size=(n_inputs, n_neurons))
        self.biases = np.zeros(shape=(1, n_neurons))

    def forward(self, inputs):
        self.output = inputs @ self.weights + self.biases


@catalogue.correct("layer_dense")
class float32_einsum:
    def __init__(self, n_inputs, n_neurons):
        self.weights = (0.01 * np.random.randn(n_inputs, n_neurons)).astype(np.float32)
        self.biases = np.zeros((1, n_neurons), dtype=np.float32)

    def forward(self, inputs):
        self.output = np.einsum("si,in->sn", inputs, self.weights) + self.biases


MUTANTS, CORRECT = catalogue.MUTANTS, catalogue.CORRECT

BUGGY_EXAMPLE = {
    "batch_output": "transposed_weights",
    "layer_dense": "flat_biases",
}
