"""Chapter 1 mutants: the mistakes students make writing dense layers."""

MUTANTS = {
    "neuron_output": {
        "no_bias": {
            "code": "def neuron_output(inputs, weights, bias):\n    return np.dot(inputs, weights)\n",
            "diagnosis": "bias is not added",
        },
        "elementwise_no_sum": {
            "code": "def neuron_output(inputs, weights, bias):\n    return inputs * weights + bias\n",
            "diagnosis": "should return one number",
        },
        "bias_per_product": {
            "code": "def neuron_output(inputs, weights, bias):\n    return np.sum(inputs * weights + bias)\n",
            "diagnosis": "bias is added to every product",
        },
        "hardcoded_example": {
            "code": "def neuron_output(inputs, weights, bias):\n    return 4.8\n",
            "diagnosis": "neuron_output is wrong",
        },
        "off_by_one_loop": {
            "code": (
                "def neuron_output(inputs, weights, bias):\n"
                "    total = bias\n"
                "    for i in range(len(inputs) - 1):\n"
                "        total += inputs[i] * weights[i]\n"
                "    return total\n"
            ),
            "diagnosis": "neuron_output is wrong",
        },
    },
    "layer_output": {
        "no_bias": {
            "code": "def layer_output(inputs, weights, biases):\n    return np.dot(weights, inputs)\n",
            "diagnosis": "biases are not added",
        },
        "wrong_side": {
            "code": "def layer_output(inputs, weights, biases):\n    return np.dot(inputs, weights) + biases\n",
            "diagnosis": "transposed|do not line up",
        },
        "transposed_weights": {
            "code": "def layer_output(inputs, weights, biases):\n    return np.dot(weights.T, inputs) + biases\n",
            "diagnosis": "transposed|do not line up",
        },
        "sum_of_biases": {
            "code": "def layer_output(inputs, weights, biases):\n    return np.dot(weights, inputs) + np.sum(biases)\n",
            "diagnosis": "layer_output is wrong",
        },
        "hardcoded_example": {
            "code": "def layer_output(inputs, weights, biases):\n    return np.array([4.8, 1.21, 2.385])\n",
            "diagnosis": "layer_output is wrong",
        },
        "first_neuron_only": {
            "code": "def layer_output(inputs, weights, biases):\n    return np.array([np.dot(weights[0], inputs) + biases[0]])\n",
            "diagnosis": r"shape \(1,\)",
        },
    },
    "batch_output": {
        "no_bias": {
            "code": "def batch_output(inputs, weights, biases):\n    return np.dot(inputs, weights)\n",
            "diagnosis": "biases are not added",
        },
        "transposed_weights": {
            "code": "def batch_output(inputs, weights, biases):\n    return np.dot(inputs, weights.T) + biases\n",
            "diagnosis": "transposed|do not line up",
        },
        "transposed_result": {
            "code": "def batch_output(inputs, weights, biases):\n    return (np.dot(inputs, weights) + biases).T\n",
            "diagnosis": "result is transposed",
        },
        "biases_transposed": {
            "code": "def batch_output(inputs, weights, biases):\n    return np.dot(inputs, weights) + biases.T\n",
            "diagnosis": "do not line up|as a column",
        },
        "first_sample_only": {
            "code": "def batch_output(inputs, weights, biases):\n    return np.dot(inputs[0], weights) + biases\n",
            "diagnosis": "batch_output is wrong",
        },
        "elementwise": {
            "code": "def batch_output(inputs, weights, biases):\n    return inputs * weights.sum(axis=1) + biases.sum()\n",
            "diagnosis": "batch_output",
        },
    },
    "layer_dense": {
        "weights_transposed": {
            "code": (
                "class Layer_Dense:\n"
                "    def __init__(self, n_inputs, n_neurons):\n"
                "        self.weights = 0.01 * np.random.randn(n_neurons, n_inputs)\n"
                "        self.biases = np.zeros((1, n_neurons))\n"
                "    def forward(self, inputs):\n"
                "        self.output = np.dot(inputs, self.weights.T) + self.biases\n"
            ),
            "diagnosis": "transposed",
            "fails": ["test_layer_dense_init"],
            # forward is right for the layout its own __init__ made: one bug costs once
            "keeps": {"test_layer_dense_forward": r"__init__ makes.*test_layer_dense_init"},
        },
        "weights_transposed_in_init_only": {
            "code": (
                "class Layer_Dense:\n"
                "    def __init__(self, n_inputs, n_neurons):\n"
                "        self.weights = 0.01 * np.random.randn(n_neurons, n_inputs)\n"
                "        self.biases = np.zeros((1, n_neurons))\n"
                "    def forward(self, inputs):\n"
                "        self.output = np.dot(inputs, self.weights) + self.biases\n"
            ),
            "diagnosis": "transposed",
            "fails": ["test_layer_dense_init"],
            "keeps": {"test_layer_dense_forward": ""},
        },
        "randn_given_a_tuple": {
            "code": (
                "class Layer_Dense:\n"
                "    def __init__(self, n_inputs, n_neurons):\n"
                "        self.weights = 0.01 * np.random.randn((n_inputs, n_neurons))\n"
                "        self.biases = np.zeros((1, n_neurons))\n"
                "    def forward(self, inputs):\n"
                "        self.output = np.dot(inputs, self.weights) + self.biases\n"
            ),
            "diagnosis": r"forward could not be tested: creating a layer failed",
        },
        "flat_biases": {
            "code": (
                "class Layer_Dense:\n"
                "    def __init__(self, n_inputs, n_neurons):\n"
                "        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)\n"
                "        self.biases = np.zeros(n_neurons)\n"
                "    def forward(self, inputs):\n"
                "        self.output = np.dot(inputs, self.weights) + self.biases\n"
            ),
            "diagnosis": "biases has shape",
            "fails": ["test_layer_dense_init"],
        },
        "unscaled_weights": {
            "code": (
                "class Layer_Dense:\n"
                "    def __init__(self, n_inputs, n_neurons):\n"
                "        self.weights = np.random.randn(n_inputs, n_neurons)\n"
                "        self.biases = np.zeros((1, n_neurons))\n"
                "    def forward(self, inputs):\n"
                "        self.output = np.dot(inputs, self.weights) + self.biases\n"
            ),
            "diagnosis": "standard deviation",
            "fails": ["test_layer_dense_init"],
        },
        "forward_returns": {
            "code": (
                "class Layer_Dense:\n"
                "    def __init__(self, n_inputs, n_neurons):\n"
                "        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)\n"
                "        self.biases = np.zeros((1, n_neurons))\n"
                "    def forward(self, inputs):\n"
                "        return np.dot(inputs, self.weights) + self.biases\n"
            ),
            "diagnosis": "self.output",
            "fails": ["test_layer_dense_forward"],
        },
        "forward_no_bias": {
            "code": (
                "class Layer_Dense:\n"
                "    def __init__(self, n_inputs, n_neurons):\n"
                "        self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)\n"
                "        self.biases = np.zeros((1, n_neurons))\n"
                "    def forward(self, inputs):\n"
                "        self.output = np.dot(inputs, self.weights)\n"
            ),
            "diagnosis": "biases are not added",
            "fails": ["test_layer_dense_forward"],
        },
        "uniform_weights": {
            "code": (
                "class Layer_Dense:\n"
                "    def __init__(self, n_inputs, n_neurons):\n"
                "        self.weights = 0.01 * np.random.rand(n_inputs, n_neurons)\n"
                "        self.biases = np.zeros((1, n_neurons))\n"
                "    def forward(self, inputs):\n"
                "        self.output = np.dot(inputs, self.weights) + self.biases\n"
            ),
            "diagnosis": "standard deviation",
            "fails": ["test_layer_dense_init"],
        },
    },
}

