"""Chapter 6 mutants: the mistakes students make completing the backward pass, then (in
mutants_training.py, whose tables this module adds after its own) in the loop that trains.

Written with autograder/mutant.py: most are small edits of the solution cell; where a method is
written another way, the variant is a class that extends the exercise's class and replaces that
method, as the notebook's own cells extend the classes of earlier chapters.
"""

import numpy as np

from autograder.chapters.capstone import mutants_training

# A variant class's base is a name imported from the reference, so ruff reads the variant as
# real code. When it runs in the notebook the name is the notebook's: the student's class of an
# earlier chapter (Activation_Softmax, Loss_CategoricalCrossEntropy), or the solution cell's own
# class (the combined class, Optimizer_SGD), which autograder/mutation.py ran before the variant
# and runs again after it; the variant replaces only the methods it writes.
from autograder.chapters.capstone.reference import (
    Activation_Softmax,
    Activation_Softmax_Loss_CategoricalCrossEntropy,
    Loss_CategoricalCrossEntropy,
)
from autograder.mutant import Catalogue

catalogue = Catalogue(__name__)

# every mistake below gets its own diagnosis (tests/chapters/test_mutants.py checks)
DISTINCT_DIAGNOSES = True

# later exercises are graded on the grader's own layers, loss and optimizer: a mistake in the
# combined backward pass costs its points only (the spiral test of exercise 6.6 is the one that
# uses every part together, by design)
KEEPS_AFTER_COMBINED = {"test_forward_backward": "", "test_train": ""}

SOFTMAX, LOSS = "activation_softmax", "loss_categorical_cross_entropy"
COMBINED = "activation_softmax_loss_categorical_cross_entropy"
# the solution's Jacobian line, and the line that fills row `index` of dinputs
JACOBIAN = "np.diagflat(single_output) - np.dot(single_output, single_output.T)"
ROW = "self.dinputs[index] = np.dot(jacobian_matrix, dvalues[index])"


@catalogue.mutant(SOFTMAX, diagnosis="only the diagonal")
class diagonal_only(Activation_Softmax):
    def backward(self, dvalues):
        self.dinputs = dvalues * self.output * (1 - self.output)


catalogue.edit(
    SOFTMAX,
    "no_diagonal_term",
    (JACOBIAN, "-np.dot(single_output, single_output.T)"),
    diagnosis="diagonal part of the Jacobian is missing",
)
catalogue.edit(
    SOFTMAX,
    "inner_product",
    ("single_output.reshape(-1, 1)", "single_output.reshape(1, -1)"),
    diagnosis="inner product",
)
catalogue.edit(
    SOFTMAX,
    "first_sample_jacobian",
    ("single_output = single_output.reshape", "single_output = self.output[0].reshape"),
    diagnosis="first sample's Jacobian",
)
catalogue.edit(
    SOFTMAX,
    "jacobian_from_dvalues",
    ("enumerate(self.output)", "enumerate(dvalues)"),
    diagnosis="built from dvalues",
)
catalogue.edit(
    SOFTMAX, "divided_by_samples", (ROW, ROW + " / len(dvalues)"), diagnosis="divided by n_samples"
)
catalogue.edit(
    SOFTMAX,
    "sign_flipped",
    (JACOBIAN, "np.dot(single_output, single_output.T) - np.diagflat(single_output)"),
    diagnosis="opposite sign",
)
catalogue.edit(
    SOFTMAX,
    "returns_instead_of_storing",
    ("self.dinputs = np.empty_like", "dinputs = np.empty_like"),
    (ROW, "dinputs[index] = np.dot(jacobian_matrix, dvalues[index])\n        return dinputs"),
    diagnosis="instead of storing it in self.dinputs",
)
catalogue.edit(
    SOFTMAX,
    "overwrites_dvalues",
    ("self.dinputs = np.empty_like(dvalues)", "self.dinputs = dvalues"),
    diagnosis="in place",
)


# centred differences of softmax itself; log(probabilities) are inputs that give the same
# probabilities (softmax ignores a constant added to a row)
@catalogue.mutant(SOFTMAX, name="numerical", diagnosis="one forward pass")
class softmax_numerical(Activation_Softmax):
    def backward(self, dvalues):
        from course.gradcheck import numerical_gradient  # the notebook does not import it

        inputs = np.log(np.array(self.output, dtype=np.float64))

        def loss():
            exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
            probabilities = exp_values / np.sum(exp_values, axis=1, keepdims=True)
            return float(np.sum(dvalues * probabilities))

        self.dinputs = numerical_gradient(loss, inputs)


