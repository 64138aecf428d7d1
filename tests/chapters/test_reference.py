"""The reference implementations agree with independent computations."""

import numpy as np

from autograder.chapters.dense_layers import reference as dense


def test_dense_reference_matches_explicit_loops():
    rng = np.random.default_rng(3)
    inputs = rng.normal(size=(4, 3))
    weights = rng.normal(size=(3, 5))
    biases = rng.normal(size=(1, 5))
    loops = np.array(
        [
            [sum(inputs[s, i] * weights[i, n] for i in range(3)) + biases[0, n] for n in range(5)]
            for s in range(4)
        ]
    )
    assert np.allclose(dense.batch_output(inputs, weights, biases), loops, rtol=1e-12)
    assert np.allclose(dense.layer_output(inputs[0], weights.T, biases[0]), loops[0], rtol=1e-12)
    assert np.isclose(
        dense.neuron_output(inputs[0], weights[:, 0], biases[0, 0]), loops[0, 0], rtol=1e-12
    )


def test_book_examples():
    inputs = np.array([[1, 2, 3, 2.5], [2, 5, -1, 2], [-1.5, 2.7, 3.3, -0.8]])
    weights = np.array([[0.2, 0.8, -0.5, 1], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]])
    out = dense.batch_output(inputs, weights.T, np.array([[2, 3, 0.5]]))
    assert np.allclose(out, [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]])
