"""Chapter 4's derivatives: relu_derivative and neuron_gradients, and their catalogued mistakes.

Each Mistake (core.Mistake: the "Likely cause" the student reads, an id for the class's
records) names what the values match, as a possibility: the check sees numbers, not code.
neuron_gradients is also right when it is right given the student's own relu_derivative (one
bug costs once).
"""

import numpy as np

from autograder import backprop, core
from autograder.chapters.single_neuron_backprop import reference as ref
from autograder.checking import signed_values, unpack

Mistake = core.Mistake

BOUNDARY = backprop.RELU_AT_ZERO


HALF = Mistake(
    "lost_factor_2",
    "lost factor 2 of d(x^2)",
    "these values are half the right ones, as when the factor 2 of d/da (a - y)^2 = "
    "2 * (a - y) is dropped",
)


NO_MASK = Mistake(
    "missing_relu_mask",
    "missing ReLU mask",
    "these values are what leaving out the ReLU derivative gives: where z <= 0 the ReLU is off, "
    "d(output)/dz = 0 and every gradient is 0",
)


MISSING_UPSTREAM = Mistake(
    "missing_upstream_gradient",
    "missing upstream gradient",
    "these values are what leaving out the upstream gradient dL/da = 2 * (output - target) "
    "gives: by the chain rule dL/dz = dL/da * ReLU'(z), not ReLU'(z) alone",
)


MASK_FROM_UPSTREAM = Mistake(
    "mask_wrong_place",
    "ReLU mask taken at the wrong place",
    "these values are what a mask taken from the upstream gradient gives (0 where "
    "output - target < 0): the ReLU derivative comes from z, ReLU'(z) = 1 where z > 0",
)


SIGN = Mistake(
    "sign_error",
    "sign error in the gradient",
    "these values have the wrong sign, as 2 * (target - output) gives: dL/da = "
    "2 * (output - target)",
)


TARGET_MISSING = Mistake(
    "target_missing",
    "target left out of dL/da",
    "these values are what dL/da = 2 * output gives: the target is missing from "
    "2 * (output - target)",
)


TIMES_WEIGHTS = Mistake(
    "dz_dw_is_weight",
    "dz/dw taken as the weight",
    "these values are dL/dz times the weights: dz/dw_i is the input x_i, not the weight w_i",
)


TIMES_BIAS = Mistake(
    "dz_db_is_bias",
    "dz/db taken as the bias",
    "these values are dL/dz times the bias: dz/db is 1, so dbias is dL/dz itself",
)


SWAPPED = Mistake(
    "swapped_return", "gradients returned in the wrong order", "returned (dbias, dweights)"
)


def _with_hint(error, hint):
    return core.GradingError(f"{error}\n  Likely cause: {hint}.", cause=hint)


def _bool_as_float(value):
    """A boolean mask is a fine 0/1 derivative: compare it as numbers."""
    if isinstance(value, (bool, np.bool_)) or (
        isinstance(value, np.ndarray) and value.dtype == bool
    ):
        return np.asarray(value, dtype=np.float64)
    return value


RELU_ITSELF = Mistake(
    "relu_instead_of_derivative",
    "ReLU itself instead of its derivative",
    "these values are ReLU itself, max(0, z); its derivative is 1 where z > 0, else 0",
)


SIGN_FUNCTION = Mistake(
    "sign_function",
    "np.sign instead of the ReLU derivative",
    "these values are np.sign(z): negative z should give 0, not -1",
)


SCALAR_IF = Mistake(
    "scalar_if",
    "if on a whole array",
    "`if z > 0:` decides for the whole array at once; decide element by element with "
    "np.where(z > 0, 1.0, 0.0)",
)


