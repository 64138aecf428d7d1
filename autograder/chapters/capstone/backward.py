"""Chapter 6's backward passes: Activation_Softmax.backward (exercise 6.1),
Loss_CategoricalCrossEntropy.backward (6.2) and the combined softmax + cross-entropy (6.3).
"""

import numpy as np

from autograder import backprop, core
from autograder.chapters.capstone import reference as ref
from autograder.chapters.capstone import shared


def _softmax_wrong_answers(output, dvalues):
    n_samples = len(output)
    s, dv = output, dvalues
    weighted = np.sum(s * dv, axis=1, keepdims=True)
    jacobians = ref.softmax_jacobians(s)
    return {
        "these values have the opposite sign of the right ones: each Jacobian is "
        "diag(s) - s s^T, not s s^T - diag(s)": -ref.softmax_backward(s, dv),
        "only the diagonal of each Jacobian was used (dvalues * s * (1 - s)); every softmax "
        "output depends on every input, so multiply by the whole matrix diag(s) - s s^T": (
            dv * s * (1 - s)
        ),
        "the diagonal part of the Jacobian is missing: it is np.diagflat(s) - s s^T, not -s s^T": -s
        * weighted,
        "s s^T was computed as an inner product (one number): reshape each sample's output "
        "to a column, .reshape(-1, 1), so np.dot(s, s.T) is the (n_classes, n_classes) "
        "outer product": s * dv
        - np.sum(s * s, axis=1, keepdims=True) * np.sum(dv, axis=1, keepdims=True),
        "every sample used the first sample's Jacobian: build one Jacobian per sample "
        "from that sample's output": (
            np.einsum("jk,ik->ij", jacobians[0], dv) if n_samples > 1 else None
        ),
        "the Jacobian was built from dvalues; build it from self.output, the probabilities "
        "forward computed": ref.softmax_backward(dv, dv),
        "dinputs was divided by n_samples: the loss's backward pass already divides; softmax "
        "only applies its Jacobian": (ref.softmax_backward(s, dv) / n_samples)
        if n_samples > 1
        else None,
    }


def check_activation_softmax_backward(Activation_Softmax):
    rng = core.fresh_rng()
    n_samples, n_classes = shared.sizes(rng)
    cases = [(n_samples, n_classes, np.float64), (1, 4, np.float64), (5, 3, np.float32)]
    for n_samples, n_classes, dtype in cases:
        output = shared.probabilities(rng, n_samples, n_classes).astype(dtype)
        dvalues = rng.normal(size=(n_samples, n_classes)).astype(dtype)
        activation = core.call_student(Activation_Softmax, label="Activation_Softmax()")
        # backward reads the probabilities forward stored; set them as forward would
        activation.output = output.copy()
        label = "Activation_Softmax.backward(dvalues)"
        returned = core.call_student(activation.backward, dvalues, label=label, names=("dvalues",))
        dinputs = shared.stored(activation, "dinputs", label, returned)
        if not np.array_equal(np.asarray(activation.output), output):
            raise core.GradingError(
                "Activation_Softmax.backward changed self.output: compute the Jacobians from "
                "it, but leave it as forward stored it."
            )
        core.expect_close(
            "Activation_Softmax.dinputs",
            dinputs,
            ref.softmax_backward(output, dvalues),
            context=core.describe(output=output, dvalues=dvalues) + f", {np.dtype(dtype)}",
            wrong_answers=_softmax_wrong_answers(output.astype(np.float64), dvalues),
        )
    activation = core.call_student(Activation_Softmax, label="Activation_Softmax()")
    output = shared.probabilities(rng, shared.SOFTMAX_COST_SAMPLES, shared.SOFTMAX_COST_CLASSES)
    activation.output = output
    backprop.expect_backprop_cost(
        activation.backward,
        rng.normal(size=(shared.SOFTMAX_COST_SAMPLES, shared.SOFTMAX_COST_CLASSES)),
        label="Activation_Softmax.backward(dvalues)",
        names=("dvalues",),
        size=shared.cost_size(shared.SOFTMAX_COST_CLASSES, n_samples=shared.SOFTMAX_COST_SAMPLES),
        # the Jacobians' product without building them (O(n_samples * n_classes)): the budget
        # is that time's multiple, so it must not include the reference's own 160 MB of
        # Jacobians (timed with them, a numerical version one sample at a time fit in it)
        reference=lambda dvalues: (
            output * (dvalues - np.sum(output * dvalues, axis=1, keepdims=True))
        ),
        check=lambda got, want: core.expect_close(
            "Activation_Softmax.dinputs",
            core.attribute(activation, "dinputs", "Activation_Softmax.backward"),
            want,
            context=shared.cost_size(
                shared.SOFTMAX_COST_CLASSES, n_samples=shared.SOFTMAX_COST_SAMPLES
            ),
        ),
    )
    core.passed(
        "Activation_Softmax.backward matches the per-sample Jacobian on fresh random shapes, "
        "one sample and float32, and costs about one forward pass"
    )