CORRECT = {
    "neuron_output": {
        "loop": (
            "def neuron_output(inputs, weights, bias):\n"
            "    total = 0.0\n"
            "    for x, w in zip(inputs, weights):\n"
            "        total += x * w\n"
            "    return total + bias\n"
        ),
        "matmul_float32": (
            "def neuron_output(inputs, weights, bias):\n"
            "    return np.float32(inputs.astype(np.float32) @ weights.astype(np.float32) + bias)\n"
        ),
    },
    "layer_output": {
        "loop_over_neurons": (
            "def layer_output(inputs, weights, biases):\n"
            "    return np.array([np.dot(w, inputs) + b for w, b in zip(weights, biases)])\n"
        ),
        "matmul": "def layer_output(inputs, weights, biases):\n    return weights @ inputs + biases\n",
    },
    "batch_output": {
        "matmul": "def batch_output(inputs, weights, biases):\n    return inputs @ weights + biases\n",
        "double_transpose": (
            "def batch_output(inputs, weights, biases):\n"
            "    return np.dot(weights.T, inputs.T).T + biases\n"
        ),
    },
    "layer_dense": {
        "normal": (
            "class Layer_Dense:\n"
            "    def __init__(self, n_inputs, n_neurons):\n"
            "        self.weights = np.random.normal(0.0, 0.01, size=(n_inputs, n_neurons))\n"
            "        self.biases = np.zeros(shape=(1, n_neurons))\n"
            "    def forward(self, inputs):\n"
            "        self.output = inputs @ self.weights + self.biases\n"
        ),
        "float32_einsum": (
            "class Layer_Dense:\n"
            "    def __init__(self, n_inputs, n_neurons):\n"
            "        self.weights = (0.01 * np.random.randn(n_inputs, n_neurons)).astype(np.float32)\n"
            "        self.biases = np.zeros((1, n_neurons), dtype=np.float32)\n"
            "    def forward(self, inputs):\n"
            "        self.output = np.einsum('si,in->sn', inputs, self.weights) + self.biases\n"
        ),
    },
}

BUGGY_EXAMPLE = {
    "batch_output": "transposed_weights",
    "layer_dense": "flat_biases",
}
