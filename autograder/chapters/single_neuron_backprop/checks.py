"""Hidden tests for chapter 4, backpropagation of a single neuron.

The catalogue of backprop mistakes (core.Mistake: the "Likely cause" the student reads, an id
for the class's records) is defined here for chapters 4 and 5. Each names what the values
match, as a possibility: the check sees numbers, not code.

One bug costs once: neuron_gradients is also right when it is right given the student's own
relu_derivative, and train_neuron when it is right given their own neuron_gradients (the
grader's loop calls it through the channel); a failure caused by the earlier exercise says so.
"""

import numpy as np

from autograder import core
from autograder.chapters.single_neuron_backprop import reference as ref

Mistake = core.Mistake

BOUNDARY = Mistake(
    "relu_derivative_at_zero",
    "ReLU'(0) taken as 1",
    "at z == 0 these values take the ReLU derivative as 1, as z >= 0 does; the course takes "
    "ReLU'(0) = 0, as z > 0 does",
)
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
SIGN_UPDATE = Mistake(
    "sign_error_update",
    "sign error in the update",
    "these values are what stepping along the gradient gives (w + learning_rate * dw): "
    "gradient descent steps against it, w = w - learning_rate * dw",
)
LOSS_AFTER_UPDATE = Mistake(
    "loss_after_update",
    "loss recorded after the update",
    "these losses are each one step late, as when each is recorded after its update: record "
    "it before",
)
EARLIER = Mistake(
    "earlier_exercise",
    "caused by an earlier exercise",
    "an earlier exercise this one calls fails here",
)


def signed_values(rng, size):
    """Values of magnitude 0.5 to 2 with random signs: no accidental zeros."""
    return rng.choice([-1.0, 1.0], size=size) * rng.uniform(0.5, 2.0, size=size)


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
                core.NUMERICAL: ref.centred_difference(lambda v: float(np.sum(ref.relu(v))), z),
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


