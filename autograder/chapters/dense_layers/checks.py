"""Hidden tests for chapter 1, dense layers."""

import numpy as np

from autograder import core
from autograder.chapters.dense_layers import reference as ref
from autograder.checking import forward_output


def check_neuron_output(neuron_output):
    rng = core.fresh_rng()
    for n_inputs in (1, int(rng.integers(2, 9))):
        inputs = rng.normal(size=n_inputs)
        weights = rng.normal(size=n_inputs)
        bias = float(rng.normal())
        got = core.call_student(
            neuron_output,
            inputs,
            weights,
            bias,
            label="neuron_output",
            names=("inputs", "weights", "bias"),
        )
        if np.ndim(got) != 0:
            raise core.GradingError(
                f"neuron_output should return one number, got shape {np.shape(got)}: "
                "a neuron sums its weighted inputs into a single value."
            )
        core.expect_close(
            "neuron_output",
            got,
            ref.neuron_output(inputs, weights, bias),
            context=core.describe(inputs=inputs, weights=weights),
            wrong_answers={
                "the bias is not added": inputs @ weights,
                "the products are not summed into one value": None,
                "the bias is added to every product before summing": inputs @ weights
                + n_inputs * bias,
            },
        )
    core.passed("neuron_output matches the reference on fresh random inputs")


def check_layer_output(layer_output):
    rng = core.fresh_rng()
    # a square case too, where multiplying by the wrong side still runs
    for n_inputs, n_neurons in ((int(rng.integers(2, 7)), int(rng.integers(2, 7))), (4, 4), (3, 1)):
        if n_inputs == n_neurons and n_inputs != 4:
            n_neurons += 1
        inputs = rng.normal(size=n_inputs)
        weights = rng.normal(size=(n_neurons, n_inputs))
        biases = rng.normal(size=n_neurons)
        got = core.call_student(
            layer_output,
            inputs,
            weights,
            biases,
            label="layer_output",
            names=("inputs", "weights", "biases"),
        )
        core.expect_close(
            "layer_output",
            got,
            ref.layer_output(inputs, weights, biases),
            context=core.describe(inputs=inputs, weights=weights, biases=biases),
            wrong_answers={
                "the biases are not added": weights @ inputs,
                "weights used transposed: each neuron's weights are one row of `weights`, "
                "so compute weights @ inputs (np.dot(weights, inputs))": (
                    weights.T @ inputs + biases if n_inputs == n_neurons else None
                ),
            },
        )
    core.passed("layer_output matches the reference on fresh random shapes")


def check_batch_output(batch_output):
    rng = core.fresh_rng()
    cases = [
        (int(rng.integers(2, 9)), int(rng.integers(2, 6)), int(rng.integers(2, 6))),
        (1, 3, 2),
        (5, 4, 4),
    ]
    for n_samples, n_inputs, n_neurons in cases:
        inputs = rng.normal(size=(n_samples, n_inputs))
        weights = rng.normal(size=(n_inputs, n_neurons))
        biases = rng.normal(size=(1, n_neurons))
        got = core.call_student(
            batch_output,
            inputs,
            weights,
            biases,
            label="batch_output",
            names=("inputs", "weights", "biases"),
        )
        square = n_inputs == n_neurons
        core.expect_close(
            "batch_output",
            got,
            ref.batch_output(inputs, weights, biases),
            context=core.describe(inputs=inputs, weights=weights, biases=biases),
            wrong_answers={
                "the biases are not added": inputs @ weights,
                "weights used transposed: they are stored (n_inputs, n_neurons), "
                "so inputs @ weights needs no .T": inputs @ weights.T + biases if square else None,
                "the result is transposed: one row per sample, one column per neuron": (
                    (inputs @ weights + biases).T
                ),
                "the biases are added as a column (biases.T): add the (1, n_neurons) row as it is": (
                    inputs @ weights + biases.T if n_samples == n_neurons else None
                ),
            },
        )
    core.passed("batch_output matches the reference on fresh random shapes, including one sample")