def _backward_cases(cls, name, one_hot, rng):
    """The student's `name`.backward(dvalues, y_true) of a new cls() on each case: random
    sizes, one sample, and float32 predictions with uint8 labels (what spiral_data and
    nnfs.init() give). Yields (n_samples, n_classes, dvalues, y_true, self.dinputs as set)."""
    n_samples, n_classes = shared.sizes(rng)
    cases = [(n_samples, n_classes, np.float64, np.int64), (1, 3, np.float64, np.int64)]
    cases.append((6, 3, np.float32, np.uint8))
    for n_samples, n_classes, dtype, label_dtype in cases:
        dvalues = shared.probabilities(rng, n_samples, n_classes).astype(dtype)
        y_true = shared.labels(rng, n_samples, n_classes, one_hot, label_dtype)
        obj = core.call_student(cls, label=f"{name}()")
        label = f"{name}.backward(dvalues, y_true)"
        returned = core.call_student_explained(
            obj.backward,
            dvalues,
            y_true,
            label=label,
            names=("dvalues", "y_true"),
            causes=shared.ONE_HOT_CRASHES if one_hot else shared.SPARSE_CRASHES,
        )
        yield n_samples, n_classes, dvalues, y_true, shared.stored(obj, "dinputs", label, returned)


def _check_loss_backward(Loss_CategoricalCrossEntropy, one_hot):
    rng = core.fresh_rng()
    name = "Loss_CategoricalCrossEntropy"
    for n_samples, n_classes, dvalues, y_true, dinputs in _backward_cases(
        Loss_CategoricalCrossEntropy, name, one_hot, rng
    ):
        got = core.as_plain_array("Loss_CategoricalCrossEntropy.dinputs", dinputs)
        if got.ndim == 3:
            raise core.GradingError(
                f"Loss_CategoricalCrossEntropy.dinputs has shape {got.shape}, expected "
                f"{dvalues.shape}. Likely cause: one-hot labels were one-hot encoded again "
                "(np.eye(n_classes)[y_true] on a 2-D y_true): only 1-D class indices need it."
            )
        Y = ref.one_hot(y_true, n_classes)
        p = dvalues.astype(np.float64)
        core.expect_close(
            "Loss_CategoricalCrossEntropy.dinputs",
            got,
            ref.cross_entropy_backward(p, y_true),
            context=core.describe(dvalues=dvalues) + f" and {shared.label_kind(one_hot)}",
            wrong_answers={
                "the division by n_samples is missing: the loss is the mean over the samples, "
                "so each sample's gradient is divided by n_samples (len(dvalues))": (
                    -Y / p if n_samples > 1 else None
                ),
                "these values are divided by n_samples twice (n_samples squared): divide "
                "once, the mean's 1/n_samples": -Y / p / n_samples**2 if n_samples > 1 else None,
                "these values are divided by n_samples * n_classes, as a mean over every "
                "entry (np.mean) would be; the loss averages over the samples only, so "
                "divide by n_samples": -Y / p / (n_samples * n_classes),
                "divided by the number of classes; divide by the number of samples, "
                "len(dvalues)": -Y / p / n_classes,
                "-1/dvalues for every class: only the correct class's probability is in the "
                "loss, so the gradient is -y_true/dvalues with one-hot y_true (zero elsewhere)": (
                    -1 / p / n_samples
                ),
                "this is the loss (-y log p), not its derivative (-y / p)": (
                    -Y * np.log(p) / n_samples
                ),
                "the sign is flipped: the derivative of -log(p) is -1/p": Y / p / n_samples,
            },
        )
    kind = _expect_label_cost(
        Loss_CategoricalCrossEntropy,
        "Loss_CategoricalCrossEntropy",
        one_hot,
        rng,
        ref.cross_entropy_backward,
    )
    core.passed(
        f"Loss_CategoricalCrossEntropy.backward matches the reference with {kind}, and costs "
        "about one forward pass"
    )


