"""Chapter 4 mutants: the mistakes students make backpropagating through one neuron.

A mutant with a "mistake" is the catalogue's example of that mistake (its core.Mistake id): the
mutation suite checks it is diagnosed as exactly that, by a message of its own. A mutant with
"costs_later" ({test grade_id: why}) may cost a later exercise's points; every other mutant
must leave the later exercises' points unchanged (one bug costs once).
How they are written (edits of the solution cell, or functions): autograder/mutant.py.
"""

import numpy as np

# The names the functions below use from earlier exercises, imported so that ruff checks them;
# when a variant runs, they are the notebook's own.
from autograder.chapters.single_neuron_backprop.reference import (
    centred_difference,
    neuron_gradients,
    relu_derivative,
)
from autograder.mutant import Catalogue

# the mutation suite also runs the later exercises' tests with each mutant: their points must
# not change (tests/chapters/test_mutants.py, test_one_bug_costs_once)
ONE_BUG_COSTS_ONCE = True

catalogue = Catalogue(__name__)

# relu_derivative: return np.where(z > 0, 1.0, 0.0)

catalogue.edit(
    "relu_derivative",
    "boundary_one",
    ("np.where(z > 0", "np.where(z >= 0"),
    diagnosis="take the ReLU derivative as 1",
    mistake="relu_derivative_at_zero",
)
catalogue.edit(
    "relu_derivative",
    "heaviside_one",
    ("np.where(z > 0, 1.0, 0.0)", "np.heaviside(z, 1.0)"),
    diagnosis=r"z == 0",
)
catalogue.edit(
    "relu_derivative",
    "relu_itself",
    ("np.where(z > 0, 1.0, 0.0)", "np.maximum(0, z)"),
    diagnosis="ReLU itself",
    mistake="relu_instead_of_derivative",
)
catalogue.edit(
    "relu_derivative",
    "sign",
    ("np.where(z > 0, 1.0, 0.0)", "np.sign(z)"),
    diagnosis="np.sign",
    mistake="sign_function",
)


@catalogue.mutant("relu_derivative", diagnosis="element by element", mistake="scalar_if")
def scalar_if(z):
    if z > 0:
        return 1.0
    return 0.0


@catalogue.mutant(
    "relu_derivative",
    diagnosis="in place",
    mistake="in_place",
    costs_later={
        "test_neuron_gradients": "z[z <= 0] = 0 fails on the NumPy number z of "
        "neuron_gradients, and only in the kernel: the grader's copy is an array",
        "test_train_neuron": "train_neuron calls the neuron_gradients that fails",
    },
)
def in_place(z):
    z[z <= 0] = 0.0
    z[z > 0] = 1.0
    return z


catalogue.edit(
    "relu_derivative",
    "numerical",
    (
        "np.where(z > 0, 1.0, 0.0)",
        "(np.maximum(0, z + 1e-5) - np.maximum(0, z - 1e-5)) / (2 * 1e-5)",
    ),
    diagnosis="numerically",
    mistake="numerical_gradient",
)

# neuron_gradients: z, output, dloss_doutput = 2 * (output - target), doutput_dz,
# dloss_dz = dloss_doutput * doutput_dz, dweights = dloss_dz * inputs, dbias = dloss_dz * 1.0

