"""Chapter 5 mutants, part two (one module would be too long): Activation_ReLU.backward, the
sum rule at a fork (layer_dinputs) and the student's own gradient check (numerical_dweights).
autograder/chapters/layer_backprop/mutants.py adds them to its tables, after its own exercises.
A function for Activation_ReLU is the body of its backward(self, dvalues).
"""

import numpy as np

# numerical_gradient: the notebook's import, imported so that ruff checks it; when a variant
# runs, it is the notebook's own
from autograder.mutant import Catalogue
from course.gradcheck import numerical_gradient

catalogue = Catalogue(__name__)

# Activation_ReLU.backward: self.dinputs = dvalues.copy(), then 0 where self.inputs <= 0


@catalogue.mutant("activation_relu", diagnosis="in place", mistake="in_place")
def in_place(self, dvalues):
    dvalues[self.inputs <= 0] = 0
    self.dinputs = dvalues


catalogue.edit(
    "activation_relu",
    "boundary",
    ("self.inputs <= 0", "self.inputs < 0"),
    diagnosis="pass dvalues through",
    mistake="relu_derivative_at_zero",
)


@catalogue.mutant("activation_relu", diagnosis="sign of dvalues", mistake="mask_wrong_place")
def mask_from_dvalues(self, dvalues):
    self.dinputs = np.maximum(0, dvalues)


@catalogue.mutant(
    "activation_relu", diagnosis="ReLU derivative alone", mistake="missing_upstream_gradient"
)
def derivative_only(self, dvalues):
    self.dinputs = np.where(self.inputs > 0, 1.0, 0.0)


@catalogue.mutant("activation_relu", diagnosis="not the input", mistake="times_inputs")
def times_inputs(self, dvalues):
    self.dinputs = dvalues * self.output


@catalogue.mutant("activation_relu", diagnosis="must set self.dinputs")
def returns_instead(self, dvalues):
    return dvalues * (self.inputs > 0)


@catalogue.mutant(
    "activation_relu", name="numerical", diagnosis="numerically", mistake="numerical_gradient"
)
def numerical_relu_backward(self, dvalues):
    inputs = np.array(self.inputs, dtype=np.float64)
    self.dinputs = numerical_gradient(
        lambda: float(np.sum(dvalues * np.maximum(0, inputs))), inputs
    )


# layer_dinputs, the sum rule at a fork: z and dloss_dz as in layer_gradients, then
# return weights.T @ dloss_dz

catalogue.edit(
    "layer_dinputs",
    "one_row_per_neuron",
    ("weights.T @ dloss_dz", "dloss_dz[:, None] * weights"),
    diagnosis="one row per neuron",
)
# what a loop over the neurons leaves that assigns each path (=) instead of adding it (+=)
catalogue.edit(
    "layer_dinputs",
    "last_path_overwrites",
    ("weights.T @ dloss_dz", "dloss_dz[-1] * weights[-1]"),
    diagnosis="overwrite each other",
)
catalogue.edit(
    "layer_dinputs",
    "first_neuron_only",
    ("weights.T @ dloss_dz", "dloss_dz[0] * weights[0]"),
    diagnosis="only the first neuron",
)
catalogue.edit(
    "layer_dinputs",
    "averaged_paths",
    ("weights.T @ dloss_dz", "np.mean(dloss_dz[:, None] * weights, axis=0)"),
    diagnosis="averaged over the neurons",
)
catalogue.edit(
    "layer_dinputs",
    "wrong_axis",
    ("weights.T @ dloss_dz", "np.sum(dloss_dz[:, None] * weights, axis=1)"),
    diagnosis="wrong axis",
)
catalogue.edit(
    "layer_dinputs",
    "not_transposed",
    ("weights.T @ dloss_dz", "weights @ dloss_dz"),
    diagnosis="do not line up|not transposed",
)
catalogue.edit(
    "layer_dinputs",
    "no_relu_mask",
    ("np.where(z > 0, 1.0, 0.0)", "np.ones_like(z)"),
    diagnosis="leaving out the ReLU derivative",
    mistake="missing_relu_mask",
)
catalogue.edit(
    "layer_dinputs",
    "no_dloss_dz",
    ("weights.T @ dloss_dz", "np.sum(weights, axis=0)"),
    diagnosis="dL/dz is missing",
)


@catalogue.mutant("layer_dinputs", name="numerical", diagnosis="numerically|one forward pass")
def numerical_layer_dinputs(inputs, weights, biases):
    x = np.array(inputs, dtype=np.float64)
    return numerical_gradient(lambda: float(np.sum(np.maximum(0, weights @ x + biases)) ** 2), x)


