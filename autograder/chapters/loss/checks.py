"""Hidden tests for chapter 3, loss: Loss.calculate, categorical cross-entropy, accuracy."""

import numpy as np

from autograder import core
from autograder.chapters.activations import reference as activations
from autograder.chapters.loss import reference as ref

ONE_HOT_NOT_HANDLED = (
    "one-hot labels not handled: when y_true is 2-D (one row per sample, 1 at the correct "
    "class), the correct confidences are np.sum(y_pred * y_true, axis=1)"
)
ONE_HOT_CRASHES = (
    ("IndexError", ONE_HOT_NOT_HANDLED),
    ("could not be broadcast", ONE_HOT_NOT_HANDLED),
    ("shape mismatch", ONE_HOT_NOT_HANDLED),
)


def _predictions(rng, n_samples, n_classes, dtype=np.float64):
    """Softmax rows of moderate random scores: no probability near 0 or 1."""
    return activations.softmax(rng.normal(scale=1.5, size=(n_samples, n_classes))).astype(dtype)


def _one_hot(labels, n_classes, dtype):
    return np.eye(n_classes, dtype=dtype)[labels]


def check_loss_calculate(Loss):
    rng = core.fresh_rng()
    for n_samples, dtype in (
        (int(rng.integers(3, 9)), np.float64),
        (1, np.float64),
        (6, np.float32),
    ):
        n_classes = n_samples + 1
        output = _predictions(rng, n_samples, n_classes)
        y = rng.integers(0, n_classes, size=n_samples).astype(np.uint8)
        sample_losses = rng.uniform(0.05, 3.0, size=n_samples).astype(dtype)
        loss = core.call_student(Loss, label="Loss()")
        # a stand-in forward (the grader's function: the kernel can only call it) returning
        # known per-sample losses, and recording what it was given
        calls = []

        def forward(*args, sample_losses=sample_losses, calls=calls):
            calls.append(args)
            return sample_losses.copy()

        loss.forward = forward
        got = core.call_student(
            loss.calculate, output, y, label="Loss.calculate(output, y)", names=("output", "y")
        )
        if not calls:
            raise core.GradingError(
                "Loss.calculate did not call self.forward(output, y): the base class does not "
                "know which loss it computes, its subclass's forward does."
            )
        given = calls[-1]
        if len(given) == 2 and _same(given[0], y) and _same(given[1], output):
            raise core.GradingError(
                "Loss.calculate called self.forward(y, output): the arguments are swapped, "
                "call self.forward(output, y)."
            )
        if not (len(given) == 2 and _same(given[0], output) and _same(given[1], y)):
            raise core.GradingError(
                "Loss.calculate must call self.forward(output, y) with the predictions and the "
                "labels it was given, unchanged; it called self.forward with "
                f"{core.describe(**{f'argument {i}': a for i, a in enumerate(given)})}."
            )
        if got is None:
            raise core.GradingError(
                "Loss.calculate returned None: return the mean of the per-sample losses."
            )
        got = core.as_plain_array("Loss.calculate", got)
        if got.ndim != 0:
            raise core.GradingError(
                f"Loss.calculate should return one number, got shape {got.shape}: "
                "take the mean of the per-sample losses that self.forward returns."
            )
        sample_losses = sample_losses.astype(np.float64)
        core.expect_close(
            "Loss.calculate",
            got,
            ref.mean_loss(sample_losses),
            context=f"per-sample losses {core.excerpt(sample_losses)}",
            wrong_answers={
                "sum instead of mean: the batch loss is the MEAN of the per-sample losses, "
                "so it does not grow with the batch size": np.sum(sample_losses),
                "the predictions were averaged, not the per-sample losses that "
                "self.forward(output, y) returns": np.mean(output),
                "divided by the number of classes, not the number of samples": (
                    np.sum(sample_losses) / n_classes
                ),
            },
        )
    core.passed("Loss.calculate returns the mean of what self.forward returns")


