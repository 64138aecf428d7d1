"""Chapter 6's Optimizer_SGD (exercise 6.5): plain steps, then learning-rate decay and momentum,
on stand-in layers of the grader's.
"""

import numpy as np

from autograder import core
from autograder.chapters.capstone import reference as ref


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
    _check_decay(Optimizer_SGD, rng, learning_rate, decay)
    # momentum alone, then momentum with decay (the setting that trains the spiral network)
    for settings in ({"momentum": momentum}, {"momentum": momentum, "decay": decay}):
        _check_momentum(Optimizer_SGD, rng, learning_rate, settings)
    core.passed("Optimizer_SGD decays the rate and applies momentum per layer, as the reference")


def _check_decay(Optimizer_SGD, rng, learning_rate, decay):
    """Decay alone: the rate each of four steps uses, and the weights it leaves."""
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


def _check_momentum(Optimizer_SGD, rng, learning_rate, settings):
    """Four steps with `settings` ({"momentum": m} and perhaps "decay") on two layers, against
    the reference optimizer's; the PyTorch form of momentum is named when decay shows it."""
    momentum = settings["momentum"]
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