def _expect_label_cost(cls, name, one_hot, rng, reference):
    """`name`.backward(dvalues, y_true) of a new cls() costs about one forward pass on a large
    batch with one_hot (or class-index) labels, and sets dinputs as `reference` computes it
    there (backprop.expect_backprop_cost). Returns the labels' kind, for the passed line."""
    kind = shared.label_kind(one_hot)
    obj = core.call_student(cls, label=f"{name}()")
    backprop.expect_backprop_cost(
        obj.backward,
        shared.probabilities(rng, shared.COST_SAMPLES, shared.COST_CLASSES),
        shared.labels(rng, shared.COST_SAMPLES, shared.COST_CLASSES, one_hot),
        label=f"{name}.backward(dvalues, y_true)",
        names=("dvalues", "y_true"),
        size=shared.cost_size(shared.COST_CLASSES, kind),
        reference=reference,
        check=lambda got, want: core.expect_close(
            f"{name}.dinputs",
            core.attribute(obj, "dinputs", f"{name}.backward"),
            want,
            context=shared.cost_size(shared.COST_CLASSES, kind),
        ),
    )
    return kind


def check_loss_backward_sparse(Loss_CategoricalCrossEntropy):
    _check_loss_backward(Loss_CategoricalCrossEntropy, one_hot=False)


def check_loss_backward_one_hot(Loss_CategoricalCrossEntropy):
    _check_loss_backward(Loss_CategoricalCrossEntropy, one_hot=True)


def _indexing_with(dvalues, y_true):
    """What `dinputs[range(n_samples), y_true] -= 1` does when y_true is one-hot (if it runs)."""
    wrong = np.array(dvalues, dtype=np.float64)
    try:
        wrong[np.arange(len(wrong)), np.asarray(y_true).astype(np.int64)] -= 1
    except (IndexError, ValueError):
        return None
    return wrong / len(wrong)


def _check_combined_backward(cls, one_hot):
    rng = core.fresh_rng()
    name = "Activation_Softmax_Loss_CategoricalCrossEntropy"
    for n_samples, n_classes, dvalues, y_true, dinputs in _backward_cases(cls, name, one_hot, rng):
        Y = ref.one_hot(y_true, n_classes)
        p = dvalues.astype(np.float64)
        core.expect_close(
            f"{name}.dinputs",
            dinputs,
            ref.combined_backward(p, y_true),
            context=core.describe(dvalues=dvalues) + f" and {shared.label_kind(one_hot)}",
            wrong_answers={
                "the division by n_samples is missing: the loss is the mean over the samples": (
                    p - Y if n_samples > 1 else None
                ),
                "these values are divided by n_samples twice (n_samples squared): divide "
                "once, the mean's 1/n_samples": (p - Y) / n_samples**2 if n_samples > 1 else None,
                "these are the predictions divided by n_samples, with nothing subtracted: "
                "subtract 1 at each sample's correct class (dinputs[range(n_samples), y_true] "
                "-= 1) before dividing": p / n_samples,
                "1 was subtracted from every class; subtract it only at each sample's correct "
                "class (dinputs[range(n_samples), y_true] -= 1)": (p - 1) / n_samples,
                "divided by the number of classes; divide by the number of samples": (
                    (p - Y) / n_classes
                ),
                "the sign is flipped: the gradient is predictions - y_true": (Y - p) / n_samples,
                "one-hot labels were used as class indices: turn them into indices first "
                "(np.argmax(y_true, axis=1)), or subtract the one-hot rows": (
                    _indexing_with(p, y_true) if one_hot else None
                ),
            },
        )
    kind = _expect_label_cost(cls, name, one_hot, rng, ref.combined_backward)
    core.passed(
        f"{name}.backward matches (predictions - one_hot) / n_samples with {kind}, and costs "
        "about one forward pass"
    )


def check_combined_backward_sparse(Activation_Softmax_Loss_CategoricalCrossEntropy):
    _check_combined_backward(Activation_Softmax_Loss_CategoricalCrossEntropy, one_hot=False)


def check_combined_backward_one_hot(Activation_Softmax_Loss_CategoricalCrossEntropy):
    _check_combined_backward(Activation_Softmax_Loss_CategoricalCrossEntropy, one_hot=True)