def _same(got, expected):
    """`got` (as the kernel sent it) holds exactly `expected`'s values, in its shape."""
    got = np.asarray(got)
    return (
        got.shape == expected.shape and got.dtype.kind in "biuf" and np.array_equal(got, expected)
    )


def _batch_shape(rng):
    """(n_samples, n_classes), not square, so that axis and indexing mistakes show."""
    n_samples, n_classes = int(rng.integers(3, 9)), int(rng.integers(2, 6))
    return (n_samples + 1 if n_samples == n_classes else n_samples), n_classes


def _call_forward(Loss_CategoricalCrossEntropy, y_pred, y_true, causes=()):
    loss = core.call_student(Loss_CategoricalCrossEntropy, label="Loss_CategoricalCrossEntropy()")
    return core.call_student_explained(
        loss.forward,
        y_pred,
        y_true,
        label="Loss_CategoricalCrossEntropy.forward(y_pred, y_true)",
        names=("y_pred", "y_true"),
        causes=causes,
    )


def _expect_sample_losses(got, y_pred, y_true, extra_hint=None):
    """Shape checks that name the usual mistakes, then the values against the reference."""
    name = "Loss_CategoricalCrossEntropy.forward(y_pred, y_true)"
    n_samples = len(y_pred)
    if got is None:
        raise core.GradingError(
            f"{name} returned None: return the per-sample losses (Loss.calculate averages them)."
        )
    got = core.as_plain_array(name, got)
    if got.ndim == 0 and n_samples > 1:
        raise core.GradingError(
            f"{name} returned one number; it should return one loss per sample, shape "
            f"({n_samples},). Loss.calculate takes the mean."
        )
    if got.shape == (n_samples, n_samples) and np.ndim(y_true) == 1:
        raise core.GradingError(
            f"{name} has shape {got.shape}, expected ({n_samples},).\n"
            "  Likely cause: y_pred[:, y_true] picks every label for every sample; "
            "y_pred[range(n_samples), y_true] picks one confidence per sample."
        )
    if got.shape != (n_samples,) and extra_hint:
        raise core.GradingError(
            f"{name} has shape {got.shape}, expected ({n_samples},).\n  Likely cause: {extra_hint}."
        )
    confidences = ref.correct_confidences(np.clip(y_pred, ref.EPSILON, 1 - ref.EPSILON), y_true)
    with np.errstate(all="ignore"):  # nbgrader scores a test cell that warns as failed
        wrong_answers = {
            "the natural log np.log is needed, not np.log10": -np.log10(confidences),
            "only the correct class's confidence counts, not the log of every prediction": (
                -np.sum(np.log(np.asarray(y_pred, dtype=np.float64)), axis=1)
            ),
            "the loss is -log(confidence), not 1 - confidence": 1 - confidences,
        }
    core.expect_close(
        name,
        got,
        ref.categorical_cross_entropy(y_pred, y_true),
        context=core.describe(y_pred=y_pred, y_true=y_true),
        wrong_answers=wrong_answers,
    )
    return got


def check_cce_sparse(Loss_CategoricalCrossEntropy):
    rng = core.fresh_rng()
    # (n_samples, n_classes, prediction dtype, label dtype): spiral_data's labels are uint8
    for n_samples, n_classes, dtype, label_dtype in (
        (*_batch_shape(rng), np.float64, np.int64),
        (1, 3, np.float32, np.uint8),
        (4, 4, np.float32, np.uint8),
    ):
        y_pred = _predictions(rng, n_samples, n_classes, dtype)
        y_true = rng.integers(0, n_classes, size=n_samples).astype(label_dtype)
        got = _call_forward(Loss_CategoricalCrossEntropy, y_pred, y_true)
        _expect_sample_losses(got, y_pred, y_true)
    core.passed("categorical cross-entropy with class-index labels (uint8 too, one sample too)")