catalogue.edit(
    "neuron_gradients",
    "no_relu_mask",
    ("doutput_dz = relu_derivative(z)", "doutput_dz = 1.0"),
    diagnosis="leaving out the ReLU derivative",
    mistake="missing_relu_mask",
)
catalogue.edit(
    "neuron_gradients",
    "boundary_mask",
    ("doutput_dz = relu_derivative(z)", "doutput_dz = z >= 0"),
    diagnosis="take the ReLU derivative as 1",
    mistake="relu_derivative_at_zero",
)
catalogue.edit(
    "neuron_gradients",
    "times_weights",
    ("dweights = dloss_dz * inputs", "dweights = dloss_dz * weights"),
    diagnosis="not the weight",
    mistake="dz_dw_is_weight",
)
catalogue.edit(
    "neuron_gradients",
    "no_factor_two",
    ("2 * (output - target)", "(output - target)"),
    diagnosis="factor 2",
    mistake="lost_factor_2",
)
catalogue.edit(
    "neuron_gradients",
    "target_ignored",
    ("2 * (output - target)", "2 * output"),
    diagnosis="target is missing",
    mistake="target_missing",
)
catalogue.edit(
    "neuron_gradients",
    "sign_flipped",
    ("(output - target)", "(target - output)"),
    diagnosis="wrong sign",
    mistake="sign_error",
)
catalogue.edit(
    "neuron_gradients",
    "dbias_times_bias",
    ("dloss_dz * 1.0", "dloss_dz * bias"),
    diagnosis="times the bias",
    mistake="dz_db_is_bias",
)
catalogue.edit(
    "neuron_gradients",
    "swapped_return",
    ("return dweights, dbias", "return dbias, dweights"),
    diagnosis=r"return \(dweights, dbias\)",
    mistake="swapped_return",
    costs_later={
        "test_train_neuron": "(dbias, dweights) cannot update the weights: no loop can use them"
    },
)
# the chain rule stopped at the ReLU: dL/da = 2 (a - y) left out
catalogue.edit(
    "neuron_gradients",
    "missing_upstream",
    ("dloss_dz = dloss_doutput * doutput_dz", "dloss_dz = doutput_dz"),
    diagnosis="leaving out the upstream gradient",
    mistake="missing_upstream_gradient",
)
# the mask taken from the gradient arriving at the ReLU instead of from z
catalogue.edit(
    "neuron_gradients",
    "mask_from_upstream",
    ("relu_derivative(z)", "relu_derivative(dloss_doutput)"),
    diagnosis="mask taken from the upstream gradient",
    mistake="mask_wrong_place",
)


# section 3's gradient check, used as the answer
@catalogue.mutant(
    "neuron_gradients", name="numerical", diagnosis="numerically", mistake="numerical_gradient"
)
def numerical_neuron_gradients(inputs, weights, bias, target):
    def loss_of_weights(w):
        return float((np.maximum(0.0, inputs @ w + bias) - target) ** 2)

    def loss_of_bias(b):
        return float((np.maximum(0.0, inputs @ weights + b[0]) - target) ** 2)

    dweights = centred_difference(loss_of_weights, weights)
    dbias = centred_difference(loss_of_bias, np.array([bias]))[0]
    return dweights, dbias


# right at z == 0, but dz/dweights measured one weight at a time
catalogue.edit(
    "neuron_gradients",
    "numerical_dz_dweights",
    (
        "dloss_dz * inputs",
        "dloss_dz * centred_difference(lambda w: inputs @ w + bias, weights)",
    ),
    diagnosis="one forward pass",
)

# centred_difference: x_plus and x_minus copies of x, moved by +h and -h at one index,
# grad[index] = (f(x_plus) - f(x_minus)) / (2 * h)

catalogue.edit(
    "centred_difference",
    "one_sided",
    ("(f(x_plus) - f(x_minus)) / (2 * h)", "(f(x_plus) - f(x)) / h"),
    diagnosis="one-sided",
)
catalogue.edit(
    "centred_difference", "divided_by_h", ("/ (2 * h)", "/ h"), diagnosis="instead of 2h"
)


@catalogue.mutant("centred_difference", diagnosis="moved at once")
def all_at_once(f, x, h=1e-5):
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))


catalogue.edit(
    "centred_difference",
    "first_axis_only",
    ("for index in np.ndindex(x.shape):", "for index in range(len(x)):"),
    diagnosis="first axis",
)


