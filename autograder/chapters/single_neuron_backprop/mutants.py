"""Chapter 4 mutants: the mistakes students make backpropagating through one neuron.

A mutant with a "mistake" is the catalogue's example of that mistake (its core.Mistake id): the
mutation suite checks it is diagnosed as exactly that, by a message of its own. A mutant with
"costs_later" ({test grade_id: why}) may cost a later exercise's points; every other mutant
must leave the later exercises' points unchanged (one bug costs once).
"""


def _fn(signature, body):
    return f"def {signature}:\n" + "".join(f"    {line}\n" for line in body.strip().splitlines())


_GRADIENTS = "neuron_gradients(inputs, weights, bias, target)"
_CENTRED = "centred_difference(f, x, h=1e-5)"
_TRAIN = "train_neuron(inputs, weights, bias, target, learning_rate, n_iterations)"

# the mutation suite also runs the later exercises' tests with each mutant: their points must
# not change (tests/test_mutants.py, test_one_bug_costs_once)
ONE_BUG_COSTS_ONCE = True

MUTANTS = {
    "relu_derivative": {
        "boundary_one": {
            "code": _fn("relu_derivative(z)", "return np.where(z >= 0, 1.0, 0.0)"),
            "diagnosis": "take the ReLU derivative as 1",
            "mistake": "relu_derivative_at_zero",
        },
        "heaviside_one": {
            "code": _fn("relu_derivative(z)", "return np.heaviside(z, 1.0)"),
            "diagnosis": r"z == 0",
        },
        "relu_itself": {
            "code": _fn("relu_derivative(z)", "return np.maximum(0, z)"),
            "diagnosis": "ReLU itself",
            "mistake": "relu_instead_of_derivative",
        },
        "sign": {
            "code": _fn("relu_derivative(z)", "return np.sign(z)"),
            "diagnosis": "np.sign",
            "mistake": "sign_function",
        },
        "scalar_if": {
            "code": _fn(
                "relu_derivative(z)",
                """
if z > 0:
    return 1.0
return 0.0
""",
            ),
            "diagnosis": "element by element",
            "mistake": "scalar_if",
        },
        "in_place": {
            "code": _fn(
                "relu_derivative(z)",
                """
z[z <= 0] = 0.0
z[z > 0] = 1.0
return z
""",
            ),
            "diagnosis": "in place",
            "mistake": "in_place",
            "costs_later": {
                "test_neuron_gradients": "z[z <= 0] = 0 fails on the NumPy number z of "
                "neuron_gradients, and only in the kernel: the grader's copy is an array",
                "test_train_neuron": "train_neuron calls the neuron_gradients that fails",
            },
        },
        "numerical": {
            "code": _fn(
                "relu_derivative(z)",
                """
h = 1e-5
return (np.maximum(0, z + h) - np.maximum(0, z - h)) / (2 * h)
""",
            ),
            "diagnosis": "numerically",
            "mistake": "numerical_gradient",
        },
    },
    "neuron_gradients": {
        "no_relu_mask": {
            "code": _fn(
                _GRADIENTS,
                """
output = np.maximum(0, np.dot(inputs, weights) + bias)
dloss_dz = 2 * (output - target)
return dloss_dz * inputs, dloss_dz
""",
            ),
            "diagnosis": "leaving out the ReLU derivative",
            "mistake": "missing_relu_mask",
        },
        "boundary_mask": {
            "code": _fn(
                _GRADIENTS,
                """
z = np.dot(inputs, weights) + bias
dloss_dz = 2 * (np.maximum(0, z) - target) * (z >= 0)
return dloss_dz * inputs, dloss_dz
""",
            ),
            "diagnosis": "take the ReLU derivative as 1",
            "mistake": "relu_derivative_at_zero",
        },
        "times_weights": {
            "code": _fn(
                _GRADIENTS,
                """
z = np.dot(inputs, weights) + bias
dloss_dz = 2 * (np.maximum(0, z) - target) * relu_derivative(z)
return dloss_dz * weights, dloss_dz
""",
            ),
            "diagnosis": "not the weight",
            "mistake": "dz_dw_is_weight",
        },
        "no_factor_two": {
            "code": _fn(
                _GRADIENTS,
                """
z = np.dot(inputs, weights) + bias
dloss_dz = (np.maximum(0, z) - target) * relu_derivative(z)
return dloss_dz * inputs, dloss_dz
""",
            ),
            "diagnosis": "factor 2",
            "mistake": "lost_factor_2",
        },
        "target_ignored": {
            "code": _fn(
                _GRADIENTS,
                """
z = np.dot(inputs, weights) + bias
dloss_dz = 2 * np.maximum(0, z) * relu_derivative(z)
return dloss_dz * inputs, dloss_dz
""",
            ),
            "diagnosis": "target is missing",
            "mistake": "target_missing",
        },
        "sign_flipped": {
            "code": _fn(
                _GRADIENTS,
                """
z = np.dot(inputs, weights) + bias
dloss_dz = 2 * (target - np.maximum(0, z)) * relu_derivative(z)
return dloss_dz * inputs, dloss_dz
""",
            ),
            "diagnosis": "wrong sign",
            "mistake": "sign_error",
        },
        "dbias_times_bias": {
            "code": _fn(
                _GRADIENTS,
                """
z = np.dot(inputs, weights) + bias
dloss_dz = 2 * (np.maximum(0, z) - target) * relu_derivative(z)
return dloss_dz * inputs, dloss_dz * bias
""",
            ),
            "diagnosis": "times the bias",
            "mistake": "dz_db_is_bias",
        },
        "swapped_return": {
            "code": _fn(
                _GRADIENTS,
                """
z = np.dot(inputs, weights) + bias
dloss_dz = 2 * (np.maximum(0, z) - target) * relu_derivative(z)
return dloss_dz, dloss_dz * inputs
""",
            ),
            "diagnosis": r"return \(dweights, dbias\)",
            "mistake": "swapped_return",
            "costs_later": {
                "test_train_neuron": "(dbias, dweights) cannot update the weights: no loop "
                "can use them"
            },
        },
        # the chain rule stopped at the ReLU: dL/da = 2 (a - y) left out
        "missing_upstream": {
            "code": _fn(
                _GRADIENTS,
                """
z = np.dot(inputs, weights) + bias
dloss_dz = relu_derivative(z)
return dloss_dz * inputs, dloss_dz
""",
            ),
            "diagnosis": "leaving out the upstream gradient",
            "mistake": "missing_upstream_gradient",
        },
        # the mask taken from the gradient arriving at the ReLU instead of from z
        "mask_from_upstream": {
            "code": _fn(
                _GRADIENTS,
                """
z = np.dot(inputs, weights) + bias
dloss_doutput = 2 * (np.maximum(0, z) - target)
dloss_dz = dloss_doutput * relu_derivative(dloss_doutput)
return dloss_dz * inputs, dloss_dz
""",
            ),
            "diagnosis": "mask taken from the upstream gradient",
            "mistake": "mask_wrong_place",
        },
        # section 3's gradient check, used as the answer
        "numerical": {
            "code": _fn(
                _GRADIENTS,
                """
def loss_of_weights(w):
    return float((np.maximum(0.0, inputs @ w + bias) - target) ** 2)

def loss_of_bias(b):
    return float((np.maximum(0.0, inputs @ weights + b[0]) - target) ** 2)

dweights = centred_difference(loss_of_weights, weights)
dbias = centred_difference(loss_of_bias, np.array([bias]))[0]
return dweights, dbias
""",
            ),
            "diagnosis": "numerically",
            "mistake": "numerical_gradient",
        },
        # right at z == 0, but dz/dweights measured one weight at a time
        "numerical_dz_dweights": {
            "code": _fn(
                _GRADIENTS,
                """
z = inputs @ weights + bias
dloss_dz = 2 * (np.maximum(0, z) - target) * relu_derivative(z)
dz_dweights = centred_difference(lambda w: inputs @ w + bias, weights)
return dloss_dz * dz_dweights, dloss_dz
""",
            ),
            "diagnosis": "one forward pass",
        },
    },
    "centred_difference": {
        "one_sided": {
            "code": _fn(
                _CENTRED,
                """
grad = np.zeros_like(x)
for index in np.ndindex(x.shape):
    x_plus = x.copy()
    x_plus[index] += h
    grad[index] = (f(x_plus) - f(x)) / h
return grad
""",
            ),
            "diagnosis": "one-sided",
        },
        "divided_by_h": {
            "code": _fn(
                _CENTRED,
                """
grad = np.zeros_like(x)
for index in np.ndindex(x.shape):
    x_plus, x_minus = x.copy(), x.copy()
    x_plus[index] += h
    x_minus[index] -= h
    grad[index] = (f(x_plus) - f(x_minus)) / h
return grad
""",
            ),
            "diagnosis": "instead of 2h",
        },
        "all_at_once": {
            "code": _fn(
                _CENTRED,
                """
return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))
""",
            ),
            "diagnosis": "moved at once",
        },
        "first_axis_only": {
            "code": _fn(
                _CENTRED,
                """
grad = np.zeros_like(x)
for i in range(len(x)):
    x_plus, x_minus = x.copy(), x.copy()
    x_plus[i] += h
    x_minus[i] -= h
    grad[i] = (f(x_plus) - f(x_minus)) / (2 * h)
return grad
""",
            ),
            "diagnosis": "first axis",
        },
        "no_restore_in_place": {
            "code": _fn(
                _CENTRED,
                """
grad = np.zeros_like(x)
for index in np.ndindex(x.shape):
    x[index] += h
    f_plus = f(x)
    x[index] -= 2 * h
    grad[index] = (f_plus - f(x)) / (2 * h)
return grad
""",
            ),
            "diagnosis": "in place",
        },
        "sign_flipped": {
            "code": _fn(
                _CENTRED,
                """
grad = np.zeros_like(x)
for index in np.ndindex(x.shape):
    x_plus, x_minus = x.copy(), x.copy()
    x_plus[index] += h
    x_minus[index] -= h
    grad[index] = (f(x_minus) - f(x_plus)) / (2 * h)
return grad
""",
            ),
            "diagnosis": "sign is flipped",
        },
    },
    "train_neuron": {
        "gradient_ascent": {
            "code": _fn(
                _TRAIN,
                """
losses = []
for iteration in range(n_iterations):
    losses.append((np.maximum(0, np.dot(weights, inputs) + bias) - target) ** 2)
    dweights, dbias = neuron_gradients(inputs, weights, bias, target)
    weights = weights + learning_rate * dweights
    bias = bias + learning_rate * dbias
return np.array(losses), weights, bias
""",
            ),
            "diagnosis": "stepping along the gradient",
            "mistake": "sign_error_update",
        },
        "in_place_update": {
            "code": _fn(
                _TRAIN,
                """
losses = []
for iteration in range(n_iterations):
    losses.append((np.maximum(0, np.dot(weights, inputs) + bias) - target) ** 2)
    dweights, dbias = neuron_gradients(inputs, weights, bias, target)
    weights -= learning_rate * dweights
    bias -= learning_rate * dbias
return np.array(losses), weights, bias
""",
            ),
            "diagnosis": "in place",
            "mistake": "in_place",
        },
        "loss_after_update": {
            "code": _fn(
                _TRAIN,
                """
losses = []
for iteration in range(n_iterations):
    dweights, dbias = neuron_gradients(inputs, weights, bias, target)
    weights = weights - learning_rate * dweights
    bias = bias - learning_rate * dbias
    losses.append((np.maximum(0, np.dot(weights, inputs) + bias) - target) ** 2)
return np.array(losses), weights, bias
""",
            ),
            "diagnosis": "after its update",
            "mistake": "loss_after_update",
        },
        "bias_frozen": {
            "code": _fn(
                _TRAIN,
                """
losses = []
for iteration in range(n_iterations):
    losses.append((np.maximum(0, np.dot(weights, inputs) + bias) - target) ** 2)
    dweights, dbias = neuron_gradients(inputs, weights, bias, target)
    weights = weights - learning_rate * dweights
return np.array(losses), weights, bias
""",
            ),
            "diagnosis": "never updates the bias",
            "mistake": "bias_not_updated",
        },
        "hardcoded_rate": {
            "code": _fn(
                _TRAIN,
                """
losses = []
for iteration in range(n_iterations):
    losses.append((np.maximum(0, np.dot(weights, inputs) + bias) - target) ** 2)
    dweights, dbias = neuron_gradients(inputs, weights, bias, target)
    weights = weights - 0.001 * dweights
    bias = bias - 0.001 * dbias
return np.array(losses), weights, bias
""",
            ),
            "diagnosis": "is wrong",
        },
        "one_iteration_short": {
            "code": _fn(
                _TRAIN,
                """
losses = []
for iteration in range(1, n_iterations):
    losses.append((np.maximum(0, np.dot(weights, inputs) + bias) - target) ** 2)
    dweights, dbias = neuron_gradients(inputs, weights, bias, target)
    weights = weights - learning_rate * dweights
    bias = bias - learning_rate * dbias
return np.array(losses), weights, bias
""",
            ),
            "diagnosis": "has shape",
        },
        "last_loss_only": {
            "code": _fn(
                _TRAIN,
                """
for iteration in range(n_iterations):
    loss = (np.maximum(0, np.dot(weights, inputs) + bias) - target) ** 2
    dweights, dbias = neuron_gradients(inputs, weights, bias, target)
    weights = weights - learning_rate * dweights
    bias = bias - learning_rate * dbias
return loss, weights, bias
""",
            ),
            "diagnosis": "has shape",
        },
    },
}

