"""Hidden tests for chapter 4, backpropagation of a single neuron."""

import numpy as np

from autograder import core
from autograder.reference import backprop as ref

BOUNDARY = "at z == 0 the ReLU derivative is taken as 0: use z > 0, not z >= 0"
HALF = "the factor 2 of dL/da = 2 * (output - target) is missing"
NO_MASK = (
    "the ReLU derivative is missing: when z <= 0 the ReLU is off, "
    "d(output)/dz = 0 and every gradient is 0"
)


def signed_values(rng, size):
    """Values of magnitude 0.5 to 2 with random signs: no accidental zeros."""
    return rng.choice([-1.0, 1.0], size=size) * rng.uniform(0.5, 2.0, size=size)


def _with_hint(error, hint):
    return core.GradingError(f"{error}\n  Likely cause: {hint}.")


def _bool_as_float(value):
    """A boolean mask is a fine 0/1 derivative: compare it as numbers."""
    if isinstance(value, (bool, np.bool_)) or (
        isinstance(value, np.ndarray) and value.dtype == bool
    ):
        return np.asarray(value, dtype=np.float64)
    return value


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
                raise _with_hint(
                    error,
                    "`if z > 0:` decides for the whole array at once; decide element by "
                    "element with np.where(z > 0, 1.0, 0.0)",
                ) from None
            raise
        got = _bool_as_float(got)
        core.expect_close(
            "relu_derivative(z)",
            got,
            ref.relu_derivative(z),
            context=f"z of shape {z.shape}" + (" with exact zeros" if z.size else ""),
            wrong_answers={
                BOUNDARY: (z >= 0).astype(np.float64),
                "this is ReLU itself, max(0, z); its derivative is 1 where z > 0, else 0": (
                    ref.relu(z)
                ),
                "negative z should give 0, not -1 (np.sign is not the ReLU derivative)": np.sign(z),
                # 0.5 at the kink: the average of the slopes on either side
                core.NUMERICAL: ref.centred_difference(lambda v: float(np.sum(ref.relu(v))), z),
            },
        )
    # a NumPy scalar, as the dot product of two vectors returns
    got = core.call_student(relu_derivative, np.float64(2.5), label="relu_derivative")
    core.expect_close("relu_derivative(np.float64(2.5))", _bool_as_float(got), 1.0)
    core.passed("relu_derivative is 1 for z > 0 and 0 for z <= 0, on random shapes")


def _neuron_cases(rng):
    """(inputs, weights, bias, target, what) with the neuron active, inactive and at z == 0."""
    n_inputs = int(rng.integers(1, 8))
    inputs, weights = signed_values(rng, n_inputs), rng.normal(size=n_inputs)
    target = float(rng.uniform(0.5, 2.0))
    z_dot = float(inputs @ weights)
    yield inputs, weights, z_dot * -1 + float(rng.uniform(0.5, 3.0)), target, "an active neuron"
    yield inputs, weights, -z_dot - float(rng.uniform(0.5, 3.0)), target, "an inactive neuron"
    # integer-valued numbers make z exactly 0, whatever dtype the dot product uses
    inputs = rng.integers(-3, 4, size=3).astype(np.float64)
    weights = rng.integers(-3, 4, size=3).astype(np.float64)
    yield inputs, weights, float(-(inputs @ weights)), target, "z == 0 exactly"


def unpack(result, label, names):
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        raise core.GradingError(
            f"{label} should return the tuple ({', '.join(names)}), got {type(result).__name__}"
            + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else "")
            + "."
        )
    return result


def _numerical_neuron_gradients(inputs, weights, bias, target):
    """Centred differences of the loss: at z == 0 about -target * inputs, where backprop gives 0."""
    dweights = ref.centred_difference(lambda w: ref.neuron_loss(inputs, w, bias, target), weights)
    dbias = ref.centred_difference(
        lambda b: ref.neuron_loss(inputs, weights, b[0], target), np.array([bias])
    )
    return dweights, dbias[0]