# right at z == 0 (dL/dz by the chain rule), but the last step measured one input at a time
catalogue.edit(
    "layer_dinputs",
    "numerical_dz_dinputs",
    (
        "return weights.T @ dloss_dz",
        "x = np.array(inputs, dtype=np.float64)\n"
        "    return numerical_gradient(lambda: float(dloss_dz @ (weights @ x + biases)), x)",
    ),
    diagnosis="one forward pass",
)

# numerical_dweights: on a float64 copy `moved`, each entry set to original + h, then
# original - h, then put back (_RESTORE); dweights[index] = (loss_plus - loss_minus) / (2 * h)
_RESTORE = "moved[index] = original  # put it back before moving the next entry"

catalogue.edit(
    "numerical_dweights",
    "one_sided",
    ("original - h", "original"),
    ("/ (2 * h)", "/ h"),
    diagnosis="one-sided",
)
catalogue.edit(
    "numerical_dweights", "divided_by_h", ("/ (2 * h)", "/ h"), diagnosis="instead of 2h"
)
catalogue.edit(
    "numerical_dweights",
    "not_restored",
    ("moved[index] = original - h", "moved[index] -= 2 * h"),
    (_RESTORE, ""),
    diagnosis="put it back",
)
catalogue.edit(
    "numerical_dweights",
    "second_point_at_w",
    ("moved[index] = original - h", "moved[index] -= h"),
    (_RESTORE, ""),
    diagnosis="subtract 2h",
)
catalogue.edit(
    "numerical_dweights",
    "fixed_step",
    ("original + h", "original + 1e-5"),
    ("original - h", "original - 1e-5"),
    ("/ (2 * h)", "/ 2e-5"),
    diagnosis="h passed in is not used",
)
# `moved` is the caller's array itself, not a copy
catalogue.edit(
    "numerical_dweights",
    "caller_array_not_restored",
    ("weights.astype(np.float64)", "weights"),
    ("moved[index] = original - h", "moved[index] -= 2 * h"),
    (_RESTORE, ""),
    diagnosis="in place",
)


@catalogue.mutant("numerical_dweights", diagnosis="one entry at a time")
def all_entries_at_once(loss, weights, h=1e-5):
    slope = (loss(weights + h) - loss(weights - h)) / (2 * h)
    return np.full(weights.shape, slope)


@catalogue.correct("activation_relu")
def where(self, dvalues):
    self.dinputs = np.where(self.inputs > 0, dvalues, 0.0)


@catalogue.correct("activation_relu")
def mask_from_output(self, dvalues):
    self.dinputs = dvalues * (self.output > 0)


@catalogue.correct("activation_relu")
def copy_then_mask(self, dvalues):
    self.dinputs = np.array(dvalues, copy=True)
    self.dinputs[self.inputs <= 0] = 0.0


@catalogue.correct("layer_dinputs")
def row_times_matrix(inputs, weights, biases):
    z = weights @ inputs + biases
    dloss_dz = 2 * np.sum(np.maximum(0, z)) * np.where(z > 0, 1.0, 0.0)
    return dloss_dz @ weights


@catalogue.correct("layer_dinputs")
def loops_adding_paths(inputs, weights, biases):
    z = weights @ inputs + biases
    dloss_dz = 2 * np.sum(np.maximum(0, z)) * np.where(z > 0, 1.0, 0.0)
    dinputs = np.zeros(len(inputs), dtype=np.float64)
    for j in range(len(dloss_dz)):
        dinputs += dloss_dz[j] * weights[j]
    return dinputs


# a right answer by two Python loops over the weights: slow, but one pass, within the budget
@catalogue.correct("layer_dinputs")
def python_loops(inputs, weights, biases):
    z = weights @ inputs + biases
    dloss_dz = 2 * np.sum(np.maximum(0, z)) * np.where(z > 0, 1.0, 0.0)
    n_neurons, n_inputs = weights.shape
    dinputs = [0.0] * n_inputs
    for j in range(n_neurons):
        for k in range(n_inputs):
            dinputs[k] += dloss_dz[j] * weights[j, k]
    return np.array(dinputs)


@catalogue.correct("numerical_dweights")
def caller_array_restored(loss, weights, h=1e-5):
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


@catalogue.correct("numerical_dweights")
def two_copies_per_entry(loss, weights, h=1e-5):
    dweights = np.zeros_like(weights, dtype=np.float64)
    for i in range(weights.shape[0]):
        for j in range(weights.shape[1]):
            plus, minus = weights.copy(), weights.copy()
            plus[i, j] += h
            minus[i, j] -= h
            dweights[i, j] = (loss(plus) - loss(minus)) / (2 * h)
    return dweights