CORRECT = {
    "relu_derivative": {
        "astype": _fn("relu_derivative(z)", "return (z > 0).astype(float)"),
        "heaviside_zero": _fn("relu_derivative(z)", "return np.heaviside(z, 0.0)"),
        "boolean_mask": _fn("relu_derivative(z)", "return z > 0"),
        "float32": _fn("relu_derivative(z)", "return np.greater(z, 0).astype(np.float32)"),
    },
    "neuron_gradients": {
        "inline_at": _fn(
            _GRADIENTS,
            """
z = inputs @ weights + bias
dloss_dz = 2.0 * (max(z, 0.0) - target) * (1.0 if z > 0 else 0.0)
return dloss_dz * inputs, dloss_dz
""",
        ),
        "loop_float32": _fn(
            _GRADIENTS,
            """
z = np.float32(bias)
for x, w in zip(inputs, weights):
    z += np.float32(x) * np.float32(w)
dloss_dz = 2 * (np.maximum(np.float32(0), z) - target) * relu_derivative(z)
dweights = np.zeros(len(inputs))
for i in range(len(inputs)):
    dweights[i] = dloss_dz * inputs[i]
return dweights, float(dloss_dz)
""",
        ),
    },
    "centred_difference": {
        "float32_zeros": _fn(
            _CENTRED,
            """
grad = np.zeros(x.shape)
for index in np.ndindex(*x.shape):
    step = np.zeros_like(x)
    step[index] = h
    grad[index] = (f(x + step) - f(x - step)) / (2 * h)
return grad
""",
        ),
        "flat_restore": _fn(
            _CENTRED,
            """
x = x.astype(np.float64)
flat = x.reshape(-1)
grad = np.empty(flat.size)
for i in range(flat.size):
    original = flat[i]
    flat[i] = original + h
    f_plus = f(x)
    flat[i] = original - h
    f_minus = f(x)
    flat[i] = original
    grad[i] = (f_plus - f_minus) / (2 * h)
return grad.reshape(x.shape)
""",
        ),
    },
    "train_neuron": {
        "inline_float64": _fn(
            _TRAIN,
            """
weights = np.array(weights, dtype=np.float64)
losses = np.zeros(n_iterations, dtype=np.float64)
for i in range(n_iterations):
    z = inputs @ weights + bias
    output = max(z, 0.0)
    losses[i] = (output - target) ** 2
    dz = 2 * (output - target) * (z > 0)
    weights = weights - learning_rate * dz * inputs
    bias = bias - learning_rate * dz
return losses, weights, bias
""",
        ),
        "copy_then_in_place": _fn(
            _TRAIN,
            """
weights = weights.copy()
losses = []
for _ in range(n_iterations):
    output = np.maximum(0, np.dot(inputs, weights) + bias)
    losses.append(float((output - target) ** 2))
    dweights, dbias = neuron_gradients(inputs, weights, bias, target)
    weights -= learning_rate * dweights
    bias -= learning_rate * dbias
return losses, weights, bias
""",
        ),
    },
}

BUGGY_EXAMPLE = {
    "neuron_gradients": "no_relu_mask",
    "train_neuron": "gradient_ascent",
}
