"""Chapter 6 mutants, continued: forward_backward, Optimizer_SGD and train, the exercises that
train the network (autograder/chapters/capstone/mutants.py adds these tables after its own).
"""

import numpy as np

# A variant class's base is a name imported from the reference, so ruff reads the variant as
# real code. When it runs in the notebook the name is the notebook's: the student's class of an
# earlier chapter (Activation_Softmax, Loss_CategoricalCrossEntropy), or the solution cell's own
# class (the combined class, Optimizer_SGD), which autograder/mutation.py ran before the variant
# and runs again after it; the variant replaces only the methods it writes.
from autograder.chapters.capstone.reference import (
    Optimizer_SGD,
    forward_backward,
)
from autograder.mutant import Catalogue

catalogue = Catalogue(__name__)

# train calls the student's forward_backward: a wrong forward_backward costs its own points,
# and train keeps its points when it is the right loop around it
KEEPS_TRAIN = r"only because your forward_backward \(exercise 6\.4\) is wrong"
# train is graded on the grader's own optimizer: a mistake in Optimizer_SGD costs its points only
KEEPS_AFTER_OPTIMIZER = {"test_train": ""}


def _forward_backward_mutant(name: str, *replacements: tuple[str, str], **spec) -> None:
    """A mistake in forward_backward: train keeps its points and says why."""
    keeps = {"keeps": {"test_train": KEEPS_TRAIN}}
    catalogue.edit("forward_backward", name, *replacements, **keeps, **spec)


_forward_backward_mutant(
    "relu_skipped_backward",
    ("    activation1.backward(dense2.dinputs)\n", ""),
    ("dense1.backward(activation1.dinputs)", "dense1.backward(dense2.dinputs)"),
    diagnosis="ReLU was skipped in the backward pass",
)
_forward_backward_mutant(
    "relu_skipped_forward",
    ("dense2.forward(activation1.output)", "dense2.forward(dense1.output)"),
    diagnosis="ReLU was skipped in the forward pass",
)
_forward_backward_mutant(
    "logits_into_loss_backward",
    ("loss_activation.backward(loss_activation.output", "loss_activation.backward(dense2.output"),
    diagnosis="given dense2.output",
)
_forward_backward_mutant(
    "probabilities_into_dense2",
    ("dense2.backward(loss_activation.dinputs)", "dense2.backward(loss_activation.output)"),
    diagnosis="given loss_activation.output",
)
catalogue.edit(
    "forward_backward",
    "dense1_backward_missing",
    ("    dense1.backward(activation1.dinputs)\n", ""),
    diagnosis=r"dense1\.dweights was not set",
)
catalogue.edit(
    "forward_backward",
    "no_return",
    ("    return loss\n", ""),
    diagnosis="should return the mean loss",
)

# the optimizer's update of a layer, with momentum (in the solution's parentheses) and without
WEIGHT_STEP = "layer.weight_momentums - self.current_learning_rate * layer.dweights"
BIAS_STEP = "layer.bias_momentums - self.current_learning_rate * layer.dbiases"
DECAY = "self.learning_rate / (1.0 + self.decay * self.iterations)"

catalogue.edit(
    "optimizer_sgd",
    "gradient_ascent",
    (WEIGHT_STEP, "layer.weight_momentums + self.current_learning_rate * layer.dweights"),
    (BIAS_STEP, "layer.bias_momentums + self.current_learning_rate * layer.dbiases"),
    ("weight_updates = -self", "weight_updates = self"),
    ("bias_updates = -self", "bias_updates = self"),
    diagnosis="wrong sign",
)
catalogue.edit(
    "optimizer_sgd",
    "biases_not_updated",
    ("        layer.biases += bias_updates\n", ""),
    diagnosis="biases are not updated",
)