# the same, one sample at a time: cheaper, still two forward passes per input
@catalogue.mutant(SOFTMAX, diagnosis="one forward pass")
class numerical_per_sample(Activation_Softmax):
    def backward(self, dvalues):
        from course.gradcheck import numerical_gradient  # the notebook does not import it

        self.dinputs = np.empty_like(dvalues)
        for index, single_output in enumerate(self.output):
            inputs = np.log(np.array(single_output, dtype=np.float64))

            # called at once, inside its own iteration: the late binding ruff warns of is moot
            def loss():
                exp_values = np.exp(inputs - np.max(inputs))  # noqa: B023
                return float(np.dot(dvalues[index], exp_values / np.sum(exp_values)))  # noqa: B023

            self.dinputs[index] = numerical_gradient(loss, inputs)


# the loss's backward pass: the last line of the solution
LOSS_GRADIENT = "self.dinputs = -y_true / dvalues / n_samples"
ONE_HOT = "        if len(y_true.shape) == 1:\n            y_true = np.eye(n_classes)[y_true]\n"

catalogue.edit(
    LOSS,
    "no_mean",
    (LOSS_GRADIENT, "self.dinputs = -y_true / dvalues"),
    diagnosis="division by n_samples is missing",
)
catalogue.edit(
    LOSS,
    "divided_twice",
    (LOSS_GRADIENT, "self.dinputs = -y_true / dvalues / n_samples / n_samples"),
    diagnosis="divided by n_samples twice",
)
catalogue.edit(
    LOSS,
    "mean_over_every_entry",
    (LOSS_GRADIENT, "self.dinputs = -y_true / dvalues / dvalues.size"),
    diagnosis=r"n_samples \* n_classes",
)
catalogue.edit(
    LOSS,
    "scales_dvalues_in_place",
    (
        LOSS_GRADIENT,
        "dvalues /= n_samples\n        self.dinputs = -y_true / dvalues / n_samples**2",
    ),
    diagnosis="modified its argument dvalues in place",
)
catalogue.edit(
    LOSS,
    "divided_by_classes",
    (LOSS_GRADIENT, "self.dinputs = -y_true / dvalues / n_classes"),
    diagnosis="number of classes",
)
catalogue.edit(
    LOSS,
    "every_class",
    (LOSS_GRADIENT, "self.dinputs = -1 / dvalues / n_samples"),
    diagnosis="for every class",
)
catalogue.edit(
    LOSS,
    "sign_flipped",
    (LOSS_GRADIENT, "self.dinputs = y_true / dvalues / n_samples"),
    diagnosis="sign is flipped",
)
catalogue.edit(
    LOSS,
    "loss_not_derivative",
    (LOSS_GRADIENT, "self.dinputs = -y_true * np.log(dvalues) / n_samples"),
    diagnosis="not its derivative",
)
catalogue.edit(
    LOSS,
    "one_hot_encoded_again",
    (ONE_HOT, "        y_true = np.eye(n_classes)[y_true]\n"),
    diagnosis="one-hot already and cannot index",
    fails=["test_loss_backward_one_hot"],
)
catalogue.edit(
    LOSS,
    "indices_not_encoded",
    (ONE_HOT, ""),
    diagnosis="holds class indices",
    fails=["test_loss_backward_sparse"],
)


# centred differences of the mean loss forward computes
@catalogue.mutant(LOSS, name="numerical", diagnosis="one forward pass")
class loss_numerical(Loss_CategoricalCrossEntropy):
    def backward(self, dvalues, y_true):
        from course.gradcheck import numerical_gradient  # the notebook does not import it

        predictions = np.array(dvalues, dtype=np.float64)

        def loss():
            return self.calculate(predictions, y_true)

        self.dinputs = numerical_gradient(loss, predictions)


# the combined backward pass: the solution's last lines, and its conversion of one-hot labels
SUBTRACT_ONE = "        self.dinputs[range(n_samples), y_true] -= 1\n"
MEAN = "        self.dinputs = self.dinputs / n_samples\n"
TO_INDICES = "        if len(y_true.shape) == 2:\n            y_true = np.argmax(y_true, axis=1)\n"

catalogue.edit(COMBINED, "no_mean", (MEAN, ""), diagnosis="division by n_samples is missing")
catalogue.edit(
    COMBINED,
    "divided_twice",
    ("self.dinputs / n_samples", "self.dinputs / n_samples / n_samples"),
    diagnosis="divided by n_samples twice",
)
catalogue.edit(COMBINED, "no_minus_one", (SUBTRACT_ONE, ""), diagnosis="with nothing subtracted")
catalogue.edit(
    COMBINED,
    "minus_one_everywhere",
    (SUBTRACT_ONE, "        self.dinputs -= 1\n"),
    diagnosis="subtracted from every class",
)
catalogue.edit(
    COMBINED,
    "sign_flipped",
    ("self.dinputs = dvalues.copy()", "self.dinputs = -dvalues.copy()"),
    ("y_true] -= 1", "y_true] += 1"),
    diagnosis="sign is flipped",
)
catalogue.edit(
    COMBINED,
    "modifies_dvalues_in_place",
    ("self.dinputs = dvalues.copy()", "self.dinputs = dvalues"),
    diagnosis="in place",
)
catalogue.edit(
    COMBINED,
    "divided_by_classes",
    ("self.dinputs / n_samples", "self.dinputs / dvalues.shape[1]"),
    diagnosis="number of classes",
)
catalogue.edit(
    COMBINED,
    "one_hot_as_indices",
    (TO_INDICES, ""),
    diagnosis="one-hot already and cannot index",
    fails=["test_combined_backward_one_hot"],
)


