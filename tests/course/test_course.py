"""Unit tests of the student package."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from course import checks, gradcheck, plots


def test_numerical_gradient_matches_analytic():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4))
    a = rng.normal(size=(3, 4))
    # f(x) = sum(a * x^3): df/dx = 3 a x^2
    numeric = gradcheck.numerical_gradient(lambda: float(np.sum(a * x**3)), x)
    assert gradcheck.relative_error(numeric, 3 * a * x**2) < 1e-7
    assert numeric.dtype == np.float64


def test_numerical_gradient_restores_x():
    x = np.array([1.0, 2.0, 3.0])
    gradcheck.numerical_gradient(lambda: float(np.sum(x**2)), x)
    assert np.array_equal(x, [1.0, 2.0, 3.0])


def test_relative_error_detects_a_wrong_gradient():
    assert gradcheck.relative_error([1.0, 2.0], [1.0, 2.1]) > 1e-2


def test_expect_close_names_a_transposed_result():
    with pytest.raises(AssertionError, match="transposed"):
        checks.expect_close("out", np.ones((3, 2)), np.ones((2, 3)))
    with pytest.raises(AssertionError, match="wrong values"):
        checks.expect_close("out", [1.0, 2.0], [1.0, 2.5])
    checks.expect_close("out", np.float32(4.8), 4.8)


def test_passed_never_claims_all_tests(capsys):
    checks.passed()
    out = capsys.readouterr().out
    assert "Visible checks passed" in out and "all tests" not in out.lower()


def test_plot_spiral_draws_one_group_per_class():
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.repeat([0, 1, 2], 10)
    ax = plots.plot_spiral(X, y)
    assert len(ax.collections) == 3