def check_neuron_gradients(neuron_gradients):
    rng = core.fresh_rng()
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
        dweights, dbias = unpack(result, "neuron_gradients", ("dweights", "dbias"))
        if np.ndim(dweights) == 0 and np.ndim(dbias) == 1:
            raise core.GradingError(
                "neuron_gradients returned (dbias, dweights): return (dweights, dbias)."
            )
        if np.size(dbias) != 1:
            raise core.GradingError(
                f"dbias should be a single number, got shape {np.shape(dbias)}: "
                "dL/db = dL/dz * 1, one number for the one bias."
            )
        expected_w, expected_b = ref.neuron_gradients(inputs, weights, bias, target)
        z = float(inputs @ weights + bias)
        a = max(z, 0.0)
        unmasked = 2 * (a - target)
        boundary = 2 * (a - target) * float(z >= 0)
        context = f"{what} (z = {z:.3g}, target {target:.3g}), " + core.describe(inputs=inputs)
        numerical_w, numerical_b = (
            _numerical_neuron_gradients(inputs, weights, bias, target) if z == 0 else (None, None)
        )
        core.expect_close(
            "dweights",
            dweights,
            expected_w,
            context=context,
            wrong_answers={
                BOUNDARY: boundary * inputs if z == 0 else None,
                NO_MASK: unmasked * inputs,
                "dz/dw_i is the input x_i, not the weight w_i": expected_b * weights,
                HALF: expected_w / 2,
                "dL/da is 2 * (output - target): the target is missing": (
                    2 * a * float(z > 0) * inputs
                ),
                core.NUMERICAL: numerical_w,
            },
        )
        core.expect_close(
            "dbias",
            np.reshape(dbias, ()),
            expected_b,
            context=context,
            wrong_answers={
                BOUNDARY: boundary if z == 0 else None,
                NO_MASK: unmasked,
                "dz/db is 1: dbias is dL/dz itself, not multiplied by the bias": expected_b * bias,
                HALF: expected_b / 2,
                core.NUMERICAL: numerical_b,
            },
        )
    # numerical differentiation needs two dot products of all the inputs per weight: 2e10
    # multiplications here, seconds even with a fast BLAS on a quiet machine (at 20,000 inputs
    # one run came in under the budget); the chain rule: well under 0.1 s
    n_inputs = 100_000
    core.expect_backprop_cost(
        neuron_gradients,
        signed_values(rng, n_inputs),
        rng.normal(size=n_inputs) / np.sqrt(n_inputs),
        float(rng.normal()),
        float(rng.uniform(0.5, 2.0)),
        label="neuron_gradients",
        names=("inputs", "weights", "bias", "target"),
        size=f"a neuron with {n_inputs:,} inputs",
        reference=ref.neuron_gradients,
        check=lambda got, want: core.expect_each(
            ("dweights", "dbias"),
            unpack(got, "neuron_gradients", ("dweights", "dbias")),
            want,
            context=f"a neuron with {n_inputs:,} inputs",
        ),
    )
    core.passed(
        "neuron_gradients matches the reference for active, inactive and z == 0 neurons, "
        "and costs about one forward pass"
    )


def unit(x, index):
    """e_index: 1 at `index`, 0 elsewhere, shaped like x."""
    e = np.zeros(x.shape)
    e[index] = 1.0
    return e


def _cubic(rng, shape):
    """f(v) = sum(a * v**3 + c * v): curved enough that a one-sided difference is off by ~h."""
    a, c = signed_values(rng, shape), rng.normal(size=shape)
    return lambda v: float(np.sum(a * np.asarray(v) ** 3 + c * np.asarray(v)))


def check_centred_difference(centred_difference):
    rng = core.fresh_rng()
    for shape, h in (((int(rng.integers(2, 7)),), 1e-5), ((3, int(rng.integers(2, 5))), 1e-4)):
        x = signed_values(rng, shape)
        f = _cubic(rng, shape)
        calls = []

        def recorded(v, f=f, calls=calls):
            calls.append(np.shape(v))
            return f(v)

        got = core.call_student(
            centred_difference, recorded, x, h, label="centred_difference", names=("f", "x", "h")
        )
        if calls and any(c != x.shape for c in calls):
            raise core.GradingError(
                f"centred_difference called f with an array of shape {calls[0]}; "
                f"f takes arrays shaped like x {x.shape}."
            )
        expected = ref.centred_difference(f, x, h)

        def moved(mask, f=f, x=x, h=h):
            """What a centred difference gives when every entry under `mask` moves at once."""
            return (f(x + h * mask) - f(x - h * mask)) / (2 * h)

        one_sided = np.array(
            [(f(x + h * unit(x, i)) - f(x)) / h for i in np.ndindex(x.shape)]
        ).reshape(shape)
        whole_rows = None
        if x.ndim == 2:
            rows = [moved(np.eye(shape[0])[i][:, None] * np.ones(shape)) for i in range(shape[0])]
            whole_rows = np.repeat(np.array(rows)[:, None], shape[1], axis=1)
        core.expect_close(
            "centred_difference",
            got,
            expected,
            context=f"f(v) = sum(a * v**3 + c * v), x of shape {shape}, h = {h}",
            # the centred difference is this close; a one-sided one is off by ~h
            rtol=1e-7,
            atol=1e-7,
            wrong_answers={
                "a one-sided difference (f(x + h) - f(x)) / h is off by about h: use "
                "(f(x + h e_i) - f(x - h e_i)) / (2h)": one_sided,
                "divided by h instead of 2h: the two points are 2h apart": 2 * expected,
                "every entry of x was moved at once: perturb one entry at a time": np.full(
                    shape, moved(np.ones(shape))
                ),
                "only the first axis was looped over (a whole row moved at once): "
                "use np.ndindex(x.shape) to visit every entry": whole_rows,
            },
        )
    core.passed("centred_difference matches the exact gradient on 1-D and 2-D arrays")


