"""Chapter 5's batch form: Layer_Dense.backward (dweights, dbiases, dinputs: one test each) and
Activation_ReLU.backward.

One bug costs once: each of Layer_Dense.backward's three tests grades its own gradient even
when backward fails later, on another line.
"""

import numpy as np

from autograder import backprop, core
from autograder.chapters.layer_backprop import reference as ref
from autograder.checking import print_notes, signed_values

Mistake = core.Mistake


DWEIGHTS_TRANSPOSED = Mistake(
    "transposed_product",
    "transposed product",
    "dweights may be transposed: inputs.T @ dvalues is (n_inputs, n_neurons), shaped like weights",
)


FROM_OUTPUT = Mistake(
    "dweights_from_output",
    "dweights from the output instead of the inputs",
    "these values are what the layer's output in place of its inputs gives: d(output)/d(weights) "
    "is the inputs, self.inputs.T @ dvalues",
)


AVERAGED = Mistake(
    "averaged_not_summed",
    "averaged instead of summed",
    "these values are the right ones divided by n_samples: the loss's gradient sums the "
    "samples' contributions, and any average belongs in the loss, not here",
)


DBIASES_NOT_SUMMED = Mistake(
    "dbiases_not_summed",
    "dbiases not summed over the samples",
    "dvalues may not be summed over the samples: np.sum(dvalues, axis=0, keepdims=True)",
)


WRONG_AXIS = Mistake(
    "dbiases_wrong_axis",
    "dbiases summed over the wrong axis",
    "these values are what summing over the wrong axis gives: sum over the samples, axis=0",
)


SUMMED_ALL = Mistake(
    "dbiases_summed",
    "dbiases summed to one number",
    "dvalues may have been summed over every entry: sum over the samples only (axis=0, "
    "keepdims=True)",
)


NO_KEEPDIMS = Mistake(
    "dbiases_no_keepdims",
    "missing keepdims for dbiases",
    "keepdims=True may be missing: np.sum(dvalues, axis=0, keepdims=True) keeps the "
    "(1, n_neurons) shape of biases",
)


WEIGHTS_NOT_TRANSPOSED = Mistake(
    "weights_not_transposed",
    "weights not transposed in dinputs",
    "these values are dvalues @ weights: dinputs = dvalues @ weights.T",
)


DINPUTS_TRANSPOSED = Mistake(
    "dinputs_transposed",
    "dinputs transposed",
    "these values are dinputs transposed: one row per sample, dvalues @ weights.T",
)


DIVIDED_TWICE = Mistake(
    "divided_by_n_twice",
    "dividing by n twice",
    "these values are the right ones divided by n_samples: the average over the samples is "
    "taken once, in the loss's gradient; dividing here again divides twice",
)


RELU_BOUNDARY = Mistake(
    "relu_derivative_at_zero",
    "ReLU'(0) taken as 1",
    "at inputs == 0 these values pass dvalues through, as inputs >= 0 does; the course takes "
    "ReLU'(0) = 0, as inputs > 0 does",
)


MASK_FROM_DVALUES = Mistake(
    "mask_wrong_place",
    "ReLU mask taken at the wrong place",
    "these values are what a mask taken from the sign of dvalues gives: it must come from the "
    "inputs the ReLU saw on the way forward (self.inputs > 0)",
)


DVALUES_MISSING = Mistake(
    "missing_upstream_gradient",
    "missing upstream gradient",
    "these values are the ReLU derivative alone: dinputs is dvalues (the upstream gradient) "
    "times the ReLU derivative",
)


TIMES_INPUTS = Mistake(
    "times_inputs",
    "ReLU's inputs multiply dvalues",
    "these values are dvalues times the ReLU's outputs: the derivative is 1 or 0, not the input",
)


RELU_NUMERICAL = Mistake(
    backprop.NUMERICAL.id,
    backprop.NUMERICAL.title,
    backprop.NUMERICAL.replace("z == 0", "inputs == 0"),
)