@catalogue.mutant(
    COMBINED, diagnosis="holds class indices", fails=["test_combined_backward_sparse"]
)
class indices_as_one_hot(Activation_Softmax_Loss_CategoricalCrossEntropy):
    def backward(self, dvalues, y_true):
        self.dinputs = (dvalues - y_true) / len(dvalues)


# centred differences of forward; log(probabilities) are inputs that give them back
@catalogue.mutant(COMBINED, name="numerical", diagnosis="one forward pass")
class combined_numerical(Activation_Softmax_Loss_CategoricalCrossEntropy):
    def backward(self, dvalues, y_true):
        from course.gradcheck import numerical_gradient  # the notebook does not import it

        inputs = np.log(np.array(dvalues, dtype=np.float64))

        def loss():
            return self.forward(inputs, y_true)

        self.dinputs = numerical_gradient(loss, inputs)


for _mistake in catalogue.MUTANTS[COMBINED].values():
    _mistake.setdefault("keeps", KEEPS_AFTER_COMBINED)


@catalogue.correct(SOFTMAX)
class vectorized(Activation_Softmax):
    def backward(self, dvalues):
        weighted = np.sum(self.output * dvalues, axis=1, keepdims=True)
        self.dinputs = self.output * (dvalues - weighted)


@catalogue.correct(SOFTMAX)
class einsum_jacobians(Activation_Softmax):
    def backward(self, dvalues):
        s = self.output
        jacobians = np.einsum("ij,jk->ijk", s, np.eye(s.shape[1])) - np.einsum("ij,ik->ijk", s, s)
        self.dinputs = np.einsum("ijk,ik->ij", jacobians, dvalues)


@catalogue.correct(SOFTMAX)
class outer_float32(Activation_Softmax):
    def backward(self, dvalues):
        self.dinputs = np.zeros(dvalues.shape, dtype=np.float32)
        for index in range(len(dvalues)):
            s = self.output[index].astype(np.float32)
            jacobian = np.diag(s) - np.outer(s, s)
            self.dinputs[index] = jacobian @ dvalues[index].astype(np.float32)


@catalogue.correct(LOSS)
class indexing(Loss_CategoricalCrossEntropy):
    def backward(self, dvalues, y_true):
        n_samples = len(dvalues)
        labels = np.argmax(y_true, axis=1) if y_true.ndim == 2 else y_true
        self.dinputs = np.zeros_like(dvalues)
        rows = np.arange(n_samples)
        self.dinputs[rows, labels] = -1 / dvalues[rows, labels] / n_samples


# slow but honest: a Python loop over the samples stays well inside the cost budget
@catalogue.correct(LOSS)
class loop_over_samples(Loss_CategoricalCrossEntropy):
    def backward(self, dvalues, y_true):
        self.dinputs = np.zeros(dvalues.shape)
        for i in range(len(dvalues)):
            label = np.argmax(y_true[i]) if y_true.ndim == 2 else y_true[i]
            self.dinputs[i, label] = -1 / dvalues[i, label] / len(dvalues)


@catalogue.correct(LOSS)
class eye_float32(Loss_CategoricalCrossEntropy):
    def backward(self, dvalues, y_true):
        if y_true.ndim == 1:
            y_true = np.eye(dvalues.shape[1], dtype=np.float32)[y_true]
        self.dinputs = (-y_true / dvalues / len(dvalues)).astype(np.float32)


@catalogue.correct(COMBINED)
class subtract_one_hot(Activation_Softmax_Loss_CategoricalCrossEntropy):
    def backward(self, dvalues, y_true):
        if y_true.ndim == 1:
            y_true = np.eye(dvalues.shape[1])[y_true]
        self.dinputs = (dvalues - y_true) / len(dvalues)


@catalogue.correct(COMBINED)
class loop(Activation_Softmax_Loss_CategoricalCrossEntropy):
    def backward(self, dvalues, y_true):
        labels = y_true.argmax(axis=1) if y_true.ndim == 2 else y_true
        self.dinputs = np.array(dvalues, dtype=float)
        for i, label in enumerate(labels):
            self.dinputs[i, label] -= 1
        self.dinputs /= len(dvalues)


MUTANTS = {**catalogue.MUTANTS, **mutants_training.catalogue.MUTANTS}
CORRECT = {**catalogue.CORRECT, **mutants_training.catalogue.CORRECT}

BUGGY_EXAMPLE = {"activation_softmax": "diagonal_only", "loss_categorical_cross_entropy": "no_mean"}
