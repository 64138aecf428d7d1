"""Chapter 5's gradient check written by the student: numerical_dweights."""

import numpy as np

from autograder import core
from autograder.chapters.layer_backprop import reference as ref
from autograder.checking import signed_values


def _cubic_layer_loss(rng, n_samples, n_inputs, n_neurons):
    """loss(weights) = sum(c * output**3) of a layer on fixed inputs: smooth, with a third
    derivative, so one-sided differences, a step other than h and entries left perturbed all
    change the numbers."""
    inputs = rng.normal(size=(n_samples, n_inputs))
    biases = rng.normal(size=(1, n_neurons))
    c = signed_values(rng, (n_samples, n_neurons)) / 3

    def loss(weights):
        return float(np.sum(c * (inputs @ np.asarray(weights, dtype=np.float64) + biases) ** 3))

    return loss


def _not_restored(loss, weights, h):
    """What a check gives that leaves each entry at w - h after measuring it."""
    w = np.array(weights, dtype=np.float64)
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        w[index] += h
        plus = loss(w)
        w[index] -= 2 * h
        grad[index] = (plus - loss(w)) / (2 * h)
    return grad


def _one_sided(loss, weights, h):
    w = np.array(weights, dtype=np.float64)
    base = loss(w)
    grad = np.zeros_like(w)
    for index in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[index] = h
        grad[index] = (loss(w + step) - base) / h
    return grad


def check_numerical_dweights(numerical_dweights):
    rng = core.fresh_rng()
    n_inputs, n_neurons = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    # the default h, a coarse h whose O(h^2) error shows when another step is used, a column
    cases = (
        ((n_inputs, n_neurons), None, "a random layer, the default h"),
        ((n_neurons, n_inputs), 1e-2, "a random layer, h = 0.01"),
        ((int(rng.integers(3, 6)), 1), 1e-3, "a layer of one neuron, h = 0.001"),
    )
    for shape, h, what in cases:
        loss = _cubic_layer_loss(rng, int(rng.integers(2, 5)), *shape)
        weights = rng.normal(size=shape)
        calls = []

        def recorded(w, loss=loss, calls=calls):
            calls.append(np.shape(w))
            return loss(w)

        args = (recorded, weights) if h is None else (recorded, weights, h)
        got = core.call_student(
            numerical_dweights,
            *args,
            label="numerical_dweights",
            names=("loss", "weights", "h")[: len(args)],
        )
        if any(c != shape for c in calls):
            raise core.GradingError(
                f"numerical_dweights called loss with an array of shape "
                f"{next(c for c in calls if c != shape)}; loss takes the whole weights "
                f"{shape}, with one entry moved."
            )
        step = 1e-5 if h is None else h
        expected = ref.numerical_dweights(loss, weights, step)

        def moved_together(mask, w=weights, loss=loss, step=step):
            return (loss(w + step * mask) - loss(w - step * mask)) / (2 * step)

        core.expect_close(
            "numerical_dweights",
            got,
            expected,
            context=f"{what}: loss = sum(c * (inputs @ weights + biases)**3), weights {shape}",
            # centred differences in float64 agree this closely; every mistake below is
            # off by at least about h (1e-5) in relative terms
            rtol=1e-7,
            atol=1e-7,
            wrong_answers={
                "a one-sided difference (loss(w + h) - loss(w)) / h is off by about h: use "
                "(loss(w + h e_ij) - loss(w - h e_ij)) / (2h)": _one_sided(loss, weights, step),
                "divided by h instead of 2h: w + h and w - h are 2h apart": 2 * expected,
                "each entry is left at w - h after it is measured: put it back "
                "(w[index] = original) before moving the next": _not_restored(loss, weights, step),
                "the second point is w, not w - h: from w + h, subtract 2h to reach w - h": (
                    _one_sided(loss, weights, step) / 2
                ),
                "every weight was moved at once: move one entry at a time (np.ndindex)": np.full(
                    shape, moved_together(np.ones(shape))
                ),
                "the step h passed in is not used (a fixed step instead): use the h argument": (
                    ref.numerical_dweights(loss, weights, 1e-5) if h is not None else None
                ),
            },
        )
    core.passed(
        "numerical_dweights matches float64 centred differences on random layers and steps, "
        "the caller's weights unchanged"
    )
