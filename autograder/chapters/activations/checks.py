"""Hidden tests for chapter 2, activations: ReLU and softmax."""

import numpy as np

from autograder import core
from autograder.chapters.activations import reference as ref
from autograder.checking import forward_output

RELU_CRASHES = (
    (
        "truth value of an array",
        "Python's built-in max(0, x) compares whole arrays; "
        "use NumPy's element-wise np.maximum(0, inputs)",
    ),
)
SOFTMAX_CRASHES = (
    (
        "could not be broadcast",
        "np.max or np.sum without keepdims=True: the (n_samples,) result does not line up with "
        "the rows of inputs; keepdims=True keeps it (n_samples, 1) so it broadcasts across each row",
    ),
)


def _relu_cases(rng):
    """inputs of several shapes: a batch, float32 as nnfs.init() gives, one sample, a vector."""
    n_samples, n_neurons = int(rng.integers(2, 9)), int(rng.integers(2, 7))
    return [
        rng.normal(size=(n_samples, n_neurons)),
        rng.normal(size=(4, 3)).astype(np.float32),
        rng.normal(size=(1, n_neurons)),
        rng.normal(size=int(rng.integers(3, 9))),
    ]


def _expect_relu(name, got, inputs):
    got = core.as_plain_array(name, got)
    x = np.asarray(inputs, dtype=np.float64)
    if got.shape != x.shape and got.ndim < x.ndim:
        raise core.GradingError(
            f"{name} has shape {got.shape}, expected {x.shape}: ReLU keeps the shape of its input. "
            "Likely cause: np.max reduces an array to its largest values; "
            "np.maximum(0, inputs) compares element by element."
        )
    core.expect_close(
        name,
        got,
        ref.relu(x),
        context=core.describe(inputs=x),
        wrong_answers={
            "negative inputs must become 0, not positive (np.abs?)": np.abs(x),
            "np.minimum keeps the negative part; ReLU is np.maximum(0, inputs)": np.minimum(0, x),
            "this is the mask inputs > 0 (ReLU's derivative), not max(0, inputs)": (x > 0) * 1.0,
            "negative inputs must become exactly 0 (this is a leaky ReLU)": np.maximum(0.01 * x, x),
        },
    )


def check_relu(relu):
    rng = core.fresh_rng()
    for inputs in _relu_cases(rng):
        got = core.call_student_explained(
            relu, inputs, label="relu(inputs)", names=("inputs",), causes=RELU_CRASHES
        )
        _expect_relu("relu(inputs)", got, inputs)
    core.passed("relu matches the reference on batches, one sample, a vector and float32 inputs")


def _check_activation(cls, owner, cases, causes, reader, expect):
    """Build the student's activation class for each inputs of `cases`, run forward and
    expect(name, self.output, inputs); reader: who reads self.output, for the message."""
    why = f" ({reader} reads it from there; returning it is not enough)"
    for inputs in cases:
        activation = core.call_student(cls, label=f"{owner}()")
        output = forward_output(activation, inputs, owner=owner, why=why, causes=causes)
        expect(f"{owner}.output", output, inputs)


def check_activation_relu(Activation_ReLU):
    rng = core.fresh_rng()
    cases = _relu_cases(rng)[:3]
    _check_activation(
        Activation_ReLU, "Activation_ReLU", cases, RELU_CRASHES, "the next layer", _expect_relu
    )
    core.passed("Activation_ReLU.forward stores max(0, inputs) in self.output")


def _softmax_mistakes(x):
    """{cause: what the mistake computes on x}, in float64 (NaN where it overflows)."""
    square = x.shape[0] == x.shape[1]
    with np.errstate(all="ignore"):
        exp_rows = np.exp(x - np.max(x, axis=1, keepdims=True))
        exp_flat_max = np.exp(x - np.max(x, axis=1)) if square else None
        exp_cols = np.exp(x - np.max(x, axis=0, keepdims=True))
        keepdims = "without keepdims=True, so it is broadcast along the wrong axis"
        return {
            "softmax over the wrong axis: each ROW (one sample) must sum to 1, so use axis=1": (
                exp_cols / np.sum(exp_cols, axis=0, keepdims=True)
            ),
            f"np.max(inputs, axis=1) {keepdims}": (
                exp_flat_max / np.sum(exp_flat_max, axis=1, keepdims=True) if square else None
            ),
            f"np.sum(..., axis=1) {keepdims}": (
                exp_rows / np.sum(exp_rows, axis=1) if square else None
            ),
            f"np.max and np.sum {keepdims}": (
                exp_flat_max / np.sum(exp_flat_max, axis=1) if square else None
            ),
            "the maximum is taken over axis=0 (columns); subtract each row's own maximum, "
            "np.max(inputs, axis=1, keepdims=True)": exp_cols
            / np.sum(exp_cols, axis=1, keepdims=True),
        }


