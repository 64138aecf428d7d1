"""Chapter 4's training loop, train_neuron, graded given the student's own neuron_gradients
(autograder/training.py).
"""

from autograder import core, training
from autograder.chapters.single_neuron_backprop import reference as ref
from autograder.checking import signed_values


def _stable_rate(rng, inputs, scale=1.0):
    """A learning rate that converges: each step scales z - target by 1 - 2 lr (|x|^2 + 1)."""
    return float(rng.uniform(0.05, 0.9)) / (2 * (inputs @ inputs + 1)) * scale


BIAS_FROZEN = core.Mistake(
    "bias_not_updated",
    "bias never updated",
    "these values are what a loop that never updates the bias gives",
)


NAMES = ("inputs", "weights", "bias", "target", "learning_rate", "n_iterations")
LOOP = training.Loop(
    name="train_neuron",
    names=NAMES,
    returns=("losses", "weights", "bias"),
    gradients="neuron_gradients",
    gradient_returns=("dweights", "dbias"),
    loss=ref.neuron_loss,
    reference=ref.neuron_gradients,
    frozen=BIAS_FROZEN,
    scalar_bias=True,
)


def check_train_neuron(train_neuron, neuron_gradients=None):
    """neuron_gradients: the student's, which train_neuron calls. One bug costs once: a
    train_neuron whose run equals the reference loop driven by the student's own
    neuron_gradients keeps its points, and a failure caused by it names that exercise."""
    rng = core.fresh_rng()
    n_inputs = int(rng.integers(2, 6))
    inputs, weights = signed_values(rng, n_inputs), rng.normal(size=n_inputs)
    target = float(rng.choice([0.0, rng.uniform(0.2, 1.0)]))
    active_bias = -float(inputs @ weights) + target + float(rng.uniform(1.0, 3.0))
    cases = [
        (active_bias, _stable_rate(rng, inputs), int(rng.integers(5, 60)), "a random run"),
        (active_bias, _stable_rate(rng, inputs), 1, "one iteration"),
        (-float(inputs @ weights) - 1.0, _stable_rate(rng, inputs), 10, "an inactive neuron"),
    ]
    runs = [
        (what, (inputs, weights, bias, target, learning_rate, n_iterations))
        for bias, learning_rate, n_iterations, what in cases
    ]
    given_own = training.check_loop(
        LOOP, train_neuron, neuron_gradients, runs, lambda args: core.describe(inputs=args[0])
    )
    core.passed(
        "train_neuron matches the reference loop"
        + (" driven by your neuron_gradients" if given_own else "")
        + " on runs of random rates and lengths"
    )
