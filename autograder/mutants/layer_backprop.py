"""Chapter 5 mutants: the mistakes students make backpropagating through a layer and a batch.

"mistake" and "costs_later" as in autograder/mutants/single_neuron_backprop.py.
"""


def _fn(signature, body):
    return f"def {signature}:\n" + "".join(f"    {line}\n" for line in body.strip().splitlines())


def _dense(backward):
    """Layer_Dense as given, with `backward` as the student wrote it."""
    return (
        "class Layer_Dense:\n"
        "    def __init__(self, n_inputs, n_neurons):\n"
        "        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)\n"
        "        self.biases = np.zeros((1, n_neurons))\n"
        "    def forward(self, inputs):\n"
        "        self.inputs = inputs\n"
        "        self.output = np.dot(inputs, self.weights) + self.biases\n"
        "    def backward(self, dvalues):\n"
        + "".join(f"        {line}\n" for line in backward.strip().splitlines())
    )


def _relu(backward):
    """Activation_ReLU as given, with `backward` as the student wrote it."""
    return (
        "class Activation_ReLU:\n"
        "    def forward(self, inputs):\n"
        "        self.inputs = inputs\n"
        "        self.output = np.maximum(0, inputs)\n"
        "    def backward(self, dvalues):\n"
        + "".join(f"        {line}\n" for line in backward.strip().splitlines())
    )


_GRADIENTS = "layer_gradients(inputs, weights, biases)"
_TRAIN = "train_layer(inputs, weights, biases, learning_rate, n_iterations)"
_DWEIGHTS = "test_layer_dense_backward_dweights"
_DBIASES = "test_layer_dense_backward_dbiases"
_DINPUTS = "test_layer_dense_backward_dinputs"
_GOOD_DWEIGHTS = "self.dweights = np.dot(self.inputs.T, dvalues)"
_GOOD_DBIASES = "self.dbiases = np.sum(dvalues, axis=0, keepdims=True)"
_GOOD_DINPUTS = "self.dinputs = np.dot(dvalues, self.weights.T)"


def _train(update):
    return _fn(
        _TRAIN,
        f"""
losses = []
for _ in range(n_iterations):
    losses.append(np.sum(np.maximum(0, weights @ inputs + biases)) ** 2)
    dweights, dbiases = layer_gradients(inputs, weights, biases)
{update}
return np.array(losses), weights, biases
""",
    )


# the mutation suite also runs the later exercises' tests with each mutant: their points must
# not change (tests/test_mutants.py, test_one_bug_costs_once)
ONE_BUG_COSTS_ONCE = True

