"""Hidden tests for chapter 5, backpropagation of a layer and of a batch.

The catalogue's mistakes (see single_neuron_backprop) in a layer's terms. One bug costs once:
train_layer is graded given the student's own layer_gradients, and each of Layer_Dense.backward's
three tests grades its own gradient even when backward fails later, on another line.
"""

import numpy as np

from autograder import core
from autograder.chapters.layer_backprop import reference as ref
from autograder.chapters.single_neuron_backprop import checks as neuron
from autograder.chapters.single_neuron_backprop.checks import signed_values, unpack

Mistake = core.Mistake

BOUNDARY = neuron.BOUNDARY
NO_MASK = Mistake(
    "missing_relu_mask",
    "missing ReLU mask",
    "these values are what leaving out the ReLU derivative gives: a neuron with z <= 0 gets "
    "no gradient",
)
MISSING_UPSTREAM = Mistake(
    "missing_upstream_gradient",
    "missing upstream gradient",
    "these values are what leaving out the upstream gradient dL/ds = 2s gives: by the chain "
    "rule dL/dz_j = 2s * ReLU'(z_j), not ReLU'(z_j) alone",
)
HALF = Mistake(
    "lost_factor_2",
    "lost factor 2 of d(x^2)",
    "these values are half the right ones, as when the factor 2 of d/ds s^2 = 2s is dropped",
)
SIGN = Mistake(
    "sign_error",
    "sign error in the gradient",
    "these values have the wrong sign: dL/ds = +2s, and each step of the chain keeps its sign",
)
SUM_OF_Z = Mistake(
    "sum_of_z",
    "s summed over z instead of ReLU(z)",
    "these values are what s = sum(z) gives: the sum s adds the outputs ReLU(z), not z",
)
TIMES_WEIGHTS = Mistake(
    "dz_dw_is_weight",
    "dz/dw taken as the weight",
    "these values are dL/dz times the weights: dz_j/dw_jk is the input x_k, not the weight",
)
ORIGINAL_LAYOUT = Mistake(
    "transposed_product",
    "transposed product",
    "dweights is transposed: inputs.reshape(-1, 1) @ dz.reshape(1, -1) is the original's "
    "(n_inputs, n_neurons) layout, which it had to transpose (.T) before the update; "
    "np.outer(dloss_dz, inputs) is shaped like weights",
)
DBIASES_SUMMED = Mistake(
    "dbiases_summed",
    "dbiases summed to one number",
    "dbiases may have been summed: each neuron has its own bias, dbiases is dL/dz itself, one "
    "entry per neuron",
)


def _layer_case(rng, n_neurons, n_inputs, z):
    """inputs, weights and biases such that weights @ inputs + biases == z."""
    inputs = signed_values(rng, n_inputs)
    weights = rng.normal(size=(n_neurons, n_inputs))
    return inputs, weights, np.asarray(z, dtype=np.float64) - weights @ inputs