def _stable_rate(rng, inputs, scale=1.0):
    """A learning rate that converges: each step scales z - target by 1 - 2 lr (|x|^2 + 1)."""
    return float(rng.uniform(0.05, 0.9)) / (2 * (inputs @ inputs + 1)) * scale


def _train_variant(inputs, weights, bias, target, learning_rate, n_iterations, update_bias=True):
    losses, w, b = [], np.array(weights, dtype=np.float64), float(bias)
    for _ in range(n_iterations):
        losses.append(ref.neuron_loss(inputs, w, b, target))
        dweights, dbias = ref.neuron_gradients(inputs, w, b, target)
        w = w - learning_rate * dweights
        b = b - learning_rate * dbias if update_bias else b
    return np.array(losses), w, b


def check_train_neuron(train_neuron):
    rng = core.fresh_rng()
    n_inputs = int(rng.integers(2, 6))
    inputs, weights = signed_values(rng, n_inputs), rng.normal(size=n_inputs)
    target = float(rng.choice([0.0, rng.uniform(0.2, 1.0)]))
    active_bias = -float(inputs @ weights) + target + float(rng.uniform(1.0, 3.0))
    cases = [
        (active_bias, _stable_rate(rng, inputs), int(rng.integers(5, 60)), "a random run"),
        (active_bias, _stable_rate(rng, inputs), 1, "one iteration"),
        (-float(inputs @ weights) - 1.0, _stable_rate(rng, inputs), 10, "an inactive neuron"),
    ]
    for bias, learning_rate, n_iterations, what in cases:
        result = core.call_student(
            train_neuron,
            inputs,
            weights,
            bias,
            target,
            learning_rate,
            n_iterations,
            label="train_neuron",
            names=("inputs", "weights", "bias", "target", "learning_rate", "n_iterations"),
        )
        losses, final_weights, final_bias = unpack(
            result, "train_neuron", ("losses", "weights", "bias")
        )
        expected = _train_variant(inputs, weights, bias, target, learning_rate, n_iterations)
        context = (
            f"{what}: learning_rate {learning_rate:.4g}, n_iterations {n_iterations}, "
            + core.describe(inputs=inputs)
        )
        ascent = _train_variant(inputs, weights, bias, target, -learning_rate, n_iterations)
        late = _train_variant(inputs, weights, bias, target, learning_rate, n_iterations + 1)
        frozen_bias = _train_variant(
            inputs, weights, bias, target, learning_rate, n_iterations, update_bias=False
        )
        sign = "sign error in the update: step against the gradient, w = w - learning_rate * dw"
        core.expect_close(
            "losses",
            np.ravel(np.asarray(losses, dtype=np.float64)),
            expected[0],
            context=context,
            wrong_answers={
                sign: ascent[0] if n_iterations > 1 else None,
                "each loss is recorded after its update: record it before": late[0][1:],
                "the bias is never updated": frozen_bias[0] if n_iterations > 1 else None,
            },
        )
        core.expect_close(
            "final weights",
            final_weights,
            expected[1],
            context=context,
            wrong_answers={sign: ascent[1]},
        )
        core.expect_close(
            "final bias",
            np.reshape(final_bias, ()),
            expected[2],
            context=context,
            wrong_answers={sign: ascent[2], "the bias is never updated": bias},
        )
    core.passed("train_neuron matches the reference on runs of random rates and lengths")
