"""Hidden tests for chapter 5, backpropagation of a layer and of a batch.

The checks live in gradients.py (layer_gradients, layer_dinputs: chapter 4's catalogue of
mistakes in a layer's terms), train.py (train_layer), batch.py (Layer_Dense.backward,
Activation_ReLU.backward) and numerical.py (numerical_dweights); the notebook's hidden tests
import them from here.

One bug costs once: train_layer is graded given the student's own layer_gradients, and each of
Layer_Dense.backward's three tests grades its own gradient even when backward fails later, on
another line.
"""

from autograder.chapters.layer_backprop.batch import (
    check_activation_relu_backward,
    check_layer_dense_dbiases,
    check_layer_dense_dinputs,
    check_layer_dense_dweights,
)
from autograder.chapters.layer_backprop.gradients import (
    check_layer_dinputs,
    check_layer_gradients,
)
from autograder.chapters.layer_backprop.numerical import check_numerical_dweights
from autograder.chapters.layer_backprop.train import check_train_layer

__all__ = [
    "check_activation_relu_backward",
    "check_layer_dense_dbiases",
    "check_layer_dense_dinputs",
    "check_layer_dense_dweights",
    "check_layer_dinputs",
    "check_layer_gradients",
    "check_numerical_dweights",
    "check_train_layer",
]