@catalogue.mutant("optimizer_sgd", diagnosis="scaled in place")
class scales_gradients_in_place(Optimizer_SGD):
    def update_params(self, layer):
        if self.momentum:
            if not hasattr(layer, "weight_momentums"):
                layer.weight_momentums = np.zeros_like(layer.weights)
                layer.bias_momentums = np.zeros_like(layer.biases)
            layer.dweights *= -self.current_learning_rate
            layer.dbiases *= -self.current_learning_rate
            layer.weight_momentums = self.momentum * layer.weight_momentums + layer.dweights
            layer.bias_momentums = self.momentum * layer.bias_momentums + layer.dbiases
            layer.weights += layer.weight_momentums
            layer.biases += layer.bias_momentums
        else:
            layer.dweights *= -self.current_learning_rate
            layer.dbiases *= -self.current_learning_rate
            layer.weights += layer.dweights
            layer.biases += layer.dbiases


@catalogue.mutant(
    "optimizer_sgd",
    diagnosis="momentum is not applied",
    fails=["test_optimizer_sgd_momentum_decay"],
)
class momentum_ignored(Optimizer_SGD):
    def update_params(self, layer):
        layer.weights -= self.current_learning_rate * layer.dweights
        layer.biases -= self.current_learning_rate * layer.dbiases


catalogue.edit(
    "optimizer_sgd",
    "decay_subtracted",
    (DECAY, "self.learning_rate * (1 - self.decay * self.iterations)"),
    diagnosis=r"not \(1 - decay \* iterations\)",
    fails=["test_optimizer_sgd_momentum_decay"],
)
catalogue.edit(
    "optimizer_sgd",
    "decay_off_by_one",
    (DECAY, "self.learning_rate / (1 + self.decay * (self.iterations + 1))"),
    diagnosis="decays from the first step",
    fails=["test_optimizer_sgd_momentum_decay"],
)
catalogue.edit(
    "optimizer_sgd",
    "iterations_not_counted",
    ("self.iterations += 1", "pass"),
    diagnosis=r"optimizer\.iterations is 0",
)


@catalogue.mutant("optimizer_sgd", diagnosis="per layer")
class momentum_on_the_optimizer(Optimizer_SGD):
    def __init__(self, learning_rate=1.0, decay=0.0, momentum=0.0):
        super().__init__(learning_rate, decay, momentum)
        self.weight_momentums = 0.0
        self.bias_momentums = 0.0

    def update_params(self, layer):
        self.weight_momentums = (
            self.momentum * self.weight_momentums - self.current_learning_rate * layer.dweights
        )
        self.bias_momentums = (
            self.momentum * self.bias_momentums - self.current_learning_rate * layer.dbiases
        )
        layer.weights += self.weight_momentums
        layer.biases += self.bias_momentums


