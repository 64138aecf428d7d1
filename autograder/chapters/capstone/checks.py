"""Hidden tests for chapter 6, the capstone: softmax, loss and combined backward passes, one
forward and backward pass through a whole network, SGD with momentum and decay, the training loop.

The student's classes from chapters 1-5 are never used here: networks are built from the
float64 reference classes, so a mistake in an earlier chapter costs points there, not twice.
"""

import numpy as np

from autograder import core
from autograder.chapters.capstone import reference as ref

NETWORK_NAMES = ("X", "y", "dense1", "activation1", "dense2", "loss_activation")

ONE_HOT_CRASHES = (
    (
        "arrays used as indices must be of integer",
        "2-D y_true is one-hot already and cannot index an array; only 1-D class indices are "
        "turned into one-hot rows (np.eye(n_classes)[y_true]) or used as indices",
    ),
    (
        "could not be broadcast",
        "2-D (one-hot) y_true was used as if it were class indices: check len(y_true.shape) "
        "and handle both label formats",
    ),
    (
        "too many indices",
        "2-D (one-hot) y_true was used as if it were class indices: check len(y_true.shape) "
        "and handle both label formats",
    ),
)
SPARSE_CRASHES = (
    (
        "could not be broadcast",
        "1-D y_true holds class indices: turn them into one-hot rows first "
        "(np.eye(n_classes)[y_true]); only a 2-D y_true is one-hot already",
    ),
    (
        "too many indices",
        "1-D y_true holds class indices, not one-hot rows: handle both label formats",
    ),
)


def _probabilities(rng, n_samples, n_classes):
    """Softmax outputs of moderate logits: no probability so small that float32 struggles."""
    return ref.softmax(rng.normal(scale=1.5, size=(n_samples, n_classes)))


def _labels(rng, n_samples, n_classes, one_hot, dtype=np.int64):
    labels = rng.integers(0, n_classes, size=n_samples).astype(dtype)
    return ref.one_hot(labels, n_classes) if one_hot else labels


def _sizes(rng, low=2, high=9, distinct=True):
    """(n_samples, n_classes), different from each other (and n_classes from n_samples**2), so
    that dividing by the wrong one of them, or by n_samples twice, shows."""
    n_samples, n_classes = int(rng.integers(low, high)), int(rng.integers(2, 7))
    if distinct and n_classes in (n_samples, n_samples**2):
        n_samples += 1
    return n_samples, n_classes


def _stored(obj, attribute, label, returned):
    """obj.<attribute> as the student set it, or a failure saying where the result went."""
    if hasattr(obj, attribute):
        return getattr(obj, attribute)
    if isinstance(returned, np.ndarray):
        raise core.GradingError(
            f"{label} returned its result instead of storing it in self.{attribute}: the "
            f"layer before reads self.{attribute}, so set it (return nothing)."
        )
    raise core.GradingError(f"{label} must store its result in self.{attribute}.")


def _label_kind(one_hot):
    return "one-hot labels (2-D y_true)" if one_hot else "class-index labels (1-D y_true)"


# Backprop must be backprop: each backward pass is also timed on a large batch, where
# differentiating numerically (two forward passes per input) runs over the budget of
# core.expect_backprop_cost (20 times the reference's time, at least 0.5 s, plus the data's
# crossing). Measured by the mutation suite on 2 cores (busy to quiet):
# - softmax, 8,000 samples of 50 classes: budget about 1.5 s; a per-sample Jacobian loop
#   0.1-0.4 s; centred differences one sample at a time several seconds, over the whole batch
#   far more
# - loss and combined, 1,000 x 100: backward 0.03-0.3 s, a loop over the samples included;
#   centred differences over the whole batch 30-900 s, one sample at a time 8-17 s
COST_SAMPLES, SOFTMAX_COST_CLASSES, COST_CLASSES = 1_000, 50, 100
# softmax: numerical work grows with n_samples * n_classes evaluations, the Jacobians' with
# n_samples * n_classes**2 flops: many samples of few classes set them furthest apart
SOFTMAX_COST_SAMPLES = 8_000


def _cost_size(n_classes, labels="", n_samples=COST_SAMPLES):
    return f"a batch of {n_samples:,} samples and {n_classes} classes" + (
        f" with {labels}" if labels else ""
    )