def check_relu_derivative(relu_derivative):
    rng = core.fresh_rng()
    shapes = [(int(rng.integers(3, 9)),), (int(rng.integers(2, 5)), int(rng.integers(2, 5))), ()]
    for shape in shapes:
        z = rng.normal(size=shape)
        if z.ndim:
            # exact zeros, and values next to zero, where the convention matters
            z.flat[: min(3, z.size)] = [0.0, -1e-300, 1e-300][: min(3, z.size)]
        else:
            z = np.array(0.0)
        try:
            got = core.call_student(relu_derivative, z, label="relu_derivative", names=("z",))
        except core.GradingError as error:
            if "ambiguous" in str(error):
                raise _with_hint(error, SCALAR_IF) from None
            raise
        got = _bool_as_float(got)
        core.expect_close(
            "relu_derivative(z)",
            got,
            ref.relu_derivative(z),
            context=f"z of shape {z.shape}" + (" with exact zeros" if z.size else ""),
            wrong_answers={
                BOUNDARY: (z >= 0).astype(np.float64),
                RELU_ITSELF: ref.relu(z),
                SIGN_FUNCTION: np.sign(z),
                # 0.5 at the kink: the average of the slopes on either side
                backprop.NUMERICAL: ref.centred_difference(lambda v: float(np.sum(ref.relu(v))), z),
            },
        )
    # a NumPy scalar, as the dot product of two vectors returns
    got = core.call_student(relu_derivative, np.float64(2.5), label="relu_derivative")
    core.expect_close("relu_derivative(np.float64(2.5))", _bool_as_float(got), 1.0)
    core.passed("relu_derivative is 1 for z > 0 and 0 for z <= 0, on random shapes")


def _neuron_cases(rng):
    """(inputs, weights, bias, target, what): active above and below its target (a mask taken
    from output - target shows only below it), inactive, and at z == 0."""
    n_inputs = int(rng.integers(1, 8))
    inputs, weights = signed_values(rng, n_inputs), rng.normal(size=n_inputs)
    target = float(rng.uniform(0.5, 2.0))
    z_dot = float(inputs @ weights)
    above = target + float(rng.uniform(0.5, 2.0))
    yield inputs, weights, above - z_dot, target, "an active neuron above its target"
    below = target * float(rng.uniform(0.2, 0.8))
    yield inputs, weights, below - z_dot, target, "an active neuron below its target"
    yield inputs, weights, -z_dot - float(rng.uniform(0.5, 3.0)), target, "an inactive neuron"
    # integer-valued numbers make z exactly 0, whatever dtype the dot product uses
    inputs = rng.integers(-3, 4, size=3).astype(np.float64)
    weights = rng.integers(-3, 4, size=3).astype(np.float64)
    yield inputs, weights, float(-(inputs @ weights)), target, "z == 0 exactly"


def _numerical_neuron_gradients(inputs, weights, bias, target):
    """Centred differences of the loss: at z == 0 about -target * inputs, where backprop gives 0."""
    dweights = ref.centred_difference(lambda w: ref.neuron_loss(inputs, w, bias, target), weights)
    dbias = ref.centred_difference(
        lambda b: ref.neuron_loss(inputs, weights, b[0], target), np.array([bias])
    )
    return dweights, dbias[0]


def _own_relu_derivative(relu_derivative, z):
    """The student's relu_derivative at z, as floats for z in float64 and in float32 (their
    neuron_gradients may compute z in either; a numerical derivative differs between them), or
    the failure it gives."""
    values = []
    for number in (np.float64(z), np.float32(z)):
        try:
            got = core.call_student(relu_derivative, number, label="relu_derivative")
            value = core.as_plain_array("relu_derivative(z)", _bool_as_float(got))
        except core.GradingError as failure:
            return failure
        if value.size != 1:
            return core.GradingError(f"relu_derivative of a number returned shape {value.shape}.")
        values.append(float(value.reshape(())))
    return values


def _check_neuron_result(result, inputs, weights, bias, target, context, relu_derivative):
    """Fail unless (dweights, dbias) is right, or right given the student's relu_derivative.

    Returns a note for the student when it passed only given a wrong relu_derivative.
    """
    dweights, dbias = unpack(result, "neuron_gradients", ("dweights", "dbias"))
    if np.ndim(dweights) == 0 and np.ndim(dbias) == 1:
        raise core.GradingError(
            "neuron_gradients returned (dbias, dweights): return (dweights, dbias).", cause=SWAPPED
        )
    if np.size(dbias) != 1:
        raise core.GradingError(
            f"dbias should be a single number, got shape {np.shape(dbias)}: "
            "dL/db = dL/dz * 1, one number for the one bias."
        )
    try:
        _expect_neuron_gradients(dweights, dbias, inputs, weights, bias, target, context)
        return None
    except core.GradingError as failure:
        if relu_derivative is None:
            raise
        z = float(inputs @ weights + bias)
        own = _own_relu_derivative(relu_derivative, z)
        right = float(ref.relu_derivative(z))
        if isinstance(own, core.GradingError):
            raise core.GradingError(
                f"{failure}\n  Note: your relu_derivative fails at z = {z:.3g}, so this could "
                f"not be graded given it: {str(own).splitlines()[0]}",
                cause=failure.cause,
            ) from None
        if all(abs(value - right) <= core.ATOL for value in own):  # theirs is right here
            raise
        upstream = 2 * (max(z, 0.0) - target)
        for value in own:
            if core.matches(dweights, upstream * value * inputs) and core.matches(
                np.reshape(dbias, ()), upstream * value
            ):
                return (
                    f"Note: at z = {z:.3g} your relu_derivative gives {value:.7g} (the course's "
                    f"gives {right:g}); neuron_gradients is right given it, so only the "
                    "relu_derivative exercise loses points for that."
                )
        raise core.GradingError(
            f"{failure}\n  Note: your relu_derivative gives {own[0]:.7g} at z = {z:.3g} (the "
            f"course's gives {right:g}): fix that exercise too.",
            cause=failure.cause,
        ) from None