def _expect_softmax(name, got, inputs):
    """Compare with the reference; name overflow, wrong axis and missing keepdims."""
    got = core.as_plain_array(name, got)
    x = np.asarray(inputs, dtype=np.float64)
    expected = ref.softmax(x)
    if got.shape == x.shape:
        bad_rows = ~np.all(np.isfinite(got), axis=1)
        row_max = np.max(x, axis=1)
        if np.any(bad_rows & (row_max > 700)):
            raise core.GradingError(
                f"{name} contains NaN or inf for inputs as large as {row_max.max():.0f}.\n"
                "  Likely cause: no max subtraction: np.exp(1000) overflows to inf and inf / inf "
                "is NaN. Subtract each row's maximum first, "
                "inputs - np.max(inputs, axis=1, keepdims=True): softmax does not change."
            )
        if np.any(bad_rows):
            raise core.GradingError(
                f"{name} contains NaN for rows whose values are far below the largest value "
                "of the batch.\n"
                "  Likely cause: the maximum of the whole array (or of a column) was subtracted, "
                "so those rows underflow to exp(-2000) = 0 and 0 / 0 is NaN. Subtract each row's "
                "own maximum: np.max(inputs, axis=1, keepdims=True)."
            )
        row_sums = np.sum(got, axis=1)
        if not np.allclose(row_sums, 1.0, rtol=1e-4):
            column_sums = np.sum(got, axis=0)
            if np.allclose(column_sums, 1.0, rtol=1e-4):
                cause = (
                    "softmax over the wrong axis: the columns sum to 1; each ROW (one sample) "
                    "must, so use axis=1"
                )
            elif np.isclose(np.sum(got), 1.0, rtol=1e-4):
                cause = (
                    "normalised over the whole array (np.sum without axis=1): "
                    "each row must sum to 1 on its own"
                )
            else:
                cause = None
            if cause:
                raise core.GradingError(
                    f"{name}: each row should sum to 1, got row sums {core.excerpt(row_sums)}.\n"
                    f"  Likely cause: {cause}."
                )
    core.expect_close(
        name,
        got,
        expected,
        context=core.describe(inputs=x),
        wrong_answers={
            **_softmax_mistakes(x),
            "the exponentials are not normalised: divide each row by its sum": np.exp(
                x - np.max(x, axis=1, keepdims=True)
            ),
        },
    )


def _softmax_cases(rng):
    """Moderate scores: a batch (n_samples != n_classes), a square float32 batch (wrong axes
    still run there), one sample."""
    n_samples, n_classes = int(rng.integers(2, 8)), int(rng.integers(2, 6))
    if n_samples == n_classes:
        n_samples += 1
    return [
        rng.normal(scale=2.0, size=(n_samples, n_classes)),
        rng.normal(scale=2.0, size=(4, 4)).astype(np.float32),
        rng.normal(scale=2.0, size=(1, int(rng.integers(2, 6)))),
    ]


def _large_cases(rng):
    """Scores that overflow np.exp: rows near +1000 and rows near -1000 in one batch."""
    n_classes = int(rng.integers(3, 6))
    offsets = np.array([[1000.0], [-1000.0], [0.0], [800.0], [-1000.0]])
    rows = offsets + rng.normal(scale=3.0, size=(5, n_classes))
    rows[0, 0] = 1000.0  # one row with a single dominant score
    rows[0, 1:] = 0.0
    return [rows, rows.astype(np.float32)]


def check_softmax(softmax):
    rng = core.fresh_rng()
    for inputs in _softmax_cases(rng):
        got = core.call_student_explained(
            softmax, inputs, label="softmax(inputs)", names=("inputs",), causes=SOFTMAX_CRASHES
        )
        _expect_softmax("softmax(inputs)", got, inputs)
    core.passed("softmax matches the reference on random scores, float32 and one sample")


def check_softmax_large_inputs(softmax):
    rng = core.fresh_rng()
    for inputs in _large_cases(rng):
        got = core.call_student_explained(
            softmax, inputs, label="softmax(inputs)", names=("inputs",), causes=SOFTMAX_CRASHES
        )
        _expect_softmax("softmax(inputs)", got, inputs)
    core.passed("softmax stays finite and exact for scores near +-1000")


def check_activation_softmax(Activation_Softmax):
    rng = core.fresh_rng()
    cases = _softmax_cases(rng) + _large_cases(rng)[:1]
    _check_activation(
        Activation_Softmax,
        "Activation_Softmax",
        cases,
        SOFTMAX_CRASHES,
        "the loss",
        _expect_softmax,
    )
    core.passed("Activation_Softmax.forward stores the softmax of its inputs, large ones too")
