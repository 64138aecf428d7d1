"""Visible-test helpers: small checks whose failure messages teach.

The hidden tests that grade a notebook live elsewhere and check much more; these only
give students quick feedback on the worked examples in the text.
"""

import numpy as np

VISIBLE_PASSED = "Visible checks passed. Hidden tests will check more when your work is graded."


def _excerpt(array, size=6):
    flat = np.asarray(array).ravel()
    text = np.array2string(flat[:size], precision=6, separator=", ")
    return text if flat.size <= size else text[:-1] + ", ...]"


def expect_shape(name, got, shape):
    """Fail with a hint when `got` does not have `shape` (a transposed result is named)."""
    got_shape = np.shape(got)
    if got_shape == tuple(shape):
        return
    hint = ""
    if len(shape) == 2 and got_shape == tuple(shape)[::-1]:
        hint = " It looks transposed: check the order of the matrix product."
    raise AssertionError(f"{name} has shape {got_shape}, expected {tuple(shape)}.{hint}")


def expect_close(name, got, expected, rtol=1e-5, atol=1e-6):
    """Fail unless `got` has the expected shape and values (float32 rounding is fine)."""
    expected = np.asarray(expected, dtype=np.float64)
    expect_shape(name, got, expected.shape)
    got = np.asarray(got, dtype=np.float64)
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        raise AssertionError(
            f"{name} has the right shape but wrong values.\n"
            f"  expected: {_excerpt(expected)}\n"
            f"  got:      {_excerpt(got)}"
        )


def passed():
    """Print the message a visible test shows when its checks pass."""
    print(VISIBLE_PASSED)