MUTANTS = {
    "layer_gradients": {
        "original_layout": {
            "code": _fn(
                _GRADIENTS,
                """
z = weights @ inputs + biases
dz = 2 * np.sum(np.maximum(0, z)) * (z > 0)
return inputs.reshape(-1, 1) @ dz.reshape(1, -1), dz
""",
            ),
            "diagnosis": "original's",
            "mistake": "transposed_product",
            "costs_later": {
                "test_train_layer": "dweights shaped (n_inputs, n_neurons) cannot update weights: no loop can use them"
            },
        },
        "no_relu_mask": {
            "code": _fn(
                _GRADIENTS,
                """
z = weights @ inputs + biases
dz = 2 * np.sum(np.maximum(0, z)) * np.ones_like(z)
return np.outer(dz, inputs), dz
""",
            ),
            "diagnosis": "leaving out the ReLU derivative",
            "mistake": "missing_relu_mask",
        },
        "boundary_mask": {
            "code": _fn(
                _GRADIENTS,
                """
z = weights @ inputs + biases
dz = 2 * np.sum(np.maximum(0, z)) * (z >= 0)
return np.outer(dz, inputs), dz
""",
            ),
            "diagnosis": "take the ReLU derivative as 1",
            "mistake": "relu_derivative_at_zero",
        },
        "sum_of_z": {
            "code": _fn(
                _GRADIENTS,
                """
z = weights @ inputs + biases
dz = 2 * np.sum(z) * (z > 0)
return np.outer(dz, inputs), dz
""",
            ),
            "diagnosis": r"s = sum\(z\)",
            "mistake": "sum_of_z",
        },
        "no_factor_two": {
            "code": _fn(
                _GRADIENTS,
                """
z = weights @ inputs + biases
dz = np.sum(np.maximum(0, z)) * (z > 0)
return np.outer(dz, inputs), dz
""",
            ),
            "diagnosis": "factor 2",
            "mistake": "lost_factor_2",
        },
        "weights_instead_of_inputs": {
            "code": _fn(
                _GRADIENTS,
                """
z = weights @ inputs + biases
dz = 2 * np.sum(np.maximum(0, z)) * (z > 0)
return dz[:, None] * weights, dz
""",
            ),
            "diagnosis": "not the weight",
            "mistake": "dz_dw_is_weight",
        },
        "dbiases_summed": {
            "code": _fn(
                _GRADIENTS,
                """
z = weights @ inputs + biases
dz = 2 * np.sum(np.maximum(0, z)) * (z > 0)
return np.outer(dz, inputs), np.sum(dz)
""",
            ),
            "diagnosis": r"dbiases has shape \(\)",
            "mistake": "dbiases_summed",
            "costs_later": {
                "test_train_layer": "one number for dbiases cannot update the biases as the loop must"
            },
        },
        "missing_upstream": {
            "code": _fn(
                _GRADIENTS,
                """
z = weights @ inputs + biases
dz = np.where(z > 0, 1.0, 0.0)
return np.outer(dz, inputs), dz
""",
            ),
            "diagnosis": "leaving out the upstream gradient",
            "mistake": "missing_upstream_gradient",
        },
        "sign_flipped": {
            "code": _fn(
                _GRADIENTS,
                """
z = weights @ inputs + biases
dz = -2 * np.sum(np.maximum(0, z)) * (z > 0)
return np.outer(dz, inputs), dz
""",
            ),
            "diagnosis": "wrong sign",
            "mistake": "sign_error",
        },
        # the visible tests' numerical gradients (course.gradcheck), used as the answer
        "numerical": {
            "code": _fn(
                _GRADIENTS,
                """
def loss():
    return float(np.sum(np.maximum(0, weights @ inputs + biases)) ** 2)

return numerical_gradient(loss, weights), numerical_gradient(loss, biases)
""",
            ),
            "diagnosis": "numerically",
            "mistake": "numerical_gradient",
        },
        # right at z == 0, but the last step (dz/dweights) measured one weight at a time
        "numerical_dz_dweights": {
            "code": _fn(
                _GRADIENTS,
                """
z = weights @ inputs + biases
dz = 2 * np.sum(np.maximum(0, z)) * (z > 0)
dweights = numerical_gradient(lambda: float(dz @ (weights @ inputs + biases)), weights)
return dweights, dz
""",
            ),
            "diagnosis": "one forward pass",
        },
    },
    "train_layer": {
        "gradient_ascent": {
            "code": _train(
                "    weights = weights + learning_rate * dweights\n"
                "    biases = biases + learning_rate * dbiases"
            ),
            "diagnosis": "stepping along the gradient",
            "mistake": "sign_error_update",
        },
        "in_place_update": {
            "code": _train(
                "    weights -= learning_rate * dweights\n    biases -= learning_rate * dbiases"
            ),
            "diagnosis": "in place",
            "mistake": "in_place",
        },
        "original_without_transpose": {
            "code": _fn(
                _TRAIN,
                """
losses = []
for _ in range(n_iterations):
    z = weights @ inputs + biases
    losses.append(np.sum(np.maximum(0, z)) ** 2)
    dz = 2 * np.sum(np.maximum(0, z)) * (z > 0)
    weights = weights - learning_rate * (inputs.reshape(-1, 1) @ dz.reshape(1, -1))
    biases = biases - learning_rate * dz
return np.array(losses), weights, biases
""",
            ),
            "diagnosis": r"needs \.T",
        },
        "biases_frozen": {
            "code": _train("    weights = weights - learning_rate * dweights"),
            "diagnosis": "never updates the biases",
            "mistake": "bias_not_updated",
        },
        "loss_after_update": {
            "code": _fn(
                _TRAIN,
                """
losses = []
for _ in range(n_iterations):
    dweights, dbiases = layer_gradients(inputs, weights, biases)
    weights = weights - learning_rate * dweights
    biases = biases - learning_rate * dbiases
    losses.append(np.sum(np.maximum(0, weights @ inputs + biases)) ** 2)
return np.array(losses), weights, biases
""",
            ),
            "diagnosis": "after its update",
            "mistake": "loss_after_update",
        },
        "every_twentieth_loss": {
            "code": _fn(
                _TRAIN,
                """
losses = []
for iteration in range(n_iterations):
    if iteration % 20 == 0:
        losses.append(np.sum(np.maximum(0, weights @ inputs + biases)) ** 2)
    dweights, dbiases = layer_gradients(inputs, weights, biases)
    weights = weights - learning_rate * dweights
    biases = biases - learning_rate * dbiases
return np.array(losses), weights, biases
""",
            ),
            "diagnosis": "has shape",
        },
    },
    "layer_dense": {
        "dweights_transposed": {
            "code": _dense(
                f"self.dweights = np.dot(dvalues.T, self.inputs)\n{_GOOD_DBIASES}\n{_GOOD_DINPUTS}"
            ),
            "diagnosis": "dweights may be transposed",
            "mistake": "transposed_product",
            "fails": [_DWEIGHTS],
        },
        "dweights_from_output": {
            "code": _dense(
                f"self.dweights = np.dot(self.output.T, dvalues)\n{_GOOD_DBIASES}\n{_GOOD_DINPUTS}"
            ),
            "diagnosis": "output in place of its inputs",
            "mistake": "dweights_from_output",
            "fails": [_DWEIGHTS],
        },
        "dweights_averaged": {
            "code": _dense(
                "self.dweights = np.dot(self.inputs.T, dvalues) / len(dvalues)\n"
                f"{_GOOD_DBIASES}\n{_GOOD_DINPUTS}"
            ),
            "diagnosis": "the loss's gradient sums",
            "mistake": "averaged_not_summed",
            "fails": [_DWEIGHTS],
        },
        "dbiases_no_keepdims": {
            "code": _dense(
                f"{_GOOD_DWEIGHTS}\nself.dbiases = np.sum(dvalues, axis=0)\n{_GOOD_DINPUTS}"
            ),
            "diagnosis": "keepdims=True may be missing",
            "mistake": "dbiases_no_keepdims",
            "fails": [_DBIASES],
        },
        "dbiases_wrong_axis": {
            "code": _dense(
                f"{_GOOD_DWEIGHTS}\nself.dbiases = np.sum(dvalues, axis=1, keepdims=True)\n"
                f"{_GOOD_DINPUTS}"
            ),
            "diagnosis": "wrong axis",
            "mistake": "dbiases_wrong_axis",
            "fails": [_DBIASES],
        },
        "dbiases_not_summed": {
            "code": _dense(f"{_GOOD_DWEIGHTS}\nself.dbiases = dvalues\n{_GOOD_DINPUTS}"),
            "diagnosis": "may not be summed",
            "mistake": "dbiases_not_summed",
            "fails": [_DBIASES],
        },
        "dbiases_total": {
            "code": _dense(f"{_GOOD_DWEIGHTS}\nself.dbiases = np.sum(dvalues)\n{_GOOD_DINPUTS}"),
            "diagnosis": "every entry",
            "mistake": "dbiases_summed",
            "fails": [_DBIASES],
        },
        "dinputs_untransposed_weights": {
            "code": _dense(
                f"{_GOOD_DWEIGHTS}\n{_GOOD_DBIASES}\nself.dinputs = np.dot(dvalues, self.weights)"
            ),
            "diagnosis": "do not line up",
            # backward crashes on its last line, after setting dweights and dbiases: one bug
            # costs once, in the dinputs test
            "fails": [_DINPUTS],
        },
        "dinputs_transposed": {
            "code": _dense(
                f"{_GOOD_DWEIGHTS}\n{_GOOD_DBIASES}\nself.dinputs = np.dot(self.weights, dvalues.T)"
            ),
            "diagnosis": "dinputs transposed",
            "mistake": "dinputs_transposed",
            "fails": [_DINPUTS],
        },
        # the loss's gradient was already averaged: dividing here again divides twice
        "dinputs_divided": {
            "code": _dense(
                f"{_GOOD_DWEIGHTS}\n{_GOOD_DBIASES}\n"
                "self.dinputs = np.dot(dvalues, self.weights.T) / len(dvalues)"
            ),
            "diagnosis": "divides twice",
            "mistake": "divided_by_n_twice",
            "fails": [_DINPUTS],
        },
        "no_dinputs": {
            "code": _dense(f"{_GOOD_DWEIGHTS}\n{_GOOD_DBIASES}"),
            "diagnosis": "must set self.dinputs",
            "fails": [_DINPUTS],
        },
        # the visible tests' numerical gradients, used as the answer: right, and far too slow
        "numerical": {
            "code": _dense(
                """
def loss():
    return float(np.sum(dvalues * (self.inputs @ self.weights + self.biases)))

self.dweights = numerical_gradient(loss, self.weights)
self.dbiases = numerical_gradient(loss, self.biases)
self.dinputs = numerical_gradient(loss, self.inputs)
"""
            ),
            "diagnosis": "one forward pass",
        },
    },
    "activation_relu": {
        "in_place": {
            "code": _relu("dvalues[self.inputs <= 0] = 0\nself.dinputs = dvalues"),
            "diagnosis": "in place",
            "mistake": "in_place",
        },
        "boundary": {
            "code": _relu("self.dinputs = dvalues.copy()\nself.dinputs[self.inputs < 0] = 0"),
            "diagnosis": "pass dvalues through",
            "mistake": "relu_derivative_at_zero",
        },
        "mask_from_dvalues": {
            "code": _relu("self.dinputs = np.maximum(0, dvalues)"),
            "diagnosis": "sign of dvalues",
            "mistake": "mask_wrong_place",
        },
        "derivative_only": {
            "code": _relu("self.dinputs = np.where(self.inputs > 0, 1.0, 0.0)"),
            "diagnosis": "ReLU derivative alone",
            "mistake": "missing_upstream_gradient",
        },
        "times_inputs": {
            "code": _relu("self.dinputs = dvalues * self.output"),
            "diagnosis": "not the input",
            "mistake": "times_inputs",
        },
        "returns_instead": {
            "code": _relu("return dvalues * (self.inputs > 0)"),
            "diagnosis": "must set self.dinputs",
        },
        "numerical": {
            "code": _relu(
                """
inputs = np.array(self.inputs, dtype=np.float64)
self.dinputs = numerical_gradient(
    lambda: float(np.sum(dvalues * np.maximum(0, inputs))), inputs
)
"""
            ),
            "diagnosis": "numerically",
            "mistake": "numerical_gradient",
        },
    },
}

