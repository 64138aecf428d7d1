"""Chapter 6's forward_backward (exercise 6.4): one forward and backward pass through a whole
network of reference layers.
"""

import numpy as np

from autograder import core
from autograder.chapters.capstone import reference as ref
from autograder.chapters.capstone import shared


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
        n_samples, n_classes = shared.sizes(rng, 3, 11)
        cases.append(
            (n_samples, int(rng.integers(2, 5)), int(rng.integers(3, 8)), n_classes, one_hot)
        )
    for n_samples, n_inputs, n_hidden, n_classes, one_hot in cases:
        X = rng.normal(size=(n_samples, n_inputs))
        y = shared.labels(rng, n_samples, n_classes, one_hot)
        params = shared.random_params(rng, n_inputs, n_hidden, n_classes)
        network = shared.network(params)
        expected = shared.network(params)
        expected_loss = ref.forward_backward(X, y, *expected)
        loss = core.call_student(
            forward_backward,
            X,
            y,
            *network,
            label="forward_backward(X, y, dense1, activation1, dense2, loss_activation)",
            names=shared.NETWORK_NAMES,
        )
        context = core.describe(X=X, hidden_weights=params["w1"], output_weights=params["w2"])
        context += f" and {shared.label_kind(one_hot)}"
        if loss is None or np.ndim(loss) != 0:
            raise core.GradingError(
                f"forward_backward should return the mean loss, one number; got "
                f"{type(loss).__name__} {np.shape(loss) if loss is not None else ''}. "
                "Return what loss_activation.forward(...) returns."
            )
        skipped = shared.network(params)
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
