"""Chapter 2 mutants: the mistakes students make writing ReLU and softmax."""


def _relu_class(body):
    return "class Activation_ReLU:\n    def forward(self, inputs):\n" + "".join(
        f"        {line}\n" for line in body
    )


def _softmax_function(body):
    return "def softmax(inputs):\n" + "".join(f"    {line}\n" for line in body)


def _softmax_class(body):
    return "class Activation_Softmax:\n    def forward(self, inputs):\n" + "".join(
        f"        {line}\n" for line in body
    )


MUTANTS = {
    "relu": {
        "builtin_max": {
            "code": "def relu(inputs):\n    return max(0, inputs)\n",
            "diagnosis": "built-in max",
        },
        "np_max": {
            "code": "def relu(inputs):\n    return np.max(inputs, 0)\n",
            "diagnosis": "np.max reduces",
        },
        "abs": {
            "code": "def relu(inputs):\n    return np.abs(inputs)\n",
            "diagnosis": r"np\.abs",
        },
        "minimum": {
            "code": "def relu(inputs):\n    return np.minimum(0, inputs)\n",
            "diagnosis": "np.minimum keeps the negative part",
        },
        "mask": {
            "code": "def relu(inputs):\n    return (inputs > 0).astype(float)\n",
            "diagnosis": "the mask inputs > 0",
        },
        "in_place": {
            "code": "def relu(inputs):\n    inputs[inputs < 0] = 0\n    return inputs\n",
            "diagnosis": "modified its argument",
        },
        "leaky": {
            "code": "def relu(inputs):\n    return np.where(inputs > 0, inputs, 0.01 * inputs)\n",
            "diagnosis": "leaky",
        },
    },
    "activation_relu": {
        "returns": {
            "code": _relu_class(["return np.maximum(0, inputs)"]),
            "diagnosis": "self.output",
        },
        "uses_missing_attribute": {
            "code": _relu_class(["self.output = np.maximum(0, self.inputs)"]),
            "diagnosis": "AttributeError",
        },
        "in_place": {
            "code": _relu_class(["np.maximum(0, inputs, out=inputs)", "self.output = inputs"]),
            "diagnosis": "modified its argument",
        },
        "np_max": {
            "code": _relu_class(["self.output = np.max(inputs, 0)"]),
            "diagnosis": "np.max reduces",
        },
        "abs": {
            "code": _relu_class(["self.output = np.abs(inputs)"]),
            "diagnosis": r"np\.abs",
        },
        "builtin_max": {
            "code": _relu_class(["self.output = max(0, inputs)"]),
            "diagnosis": "built-in max",
        },
    },
    "softmax": {
        "no_max_subtraction": {
            "code": _softmax_function(
                [
                    "exp_values = np.exp(inputs)",
                    "return exp_values / np.sum(exp_values, axis=1, keepdims=True)",
                ]
            ),
            "diagnosis": "no max subtraction",
            "fails": ["test_softmax_large_inputs"],
        },
        "global_max": {
            "code": _softmax_function(
                [
                    "exp_values = np.exp(inputs - np.max(inputs))",
                    "return exp_values / np.sum(exp_values, axis=1, keepdims=True)",
                ]
            ),
            "diagnosis": "maximum of the whole array",
            "fails": ["test_softmax_large_inputs"],
        },
        "wrong_axis": {
            "code": _softmax_function(
                [
                    "exp_values = np.exp(inputs - np.max(inputs, axis=0, keepdims=True))",
                    "return exp_values / np.sum(exp_values, axis=0, keepdims=True)",
                ]
            ),
            "diagnosis": "wrong axis",
        },
        "no_keepdims": {
            "code": _softmax_function(
                [
                    "exp_values = np.exp(inputs - np.max(inputs, axis=1))",
                    "return exp_values / np.sum(exp_values, axis=1)",
                ]
            ),
            "diagnosis": "keepdims",
        },
        "no_keepdims_on_max": {
            "code": _softmax_function(
                [
                    "exp_values = np.exp(inputs - np.max(inputs, axis=1))",
                    "return exp_values / np.sum(exp_values, axis=1, keepdims=True)",
                ]
            ),
            "diagnosis": "keepdims",
        },
        "sum_of_whole_array": {
            "code": _softmax_function(
                [
                    "exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))",
                    "return exp_values / np.sum(exp_values)",
                ]
            ),
            "diagnosis": "whole array",
        },
        "not_normalised": {
            "code": _softmax_function(
                ["return np.exp(inputs - np.max(inputs, axis=1, keepdims=True))"]
            ),
            "diagnosis": "not normalised",
        },
    },
    "activation_softmax": {
        "returns": {
            "code": _softmax_class(
                [
                    "exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))",
                    "return exp_values / np.sum(exp_values, axis=1, keepdims=True)",
                ]
            ),
            "diagnosis": "self.output",
        },
        "no_max_subtraction": {
            "code": _softmax_class(
                [
                    "exp_values = np.exp(inputs)",
                    "self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)",
                ]
            ),
            "diagnosis": "no max subtraction",
        },
        "wrong_axis": {
            "code": _softmax_class(
                [
                    "exp_values = np.exp(inputs - np.max(inputs, axis=0, keepdims=True))",
                    "self.output = exp_values / np.sum(exp_values, axis=0, keepdims=True)",
                ]
            ),
            "diagnosis": "wrong axis",
        },
        "no_keepdims_on_sum": {
            "code": _softmax_class(
                [
                    "exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))",
                    "self.output = exp_values / np.sum(exp_values, axis=1)",
                ]
            ),
            "diagnosis": "keepdims",
        },
        "in_place": {
            "code": _softmax_class(
                [
                    "inputs -= np.max(inputs, axis=1, keepdims=True)",
                    "np.exp(inputs, out=inputs)",
                    "inputs /= np.sum(inputs, axis=1, keepdims=True)",
                    "self.output = inputs",
                ]
            ),
            "diagnosis": "modified its argument",
        },
        "not_normalised": {
            "code": _softmax_class(
                ["self.output = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))"]
            ),
            "diagnosis": "not normalised",
        },
    },
}