@catalogue.mutant("optimizer_sgd", diagnosis="PyTorch", fails=["test_optimizer_sgd_momentum_decay"])
class pytorch_momentum(Optimizer_SGD):
    def update_params(self, layer):
        if not hasattr(layer, "weight_momentums"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
        layer.weight_momentums = self.momentum * layer.weight_momentums + layer.dweights
        layer.bias_momentums = self.momentum * layer.bias_momentums + layer.dbiases
        layer.weights -= self.current_learning_rate * layer.weight_momentums
        layer.biases -= self.current_learning_rate * layer.bias_momentums


# without decay the spiral run ends near 91%: either side of 90% is right
NEAR_90 = {"fails": ["test_train"], "ignores": ["test_spiral_accuracy"]}
RETURNS = "return losses, accuracies"

catalogue.edit(
    "train",
    "no_pre_update",
    ("        optimizer.pre_update_params()\n", ""),
    diagnosis=r"never calls optimizer\.pre_update_params\(\)",
    **NEAR_90,
)
catalogue.edit(
    "train",
    "no_post_update",
    ("        optimizer.post_update_params()\n", ""),
    diagnosis=r"post_update_params\(\) once per epoch",
    **NEAR_90,
)
catalogue.edit(
    "train",
    "dense1_not_updated",
    ("        optimizer.update_params(dense1)\n", ""),
    diagnosis="never updates dense1",
    fails=["test_train", "test_spiral_accuracy"],
)
catalogue.edit(
    "train",
    "accuracy_against_one_hot",
    ("predictions == labels", "predictions == y"),
    diagnosis=r"np\.argmax\(y, axis=1\)",
    fails=["test_train"],
)
catalogue.edit(
    "train",
    "returns_losses_only",
    (RETURNS, "return losses"),
    diagnosis="should return two sequences",
    fails=["test_train"],
)
catalogue.edit(
    "train",
    "last_values_only",
    (RETURNS, "return losses[-1], accuracies[-1]"),
    diagnosis=r"losses of shape \(\); expected",
    fails=["test_train"],
)


for _mistake in catalogue.MUTANTS["optimizer_sgd"].values():
    _mistake.setdefault("keeps", KEEPS_AFTER_OPTIMIZER)


catalogue.correct_edit(
    "forward_backward",
    "loss_from_the_loss_object",
    (
        "loss = loss_activation.forward(dense2.output, y)",
        "loss_activation.forward(dense2.output, y)\n"
        "    loss = np.mean(loss_activation.loss.forward(loss_activation.output, y))",
    ),
    ("return loss", "return float(loss)"),
)


@catalogue.correct("forward_backward")
def loop_over_layers(X, y, dense1, activation1, dense2, loss_activation):
    output = X
    for layer in (dense1, activation1, dense2):
        layer.forward(output)
        output = layer.output
    loss = loss_activation.forward(output, y)
    loss_activation.backward(loss_activation.output, y)
    gradient = loss_activation.dinputs
    for layer in (dense2, activation1, dense1):
        layer.backward(gradient)
        gradient = layer.dinputs
    return loss


@catalogue.correct("optimizer_sgd")
class positive_momentums(Optimizer_SGD):
    def pre_update_params(self):
        self.current_learning_rate = self.learning_rate / (1 + self.decay * self.iterations)

    def update_params(self, layer):
        if not hasattr(layer, "weight_momentums"):
            layer.weight_momentums = np.zeros_like(layer.weights)
            layer.bias_momentums = np.zeros_like(layer.biases)
        layer.weight_momentums = (
            self.momentum * layer.weight_momentums + self.current_learning_rate * layer.dweights
        )
        layer.bias_momentums = (
            self.momentum * layer.bias_momentums + self.current_learning_rate * layer.dbiases
        )
        layer.weights = layer.weights - layer.weight_momentums
        layer.biases = layer.biases - layer.bias_momentums


@catalogue.correct("optimizer_sgd")
class float32_getattr(Optimizer_SGD):
    def update_params(self, layer):
        rate, momentum = np.float32(self.current_learning_rate), np.float32(self.momentum)
        weight_momentums = getattr(layer, "weight_momentums", 0.0)
        bias_momentums = getattr(layer, "bias_momentums", 0.0)
        weight_updates = momentum * weight_momentums - rate * layer.dweights.astype(np.float32)
        bias_updates = momentum * bias_momentums - rate * layer.dbiases.astype(np.float32)
        layer.weight_momentums = weight_updates
        layer.bias_momentums = bias_updates
        layer.weights = layer.weights + weight_updates
        layer.biases = layer.biases + bias_updates


@catalogue.correct("train")
def lists(X, y, dense1, activation1, dense2, loss_activation, optimizer, epochs):
    labels = y.argmax(axis=1) if y.ndim == 2 else y
    losses, accuracies = [], []
    for _ in range(epochs):
        loss = forward_backward(X, y, dense1, activation1, dense2, loss_activation)
        losses.append(loss)
        accuracies.append(np.mean(loss_activation.output.argmax(axis=1) == labels))
        optimizer.pre_update_params()
        for layer in (dense1, dense2):
            optimizer.update_params(layer)
        optimizer.post_update_params()
    return np.array(losses), np.array(accuracies)


catalogue.correct_edit(
    "train", "tuple_of_lists", (RETURNS, "return list(losses), list(accuracies)")
)