def check_cce_one_hot(Loss_CategoricalCrossEntropy):
    rng = core.fresh_rng()
    for n_samples, n_classes, dtype, label_dtype in (
        (*_batch_shape(rng), np.float64, np.float64),
        (1, 3, np.float32, np.uint8),
        (4, 4, np.float32, np.int64),
    ):
        y_pred = _predictions(rng, n_samples, n_classes, dtype)
        labels = rng.integers(0, n_classes, size=n_samples)
        y_true = _one_hot(labels, n_classes, label_dtype)
        got = _call_forward(Loss_CategoricalCrossEntropy, y_pred, y_true, ONE_HOT_CRASHES)
        hint = ONE_HOT_NOT_HANDLED
        shape = (
            core.as_plain_array("forward(y_pred, y_true)", got).shape if got is not None else None
        )
        if shape == (n_classes,) and n_classes != n_samples:
            hint = "the one-hot products were summed over axis=0; sum each row, axis=1"
        # the reference computes the one-hot loss as the class-index one (tests/ checks this)
        _expect_sample_losses(got, y_pred, y_true, extra_hint=hint)
    core.passed("categorical cross-entropy with one-hot labels equals the class-index version")


def _edge_predictions(rng, n_classes, dtype):
    """Rows with exact 0 and exact 1 at the correct class, plus ordinary rows."""
    n_samples = 6
    y_pred = _predictions(rng, n_samples, n_classes)
    labels = rng.integers(0, n_classes, size=n_samples)
    y_pred[0] = 0.0
    y_pred[0, (labels[0] + 1) % n_classes] = 1.0  # certain, and wrong: correct class has 0
    y_pred[1] = 0.0
    y_pred[1, labels[1]] = 1.0  # certain and right
    y_pred[2, labels[2]] = 0.0  # a zero at the correct class of an ordinary row
    y_pred[2] /= y_pred[2].sum()
    return y_pred.astype(dtype), labels.astype(np.uint8)


def _expect_finite(got, y_pred, y_true, kind):
    name = "Loss_CategoricalCrossEntropy.forward(y_pred, y_true)"
    got = core.as_plain_array(name, got)
    if got.shape == (len(y_pred),) and not np.all(np.isfinite(got)):
        raise core.GradingError(
            f"{name} is inf or NaN for a prediction of exactly 0 at the correct class "
            f"({kind} labels).\n"
            "  Likely cause: log of an unclipped 0: -np.log(0) is inf (and 0 * log(0) is NaN). "
            "Clip first: np.clip(y_pred, 1e-7, 1 - 1e-7)."
        )
    zero_loss = got[0] if got.shape == (len(y_pred),) else None
    expected = -np.log(ref.EPSILON)
    if zero_loss is not None and not np.isclose(zero_loss, expected, rtol=1e-4):
        raise core.GradingError(
            f"{name} gives {zero_loss:.6g} for a prediction of exactly 0 at the correct class; "
            f"expected -log(1e-7) = {expected:.6g}.\n"
            "  Likely cause: other clipping bounds: clip y_pred to [1e-7, 1 - 1e-7]."
        )
    _expect_sample_losses(got, y_pred, y_true)


def check_cce_clipping(Loss_CategoricalCrossEntropy):
    rng = core.fresh_rng()
    n_classes = int(rng.integers(3, 6))
    for dtype in (np.float64, np.float32):
        y_pred, labels = _edge_predictions(rng, n_classes, dtype)
        got = _call_forward(Loss_CategoricalCrossEntropy, y_pred, labels)
        _expect_finite(got, y_pred, labels, "class-index")
    # clipping is checked for one-hot labels too, if forward handles them (another test's job)
    y_pred = _predictions(rng, 5, n_classes)
    labels = rng.integers(0, n_classes, size=5)
    y_true = _one_hot(labels, n_classes, np.float64)
    try:
        ordinary = core.as_plain_array(
            "losses", _call_forward(Loss_CategoricalCrossEntropy, y_pred, y_true)
        )
    except core.GradingError:
        ordinary = None
    expected = ref.categorical_cross_entropy(y_pred, labels)
    if ordinary is not None and ordinary.shape == expected.shape:
        if np.allclose(ordinary, expected, rtol=1e-4):
            y_pred, labels = _edge_predictions(rng, n_classes, np.float64)
            y_true = _one_hot(labels, n_classes, np.float64)
            got = _call_forward(Loss_CategoricalCrossEntropy, y_pred, y_true)
            _expect_finite(got, y_pred, y_true, "one-hot")
    core.passed("categorical cross-entropy stays finite for predictions of exactly 0 and 1")