@catalogue.mutant("centred_difference", diagnosis="in place")
def no_restore_in_place(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        x[index] += h
        f_plus = f(x)
        x[index] -= 2 * h
        grad[index] = (f_plus - f(x)) / (2 * h)
    return grad


catalogue.edit(
    "centred_difference",
    "sign_flipped",
    ("(f(x_plus) - f(x_minus))", "(f(x_minus) - f(x_plus))"),
    diagnosis="sign is flipped",
)

# train_neuron: each iteration appends the loss of output = ReLU(weights . inputs + bias), then
# steps weights and bias against neuron_gradients

catalogue.edit(
    "train_neuron",
    "gradient_ascent",
    ("weights - learning_rate", "weights + learning_rate"),
    ("bias - learning_rate", "bias + learning_rate"),
    diagnosis="stepping along the gradient",
    mistake="sign_error_update",
)
catalogue.edit(
    "train_neuron",
    "in_place_update",
    ("weights = weights - learning_rate", "weights -= learning_rate"),
    ("bias = bias - learning_rate", "bias -= learning_rate"),
    diagnosis="in place",
    mistake="in_place",
)
# the two lines that measure the loss, moved below the update
_MEASURE = (
    "        output = np.maximum(0, np.dot(weights, inputs) + bias)\n"
    "        losses.append((output - target) ** 2)\n"
)
catalogue.edit(
    "train_neuron",
    "loss_after_update",
    (_MEASURE, ""),
    ("* dbias\n", "* dbias\n" + _MEASURE),
    diagnosis="after its update",
    mistake="loss_after_update",
)
catalogue.edit(
    "train_neuron",
    "bias_frozen",
    ("bias = bias - learning_rate * dbias", ""),
    diagnosis="never updates the bias",
    mistake="bias_not_updated",
)
catalogue.edit(
    "train_neuron",
    "hardcoded_rate",
    ("learning_rate * dweights", "0.001 * dweights"),
    ("learning_rate * dbias", "0.001 * dbias"),
    diagnosis="is wrong",
)
catalogue.edit(
    "train_neuron",
    "one_iteration_short",
    ("range(n_iterations)", "range(1, n_iterations)"),
    diagnosis="has shape",
)
catalogue.edit(
    "train_neuron",
    "last_loss_only",
    ("losses.append((output - target) ** 2)", "loss = (output - target) ** 2"),
    ("return np.array(losses)", "return loss"),
    diagnosis="has shape",
)


@catalogue.correct("relu_derivative")
def astype(z):
    return (z > 0).astype(float)


@catalogue.correct("relu_derivative")
def heaviside_zero(z):
    return np.heaviside(z, 0.0)


@catalogue.correct("relu_derivative")
def boolean_mask(z):
    return z > 0


@catalogue.correct("relu_derivative")
def float32(z):
    return np.greater(z, 0).astype(np.float32)


@catalogue.correct("neuron_gradients")
def inline_at(inputs, weights, bias, target):
    z = inputs @ weights + bias
    dloss_dz = 2.0 * (max(z, 0.0) - target) * (1.0 if z > 0 else 0.0)
    return dloss_dz * inputs, dloss_dz


# strict=False is the plain zip a student writes (ruff's B905 wants it said)
@catalogue.correct("neuron_gradients")
def loop_float32(inputs, weights, bias, target):
    z = np.float32(bias)
    for x, w in zip(inputs, weights, strict=False):
        z += np.float32(x) * np.float32(w)
    dloss_dz = 2 * (np.maximum(np.float32(0), z) - target) * relu_derivative(z)
    dweights = np.zeros(len(inputs))
    for i in range(len(inputs)):
        dweights[i] = dloss_dz * inputs[i]
    return dweights, float(dloss_dz)


@catalogue.correct("centred_difference")
def float32_zeros(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for index in np.ndindex(*x.shape):
        step = np.zeros_like(x)
        step[index] = h
        grad[index] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


@catalogue.correct("centred_difference")
def flat_restore(f, x, h=1e-5):
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


@catalogue.correct("train_neuron")
def inline_float64(inputs, weights, bias, target, learning_rate, n_iterations):
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


@catalogue.correct("train_neuron")
def copy_then_in_place(inputs, weights, bias, target, learning_rate, n_iterations):
    weights = weights.copy()
    losses = []
    for _ in range(n_iterations):
        output = np.maximum(0, np.dot(inputs, weights) + bias)
        losses.append(float((output - target) ** 2))
        dweights, dbias = neuron_gradients(inputs, weights, bias, target)
        weights -= learning_rate * dweights
        bias -= learning_rate * dbias
    return losses, weights, bias


MUTANTS, CORRECT = catalogue.MUTANTS, catalogue.CORRECT

BUGGY_EXAMPLE = {
    "neuron_gradients": "no_relu_mask",
    "train_neuron": "gradient_ascent",
}