def _expect_neuron_gradients(dweights, dbias, inputs, weights, bias, target, context):
    expected_w, expected_b = ref.neuron_gradients(inputs, weights, bias, target)
    z = float(inputs @ weights + bias)
    a = max(z, 0.0)
    upstream = 2 * (a - target)
    mask = float(z > 0)
    boundary = upstream * float(z >= 0)
    upstream_mask = upstream * float(upstream > 0)
    numerical_w, numerical_b = (
        _numerical_neuron_gradients(inputs, weights, bias, target) if z == 0 else (None, None)
    )
    context = f"{context} (z = {z:.3g}, target {target:.3g}), " + core.describe(inputs=inputs)
    core.expect_close(
        "dweights",
        dweights,
        expected_w,
        context=context,
        wrong_answers={
            BOUNDARY: boundary * inputs if z == 0 else None,
            NO_MASK: upstream * inputs,
            MISSING_UPSTREAM: mask * inputs,
            MASK_FROM_UPSTREAM: upstream_mask * inputs,
            SIGN: -expected_w,
            TIMES_WEIGHTS: expected_b * weights,
            HALF: expected_w / 2,
            TARGET_MISSING: 2 * a * mask * inputs,
            backprop.NUMERICAL: numerical_w,
        },
    )
    core.expect_close(
        "dbias",
        np.reshape(dbias, ()),
        expected_b,
        context=context,
        wrong_answers={
            BOUNDARY: boundary if z == 0 else None,
            NO_MASK: upstream,
            MISSING_UPSTREAM: mask,
            MASK_FROM_UPSTREAM: upstream_mask,
            SIGN: -expected_b,
            TIMES_BIAS: expected_b * bias,
            HALF: expected_b / 2,
            TARGET_MISSING: 2 * a * mask,
            backprop.NUMERICAL: numerical_b,
        },
    )


def check_neuron_gradients(neuron_gradients, relu_derivative=None):
    """relu_derivative: the student's, which their neuron_gradients may call (one bug costs
    once: a neuron_gradients right given it keeps its points)."""
    rng = core.fresh_rng()
    notes = []
    for inputs, weights, bias, target, what in _neuron_cases(rng):
        result = core.call_student(
            neuron_gradients,
            inputs,
            weights,
            bias,
            target,
            label="neuron_gradients",
            names=("inputs", "weights", "bias", "target"),
        )
        note = _check_neuron_result(result, inputs, weights, bias, target, what, relu_derivative)
        notes += [note] if note and note not in notes else []
    # numerical differentiation needs two dot products of all the inputs per weight: 2e10
    # multiplications here, seconds even with a fast BLAS on a quiet machine (at 20,000 inputs
    # one run came in under the budget); the chain rule: well under 0.1 s
    n_inputs = 100_000
    large = (
        signed_values(rng, n_inputs),
        rng.normal(size=n_inputs) / np.sqrt(n_inputs),
        float(rng.normal()),
        float(rng.uniform(0.5, 2.0)),
    )

    def check_large(got, want):
        note = _check_neuron_result(
            got, *large, f"a neuron with {n_inputs:,} inputs", relu_derivative
        )
        notes.extend([note] if note and note not in notes else [])

    backprop.expect_backprop_cost(
        neuron_gradients,
        *large,
        label="neuron_gradients",
        names=("inputs", "weights", "bias", "target"),
        size=f"a neuron with {n_inputs:,} inputs",
        reference=ref.neuron_gradients,
        check=check_large,
    )
    for note in notes:
        print(note)
    core.passed(
        "neuron_gradients matches the reference for active, inactive and z == 0 neurons, "
        "and costs about one forward pass"
    )