def _dense_cases(rng):
    """(n_samples, n_inputs, n_neurons): random, a batch of one, and a square case in which
    transposes and summing over the wrong axis still give arrays of plausible shapes."""
    n_inputs, n_neurons = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    if n_inputs == n_neurons:
        n_neurons += 1
    n_samples = int(rng.choice(sorted({2, 3, 5, 6, 7, 8} - {n_inputs, n_neurons})))
    return [
        (n_samples, n_inputs, n_neurons),
        (1, n_neurons, n_inputs),
        (4, 4, 4),
    ]


def _run_dense(Layer_Dense, rng, n_samples, n_inputs, n_neurons, gradient, notes):
    """The student's layer after forward(inputs) and backward(dvalues) on random data.

    One bug costs once: when backward fails after setting `gradient` (dweights or dbiases),
    that gradient is still graded here, and the failure costs the dinputs test only (the last
    one, which needs backward to finish); a note in `notes` says so.
    """
    layer = core.call_student(
        Layer_Dense, n_inputs, n_neurons, label="Layer_Dense(n_inputs, n_neurons)"
    )
    # the checks use these arrays, never values read back from the student's object
    weights = rng.normal(size=(n_inputs, n_neurons))
    layer.weights = weights.copy()
    layer.biases = rng.normal(size=(1, n_neurons))
    inputs = rng.normal(size=(n_samples, n_inputs))
    dvalues = signed_values(rng, (n_samples, n_neurons))
    core.call_student(layer.forward, inputs, label="Layer_Dense.forward(inputs)")
    _backward(layer, dvalues, gradient, notes)
    return layer, inputs, weights, dvalues


def _backward(layer, dvalues, gradient, notes, call=None):
    """layer.backward(dvalues), tolerating a failure after `gradient` was set (see _run_dense).
    call: how to call it (default: core.call_student)."""
    call = call or (lambda: core.call_student(layer.backward, dvalues, label=BACKWARD))
    try:
        return call()
    except core.GradingError as failure:
        message = str(failure)
        finished_badly = message.startswith(f"{BACKWARD} raised") or " in place" in message
        if gradient == "dinputs" or not finished_badly or not hasattr(layer, gradient):
            raise
        note = (
            f"Note: Layer_Dense.backward failed after setting self.{gradient} "
            f"({message.splitlines()[0]}); {gradient} is graded as it was set, and the failure "
            "costs points in the dinputs test only."
        )
        if note not in notes:
            notes.append(note)
        return None


BACKWARD = "Layer_Dense.backward(dvalues)"


DENSE_GRADIENTS = ("dweights", "dbiases", "dinputs")  # in ref.dense_backward's order


def _check_dense_cost(Layer_Dense, rng, gradient, notes):
    """backward on a large layer costs about one forward pass, not one per parameter.

    Few samples and many weights: numerically, two forward passes for each of the 95,100
    weights, biases and inputs, several minutes; backward: under 0.2 s. Measured on 2 busy
    cores.
    """
    n_samples, n_inputs, n_neurons = 16, 300, 300
    layer = core.call_student(
        Layer_Dense, n_inputs, n_neurons, label="Layer_Dense(n_inputs, n_neurons)"
    )
    weights = rng.normal(size=(n_inputs, n_neurons)) / np.sqrt(n_inputs)
    layer.weights = weights
    layer.biases = rng.normal(size=(1, n_neurons))
    inputs = rng.normal(size=(n_samples, n_inputs))
    core.call_student(layer.forward, inputs, label="Layer_Dense.forward(inputs)")
    dvalues = signed_values(rng, (n_samples, n_neurons))

    def check(got, want):
        core.expect_close(
            f"Layer_Dense.{gradient}",
            _attribute(layer, gradient),
            want[DENSE_GRADIENTS.index(gradient)],
            context=f"a layer of {n_inputs} x {n_neurons} weights",
        )

    def timed():
        backprop.expect_backprop_cost(
            layer.backward,
            dvalues,
            label=BACKWARD,
            names=("dvalues",),
            size=f"a layer of {n_inputs} x {n_neurons} weights and {n_samples} samples",
            reference=lambda dvalues: ref.dense_backward(inputs, weights, dvalues),
            check=check,
        )
        return True

    # a failure that comes back quickly is no timing problem: grade what it set
    if _backward(layer, dvalues, gradient, notes, call=timed) is None:
        check(None, ref.dense_backward(inputs, weights, dvalues))