CORRECT = {
    "relu": {
        "where": "def relu(inputs):\n    return np.where(inputs > 0, inputs, 0.0)\n",
        "mask_product": "def relu(inputs):\n    return inputs * (inputs > 0)\n",
        "clip_float32": (
            "def relu(inputs):\n    return np.clip(inputs, 0, None).astype(np.float32)\n"
        ),
    },
    "activation_relu": {
        "calls_relu": _relu_class(["self.output = relu(inputs)"]),
        "copy_then_mask": _relu_class(
            ["output = inputs.copy()", "output[output < 0] = 0", "self.output = output"]
        ),
    },
    "softmax": {
        "row_loop": _softmax_function(
            [
                "output = np.empty(np.shape(inputs))",
                "for i, row in enumerate(inputs):",
                "    exp_values = np.exp(row - max(row))",
                "    output[i] = exp_values / sum(exp_values)",
                "return output",
            ]
        ),
        "log_sum_exp_float32": _softmax_function(
            [
                "inputs = np.asarray(inputs, dtype=np.float32)",
                "shifted = inputs - inputs.max(axis=1, keepdims=True)",
                "return np.exp(shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))",
            ]
        ),
        "transpose_trick": _softmax_function(
            [
                "exp_values = np.exp(inputs.T - inputs.max(axis=1))",
                "return (exp_values / exp_values.sum(axis=0)).T",
            ]
        ),
    },
    "activation_softmax": {
        "calls_softmax": _softmax_class(["self.output = softmax(inputs)"]),
        "reshape_float32": _softmax_class(
            [
                "row_max = np.max(inputs, axis=1).reshape(-1, 1)",
                "exp_values = np.exp(inputs - row_max).astype(np.float32)",
                "self.output = exp_values / exp_values.sum(axis=1).reshape(-1, 1)",
            ]
        ),
    },
}

BUGGY_EXAMPLE = {
    "softmax": "no_max_subtraction",
    "activation_relu": "returns",
}
