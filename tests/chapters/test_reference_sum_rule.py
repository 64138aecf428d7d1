"""The references of chapter 5's sum rule and gradient-check exercises, against independent
float64 computations."""

import numpy as np

from autograder.chapters.layer_backprop import reference as ref
from course.gradcheck import numerical_gradient, relative_error


def test_layer_dinputs_matches_centred_differences():
    rng = np.random.default_rng(5)
    for n_neurons, n_inputs in ((3, 4), (1, 5), (4, 2)):
        inputs = rng.normal(size=n_inputs)
        weights = rng.normal(size=(n_neurons, n_inputs))
        # z away from ReLU's kink, where a centred difference straddles two slopes
        z = rng.choice([-1.0, 1.0], size=n_neurons) * rng.uniform(0.5, 2.0, size=n_neurons)
        z[0] = abs(z[0])  # one active neuron, so the loss is not flat
        biases = z - weights @ inputs
        x = inputs.copy()
        numeric = numerical_gradient(lambda x=x, w=weights, b=biases: ref.layer_loss(x, w, b), x)
        assert relative_error(ref.layer_dinputs(inputs, weights, biases), numeric) < 1e-8


def test_layer_dinputs_of_the_worked_example():
    weights = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [0.9, 1.0, 1.1, 1.2]])
    got = ref.layer_dinputs(np.array([1.0, 2.0, 3.0, 4.0]), weights, np.array([0.1, 0.2, 0.3]))
    np.testing.assert_allclose(got, [64.8, 77.76, 90.72, 103.68], rtol=1e-12)


def test_numerical_dweights_matches_an_exact_gradient_and_leaves_weights_alone():
    rng = np.random.default_rng(6)
    inputs, weights = rng.normal(size=(5, 3)), rng.normal(size=(3, 2))
    before = weights.copy()
    # L = sum((inputs @ w)**2) / 2: a quadratic, whose centred difference is exact
    got = ref.numerical_dweights(lambda w: float(np.sum((inputs @ w) ** 2) / 2), weights)
    np.testing.assert_allclose(got, inputs.T @ (inputs @ weights), rtol=1e-8, atol=1e-9)
    assert np.array_equal(weights, before)
