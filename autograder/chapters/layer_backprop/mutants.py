"""Chapter 5 mutants: the mistakes students make backpropagating through a layer and a batch.

"mistake" and "costs_later" as in autograder/chapters/single_neuron_backprop/mutants.py.
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


# The sum rule at a fork (layer_dinputs) and the student's own gradient check
# (numerical_dweights)

_DINPUTS_FN = "layer_dinputs(inputs, weights, biases)"
_DLOSS_DZ = (
    "z = weights @ inputs + biases\n"
    "dloss_dz = 2 * np.sum(np.maximum(0, z)) * np.where(z > 0, 1.0, 0.0)\n"
)


def _dinputs(body):
    return _fn(_DINPUTS_FN, _DLOSS_DZ + body.strip())


MUTANTS["layer_dinputs"] = {
    "one_row_per_neuron": {
        "code": _dinputs("return dloss_dz[:, None] * weights"),
        "diagnosis": "one row per neuron",
    },
    "last_path_overwrites": {
        "code": _dinputs(
            """
dinputs = np.zeros(weights.shape[1])
for j in range(weights.shape[0]):
    dinputs = dloss_dz[j] * weights[j]
return dinputs
"""
        ),
        "diagnosis": "overwrite each other",
    },
    "first_neuron_only": {
        "code": _dinputs("return dloss_dz[0] * weights[0]"),
        "diagnosis": "only the first neuron",
    },
    "averaged_paths": {
        "code": _dinputs("return np.mean(dloss_dz[:, None] * weights, axis=0)"),
        "diagnosis": "averaged over the neurons",
    },
    "wrong_axis": {
        "code": _dinputs("return np.sum(dloss_dz[:, None] * weights, axis=1)"),
        "diagnosis": "wrong axis",
    },
    "not_transposed": {
        "code": _dinputs("return weights @ dloss_dz"),
        "diagnosis": "do not line up|not transposed",
    },
    "no_relu_mask": {
        "code": _fn(
            _DINPUTS_FN,
            """
z = weights @ inputs + biases
return weights.T @ (2 * np.sum(np.maximum(0, z)) * np.ones_like(z))
""",
        ),
        "diagnosis": "leaving out the ReLU derivative",
        "mistake": "missing_relu_mask",
    },
    "no_dloss_dz": {
        "code": _fn(_DINPUTS_FN, "return np.sum(weights, axis=0)"),
        "diagnosis": "dL/dz is missing",
    },
    "numerical": {
        "code": _fn(
            _DINPUTS_FN,
            """
x = np.array(inputs, dtype=np.float64)
return numerical_gradient(lambda: float(np.sum(np.maximum(0, weights @ x + biases)) ** 2), x)
""",
        ),
        "diagnosis": "numerically|one forward pass",
    },
    # right at z == 0 (dL/dz by the chain rule), but the last step measured one input at a time
    "numerical_dz_dinputs": {
        "code": _dinputs(
            """
x = np.array(inputs, dtype=np.float64)
return numerical_gradient(lambda: float(dloss_dz @ (weights @ x + biases)), x)
"""
        ),
        "diagnosis": "one forward pass",
    },
}

CORRECT["layer_dinputs"] = {
    "row_times_matrix": _dinputs("return dloss_dz @ weights"),
    "loops_adding_paths": _dinputs(
        """
dinputs = np.zeros(len(inputs), dtype=np.float64)
for j in range(len(dloss_dz)):
    dinputs += dloss_dz[j] * weights[j]
return dinputs
"""
    ),
}

_CHECK_FN = "numerical_dweights(loss, weights, h=1e-5)"


def _check(step):
    """A centred-difference loop over the entries of a copy, the middle steps as written."""
    return _fn(
        _CHECK_FN,
        "moved = weights.astype(np.float64)\n"
        "dweights = np.zeros_like(moved)\n"
        "for index in np.ndindex(moved.shape):\n"
        + "".join(f"    {line}\n" for line in step.strip().splitlines())
        + "return dweights",
    )


MUTANTS["numerical_dweights"] = {
    "one_sided": {
        "code": _check(
            """
original = moved[index]
base = loss(moved)
moved[index] = original + h
dweights[index] = (loss(moved) - base) / h
moved[index] = original
"""
        ),
        "diagnosis": "one-sided",
    },
    "divided_by_h": {
        "code": _check(
            """
original = moved[index]
moved[index] = original + h
plus = loss(moved)
moved[index] = original - h
dweights[index] = (plus - loss(moved)) / h
moved[index] = original
"""
        ),
        "diagnosis": "instead of 2h",
    },
    "not_restored": {
        "code": _check(
            """
moved[index] += h
plus = loss(moved)
moved[index] -= 2 * h
dweights[index] = (plus - loss(moved)) / (2 * h)
"""
        ),
        "diagnosis": "put it back",
    },
    "second_point_at_w": {
        "code": _check(
            """
moved[index] += h
plus = loss(moved)
moved[index] -= h
dweights[index] = (plus - loss(moved)) / (2 * h)
"""
        ),
        "diagnosis": "subtract 2h",
    },
    "fixed_step": {
        "code": _check(
            """
original = moved[index]
moved[index] = original + 1e-5
plus = loss(moved)
moved[index] = original - 1e-5
dweights[index] = (plus - loss(moved)) / 2e-5
moved[index] = original
"""
        ),
        "diagnosis": "h passed in is not used",
    },
    "caller_array_not_restored": {
        "code": _fn(
            _CHECK_FN,
            """
dweights = np.zeros_like(weights, dtype=np.float64)
for index in np.ndindex(weights.shape):
    weights[index] += h
    plus = loss(weights)
    weights[index] -= 2 * h
    dweights[index] = (plus - loss(weights)) / (2 * h)
return dweights
""",
        ),
        "diagnosis": "in place",
    },
    "all_entries_at_once": {
        "code": _fn(
            _CHECK_FN,
            """
slope = (loss(weights + h) - loss(weights - h)) / (2 * h)
return np.full(weights.shape, slope)
""",
        ),
        "diagnosis": "one entry at a time",
    },
}

CORRECT["numerical_dweights"] = {
    "caller_array_restored": _fn(
        _CHECK_FN,
        """
dweights = np.zeros(weights.shape, dtype=np.float64)
for index in np.ndindex(weights.shape):
    original = weights[index]
    weights[index] = original + h
    plus = loss(weights)
    weights[index] = original - h
    minus = loss(weights)
    weights[index] = original
    dweights[index] = (plus - minus) / (2 * h)
return dweights
""",
    ),
    "two_copies_per_entry": _fn(
        _CHECK_FN,
        """
dweights = np.zeros_like(weights, dtype=np.float64)
for i in range(weights.shape[0]):
    for j in range(weights.shape[1]):
        plus, minus = weights.copy(), weights.copy()
        plus[i, j] += h
        minus[i, j] -= h
        dweights[i, j] = (loss(plus) - loss(minus)) / (2 * h)
return dweights
""",
    ),
}

# a right answer by two Python loops over the weights: slow, but one pass, within the budget
CORRECT["layer_dinputs"]["python_loops"] = _dinputs(
    """
n_neurons, n_inputs = weights.shape
dinputs = [0.0] * n_inputs
for j in range(n_neurons):
    for k in range(n_inputs):
        dinputs[k] += dloss_dz[j] * weights[j, k]
return np.array(dinputs)
"""
)
