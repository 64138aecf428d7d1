"""Hidden tests for chapter 4, backpropagation of a single neuron.

The checks live in derivatives.py (relu_derivative, neuron_gradients, and the chapter's
catalogue of backprop mistakes, which chapter 5 restates in a layer's terms), numerical.py
(centred_difference) and train.py (train_neuron); the notebook's hidden tests import them from
here.

One bug costs once: neuron_gradients is also right when it is right given the student's own
relu_derivative, and train_neuron when it is right given their own neuron_gradients (the
grader's loop calls it through the channel); a failure caused by the earlier exercise says so.
"""

from autograder.chapters.single_neuron_backprop.derivatives import (
    check_neuron_gradients,
    check_relu_derivative,
)
from autograder.chapters.single_neuron_backprop.numerical import check_centred_difference
from autograder.chapters.single_neuron_backprop.train import check_train_neuron

__all__ = [
    "check_centred_difference",
    "check_neuron_gradients",
    "check_relu_derivative",
    "check_train_neuron",
]
