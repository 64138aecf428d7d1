"""Chapter 6's training loop, train (exercise 6.6), on the grader's network and optimizer: graded
given the student's own forward_backward when that is wrong (one bug costs once).
"""

import numpy as np

from autograder import core
from autograder.chapters.capstone import reference as ref
from autograder.chapters.capstone import shared


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
    n_samples, n_classes = shared.sizes(rng, 3, 11)
    X = rng.normal(size=(n_samples, 2))
    y = shared.labels(rng, n_samples, n_classes, one_hot=False)
    params = shared.random_params(rng, 2, 5, n_classes)
    network, expected = shared.network(params), shared.network(params)
    loss = ref.forward_backward(X, y, *expected)
    try:
        got = core.call_student(
            forward_backward, X, y, *network, label="forward_backward", names=shared.NETWORK_NAMES
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
            names=(*shared.NETWORK_NAMES, "optimizer", "epochs"),
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
        given_own = _grade_train_run(train, forward_backward, rng, one_hot, fault) or given_own
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


def _grade_train_run(train, forward_backward, rng, one_hot, fault):
    """One run of the student's train on a random network and labels (one-hot or class
    indices); True when it passed only given the student's own forward_backward (whose fault()
    says what is wrong with it)."""
    n_samples, n_hidden, n_classes = int(rng.integers(6, 13)), int(rng.integers(4, 9)), 3
    epochs = int(rng.integers(5, 10))
    X = rng.normal(size=(n_samples, 2))
    y = shared.labels(rng, n_samples, n_classes, one_hot)
    params = shared.random_params(rng, 2, n_hidden, n_classes, scale=0.5)
    settings = {
        "learning_rate": float(rng.uniform(0.5, 1.5)),
        "decay": 0.1,
        "momentum": 0.8,
    }
    network = shared.network(params)
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
    context = f"{epochs} epochs on {n_samples} samples, {shared.label_kind(one_hot)}, " + ", ".join(
        f"{k}={v:.3g}" for k, v in settings.items()
    )
    expected = _train_variant(X, y, shared.network(params), ref.Optimizer_SGD(**settings), epochs)
    variants = {
        cause: _train_variant(
            X, y, shared.network(params), ref.Optimizer_SGD(**settings), epochs, mistake
        )
        for mistake, cause in TRAIN_MISTAKES.items()
    }
    try:
        _compare_train(result, network, expected, context, variants)
        return False
    except core.GradingError:
        if fault() is None:
            raise

    # the right loop around the student's own forward_backward
    def students(*args):
        return core.call_student(
            forward_backward, *args, label="forward_backward", names=shared.NETWORK_NAMES
        )

    try:
        given = _train_variant(
            X, y, shared.network(params), ref.Optimizer_SGD(**settings), epochs, None, students
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
    return True