def _attribute(layer, name):
    if not hasattr(layer, name):
        raise core.GradingError(f"Layer_Dense.backward must set self.{name}.")
    return core.as_plain_array(f"self.{name}", getattr(layer, name))


def _grade_dense(Layer_Dense, gradient, expect, what):
    """Grade `gradient` (one of DENSE_GRADIENTS) as Layer_Dense.backward sets it on random
    shapes, then its cost. expect(got, expected, layer, inputs, weights, dvalues) compares one
    case's float64 value; what: what the passed line says backward sets."""
    rng = core.fresh_rng()
    notes = []
    for n_samples, n_inputs, n_neurons in _dense_cases(rng):
        layer, inputs, weights, dvalues = _run_dense(
            Layer_Dense, rng, n_samples, n_inputs, n_neurons, gradient, notes
        )
        got = _attribute(layer, gradient)
        expected = ref.dense_backward(inputs, weights, dvalues)[DENSE_GRADIENTS.index(gradient)]
        expect(got, expected, layer, inputs, weights, dvalues)
    _check_dense_cost(Layer_Dense, rng, gradient, notes)
    print_notes(notes)
    core.passed(
        f"Layer_Dense.backward sets {what} on random shapes, and costs about one forward pass"
    )


def _expect_dweights(dweights, expected, layer, inputs, weights, dvalues):
    n_samples, n_neurons = dvalues.shape
    n_inputs = inputs.shape[1]
    if dweights.shape == (n_neurons, n_inputs) and n_inputs != n_neurons:
        raise core.GradingError(
            f"dweights has shape {dweights.shape}, expected {expected.shape} like weights.\n"
            f"  Likely cause: {DWEIGHTS_TRANSPOSED}.",
            cause=DWEIGHTS_TRANSPOSED,
        )
    if dweights.shape == (n_neurons, n_neurons) and n_inputs != n_neurons:
        raise core.GradingError(
            f"dweights has shape {dweights.shape}, expected {expected.shape}.\n"
            f"  Likely cause: {FROM_OUTPUT}.",
            cause=FROM_OUTPUT,
        )
    core.expect_close(
        "dweights",
        dweights,
        expected,
        context=core.describe(inputs=inputs, weights=weights, dvalues=dvalues),
        wrong_answers={
            DWEIGHTS_TRANSPOSED: expected.T,
            AVERAGED: expected / n_samples if n_samples > 1 else None,
            FROM_OUTPUT: np.asarray(layer.output, dtype=np.float64).T @ dvalues
            if n_inputs == n_neurons
            else None,
        },
        scale_factors={"n_samples": n_samples},
    )