CORRECT = {
    "layer_gradients": {
        "original_transposed": _fn(
            _GRADIENTS,
            """
z = np.dot(weights, inputs) + biases
dz = 2 * np.sum(np.maximum(0, z)) * np.where(z > 0, 1, 0)
return (inputs.reshape(-1, 1) @ dz.reshape(1, -1)).T, dz
""",
        ),
        "loops": _fn(
            _GRADIENTS,
            """
n_neurons, n_inputs = weights.shape
z = [sum(weights[j, k] * inputs[k] for k in range(n_inputs)) + biases[j] for j in range(n_neurons)]
total = sum(max(value, 0.0) for value in z)
dweights = np.zeros((n_neurons, n_inputs))
dbiases = np.zeros(n_neurons)
for j in range(n_neurons):
    if z[j] > 0:
        dbiases[j] = 2 * total
        for k in range(n_inputs):
            dweights[j, k] = 2 * total * inputs[k]
return dweights, dbiases
""",
        ),
    },
    "train_layer": {
        "original_loop": _fn(
            _TRAIN,
            """
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
""",
        ),
        "copies_first": _fn(
            _TRAIN,
            """
weights, biases = weights.copy(), biases.copy()
losses = []
for _ in range(n_iterations):
    losses.append(float(np.sum(np.maximum(0, weights @ inputs + biases)) ** 2))
    dweights, dbiases = layer_gradients(inputs, weights, biases)
    weights -= learning_rate * dweights
    biases -= learning_rate * dbiases
return losses, weights, biases
""",
        ),
    },
    "layer_dense": {
        "matmul": _dense(
            "self.dweights = self.inputs.T @ dvalues\n"
            "self.dbiases = dvalues.sum(axis=0, keepdims=True)\n"
            "self.dinputs = dvalues @ self.weights.T"
        ),
        "einsum_float32": _dense(
            "dvalues = dvalues.astype(np.float32)\n"
            "self.dweights = np.einsum('si,sn->in', self.inputs, dvalues)\n"
            "self.dbiases = dvalues.sum(axis=0).reshape(1, -1)\n"
            "self.dinputs = np.einsum('sn,in->si', dvalues, self.weights)"
        ),
        "sum_of_outer_products": _dense(
            "self.dweights = sum(np.outer(x, d) for x, d in zip(self.inputs, dvalues))\n"
            "self.dbiases = np.sum(dvalues, axis=0)[np.newaxis, :]\n"
            "self.dinputs = (self.weights @ dvalues.T).T"
        ),
    },
    "activation_relu": {
        "where": _relu("self.dinputs = np.where(self.inputs > 0, dvalues, 0.0)"),
        "mask_from_output": _relu("self.dinputs = dvalues * (self.output > 0)"),
        "copy_then_mask": _relu(
            "self.dinputs = np.array(dvalues, copy=True)\nself.dinputs[self.inputs <= 0] = 0.0"
        ),
    },
}

BUGGY_EXAMPLE = {
    "layer_dense": "dbiases_no_keepdims",
    "activation_relu": "in_place",
}