def _layer_cases(rng):
    n_neurons, n_inputs = int(rng.integers(2, 6)), int(rng.integers(2, 7))
    if n_neurons == n_inputs:
        n_inputs += 1
    z = rng.uniform(0.5, 3.0, size=n_neurons)
    # neuron 0 active (so the loss is not 0), at least one of the others inactive
    z[1 + rng.permutation(n_neurons - 1)[: max(1, n_neurons // 2)]] *= -1
    yield _layer_case(rng, n_neurons, n_inputs, z) + ("inactive neurons (z < 0)",)
    yield _layer_case(rng, 3, 3, rng.uniform(0.5, 3.0, size=3)) + ("a square layer",)
    yield _layer_case(rng, 1, int(rng.integers(2, 6)), [rng.uniform(0.5, 2)]) + ("one neuron",)
    # integer-valued numbers put one neuron exactly at z == 0 (and one off, so that a mask of
    # z >= 0 differs from no mask at all)
    inputs = rng.integers(-3, 4, size=4).astype(np.float64)
    weights = rng.integers(-3, 4, size=(3, 4)).astype(np.float64)
    biases = np.array([0.0, 2.0, -3.0]) - weights @ inputs
    yield inputs, weights, biases, "a neuron at z == 0 exactly"


def _numerical_layer_gradients(inputs, weights, biases):
    """Centred differences of the loss: for a neuron at z == 0 they give s * inputs (the
    average of 2s and 0), where backprop gives 0."""
    dweights = ref.centred_difference(lambda w: ref.layer_loss(inputs, w, biases), weights)
    dbiases = ref.centred_difference(lambda b: ref.layer_loss(inputs, weights, b), biases)
    return dweights, dbiases


def check_layer_gradients(layer_gradients):
    rng = core.fresh_rng()
    for inputs, weights, biases, what in _layer_cases(rng):
        result = core.call_student(
            layer_gradients,
            inputs,
            weights,
            biases,
            label="layer_gradients",
            names=("inputs", "weights", "biases"),
        )
        dweights, dbiases = unpack(result, "layer_gradients", ("dweights", "dbiases"))
        n_neurons, n_inputs = weights.shape
        if np.shape(dweights) == (n_inputs, n_neurons) and n_inputs != n_neurons:
            raise core.GradingError(
                f"dweights has shape {np.shape(dweights)}, expected {weights.shape}.\n"
                f"  Likely cause: {ORIGINAL_LAYOUT}.",
                cause=ORIGINAL_LAYOUT,
            )
        if np.shape(dbiases) == () and n_neurons > 1:
            raise core.GradingError(
                f"dbiases has shape (), expected {biases.shape}.\n  Likely cause: "
                f"{DBIASES_SUMMED}.",
                cause=DBIASES_SUMMED,
            )
        expected_w, expected_b = ref.layer_gradients(inputs, weights, biases)
        z = weights @ inputs + biases
        total = np.sum(np.maximum(z, 0))
        variants = {
            BOUNDARY: 2 * total * (z >= 0) if np.any(z == 0) else None,
            NO_MASK: 2 * total * np.ones_like(z),
            MISSING_UPSTREAM: (z > 0).astype(np.float64),
            SUM_OF_Z: 2 * np.sum(z) * (z > 0),
            HALF: expected_b / 2,
            SIGN: -expected_b,
        }
        context = f"{what}: z = {np.round(z, 3)}, " + core.describe(weights=weights)
        numerical_w, numerical_b = (
            _numerical_layer_gradients(inputs, weights, biases) if np.any(z == 0) else (None, None)
        )
        core.expect_close(
            "dweights",
            dweights,
            expected_w,
            context=context,
            wrong_answers={
                ORIGINAL_LAYOUT: np.outer(expected_b, inputs).T,
                TIMES_WEIGHTS: expected_b[:, None] * weights,
                **{
                    cause: None if d is None else np.outer(d, inputs)
                    for cause, d in variants.items()
                },
                core.NUMERICAL: numerical_w,
            },
        )
        core.expect_close(
            "dbiases",
            dbiases,
            expected_b,
            context=context,
            wrong_answers={**variants, core.NUMERICAL: numerical_b},
        )
    # numerically: two losses per weight, 180,000 matrix-vector products (about 18 s); the
    # chain rule: under 0.2 s even as Python loops (measured on 2 busy cores)
    n_neurons = n_inputs = 300
    core.expect_backprop_cost(
        layer_gradients,
        signed_values(rng, n_inputs),
        rng.normal(size=(n_neurons, n_inputs)) / np.sqrt(n_inputs),
        rng.normal(size=n_neurons),
        label="layer_gradients",
        names=("inputs", "weights", "biases"),
        size=f"a layer of {n_neurons} neurons with {n_inputs} inputs",
        reference=ref.layer_gradients,
        check=lambda got, want: core.expect_each(
            ("dweights", "dbiases"),
            unpack(got, "layer_gradients", ("dweights", "dbiases")),
            want,
            context=f"a layer of {n_neurons} neurons with {n_inputs} inputs",
        ),
    )
    core.passed(
        "layer_gradients matches the reference, with inactive neurons and z == 0, and costs "
        "about one forward pass"
    )


def _train_variant(
    gradients, inputs, weights, biases, learning_rate, n_iterations, update_biases=True
):
    """The reference loop with `gradients(inputs, w, b) -> (dw, db)`: the reference's or the
    student's own layer_gradients (through the channel)."""
    losses, w, b = [], np.array(weights, dtype=np.float64), np.array(biases, dtype=np.float64)
    for _ in range(n_iterations):
        losses.append(ref.layer_loss(inputs, w, b))
        dweights, dbiases = gradients(inputs, w, b)
        w = w - learning_rate * dweights
        b = b - learning_rate * dbiases if update_biases else b
    return np.array(losses), w, b


BIASES_FROZEN = Mistake(
    "bias_not_updated",
    "bias never updated",
    "these values are what a loop that never updates the biases gives",
)


def check_train_layer(train_layer, layer_gradients=None):
    """layer_gradients: the student's, which train_layer calls. One bug costs once: a
    train_layer whose run equals the reference loop driven by the student's own
    layer_gradients keeps its points, and a failure caused by it names that exercise."""
    rng = core.fresh_rng()
    n_neurons, n_inputs = int(rng.integers(2, 5)), int(rng.integers(2, 6))
    if n_neurons == n_inputs:
        n_inputs += 1
    z = rng.uniform(0.5, 3.0, size=n_neurons)
    z[-1] = -1.0  # one neuron starts inactive and must stay untouched
    inputs, weights, biases = _layer_case(rng, n_neurons, n_inputs, z)
    # each step scales the sum s by 1 - 2 lr (|x|^2 + 1) n_active: keep that in (0, 1)
    stable = 1 / (2 * (inputs @ inputs + 1) * n_neurons)
    cases = [
        (float(rng.uniform(0.05, 0.9)) * stable, int(rng.integers(5, 60)), "a random run"),
        (float(rng.uniform(0.05, 0.9)) * stable, 1, "one iteration"),
    ]
    own = layer_gradients and neuron.own_gradients(
        layer_gradients, "layer_gradients", NAMES[:3], ("dweights", "dbiases")
    )
    notes = []
    for learning_rate, n_iterations, what in cases:
        args = (inputs, weights, biases, learning_rate, n_iterations)
        context = (
            f"{what}: learning_rate {learning_rate:.4g}, n_iterations {n_iterations}, "
            + core.describe(inputs=inputs, weights=weights)
        )

        def run(sign, extra, update_biases, gradients=ref.layer_gradients, args=args):
            inputs, weights, biases, learning_rate, n_iterations = args
            return _train_variant(
                gradients,
                inputs,
                weights,
                biases,
                sign * learning_rate,
                n_iterations + extra,
                update_biases,
            )

        def call(args=args):
            result = core.call_student(train_layer, *args, label="train_layer", names=NAMES)
            losses, weights, biases = unpack(result, "train_layer", ("losses", "weights", "biases"))
            return np.ravel(np.asarray(losses, dtype=np.float64)), weights, biases

        def expect(result, run, context=context, n_iterations=n_iterations):
            neuron.expect_run(result, run, context, biases, n_iterations, "biases", BIASES_FROZEN)

        notes.append(neuron.grade_run(call, run, expect, own, ("train_layer", "layer_gradients")))
    for note in dict.fromkeys(n for n in notes if n):
        print(note)
    core.passed(
        "train_layer matches the reference loop"
        + (" driven by your layer_gradients" if any(notes) else "")
        + " on runs of random shapes, rates and lengths"
    )


NAMES = ("inputs", "weights", "biases", "learning_rate", "n_iterations")


# Batch form: Layer_Dense.backward and Activation_ReLU.backward

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
    core.NUMERICAL.id, core.NUMERICAL.title, core.NUMERICAL.replace("z == 0", "inputs == 0")
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
        core.expect_backprop_cost(
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


def check_layer_dense_dweights(Layer_Dense):
    rng = core.fresh_rng()
    notes = []
    for n_samples, n_inputs, n_neurons in _dense_cases(rng):
        layer, inputs, weights, dvalues = _run_dense(
            Layer_Dense, rng, n_samples, n_inputs, n_neurons, "dweights", notes
        )
        dweights = _attribute(layer, "dweights")
        expected = ref.dense_backward(inputs, weights, dvalues)[0]
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
    _check_dense_cost(Layer_Dense, rng, "dweights", notes)
    for note in notes:
        print(note)
    core.passed(
        "Layer_Dense.backward sets dweights = inputs.T @ dvalues on random shapes, and costs "
        "about one forward pass"
    )


def check_layer_dense_dbiases(Layer_Dense):
    rng = core.fresh_rng()
    notes = []
    for n_samples, n_inputs, n_neurons in _dense_cases(rng):
        layer, inputs, weights, dvalues = _run_dense(
            Layer_Dense, rng, n_samples, n_inputs, n_neurons, "dbiases", notes
        )
        dbiases = _attribute(layer, "dbiases")
        expected = ref.dense_backward(inputs, weights, dvalues)[1]
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
    _check_dense_cost(Layer_Dense, rng, "dbiases", notes)
    for note in notes:
        print(note)
    core.passed(
        "Layer_Dense.backward sets dbiases of shape (1, n_neurons) on random shapes, and costs "
        "about one forward pass"
    )


def check_layer_dense_dinputs(Layer_Dense):
    rng = core.fresh_rng()
    notes = []
    for n_samples, n_inputs, n_neurons in _dense_cases(rng):
        layer, inputs, weights, dvalues = _run_dense(
            Layer_Dense, rng, n_samples, n_inputs, n_neurons, "dinputs", notes
        )
        dinputs = _attribute(layer, "dinputs")
        expected = ref.dense_backward(inputs, weights, dvalues)[2]
        core.expect_close(
            "dinputs",
            dinputs,
            expected,
            context=core.describe(inputs=inputs, weights=weights, dvalues=dvalues),
            wrong_answers={
                WEIGHTS_NOT_TRANSPOSED: dvalues @ weights if n_inputs == n_neurons else None,
                DINPUTS_TRANSPOSED: expected.T,
                DIVIDED_TWICE: expected / n_samples if n_samples > 1 else None,
            },
            scale_factors={"n_samples": n_samples},
        )
    _check_dense_cost(Layer_Dense, rng, "dinputs", notes)
    for note in notes:
        print(note)
    core.passed(
        "Layer_Dense.backward sets dinputs = dvalues @ weights.T on random shapes, and costs "
        "about one forward pass"
    )


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


# The sum rule at a fork: layer_dinputs


def _dinputs_variants(inputs, weights, biases):
    """{likely cause: what that mistake gives for dinputs} on the same layer."""
    z = weights @ inputs + biases
    total = float(np.sum(np.maximum(z, 0)))
    dloss_dz = 2 * total * (z > 0)
    paths = dloss_dz[:, None] * weights  # row j: what reaches the inputs through neuron j
    n_neurons = weights.shape[0]
    return {
        NO_MASK: weights.T @ (2 * total * np.ones_like(z)),
        BOUNDARY: weights.T @ (2 * total * (z >= 0)) if np.any(z == 0) else None,
        "the paths overwrite each other: only the last neuron's contribution is left. At a "
        "fork the gradients of all paths are added (dinputs += ...)": paths[-1]
        if n_neurons > 1
        else None,
        "only the first neuron's path is counted: input k feeds every neuron, and the sum "
        "rule adds all of them": paths[0] if n_neurons > 1 else None,
        "the paths are averaged over the neurons: at a fork the gradients are summed, "
        "not averaged": paths.mean(axis=0) if n_neurons > 1 else None,
        "dL/dz is missing: the path through neuron j carries dL/dz_j * weights[j, k], not "
        "weights[j, k] alone": weights.sum(axis=0),
        "the factor 2 of dL/ds = 2s is missing": paths.sum(axis=0) / 2,
        "summed over the wrong axis: add over the neurons (the rows of weights), one value "
        "per input": paths.sum(axis=1) if paths.shape[0] == paths.shape[1] else None,
        "the weights are not transposed: dinputs = weights.T @ dloss_dz": weights @ dloss_dz
        if paths.shape[0] == paths.shape[1]
        else None,
    }


_UNTRANSPOSED = (
    "the shapes do not line up: weights is (n_neurons, n_inputs), so the sum over the neurons "
    "is weights.T @ dloss_dz (or dloss_dz @ weights); the weights are not transposed"
)


def check_layer_dinputs(layer_dinputs):
    rng = core.fresh_rng()
    for inputs, weights, biases, what in _layer_cases(rng):
        dinputs = core.as_plain_array(
            "dinputs",
            core.call_student_explained(
                layer_dinputs,
                inputs,
                weights,
                biases,
                label="layer_dinputs",
                names=("inputs", "weights", "biases"),
                causes=[(text, _UNTRANSPOSED) for text in ("core dimension", "not aligned")],
            ),
        )
        n_neurons, n_inputs = weights.shape
        if dinputs.shape == (n_neurons, n_inputs) and n_neurons > 1:
            raise core.GradingError(
                f"dinputs has shape {dinputs.shape}, expected ({n_inputs},) like inputs, for "
                f"{what}: one row per neuron is the gradient along each path. Input k feeds "
                "every neuron, and by the sum rule its gradient is the sum of those paths: "
                "add over the neurons (axis=0), or weights.T @ dloss_dz."
            )
        if dinputs.shape == (n_neurons,) and n_neurons != n_inputs:
            raise core.GradingError(
                f"dinputs has shape {dinputs.shape}, one value per neuron, expected "
                f"({n_inputs},) like inputs, for {what}: summed over the wrong axis. Add over "
                "the neurons (the rows of weights): weights.T @ dloss_dz."
            )
        z = weights @ inputs + biases
        numerical = (
            ref.centred_difference(lambda x, w=weights, b=biases: ref.layer_loss(x, w, b), inputs)
            if np.any(z == 0)
            else None
        )
        core.expect_close(
            "dinputs",
            dinputs,
            ref.layer_dinputs(inputs, weights, biases),
            context=f"{what}: z = {np.round(z, 3)}, " + core.describe(weights=weights),
            wrong_answers={
                **_dinputs_variants(inputs, weights, biases),
                core.NUMERICAL: numerical,
            },
        )
    # many inputs, few neurons: numerically, two forward passes for each of 30,000 inputs
    # (seconds); the chain rule: one product with the weights, or 120,000 steps of a Python
    # loop (about 0.1 s)
    n_neurons, n_inputs = 4, 30_000
    core.expect_backprop_cost(
        layer_dinputs,
        signed_values(rng, n_inputs),
        rng.normal(size=(n_neurons, n_inputs)) / np.sqrt(n_inputs),
        rng.normal(size=n_neurons),
        label="layer_dinputs",
        names=("inputs", "weights", "biases"),
        size=f"a layer of {n_neurons} neurons with {n_inputs} inputs",
        reference=ref.layer_dinputs,
        check=lambda got, want: core.expect_close(
            "dinputs", got, want, context=f"a layer of {n_neurons} neurons"
        ),
    )
    core.passed(
        "layer_dinputs sums the gradients of every path from an input, with inactive neurons "
        "and z == 0, and costs about one forward pass"
    )


# A layer's gradient check, written by the student: numerical_dweights


def _cubic_layer_loss(rng, n_samples, n_inputs, n_neurons):
    """loss(weights) = sum(c * output**3) of a layer on fixed inputs: smooth, with a third
    derivative, so one-sided differences, a step other than h and entries left perturbed all
    change the numbers."""
    inputs = rng.normal(size=(n_samples, n_inputs))
    biases = rng.normal(size=(1, n_neurons))
    c = signed_values(rng, (n_samples, n_neurons)) / 3

    def loss(weights):
        return float(np.sum(c * (inputs @ np.asarray(weights, dtype=np.float64) + biases) ** 3))

    return loss


def _not_restored(loss, weights, h):
    """What a check gives that leaves each entry at w - h after measuring it."""
    w = np.array(weights, dtype=np.float64)
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        w[index] += h
        plus = loss(w)
        w[index] -= 2 * h
        grad[index] = (plus - loss(w)) / (2 * h)
    return grad


def _one_sided(loss, weights, h):
    w = np.array(weights, dtype=np.float64)
    base = loss(w)
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[index] = h
        grad[index] = (loss(w + step) - base) / h
    return grad


def check_numerical_dweights(numerical_dweights):
    rng = core.fresh_rng()
    n_inputs, n_neurons = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    # the default h, a coarse h whose O(h^2) error shows when another step is used, a column
    cases = (
        ((n_inputs, n_neurons), None, "a random layer, the default h"),
        ((n_neurons, n_inputs), 1e-2, "a random layer, h = 0.01"),
        ((int(rng.integers(3, 6)), 1), 1e-3, "a layer of one neuron, h = 0.001"),
    )
    for shape, h, what in cases:
        loss = _cubic_layer_loss(rng, int(rng.integers(2, 5)), *shape)
        weights = rng.normal(size=shape)
        calls = []

        def recorded(w, loss=loss, calls=calls):
            calls.append(np.shape(w))
            return loss(w)

        args = (recorded, weights) if h is None else (recorded, weights, h)
        got = core.call_student(
            numerical_dweights,
            *args,
            label="numerical_dweights",
            names=("loss", "weights", "h")[: len(args)],
        )
        if any(c != shape for c in calls):
            raise core.GradingError(
                f"numerical_dweights called loss with an array of shape "
                f"{next(c for c in calls if c != shape)}; loss takes the whole weights "
                f"{shape}, with one entry moved."
            )
        step = 1e-5 if h is None else h
        expected = ref.numerical_dweights(loss, weights, step)

        def moved_together(mask, w=weights, loss=loss, step=step):
            return (loss(w + step * mask) - loss(w - step * mask)) / (2 * step)

        core.expect_close(
            "numerical_dweights",
            got,
            expected,
            context=f"{what}: loss = sum(c * (inputs @ weights + biases)**3), weights {shape}",
            # centred differences in float64 agree this closely; every mistake below is
            # off by at least about h (1e-5) in relative terms
            rtol=1e-7,
            atol=1e-7,
            wrong_answers={
                "a one-sided difference (loss(w + h) - loss(w)) / h is off by about h: use "
                "(loss(w + h e_ij) - loss(w - h e_ij)) / (2h)": _one_sided(loss, weights, step),
                "divided by h instead of 2h: w + h and w - h are 2h apart": 2 * expected,
                "each entry is left at w - h after it is measured: put it back "
                "(w[index] = original) before moving the next": _not_restored(loss, weights, step),
                "the second point is w, not w - h: from w + h, subtract 2h to reach w - h": (
                    _one_sided(loss, weights, step) / 2
                ),
                "every weight was moved at once: move one entry at a time (np.ndindex)": np.full(
                    shape, moved_together(np.ones(shape))
                ),
                "the step h passed in is not used (a fixed step instead): use the h argument": (
                    ref.numerical_dweights(loss, weights, 1e-5) if h is not None else None
                ),
            },
        )
    core.passed(
        "numerical_dweights matches float64 centred differences on random layers and steps, "
        "the caller's weights unchanged"
    )
