"""Chapter 5's training loop, train_layer, graded given the student's own layer_gradients
(autograder/training.py).
"""

from autograder import core, training
from autograder.chapters.layer_backprop import reference as ref
from autograder.chapters.layer_backprop.gradients import layer_case

BIASES_FROZEN = core.Mistake(
    "bias_not_updated",
    "bias never updated",
    "these values are what a loop that never updates the biases gives",
)


NAMES = ("inputs", "weights", "biases", "learning_rate", "n_iterations")
LOOP = training.Loop(
    name="train_layer",
    names=NAMES,
    returns=("losses", "weights", "biases"),
    gradients="layer_gradients",
    gradient_returns=("dweights", "dbiases"),
    loss=ref.layer_loss,
    reference=ref.layer_gradients,
    frozen=BIASES_FROZEN,
    scalar_bias=False,
)


def check_train_layer(train_layer, layer_gradients=None):
    """layer_gradients: the student's, which train_layer calls. One bug costs once: a
    train_layer whose run equals the reference loop driven by the student's own
    layer_gradients keeps its points, and a failure caused by it names that exercise."""
    rng = core.fresh_rng()
    n_neurons, n_inputs = int(rng.integers(2, 5)), int(rng.integers(2, 6))
    if n_neurons == n_inputs:
        n_inputs += 1
    z = rng.uniform(0.5, 3.0, size=n_neurons)
    z[-1] = -1.0  # one neuron starts inactive and must stay untouched
    inputs, weights, biases = layer_case(rng, n_neurons, n_inputs, z)
    # each step scales the sum s by 1 - 2 lr (|x|^2 + 1) n_active: keep that in (0, 1)
    stable = 1 / (2 * (inputs @ inputs + 1) * n_neurons)
    cases = [
        (float(rng.uniform(0.05, 0.9)) * stable, int(rng.integers(5, 60)), "a random run"),
        (float(rng.uniform(0.05, 0.9)) * stable, 1, "one iteration"),
    ]
    runs = [
        (what, (inputs, weights, biases, learning_rate, n_iterations))
        for learning_rate, n_iterations, what in cases
    ]
    given_own = training.check_loop(
        LOOP,
        train_layer,
        layer_gradients,
        runs,
        lambda args: core.describe(inputs=args[0], weights=args[1]),
    )
    core.passed(
        "train_layer matches the reference loop"
        + (" driven by your layer_gradients" if given_own else "")
        + " on runs of random shapes, rates and lengths"
    )