# Exercise 6.1: Activation_Softmax.backward


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
    n_samples, n_classes = _sizes(rng)
    cases = [(n_samples, n_classes, np.float64), (1, 4, np.float64), (5, 3, np.float32)]
    for n_samples, n_classes, dtype in cases:
        output = _probabilities(rng, n_samples, n_classes).astype(dtype)
        dvalues = rng.normal(size=(n_samples, n_classes)).astype(dtype)
        activation = core.call_student(Activation_Softmax, label="Activation_Softmax()")
        # backward reads the probabilities forward stored; set them as forward would
        activation.output = output.copy()
        label = "Activation_Softmax.backward(dvalues)"
        returned = core.call_student(activation.backward, dvalues, label=label, names=("dvalues",))
        dinputs = _stored(activation, "dinputs", label, returned)
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
    output = _probabilities(rng, SOFTMAX_COST_SAMPLES, SOFTMAX_COST_CLASSES)
    activation.output = output
    core.expect_backprop_cost(
        activation.backward,
        rng.normal(size=(SOFTMAX_COST_SAMPLES, SOFTMAX_COST_CLASSES)),
        label="Activation_Softmax.backward(dvalues)",
        names=("dvalues",),
        size=_cost_size(SOFTMAX_COST_CLASSES, n_samples=SOFTMAX_COST_SAMPLES),
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
            context=_cost_size(SOFTMAX_COST_CLASSES, n_samples=SOFTMAX_COST_SAMPLES),
        ),
    )
    core.passed(
        "Activation_Softmax.backward matches the per-sample Jacobian on fresh random shapes, "
        "one sample and float32, and costs about one forward pass"
    )


# Exercise 6.2: Loss_CategoricalCrossEntropy.backward


def _check_loss_backward(Loss_CategoricalCrossEntropy, one_hot):
    rng = core.fresh_rng()
    n_samples, n_classes = _sizes(rng)
    # uint8 labels and float32 predictions are what spiral_data and nnfs.init() give
    cases = [(n_samples, n_classes, np.float64, np.int64), (1, 3, np.float64, np.int64)]
    cases.append((6, 3, np.float32, np.uint8))
    for n_samples, n_classes, dtype, label_dtype in cases:
        dvalues = _probabilities(rng, n_samples, n_classes).astype(dtype)
        y_true = _labels(rng, n_samples, n_classes, one_hot, label_dtype)
        loss = core.call_student(
            Loss_CategoricalCrossEntropy, label="Loss_CategoricalCrossEntropy()"
        )
        label = "Loss_CategoricalCrossEntropy.backward(dvalues, y_true)"
        returned = core.call_student_explained(
            loss.backward,
            dvalues,
            y_true,
            label=label,
            names=("dvalues", "y_true"),
            causes=ONE_HOT_CRASHES if one_hot else SPARSE_CRASHES,
        )
        dinputs = _stored(loss, "dinputs", label, returned)
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
            context=core.describe(dvalues=dvalues) + f" and {_label_kind(one_hot)}",
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
    kind = _label_kind(one_hot)
    loss = core.call_student(Loss_CategoricalCrossEntropy, label="Loss_CategoricalCrossEntropy()")
    core.expect_backprop_cost(
        loss.backward,
        _probabilities(rng, COST_SAMPLES, COST_CLASSES),
        _labels(rng, COST_SAMPLES, COST_CLASSES, one_hot),
        label="Loss_CategoricalCrossEntropy.backward(dvalues, y_true)",
        names=("dvalues", "y_true"),
        size=_cost_size(COST_CLASSES, kind),
        reference=ref.cross_entropy_backward,
        check=lambda got, want: core.expect_close(
            "Loss_CategoricalCrossEntropy.dinputs",
            core.attribute(loss, "dinputs", "Loss_CategoricalCrossEntropy.backward"),
            want,
            context=_cost_size(COST_CLASSES, kind),
        ),
    )
    core.passed(
        f"Loss_CategoricalCrossEntropy.backward matches the reference with {kind}, and costs "
        "about one forward pass"
    )


def check_loss_backward_sparse(Loss_CategoricalCrossEntropy):
    _check_loss_backward(Loss_CategoricalCrossEntropy, one_hot=False)


def check_loss_backward_one_hot(Loss_CategoricalCrossEntropy):
    _check_loss_backward(Loss_CategoricalCrossEntropy, one_hot=True)