def _accuracy_case(rng, n_samples, n_classes, n_correct, dtype):
    """Predictions with distinct scores per row and labels of which exactly n_correct match."""
    y_pred = _predictions(rng, n_samples, n_classes, dtype)
    predicted = np.argmax(y_pred, axis=1)
    labels = (predicted + rng.integers(1, n_classes, size=n_samples)) % n_classes
    right = rng.permutation(n_samples)[:n_correct]
    labels[right] = predicted[right]
    return y_pred, labels


def check_accuracy(accuracy):
    rng = core.fresh_rng()
    n_samples = int(rng.integers(6, 12))
    n_classes = int(rng.integers(3, 6))
    sparse_crash = (
        ("could not be broadcast", "np.argmax(y_pred, axis=1): one predicted class per ROW"),
    )
    one_hot_crash = (
        (
            "could not be broadcast",
            "one-hot targets not handled (or converted along the wrong axis): turn each ROW "
            "into its class index first, np.argmax(y_true, axis=1)",
        ),
    )
    # (n_samples, n_classes, n_correct, prediction dtype, labels as one-hot?, label dtype)
    cases = [
        (n_samples, n_classes, int(rng.integers(1, n_samples)), np.float64, False, np.int64),
        (1, 3, 0, np.float32, False, np.uint8),
        (n_samples, n_classes, int(rng.integers(1, n_samples)), np.float64, True, np.float64),
        (4, 4, 3, np.float32, True, np.uint8),
        (5, 5, 2, np.float32, False, np.uint8),
    ]
    for n, k, n_correct, dtype, one_hot, label_dtype in cases:
        y_pred, labels = _accuracy_case(rng, n, k, n_correct, dtype)
        y_true = _one_hot(labels, k, label_dtype) if one_hot else labels.astype(label_dtype)
        got = core.call_student_explained(
            accuracy,
            y_pred,
            y_true,
            label="accuracy(y_pred, y_true)",
            names=("y_pred", "y_true"),
            causes=one_hot_crash if one_hot else sparse_crash,
        )
        if got is None:
            raise core.GradingError("accuracy returned None: return the fraction of correct rows.")
        # np.ndim only names the mistake; expect_close reads the values itself
        if np.ndim(got) != 0:
            raise core.GradingError(
                f"accuracy should return one number, got shape {np.shape(got)}: the mean of "
                "predictions == y_true, the fraction of samples classified correctly."
            )
        predicted = np.argmax(np.asarray(y_pred, dtype=np.float64), axis=1)
        wrong = {
            "the number of correct predictions, not their fraction: sum instead of mean": n_correct,
            "compare the INDEX of the largest prediction (np.argmax), not its value (np.max)": (
                np.mean(np.max(y_pred, axis=1) == labels)
            ),
        }
        if n == k:
            wrong["argmax over the wrong axis: one predicted class per ROW, axis=1"] = np.mean(
                np.argmax(y_pred, axis=0) == labels
            )
            if one_hot:
                wrong[one_hot_crash[0][1]] = np.mean(predicted == y_true)
        core.expect_close(
            "accuracy(y_pred, y_true)",
            got,
            ref.accuracy(y_pred, y_true),
            context=f"{n} samples, {n_correct} predicted correctly"
            + (", one-hot targets" if one_hot else ""),
            wrong_answers=wrong,
        )
    core.passed("accuracy matches the reference for class indices and one-hot targets")
