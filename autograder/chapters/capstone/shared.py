"""What chapter 6's checks share: random cases (probabilities, labels, sizes), the reference
networks the checks build, crash hints for the two label formats, and the sizes of the
backward passes' cost checks.

The student's classes from chapters 1-5 are never used by the checks: networks are built from
the float64 reference classes, so a mistake in an earlier chapter costs points there, not twice.
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


def probabilities(rng, n_samples, n_classes):
    """Softmax outputs of moderate logits: no probability so small that float32 struggles."""
    return ref.softmax(rng.normal(scale=1.5, size=(n_samples, n_classes)))


def labels(rng, n_samples, n_classes, one_hot, dtype=np.int64):
    labels = rng.integers(0, n_classes, size=n_samples).astype(dtype)
    return ref.one_hot(labels, n_classes) if one_hot else labels


def sizes(rng, low=2, high=9, distinct=True):
    """(n_samples, n_classes), different from each other (and n_classes from n_samples**2), so
    that dividing by the wrong one of them, or by n_samples twice, shows."""
    n_samples, n_classes = int(rng.integers(low, high)), int(rng.integers(2, 7))
    if distinct and n_classes in (n_samples, n_samples**2):
        n_samples += 1
    return n_samples, n_classes


def stored(obj, attribute, label, returned):
    """obj.<attribute> as the student set it, or a failure saying where the result went."""
    if hasattr(obj, attribute):
        return getattr(obj, attribute)
    if isinstance(returned, np.ndarray):
        raise core.GradingError(
            f"{label} returned its result instead of storing it in self.{attribute}: the "
            f"layer before reads self.{attribute}, so set it (return nothing)."
        )
    raise core.GradingError(f"{label} must store its result in self.{attribute}.")


def label_kind(one_hot):
    return "one-hot labels (2-D y_true)" if one_hot else "class-index labels (1-D y_true)"


# Backprop must be backprop: each backward pass is also timed on a large batch, where
# differentiating numerically (two forward passes per input) runs over the budget of
# backprop.expect_backprop_cost (20 times the reference's time, at least 0.5 s, plus the data's
# crossing). Measured by the mutation suite on 2 cores (busy to quiet):
# - softmax, 20,000 samples of 20 classes: budget about 1.6 s; in process, CPU (busy machine,
#   /tmp/softcost.py in the issue 15 note): a per-sample Jacobian loop 0.32 s, all Jacobians at
#   once with einsum 0.08 s, centred differences one sample at a time 17 s. At 8,000 x 50 the
#   einsum Jacobians took 0.6 s (160 MB of them), near the budget on a loaded machine
# - loss and combined, 1,000 x 100: backward 0.03-0.3 s, a loop over the samples included;
#   centred differences over the whole batch 30-900 s, one sample at a time 8-17 s
COST_SAMPLES, SOFTMAX_COST_CLASSES, COST_CLASSES = 1_000, 20, 100


# softmax: numerical work grows with n_samples * n_classes evaluations, the Jacobians' with
# n_samples * n_classes**2 flops: many samples of few classes set them furthest apart
SOFTMAX_COST_SAMPLES = 20_000


def cost_size(n_classes, labels="", n_samples=COST_SAMPLES):
    return f"a batch of {n_samples:,} samples and {n_classes} classes" + (
        f" with {labels}" if labels else ""
    )


def network(params):
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


def random_params(rng, n_inputs, n_hidden, n_classes, scale=0.7):
    return {
        "w1": rng.normal(scale=scale, size=(n_inputs, n_hidden)),
        "b1": rng.normal(scale=0.3, size=(1, n_hidden)),
        "w2": rng.normal(scale=scale, size=(n_hidden, n_classes)),
        "b2": rng.normal(scale=0.3, size=(1, n_classes)),
    }