def _expect_dbiases(dbiases, expected, layer, inputs, weights, dvalues):
    n_samples, n_neurons = dvalues.shape
    # later entries win when shapes coincide (square cases come after distinct ones)
    hints = {
        (n_samples, n_neurons): DBIASES_NOT_SUMMED,
        (n_samples,): WRONG_AXIS,
        (n_samples, 1): WRONG_AXIS,
        (): SUMMED_ALL,
        (n_neurons,): NO_KEEPDIMS,
    }
    if dbiases.shape != expected.shape:
        hint = hints.get(dbiases.shape)
        raise core.GradingError(
            f"dbiases has shape {dbiases.shape}, expected {expected.shape} for "
            f"{core.describe(dvalues=dvalues)}.\n  Likely cause: "
            f"{hint or 'each gradient has the shape of its parameter'}.",
            cause=hint,
        )
    core.expect_close(
        "dbiases",
        dbiases,
        expected,
        context=core.describe(dvalues=dvalues),
        wrong_answers={
            WRONG_AXIS: (
                np.sum(dvalues, axis=1, keepdims=True).T if n_samples == n_neurons else None
            ),
            AVERAGED: expected / n_samples if n_samples > 1 else None,
        },
        scale_factors={"n_samples": n_samples},
    )


def _expect_dinputs(dinputs, expected, layer, inputs, weights, dvalues):
    n_samples, n_neurons = dvalues.shape
    core.expect_close(
        "dinputs",
        dinputs,
        expected,
        context=core.describe(inputs=inputs, weights=weights, dvalues=dvalues),
        wrong_answers={
            WEIGHTS_NOT_TRANSPOSED: dvalues @ weights if inputs.shape[1] == n_neurons else None,
            DINPUTS_TRANSPOSED: expected.T,
            DIVIDED_TWICE: expected / n_samples if n_samples > 1 else None,
        },
        scale_factors={"n_samples": n_samples},
    )


def check_layer_dense_dweights(Layer_Dense):
    _grade_dense(Layer_Dense, "dweights", _expect_dweights, "dweights = inputs.T @ dvalues")


def check_layer_dense_dbiases(Layer_Dense):
    _grade_dense(Layer_Dense, "dbiases", _expect_dbiases, "dbiases of shape (1, n_neurons)")


def check_layer_dense_dinputs(Layer_Dense):
    _grade_dense(Layer_Dense, "dinputs", _expect_dinputs, "dinputs = dvalues @ weights.T")


def _numerical_relu_backward(inputs, dvalues):
    """Centred differences of sum(dvalues * ReLU(inputs)): 0.5 * dvalues at the zeros."""
    return ref.centred_difference(lambda x: float(np.sum(dvalues * ref.relu(x))), inputs)


def check_activation_relu_backward(Activation_ReLU):
    rng = core.fresh_rng()
    for shape in ((int(rng.integers(2, 7)), int(rng.integers(2, 6))), (1, int(rng.integers(3, 6)))):
        inputs = signed_values(rng, shape)
        # one negative, one positive, then exact zeros (the kink) at random places after them
        inputs.flat[:2] = -abs(inputs.flat[0]), abs(inputs.flat[1])
        inputs.flat[2 + rng.permutation(inputs.size - 2)[:2]] = 0.0
        dvalues = signed_values(rng, shape)
        relu = core.call_student(Activation_ReLU, label="Activation_ReLU()")
        core.call_student(relu.forward, inputs, label="Activation_ReLU.forward(inputs)")
        core.call_student(
            relu.backward, dvalues, label="Activation_ReLU.backward(dvalues)", names=("dvalues",)
        )
        if not hasattr(relu, "dinputs"):
            raise core.GradingError("Activation_ReLU.backward must set self.dinputs.")
        core.expect_close(
            "Activation_ReLU.dinputs",
            relu.dinputs,
            ref.relu_backward(inputs, dvalues),
            context=f"inputs of shape {shape} with exact zeros",
            wrong_answers={
                RELU_BOUNDARY: dvalues * (inputs >= 0),
                MASK_FROM_DVALUES: dvalues * (dvalues > 0),
                DVALUES_MISSING: (inputs > 0).astype(np.float64),
                TIMES_INPUTS: dvalues * np.maximum(inputs, 0),
                RELU_NUMERICAL: _numerical_relu_backward(inputs, dvalues),
            },
        )
    core.passed("Activation_ReLU.backward masks dvalues by inputs > 0, dvalues untouched")