# Exercise 6.3: the combined softmax + cross-entropy backward


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
    n_samples, n_classes = _sizes(rng)
    cases = [(n_samples, n_classes, np.float64, np.int64), (1, 3, np.float64, np.int64)]
    cases.append((6, 3, np.float32, np.uint8))
    name = "Activation_Softmax_Loss_CategoricalCrossEntropy"
    for n_samples, n_classes, dtype, label_dtype in cases:
        dvalues = _probabilities(rng, n_samples, n_classes).astype(dtype)
        y_true = _labels(rng, n_samples, n_classes, one_hot, label_dtype)
        combined = core.call_student(cls, label=f"{name}()")
        label = f"{name}.backward(dvalues, y_true)"
        returned = core.call_student_explained(
            combined.backward,
            dvalues,
            y_true,
            label=label,
            names=("dvalues", "y_true"),
            causes=ONE_HOT_CRASHES if one_hot else SPARSE_CRASHES,
        )
        dinputs = _stored(combined, "dinputs", label, returned)
        Y = ref.one_hot(y_true, n_classes)
        p = dvalues.astype(np.float64)
        core.expect_close(
            f"{name}.dinputs",
            dinputs,
            ref.combined_backward(p, y_true),
            context=core.describe(dvalues=dvalues) + f" and {_label_kind(one_hot)}",
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
    kind = _label_kind(one_hot)
    combined = core.call_student(cls, label=f"{name}()")
    core.expect_backprop_cost(
        combined.backward,
        _probabilities(rng, COST_SAMPLES, COST_CLASSES),
        _labels(rng, COST_SAMPLES, COST_CLASSES, one_hot),
        label=f"{name}.backward(dvalues, y_true)",
        names=("dvalues", "y_true"),
        size=_cost_size(COST_CLASSES, kind),
        reference=ref.combined_backward,
        check=lambda got, want: core.expect_close(
            f"{name}.dinputs",
            core.attribute(combined, "dinputs", f"{name}.backward"),
            want,
            context=_cost_size(COST_CLASSES, kind),
        ),
    )
    core.passed(
        f"{name}.backward matches (predictions - one_hot) / n_samples with {kind}, and costs "
        "about one forward pass"
    )


def check_combined_backward_sparse(Activation_Softmax_Loss_CategoricalCrossEntropy):
    _check_combined_backward(Activation_Softmax_Loss_CategoricalCrossEntropy, one_hot=False)


def check_combined_backward_one_hot(Activation_Softmax_Loss_CategoricalCrossEntropy):
    _check_combined_backward(Activation_Softmax_Loss_CategoricalCrossEntropy, one_hot=True)


# Exercise 6.4: forward_backward through the whole network


def _network(params):
    """dense1, activation1, dense2, loss_activation: reference objects with these parameters."""
    dense1 = ref.Layer_Dense(*params["w1"].shape)
    dense2 = ref.Layer_Dense(*params["w2"].shape)
    dense1.weights, dense1.biases = params["w1"].copy(), params["b1"].copy()
    dense2.weights, dense2.biases = params["w2"].copy(), params["b2"].copy()
    return (
        dense1,
        ref.Activation_ReLU(),
        dense2,
        ref.Activation_Softmax_Loss_CategoricalCrossEntropy(),
    )


def _random_params(rng, n_inputs, n_hidden, n_classes, scale=0.7):
    return {
        "w1": rng.normal(scale=scale, size=(n_inputs, n_hidden)),
        "b1": rng.normal(scale=0.3, size=(1, n_hidden)),
        "w2": rng.normal(scale=scale, size=(n_hidden, n_classes)),
        "b2": rng.normal(scale=0.3, size=(1, n_classes)),
    }


def _dense_gradients(inputs, weights, dvalues):
    layer = ref.Layer_Dense(*np.shape(weights))
    layer.weights = weights
    layer.forward(inputs)
    layer.backward(dvalues)
    return layer.dweights, layer.dbiases


def _forward_backward_wrong_answers(X, y, params, expected):
    """{(layer, attribute): {cause: wrong array}} for the usual wiring mistakes."""
    dense1, activation1, dense2, loss_activation = expected
    probabilities = loss_activation.output
    wrong = {key: {} for key in (("dense1", "dweights"), ("dense1", "dbiases"))}
    wrong.update({("dense2", "dweights"): {}, ("dense2", "dbiases"): {}})
    skipped_relu = _dense_gradients(X, params["w1"], dense2.dinputs)
    cause = (
        "the ReLU was skipped in the backward pass: dense1.backward must receive "
        "activation1.dinputs (ReLU zeroes the gradient where its input was negative)"
    )
    wrong["dense1", "dweights"][cause] = skipped_relu[0]
    wrong["dense1", "dbiases"][cause] = skipped_relu[1]
    from_logits = ref.combined_backward(dense2.output, y)
    cause = (
        "loss_activation.backward was given dense2.output (the raw outputs); give it "
        "loss_activation.output, the probabilities"
    )
    logits_grads = _dense_gradients(activation1.output, params["w2"], from_logits)
    wrong["dense2", "dweights"][cause] = logits_grads[0]
    wrong["dense2", "dbiases"][cause] = logits_grads[1]
    cause = (
        "dense2.backward was given loss_activation.output (the probabilities); it needs "
        "loss_activation.dinputs, the gradient"
    )
    probability_grads = _dense_gradients(activation1.output, params["w2"], probabilities)
    wrong["dense2", "dweights"][cause] = probability_grads[0]
    wrong["dense2", "dbiases"][cause] = probability_grads[1]
    return wrong


def check_forward_backward(forward_backward):
    rng = core.fresh_rng()
    cases = []
    for one_hot in (False, True, False):
        n_samples, n_classes = _sizes(rng, 3, 11)
        cases.append(
            (n_samples, int(rng.integers(2, 5)), int(rng.integers(3, 8)), n_classes, one_hot)
        )
    for n_samples, n_inputs, n_hidden, n_classes, one_hot in cases:
        X = rng.normal(size=(n_samples, n_inputs))
        y = _labels(rng, n_samples, n_classes, one_hot)
        params = _random_params(rng, n_inputs, n_hidden, n_classes)
        network = _network(params)
        expected = _network(params)
        expected_loss = ref.forward_backward(X, y, *expected)
        loss = core.call_student(
            forward_backward,
            X,
            y,
            *network,
            label="forward_backward(X, y, dense1, activation1, dense2, loss_activation)",
            names=NETWORK_NAMES,
        )
        context = core.describe(X=X, hidden_weights=params["w1"], output_weights=params["w2"])
        context += f" and {_label_kind(one_hot)}"
        if loss is None or np.ndim(loss) != 0:
            raise core.GradingError(
                f"forward_backward should return the mean loss, one number; got "
                f"{type(loss).__name__} {np.shape(loss) if loss is not None else ''}. "
                "Return what loss_activation.forward(...) returns."
            )
        skipped = _network(params)
        skipped[0].forward(X)
        skipped[2].forward(skipped[0].output)
        core.expect_close(
            "the loss forward_backward returned",
            loss,
            expected_loss,
            context=context,
            wrong_answers={
                "the ReLU was skipped in the forward pass: dense2 takes activation1.output": (
                    skipped[3].forward(skipped[2].output, y)
                ),
            },
        )
        wrong = _forward_backward_wrong_answers(X, y, params, expected)
        # dense2 first: the backward pass reaches it first, so its mistakes show there
        for index, layer_name in ((2, "dense2"), (0, "dense1")):
            for attribute in ("dweights", "dbiases"):
                if not hasattr(network[index], attribute):
                    raise core.GradingError(
                        f"{layer_name}.{attribute} was not set: the backward pass must end with "
                        f"{layer_name}.backward(...) (dense2 first, dense1 last)."
                    )
                core.expect_close(
                    f"{layer_name}.{attribute}",
                    getattr(network[index], attribute),
                    getattr(expected[index], attribute),
                    context=context,
                    wrong_answers=wrong[layer_name, attribute],
                )
    core.passed(
        "forward_backward gives the reference loss and gradients on fresh random networks, "
        "with class-index and one-hot labels"
    )


# Exercise 6.5: Optimizer_SGD


class _Params:
    """A stand-in layer: just the four arrays an optimizer reads and writes."""

    def __init__(self, rng, n_inputs, n_neurons):
        self.weights = rng.normal(size=(n_inputs, n_neurons))
        self.biases = rng.normal(size=(1, n_neurons))

    def new_gradients(self, rng):
        self.dweights = rng.normal(size=self.weights.shape)
        self.dbiases = rng.normal(size=self.biases.shape)

    def copy(self):
        twin = object.__new__(_Params)
        twin.__dict__ = {k: np.array(v, copy=True) for k, v in self.__dict__.items()}
        return twin


def _make_optimizer(Optimizer_SGD, **settings):
    text = ", ".join(f"{k}={v:.4g}" for k, v in settings.items())
    return core.call_student(Optimizer_SGD, label=f"Optimizer_SGD({text})", kwargs=settings)


def _step(optimizer, layers, text):
    core.call_student(optimizer.pre_update_params, label=f"{text}: pre_update_params()")
    for layer in layers:
        gradients = {name: getattr(layer, name).copy() for name in ("dweights", "dbiases")}
        core.call_student_explained(
            optimizer.update_params,
            layer,
            label=f"{text}: update_params(layer)",
            causes=UPDATE_CRASHES,
        )
        for name, before in gradients.items():
            if not np.array_equal(getattr(layer, name), before):
                raise core.GradingError(
                    f"{text}: update_params(layer) changed layer.{name}.\n  Likely cause: the "
                    f"gradient was scaled in place (e.g. layer.{name} *= -learning_rate) to "
                    "make the update; compute the update as a new array and leave the "
                    "gradients as backward computed them."
                )
    core.call_student(optimizer.post_update_params, label=f"{text}: post_update_params()")


def _compare_layers(layers, expected, wrong_for, context):
    for k, (layer, reference) in enumerate(zip(layers, expected, strict=True)):
        for attribute in ("weights", "biases"):
            core.expect_close(
                f"layer {k + 1}'s {attribute} after the update",
                getattr(layer, attribute),
                getattr(reference, attribute),
                context=context,
                wrong_answers=wrong_for(k, attribute),
            )


def _two_layers(rng):
    n_inputs, n_hidden, n_classes = int(rng.integers(2, 5)), int(rng.integers(5, 8)), 3
    return [_Params(rng, n_inputs, n_hidden), _Params(rng, n_hidden, n_classes)]


def check_optimizer_sgd_step(Optimizer_SGD):
    rng = core.fresh_rng()
    learning_rate = float(rng.uniform(0.05, 2.0))
    layers = _two_layers(rng)
    optimizer = _make_optimizer(Optimizer_SGD, learning_rate=learning_rate)
    reference = ref.Optimizer_SGD(learning_rate)
    expected = [layer.copy() for layer in layers]
    for step in range(1, 4):
        before = [layer.copy() for layer in layers]
        for layer, twin in zip(layers, expected, strict=True):
            layer.new_gradients(rng)
            twin.dweights, twin.dbiases = layer.dweights.copy(), layer.dbiases.copy()
        _step(optimizer, layers, f"step {step}")
        reference.pre_update_params()
        for twin in expected:
            reference.update_params(twin)
        reference.post_update_params()

        def wrong_for(k, attribute, before=before):
            old = getattr(before[k], attribute)
            grad = getattr(layers[k], "d" + attribute)
            return {
                "the update has the wrong sign: gradient descent subtracts "
                "learning_rate * gradient": old + learning_rate * grad,
                "the learning rate is not applied: subtract learning_rate * gradient": old - grad,
                f"the {attribute} are not updated": old,
                "the parameters were scaled instead of the gradient (- learning_rate * "
                "parameters)": old - learning_rate * old,
            }

        context = f"step {step} of plain SGD, learning_rate={learning_rate:.4g}"
        _compare_layers(layers, expected, wrong_for, context)
    iterations = core.attribute(optimizer, "iterations", "Optimizer_SGD")
    if iterations != 3:
        raise core.GradingError(
            f"after 3 steps optimizer.iterations is {iterations}: post_update_params() must "
            "add 1 to self.iterations after every step (the decay of the learning rate counts "
            "on it)."
        )
    core.passed("Optimizer_SGD takes plain gradient-descent steps on two layers, three times")


MOMENTUMS = {"weights": "weight_momentums", "biases": "bias_momentums"}
UPDATE_CRASHES = (
    (
        "could not be broadcast",
        "momentums are kept per layer (layer.weight_momentums, layer.bias_momentums), not on "
        "the optimizer: each layer's parameters have their own shape",
    ),
    (
        "_momentums",
        "create layer.weight_momentums and layer.bias_momentums (zeros shaped like the "
        "parameters) the first time a layer is updated: if not hasattr(layer, "
        "'weight_momentums')",
    ),
)


def _momentum_wrong(before, layer, learning_rate, momentum, attribute, pytorch_buffer):
    """Wrong answers for a momentum step, computed from the state before it."""
    old = getattr(before, attribute)
    grad = getattr(layer, "d" + attribute)
    kept = getattr(before, MOMENTUMS[attribute], np.zeros_like(old))
    return {
        f"momentum is not applied to the {attribute}: keep each layer's last update "
        f"(layer.{MOMENTUMS[attribute]}) and add momentum times it to the new one": old
        - learning_rate * grad,
        "momentum was added with the wrong sign: the update is momentum * previous update "
        "- learning_rate * gradient": old - momentum * kept - learning_rate * grad,
        "momentum accumulates raw gradients and multiplies by the rate afterwards (the "
        "PyTorch form); this course keeps the updates themselves, rate included: "
        "momentums = momentum * momentums - current_learning_rate * gradient (they differ "
        "once the rate decays)": pytorch_buffer,
    }


def _decay_wrong(learning_rate, decay, iteration):
    return {
        "the rate decays from the first step on: use 1 / (1 + decay * iterations) with "
        "iterations counted from 0": learning_rate / (1 + decay * (iteration + 1)),
        "the decay factor must be 1 / (1 + decay * iterations), not (1 - decay * iterations)": (
            learning_rate * (1 - decay * iteration)
        ),
        "the decay was compounded (learning_rate / (1 + decay) ** iterations); it is "
        "learning_rate / (1 + decay * iterations)": learning_rate / (1 + decay) ** iteration,
        "the decayed rate was decayed again each step (current_learning_rate updated from "
        "itself); compute it from the initial learning_rate": learning_rate
        / np.prod([1 + decay * j for j in range(iteration + 1)]),
        "the learning rate never decays: does post_update_params add 1 to self.iterations, "
        "and does pre_update_params use it?": learning_rate if iteration else None,
    }


def check_optimizer_sgd_momentum_decay(Optimizer_SGD):
    rng = core.fresh_rng()
    learning_rate = float(rng.uniform(0.5, 1.5))
    decay = float(rng.uniform(0.05, 0.3))
    momentum = float(rng.uniform(0.5, 0.95))

    # decay alone: the rate each step uses
    optimizer = _make_optimizer(Optimizer_SGD, learning_rate=learning_rate, decay=decay)
    layers = _two_layers(rng)
    for iteration in range(4):
        for layer in layers:
            layer.new_gradients(rng)
        core.call_student(optimizer.pre_update_params, label="pre_update_params()")
        if not hasattr(optimizer, "current_learning_rate"):
            raise core.GradingError(
                "Optimizer_SGD must keep the rate of the current step in "
                "self.current_learning_rate (set in __init__, decayed in pre_update_params)."
            )
        core.expect_close(
            "optimizer.current_learning_rate",
            optimizer.current_learning_rate,
            learning_rate / (1 + decay * iteration),
            context=f"learning_rate={learning_rate:.4g}, decay={decay:.4g}, after "
            f"{iteration} steps",
            wrong_answers=_decay_wrong(learning_rate, decay, iteration),
        )
        before = [layer.copy() for layer in layers]
        for layer in layers:
            core.call_student_explained(
                optimizer.update_params,
                layer,
                label="update_params(layer)",
                causes=UPDATE_CRASHES,
            )
        core.call_student(optimizer.post_update_params, label="post_update_params()")
        rate = learning_rate / (1 + decay * iteration)
        for k, layer in enumerate(layers):
            core.expect_close(
                f"layer {k + 1}'s weights after the update",
                layer.weights,
                before[k].weights - rate * layer.dweights,
                context=f"decay={decay:.4g}, step {iteration + 1}",
                wrong_answers={
                    "the update used learning_rate, not the decayed current_learning_rate": (
                        before[k].weights - learning_rate * layer.dweights if iteration else None
                    )
                },
            )

    # momentum alone, then momentum with decay (the setting that trains the spiral network)
    for settings in ({"momentum": momentum}, {"momentum": momentum, "decay": decay}):
        text = ", ".join(f"{k}={v:.4g}" for k, v in settings.items())
        optimizer = _make_optimizer(Optimizer_SGD, learning_rate=learning_rate, **settings)
        reference = ref.Optimizer_SGD(learning_rate, **settings)
        layers = _two_layers(rng)
        expected = [layer.copy() for layer in layers]
        buffers = [{"weights": 0.0, "biases": 0.0} for _ in layers]
        for step in range(1, 5):
            before = [layer.copy() for layer in expected]
            for layer, twin in zip(layers, expected, strict=True):
                layer.new_gradients(rng)
                twin.dweights, twin.dbiases = layer.dweights.copy(), layer.dbiases.copy()
            rate = learning_rate / (1 + settings.get("decay", 0.0) * (step - 1))
            pytorch = []
            for k, layer in enumerate(layers):
                pytorch.append({})
                for attribute in ("weights", "biases"):
                    buffers[k][attribute] = momentum * buffers[k][attribute] + getattr(
                        layer, "d" + attribute
                    )
                    pytorch[k][attribute] = (
                        getattr(before[k], attribute) - rate * buffers[k][attribute]
                        if "decay" in settings
                        else None
                    )
            _step(optimizer, layers, f"step {step}")
            reference.pre_update_params()
            for twin in expected:
                reference.update_params(twin)
            reference.post_update_params()

            def wrong_for(k, attribute, before=before, rate=rate, pytorch=pytorch, layers=layers):
                return _momentum_wrong(
                    before[k], layers[k], rate, momentum, attribute, pytorch[k][attribute]
                )

            _compare_layers(
                layers,
                expected,
                wrong_for,
                f"step {step} of SGD, learning_rate="
                f"{learning_rate:.4g}, {text}, two layers of different shapes",
            )
    core.passed("Optimizer_SGD decays the rate and applies momentum per layer, as the reference")


# Exercise 6.6: the training loop


def _train_variant(X, y, network, optimizer, epochs, mistake=None, forward_backward=None):
    """The reference loop (with one known mistake, for diagnosis, unless mistake is None)
    around `forward_backward` (the reference's by default): (losses, accuracies, network)."""
    forward_backward = forward_backward or ref.forward_backward
    dense1, activation1, dense2, loss_activation = network
    losses, accuracies = np.zeros(epochs, np.float64), np.zeros(epochs, np.float64)
    for epoch in range(epochs):
        losses[epoch] = forward_backward(X, y, dense1, activation1, dense2, loss_activation)
        accuracies[epoch] = ref.accuracy(loss_activation.output, y)
        if mistake != "no_pre":
            optimizer.pre_update_params()
        if mistake != "only_dense2":
            optimizer.update_params(dense1)
        if mistake != "only_dense1":
            optimizer.update_params(dense2)
        if mistake != "no_post":
            optimizer.post_update_params()
    return losses, accuracies, network


TRAIN_CRASHES = (
    (
        "could not be broadcast",
        "with one-hot labels (2-D y) the predictions may have been compared with y itself; "
        "compare them with np.argmax(y, axis=1), the class indices",
    ),
)
TRAIN_MISTAKES = {
    "no_pre": "these are the values of a loop that never calls optimizer.pre_update_params(), "
    "so the learning rate never decays",
    "no_post": "these are the values of a loop that never calls "
    "optimizer.post_update_params(), so the iterations never advance and the rate never decays",
    "only_dense2": "these are the values of a loop that never updates dense1: call "
    "optimizer.update_params on both dense layers",
    "only_dense1": "these are the values of a loop that never updates dense2: call "
    "optimizer.update_params on both dense layers",
}
TRAIN_LABEL = "train(X, y, dense1, activation1, dense2, loss_activation, optimizer, epochs)"


def _forward_backward_fault(forward_backward, rng):
    """None when the student's forward_backward gives the reference loss and gradients on a
    small network of reference layers; else the first line of what is wrong with it."""
    if forward_backward is None:
        return None
    n_samples, n_classes = _sizes(rng, 3, 11)
    X = rng.normal(size=(n_samples, 2))
    y = _labels(rng, n_samples, n_classes, one_hot=False)
    params = _random_params(rng, 2, 5, n_classes)
    network, expected = _network(params), _network(params)
    loss = ref.forward_backward(X, y, *expected)
    try:
        got = core.call_student(
            forward_backward, X, y, *network, label="forward_backward", names=NETWORK_NAMES
        )
        core.expect_close("the loss it returns", got, loss)
        for index, name in ((2, "dense2"), (0, "dense1")):
            for attribute in ("dweights", "dbiases"):
                core.expect_close(
                    f"{name}.{attribute}",
                    getattr(network[index], attribute, None),
                    getattr(expected[index], attribute),
                )
    except core.GradingError as error:
        return str(error).splitlines()[0]
    return None


def _run_train(train, X, y, network, optimizer, epochs, causes, fault):
    """The student's train on the grader's network and optimizer: (losses, accuracies)."""
    try:
        result = core.call_student_explained(
            train,
            X,
            y,
            *network,
            optimizer,
            epochs,
            label=TRAIN_LABEL,
            names=(*NETWORK_NAMES, "optimizer", "epochs"),
            causes=causes,
        )
    except core.GradingError as error:
        if fault() is None:
            raise
        raise core.GradingError(
            f"{error}\n  Likely cause: train calls your forward_backward, which is wrong too "
            f"({fault()}): fix forward_backward first (exercise 6.4, test_forward_backward)."
        ) from None
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise core.GradingError(
            "train should return two sequences, (losses, accuracies), one value per "
            f"epoch; it returned {type(result).__name__}."
        )
    if optimizer.iterations != epochs:
        raise core.GradingError(
            f"after {epochs} epochs optimizer.iterations is {optimizer.iterations}: call "
            "optimizer.post_update_params() once per epoch, after the updates (without "
            "it the learning rate never decays)."
        )
    for name, got in zip(("losses", "accuracies"), result, strict=True):
        if np.shape(got) != (epochs,):
            raise core.GradingError(
                f"train returned {name} of shape {np.shape(got)}; expected ({epochs},), "
                "one value per epoch (measured on the forward pass, before the update)."
            )
    return result


def _same_with_nan(got, expected):
    """got matches expected, NaN where it has NaN (what expect_close never accepts)."""
    try:
        got = core.as_plain_array("value", got)
    except core.GradingError:
        return False
    expected = np.asarray(expected, dtype=np.float64)
    return got.shape == expected.shape and bool(
        np.allclose(got, expected, rtol=core.RTOL, atol=core.ATOL, equal_nan=True)
    )


def _steady_epochs(losses):
    """How many first epochs the loss stays finite and below twice its start (plus one).

    With a wrong forward_backward, training can blow up; from there on the last bits of
    rounding (which vary with how arrays lie in memory) decide the values, so the right loop
    around the same forward_backward can only be compared up to that point.
    """
    losses = np.asarray(losses, dtype=np.float64)
    limit = max(2 * abs(losses[0]), abs(losses[0]) + 1) if np.isfinite(losses[0]) else 0
    steady = np.isfinite(losses) & (np.abs(losses) <= limit)
    return len(losses) if steady.all() else int(np.argmin(steady))


def _compare_train(result, network, expected, context, variants, epochs=None):
    """The student's (losses, accuracies) and trained weights against `expected`, the
    (losses, accuracies, network) of the right loop; variants: {cause: a wrong loop's}.
    epochs: compare only the losses and accuracies of these first epochs, and the weights
    only if that is all of them."""
    epochs = len(expected[0]) if epochs is None else epochs
    for k, name in enumerate(("losses", "accuracies")):
        if _same_with_nan(result[k], expected[k]):
            continue  # a wrong forward_backward can make training blow up: NaN where expected
        core.expect_close(
            f"train's {name}" + ("" if epochs == len(expected[0]) else f" (first {epochs})"),
            np.asarray(core.as_plain_array(f"train's {name}", result[k]))[:epochs],
            np.asarray(expected[k])[:epochs],
            context=context,
            wrong_answers={cause: variant[k][:epochs] for cause, variant in variants.items()},
        )
    if epochs < len(expected[0]):
        return
    for index, layer_name in ((0, "dense1"), (2, "dense2")):
        if _same_with_nan(network[index].weights, expected[2][index].weights):
            continue
        core.expect_close(
            f"{layer_name}.weights after training",
            network[index].weights,
            expected[2][index].weights,
            context=context,
            wrong_answers={cause: v[2][index].weights for cause, v in variants.items()},
        )


def check_train(train, forward_backward=None):
    """train against the reference loop, on the grader's network and optimizer. train calls
    the student's forward_backward: when that is wrong, train is graded given it (the right
    loop around the student's forward_backward), so one bug costs once."""
    rng = core.fresh_rng()
    faults = []  # what is wrong with the student's forward_backward, once asked

    def fault():
        if not faults:
            faults.append(_forward_backward_fault(forward_backward, rng))
        return faults[0]

    given_own = False
    for one_hot in (False, True):
        n_samples, n_hidden, n_classes = int(rng.integers(6, 13)), int(rng.integers(4, 9)), 3
        epochs = int(rng.integers(5, 10))
        X = rng.normal(size=(n_samples, 2))
        y = _labels(rng, n_samples, n_classes, one_hot)
        params = _random_params(rng, 2, n_hidden, n_classes, scale=0.5)
        settings = {
            "learning_rate": float(rng.uniform(0.5, 1.5)),
            "decay": 0.1,
            "momentum": 0.8,
        }
        network = _network(params)
        result = _run_train(
            train,
            X,
            y,
            network,
            ref.Optimizer_SGD(**settings),
            epochs,
            TRAIN_CRASHES if one_hot else (),
            fault,
        )
        context = f"{epochs} epochs on {n_samples} samples, {_label_kind(one_hot)}, " + ", ".join(
            f"{k}={v:.3g}" for k, v in settings.items()
        )
        expected = _train_variant(X, y, _network(params), ref.Optimizer_SGD(**settings), epochs)
        variants = {
            cause: _train_variant(
                X, y, _network(params), ref.Optimizer_SGD(**settings), epochs, mistake
            )
            for mistake, cause in TRAIN_MISTAKES.items()
        }
        try:
            _compare_train(result, network, expected, context, variants)
            continue
        except core.GradingError:
            if fault() is None:
                raise

        # the right loop around the student's own forward_backward
        def students(*args):
            return core.call_student(
                forward_backward, *args, label="forward_backward", names=NETWORK_NAMES
            )

        try:
            given = _train_variant(
                X, y, _network(params), ref.Optimizer_SGD(**settings), epochs, None, students
            )
            _compare_train(
                result,
                network,
                given,
                context + ", with your forward_backward",
                {},
                _steady_epochs(given[0]),
            )
        except core.GradingError as error:
            raise core.GradingError(
                f"{error}\n  Your forward_backward is wrong too ({fault()}); train was also "
                "compared with the right loop around it, and differs from that as well."
            ) from None
        given_own = True
    if given_own:
        print(
            "Note: train's losses and weights differ from the reference only because your "
            f"forward_backward (exercise 6.4) is wrong: {fault()} Given your forward_backward, "
            "train does what it should, so it keeps its points; test_forward_backward says "
            "what to fix."
        )
    core.passed(
        "train records the reference losses and accuracies and leaves the reference weights, "
        "with class-index and one-hot labels"
    )