def check_layer_dense_init(Layer_Dense):
    rng = core.fresh_rng()
    n_inputs, n_neurons = int(rng.integers(2, 7)), int(rng.integers(2, 7))
    if n_inputs == n_neurons:
        n_neurons += 1
    layer = core.call_student(
        Layer_Dense, n_inputs, n_neurons, label="Layer_Dense(n_inputs, n_neurons)"
    )
    for attribute in ("weights", "biases"):
        if not hasattr(layer, attribute):
            raise core.GradingError(f"Layer_Dense.__init__ must set self.{attribute}.")
    weights = core.as_plain_array("self.weights", layer.weights)
    biases = core.as_plain_array("self.biases", layer.biases)
    if weights.shape != (n_inputs, n_neurons):
        hint = (
            " (transposed? store weights as (n_inputs, n_neurons))"
            if weights.shape == (n_neurons, n_inputs)
            else ""
        )
        raise core.GradingError(
            f"Layer_Dense({n_inputs}, {n_neurons}).weights has shape {weights.shape}, "
            f"expected {(n_inputs, n_neurons)}{hint}."
        )
    if biases.shape != (1, n_neurons):
        raise core.GradingError(
            f"Layer_Dense({n_inputs}, {n_neurons}).biases has shape {biases.shape}, expected "
            f"{(1, n_neurons)}: one row, so it broadcasts over a batch of samples."
        )
    if np.any(biases != 0):
        raise core.GradingError("Layer_Dense biases should start at zero.")
    # the scale of the initial weights, from enough of them to measure it
    big = core.call_student(Layer_Dense, 200, 50, label="Layer_Dense(200, 50)")
    spread = float(np.std(core.as_plain_array("self.weights", big.weights)))
    if not 0.007 < spread < 0.013:
        raise core.GradingError(
            f"Layer_Dense weights have standard deviation {spread:.4g}; expected about 0.01 "
            "(0.01 * np.random.randn(n_inputs, n_neurons))."
        )
    core.passed("Layer_Dense.__init__ sets weights and biases of the right shapes and scale")


def _init_layout(Layer_Dense):
    """'transposed' when the student's __init__ stores weights as (n_neurons, n_inputs), else
    'standard' (the course's (n_inputs, n_neurons), or a layout the forward check cannot use)."""
    try:
        layer = core.call_student(Layer_Dense, 3, 5, label="Layer_Dense(3, 5)")
        shape = np.shape(core.as_plain_array("self.weights", layer.weights))
    except (core.GradingError, AttributeError):
        return "standard"  # forward's own calls say what is wrong
    return "transposed" if shape == (5, 3) else "standard"


def _check_forward(Layer_Dense, rng, layout):
    stored = {
        "standard": "(n_inputs, n_neurons)",
        "transposed": "(n_neurons, n_inputs), as your __init__ stores them",
    }[layout]
    for n_samples, n_inputs, n_neurons in ((int(rng.integers(2, 9)), 3, 5), (1, 2, 3), (4, 3, 3)):
        layer = core.call_student(
            Layer_Dense, n_inputs, n_neurons, label="Layer_Dense(n_inputs, n_neurons)"
        )
        # expected values come from the arrays assigned here, never read back from the
        # student's object (a property could hand back something else)
        weights = rng.normal(size=(n_inputs, n_neurons))
        biases = rng.normal(size=(1, n_neurons))
        layer.weights = (weights.T if layout == "transposed" else weights).copy()
        layer.biases = biases.copy()
        inputs = rng.normal(size=(n_samples, n_inputs))
        output = forward_output(layer, inputs, owner="Layer_Dense", names=None)
        core.expect_close(
            "Layer_Dense.output",
            output,
            ref.batch_output(inputs, weights, biases),
            context=core.describe(inputs=inputs, weights=weights) + f", weights stored {stored}",
            wrong_answers={
                "the biases are not added": inputs @ weights,
                f"weights used transposed: they are stored {stored}": (
                    inputs @ weights.T + biases if n_inputs == n_neurons else None
                ),
            },
        )


def check_layer_dense_forward(Layer_Dense):
    """forward is graded in the weight layout the student's own __init__ makes, then in the
    course's: a transposed layout costs the __init__ test its points, not forward's too."""
    rng = core.fresh_rng()
    try:
        core.call_student(Layer_Dense, 3, 5, label="Layer_Dense(3, 5)")
    except core.GradingError as error:
        raise core.GradingError(
            f"forward could not be tested: creating a layer failed.\n{error}\n"
            "  Fix Layer_Dense.__init__ first (test_layer_dense_init says more)."
        ) from None
    if _init_layout(Layer_Dense) == "transposed":
        try:
            _check_forward(Layer_Dense, rng, "transposed")
        except core.GradingError:
            pass  # perhaps forward follows the course's layout: graded in it below
        else:
            print(
                "Note: forward is right for the (n_neurons, n_inputs) weights your __init__ "
                "makes, so it keeps its points. The course stores them (n_inputs, n_neurons), "
                "so that forward needs no .T: only the __init__ test (test_layer_dense_init) "
                "loses points for that."
            )
            core.passed("Layer_Dense.forward matches the reference on fresh random layers")
            return
    _check_forward(Layer_Dense, rng, "standard")
    core.passed("Layer_Dense.forward matches the reference on fresh random layers")
