"""Chapter 5's layer gradients: layer_gradients (the outer product) and layer_dinputs (the sum
rule at a fork), with chapter 4's catalogue of mistakes in a layer's terms.
"""

import numpy as np

from autograder import backprop, core
from autograder.chapters.layer_backprop import reference as ref
from autograder.checking import signed_values, unpack

Mistake = core.Mistake

BOUNDARY = backprop.RELU_AT_ZERO


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


def layer_case(rng, n_neurons, n_inputs, z):
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
    yield layer_case(rng, n_neurons, n_inputs, z) + ("inactive neurons (z < 0)",)
    yield layer_case(rng, 3, 3, rng.uniform(0.5, 3.0, size=3)) + ("a square layer",)
    yield layer_case(rng, 1, int(rng.integers(2, 6)), [rng.uniform(0.5, 2)]) + ("one neuron",)
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


def _expect_layer_gradients(result, inputs, weights, biases, what):
    """The student's (dweights, dbiases) for one layer against the reference's, naming the
    catalogued mistakes."""
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
            f"dbiases has shape (), expected {biases.shape}.\n  Likely cause: {DBIASES_SUMMED}.",
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
            **{cause: None if d is None else np.outer(d, inputs) for cause, d in variants.items()},
            backprop.NUMERICAL: numerical_w,
        },
    )
    core.expect_close(
        "dbiases",
        dbiases,
        expected_b,
        context=context,
        wrong_answers={**variants, backprop.NUMERICAL: numerical_b},
    )


def _expect_layer_cost(fn, name, rng, n_neurons, n_inputs, reference, check):
    """The student's `fn` (layer_gradients or layer_dinputs, `name`) costs about one forward
    pass on a large random layer (backprop.expect_backprop_cost), and is right there:
    check(got, want) compares its result with the reference's."""
    backprop.expect_backprop_cost(
        fn,
        signed_values(rng, n_inputs),
        rng.normal(size=(n_neurons, n_inputs)) / np.sqrt(n_inputs),
        rng.normal(size=n_neurons),
        label=name,
        names=("inputs", "weights", "biases"),
        size=f"a layer of {n_neurons} neurons with {n_inputs} inputs",
        reference=reference,
        check=check,
    )


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
        _expect_layer_gradients(result, inputs, weights, biases, what)
    # numerically: two losses per weight, 180,000 matrix-vector products (about 18 s); the
    # chain rule: under 0.2 s even as Python loops (measured on 2 busy cores)
    n_neurons = n_inputs = 300
    _expect_layer_cost(
        layer_gradients,
        "layer_gradients",
        rng,
        n_neurons,
        n_inputs,
        ref.layer_gradients,
        lambda got, want: core.expect_each(
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
                backprop.NUMERICAL: numerical,
            },
        )
    # many inputs, few neurons: numerically, two forward passes for each of 30,000 inputs
    # (seconds); the chain rule: one product with the weights, or 120,000 steps of a Python
    # loop (about 0.1 s)
    n_neurons, n_inputs = 4, 30_000
    _expect_layer_cost(
        layer_dinputs,
        "layer_dinputs",
        rng,
        n_neurons,
        n_inputs,
        ref.layer_dinputs,
        lambda got, want: core.expect_close(
            "dinputs", got, want, context=f"a layer of {n_neurons} neurons"
        ),
    )
    core.passed(
        "layer_dinputs sums the gradients of every path from an input, with inactive neurons "
        "and z == 0, and costs about one forward pass"
    )
