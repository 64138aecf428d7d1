"""Chapter 2 mutants: the mistakes students make writing ReLU and softmax.

Written with autograder/mutant.py: small mistakes are edits of the notebook's solution cell,
other ways of writing an exercise are real functions and classes.
"""

import numpy as np

# the notebook's earlier exercises, which the classes call; imported so that ruff lints the
# variants below (when a variant runs, the names are the notebook's own)
from autograder.chapters.activations.reference import relu, softmax
from autograder.mutant import Catalogue

catalogue = Catalogue(__name__)

# -- relu: return np.maximum(0, inputs); Activation_ReLU: self.output = np.maximum(0, inputs)
# The same mistakes, made in the function and in the class.

RELU = "np.maximum(0, inputs)"
BUILTIN_MAX = (RELU, "max(0, inputs)")
NP_MAX = (RELU, "np.max(inputs, 0)")
ABS = (RELU, "np.abs(inputs)")

catalogue.edit("relu", "builtin_max", BUILTIN_MAX, diagnosis="built-in max")
catalogue.edit("relu", "np_max", NP_MAX, diagnosis="np.max reduces")
catalogue.edit("relu", "abs", ABS, diagnosis=r"np\.abs")

catalogue.edit(
    "relu",
    "minimum",
    ("np.maximum", "np.minimum"),
    diagnosis="np.minimum keeps the negative part",
)
catalogue.edit(
    "relu", "mask", (RELU, "(inputs > 0).astype(float)"), diagnosis="the mask inputs > 0"
)
catalogue.edit(
    "relu",
    "in_place",
    ("return np.maximum(0, inputs)", "inputs[inputs < 0] = 0\n    return inputs"),
    diagnosis="modified its argument",
)
catalogue.edit(
    "relu", "leaky", (RELU, "np.where(inputs > 0, inputs, 0.01 * inputs)"), diagnosis="leaky"
)


@catalogue.correct("relu")
def where(inputs):
    return np.where(inputs > 0, inputs, 0.0)


@catalogue.correct("relu")
def mask_product(inputs):
    return inputs * (inputs > 0)


@catalogue.correct("relu")
def clip_float32(inputs):
    return np.clip(inputs, 0, None).astype(np.float32)


catalogue.edit("activation_relu", "returns", ("self.output = ", "return "), diagnosis="self.output")
catalogue.edit(
    "activation_relu",
    "uses_missing_attribute",
    (RELU, "np.maximum(0, self.inputs)"),
    diagnosis="AttributeError",
)
catalogue.edit(
    "activation_relu",
    "in_place",
    (RELU, "np.maximum(0, inputs, out=inputs)"),
    diagnosis="modified its argument",
)
catalogue.edit("activation_relu", "np_max", NP_MAX, diagnosis="np.max reduces")
catalogue.edit("activation_relu", "abs", ABS, diagnosis=r"np\.abs")
catalogue.edit("activation_relu", "builtin_max", BUILTIN_MAX, diagnosis="built-in max")


@catalogue.correct("activation_relu")
class calls_relu:
    def forward(self, inputs):
        self.output = relu(inputs)


@catalogue.correct("activation_relu")
class copy_then_mask:
    def forward(self, inputs):
        output = inputs.copy()
        output[output < 0] = 0
        self.output = output


# -- softmax and Activation_Softmax: the same two lines, returned or set as self.output:
#     exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
#     ... exp_values / np.sum(exp_values, axis=1, keepdims=True)

ROW_MAX = "np.max(inputs, axis=1, keepdims=True)"
ROW_SUM = "np.sum(exp_values, axis=1, keepdims=True)"
NO_MAX_SUBTRACTION = ("inputs - np.max(inputs, axis=1, keepdims=True)", "inputs")
WRONG_AXIS = (
    (ROW_MAX, "np.max(inputs, axis=0, keepdims=True)"),
    (ROW_SUM, "np.sum(exp_values, axis=0, keepdims=True)"),
)
NO_KEEPDIMS_ON_SUM = (ROW_SUM, "np.sum(exp_values, axis=1)")
NOT_NORMALISED = ("exp_values / np.sum(exp_values, axis=1, keepdims=True)", "exp_values")

catalogue.edit(
    "softmax",
    "no_max_subtraction",
    NO_MAX_SUBTRACTION,
    diagnosis="no max subtraction",
    fails=["test_softmax_large_inputs"],
)
catalogue.edit(
    "softmax",
    "global_max",
    (ROW_MAX, "np.max(inputs)"),
    diagnosis="maximum of the whole array",
    fails=["test_softmax_large_inputs"],
)
catalogue.edit("softmax", "wrong_axis", *WRONG_AXIS, diagnosis="wrong axis")
catalogue.edit(
    "softmax",
    "no_keepdims",
    (ROW_MAX, "np.max(inputs, axis=1)"),
    NO_KEEPDIMS_ON_SUM,
    diagnosis="keepdims",
)
catalogue.edit(
    "softmax", "no_keepdims_on_max", (ROW_MAX, "np.max(inputs, axis=1)"), diagnosis="keepdims"
)
catalogue.edit(
    "softmax", "sum_of_whole_array", (ROW_SUM, "np.sum(exp_values)"), diagnosis="whole array"
)
catalogue.edit("softmax", "not_normalised", NOT_NORMALISED, diagnosis="not normalised")


@catalogue.correct("softmax")
def row_loop(inputs):
    output = np.empty(np.shape(inputs))
    for i, row in enumerate(inputs):
        exp_values = np.exp(row - max(row))
        output[i] = exp_values / sum(exp_values)
    return output


@catalogue.correct("softmax")
def log_sum_exp_float32(inputs):
    inputs = np.asarray(inputs, dtype=np.float32)
    shifted = inputs - inputs.max(axis=1, keepdims=True)
    return np.exp(shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))


@catalogue.correct("softmax")
def transpose_trick(inputs):
    exp_values = np.exp(inputs.T - inputs.max(axis=1))
    return (exp_values / exp_values.sum(axis=0)).T


catalogue.edit(
    "activation_softmax", "returns", ("self.output = ", "return "), diagnosis="self.output"
)
catalogue.edit(
    "activation_softmax", "no_max_subtraction", NO_MAX_SUBTRACTION, diagnosis="no max subtraction"
)
catalogue.edit("activation_softmax", "wrong_axis", *WRONG_AXIS, diagnosis="wrong axis")
catalogue.edit("activation_softmax", "no_keepdims_on_sum", NO_KEEPDIMS_ON_SUM, diagnosis="keepdims")


@catalogue.mutant("activation_softmax", diagnosis="modified its argument")
class in_place:
    def forward(self, inputs):
        inputs -= np.max(inputs, axis=1, keepdims=True)
        np.exp(inputs, out=inputs)
        inputs /= np.sum(inputs, axis=1, keepdims=True)
        self.output = inputs


catalogue.edit("activation_softmax", "not_normalised", NOT_NORMALISED, diagnosis="not normalised")


@catalogue.correct("activation_softmax")
class calls_softmax:
    def forward(self, inputs):
        self.output = softmax(inputs)


@catalogue.correct("activation_softmax")
class reshape_float32:
    def forward(self, inputs):
        row_max = np.max(inputs, axis=1).reshape(-1, 1)
        exp_values = np.exp(inputs - row_max).astype(np.float32)
        self.output = exp_values / exp_values.sum(axis=1).reshape(-1, 1)


MUTANTS, CORRECT = catalogue.MUTANTS, catalogue.CORRECT

BUGGY_EXAMPLE = {
    "softmax": "no_max_subtraction",
    "activation_relu": "returns",
}
