"""Hidden tests for chapter 6, the capstone: softmax, loss and combined backward passes, one
forward and backward pass through a whole network, SGD with momentum and decay, the training loop.

The checks live in backward.py (exercises 6.1-6.3), network.py (6.4), optimizer.py (6.5) and
train.py (6.6), on what shared.py holds; the notebook's hidden tests import them from here
(the spiral classifier's test is spiral.py's).

The student's classes from chapters 1-5 are never used here: networks are built from the
float64 reference classes, so a mistake in an earlier chapter costs points there, not twice.
"""

from autograder.chapters.capstone.backward import (
    check_activation_softmax_backward,
    check_combined_backward_one_hot,
    check_combined_backward_sparse,
    check_loss_backward_one_hot,
    check_loss_backward_sparse,
)
from autograder.chapters.capstone.network import check_forward_backward
from autograder.chapters.capstone.optimizer import (
    check_optimizer_sgd_momentum_decay,
    check_optimizer_sgd_step,
)
from autograder.chapters.capstone.train import check_train

__all__ = [
    "check_activation_softmax_backward",
    "check_combined_backward_one_hot",
    "check_combined_backward_sparse",
    "check_forward_backward",
    "check_loss_backward_one_hot",
    "check_loss_backward_sparse",
    "check_optimizer_sgd_momentum_decay",
    "check_optimizer_sgd_step",
    "check_train",
]