def matches(got, expected, rtol=core.RTOL, atol=core.ATOL):
    """True when `got` (the student's value, any form) equals `expected` within tolerance."""
    try:
        got = core.as_plain_array("value", got)
    except core.GradingError:
        return False
    return core._close(got, np.asarray(expected, dtype=np.float64), rtol, atol)


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
            if matches(dweights, upstream * value * inputs) and matches(
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
            NO_MASK: upstream,
            MISSING_UPSTREAM: mask,
            MASK_FROM_UPSTREAM: upstream_mask,
            SIGN: -expected_b,
            TIMES_BIAS: expected_b * bias,
            HALF: expected_b / 2,
            TARGET_MISSING: 2 * a * mask,
            core.NUMERICAL: numerical_b,
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

    core.expect_backprop_cost(
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


def _train_variant(
    gradients, inputs, weights, bias, target, learning_rate, n_iterations, update_bias=True
):
    """The reference loop with `gradients(inputs, w, b, target) -> (dw, db)`: the reference's
    or the student's own neuron_gradients (through the channel)."""
    losses, w, b = [], np.array(weights, dtype=np.float64), float(bias)
    for _ in range(n_iterations):
        losses.append(ref.neuron_loss(inputs, w, b, target))
        dweights, dbias = gradients(inputs, w, b, target)
        w = w - learning_rate * dweights
        b = b - learning_rate * dbias if update_bias else b
    return np.array(losses), w, b


# Training loops, graded given the student's own gradient function (one bug costs once; the
# layer's train_layer is graded the same way, see layer_backprop)


def own_gradients(fn, label, names, returns):
    """The student's gradient function `fn` as the grader's loop needs it: called through the
    channel on (inputs, weights, bias[, target]), its two gradients (named `returns`) checked
    and shaped like the weights and the bias, in float64; a GradingError when unusable."""

    def gradients(*args):
        result = core.call_student(fn, *args, label=label, names=names)
        got = unpack(result, label, returns)
        got = [core.as_plain_array(n, g) for n, g in zip(returns, got, strict=True)]
        params = args[1:3]
        # a number's gradient may come as any array of one number; arrays keep their shape
        if any(
            g.shape != np.shape(p) if np.ndim(p) else g.size != 1
            for g, p in zip(got, params, strict=True)
        ):
            shapes = " and ".join(f"{n} {g.shape}" for n, g in zip(returns, got, strict=True))
            raise core.GradingError(f"{label} returned {shapes}.")
        return tuple(g.reshape(np.shape(p)) for g, p in zip(got, params, strict=True))

    return gradients


def _same(got, expected):
    return all(matches(g, w) for g, w in zip(got, expected, strict=True))


def grade_run(call, run, expect, own, names):
    """One run of the student's training loop, graded so that one bug costs once.

    call() -> the student's (losses, weights, bias); run(sign, extra, update_bias[, gradients])
    -> the grader's loop with the reference's gradients or `own`, the student's own
    (own_gradients, or None); expect(result, run) raises the diagnosed failure. names: (this
    function, the earlier one it calls). Passes when the run equals the reference loop's, or
    the loop's driven by the student's own gradients (then returns a note for the student);
    a failure caused by the earlier function says so.
    """
    this, earlier = names
    try:
        result = call()
    except core.GradingError as failure:
        raise _blame_earlier(failure, own, run, names) from None
    expected = run(1, 0, True)
    if _same(result, expected):
        return None
    if own is None:
        expect(result, run)
        return None
    try:
        own_run = run(1, 0, True, own)
    except core.GradingError as failure:
        raise core.GradingError(
            f"{this} could not be graded: it calls your {earlier}, which fails on the same "
            f"inputs ({str(failure).splitlines()[0]}). The cause is the {earlier} exercise: fix "
            "it first.",
            cause=EARLIER,
        ) from None
    if _same(own_run, expected):  # their gradients are right: the loop itself is wrong
        expect(result, run)
        return None
    if _same(result, own_run):
        return (
            f"Note: your {earlier} does not match the reference (its own test says how), and "
            f"{this} does exactly what the reference loop does with it: {this} keeps its points."
        )
    try:
        expect(result, lambda *variant: run(*variant, own))
    except core.GradingError as failure:
        raise core.GradingError(
            f"{failure}\n  (Compared with the reference loop driven by your own {earlier}, "
            "which is wrong too: its own test says how.)",
            cause=failure.cause,
        ) from None
    return None


def _blame_earlier(failure, own, run, names):
    """The student's loop raised: name the earlier function as the cause when it raises too."""
    this, earlier = names
    if own is None:
        return failure
    try:
        run(1, 0, True, own)
    except core.GradingError as cause:
        return core.GradingError(
            f"{failure}\n  Likely cause: your {earlier}, which {this} calls, fails on the "
            f"same inputs ({str(cause).splitlines()[0]}): fix the {earlier} exercise first.",
            cause=EARLIER,
        )
    return failure


def expect_run(result, run, context, start_bias, n_iterations, bias_name, frozen):
    """Compare a loop's (losses, weights, bias) with run(sign, extra, update_bias), naming the
    catalogued mistakes of a training loop; frozen: the Mistake of a bias never updated."""
    losses, final_weights, final_bias = result
    expected, ascent, late = run(1, 0, True), run(-1, 0, True), run(1, 1, True)
    never = run(1, 0, False) if n_iterations > 1 else None
    core.expect_close(
        "losses",
        losses,
        expected[0],
        context=context,
        wrong_answers={
            SIGN_UPDATE: ascent[0] if n_iterations > 1 else None,
            LOSS_AFTER_UPDATE: late[0][1:],
            frozen: None if never is None else never[0],
        },
    )
    core.expect_close(
        "final weights",
        final_weights,
        expected[1],
        context=context,
        wrong_answers={SIGN_UPDATE: ascent[1]},
    )
    core.expect_close(
        f"final {bias_name}",
        final_bias,
        expected[2],
        context=context,
        wrong_answers={SIGN_UPDATE: ascent[2], frozen: start_bias},
    )


def _trained(result):
    losses, weights, bias = unpack(result, "train_neuron", ("losses", "weights", "bias"))
    return np.ravel(np.asarray(losses, dtype=np.float64)), weights, np.reshape(bias, ())


BIAS_FROZEN = Mistake(
    "bias_not_updated",
    "bias never updated",
    "these values are what a loop that never updates the bias gives",
)
NAMES = ("inputs", "weights", "bias", "target", "learning_rate", "n_iterations")
NAMES_GRADIENTS = NAMES[:4]


def check_train_neuron(train_neuron, neuron_gradients=None):
    """neuron_gradients: the student's, which train_neuron calls. One bug costs once: a
    train_neuron whose run equals the reference loop driven by the student's own
    neuron_gradients keeps its points, and a failure caused by it names that exercise."""
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
    own = neuron_gradients and own_gradients(
        neuron_gradients, "neuron_gradients", NAMES_GRADIENTS, ("dweights", "dbias")
    )
    notes = []
    for bias, learning_rate, n_iterations, what in cases:
        args = (inputs, weights, bias, target, learning_rate, n_iterations)
        context = (
            f"{what}: learning_rate {learning_rate:.4g}, n_iterations {n_iterations}, "
            + core.describe(inputs=inputs)
        )

        def run(sign, extra, update_bias, gradients=ref.neuron_gradients, args=args):
            inputs, weights, bias, target, learning_rate, n_iterations = args
            return _train_variant(
                gradients,
                inputs,
                weights,
                bias,
                target,
                sign * learning_rate,
                n_iterations + extra,
                update_bias,
            )

        def call(args=args):
            result = core.call_student(train_neuron, *args, label="train_neuron", names=NAMES)
            return _trained(result)

        def expect(result, run, context=context, bias=bias, n_iterations=n_iterations):
            expect_run(result, run, context, bias, n_iterations, "bias", BIAS_FROZEN)

        notes.append(grade_run(call, run, expect, own, ("train_neuron", "neuron_gradients")))
    for note in dict.fromkeys(n for n in notes if n):
        print(note)
    core.passed(
        "train_neuron matches the reference loop"
        + (" driven by your neuron_gradients" if any(notes) else "")
        + " on runs of random rates and lengths"
    )
