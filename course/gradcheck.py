"""Centred-difference numerical gradients, the independent check for every analytic gradient."""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """Approximate df/dx for a scalar function `f` at array `x` by centred differences.

    f: callable taking no arguments and returning a float; it must read `x` (changed in place).
    x: float64 array of any shape; restored to its original values on return.
    Returns an array shaped like x. The error is O(h^2): use float64, since in float32
    the rounding of f swamps the difference (relative errors of 1e-3 and worse).
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = f()
        x[index] = original - h
        f_minus = f()
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, b):
    """max |a - b| / max(|a| + |b|), the usual measure for a gradient check (1e-7 or less is good)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    scale = np.maximum(np.abs(a) + np.abs(b), 1e-12)
    return float(np.max(np.abs(a - b) / scale))
