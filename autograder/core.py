"""Comparison and diagnosis shared by every hidden test.

A hidden test draws fresh random inputs, calls the student's code on private copies,
and compares the result with the float64 reference. When they differ, the message
names the variable, shows shapes and a small excerpt, and says which known mistake the
result matches (a "wrong answer" computed from the same inputs).
"""

import os
import warnings

import numpy as np

# Students on nnfs.init() compute in float32: accept its rounding, nothing coarser.
RTOL = 1e-4
ATOL = 1e-6


class GradingError(AssertionError):
    """A hidden test failed; the message is what the student reads in their feedback."""


def fresh_rng():
    """A generator seeded from the OS, so no two grading runs see the same inputs.

    numpy's Generator is untouched by nnfs.init(), which only patches the legacy
    np.random.randn.
    """
    seed = int.from_bytes(os.urandom(4), "little")
    return np.random.default_rng(seed)


def describe(**arrays):
    """'inputs (5, 3), weights (3, 4)' for a failure message."""
    return ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())


def excerpt(array, size=6):
    flat = np.asarray(array, dtype=np.float64).ravel()
    text = np.array2string(flat[:size], precision=5, separator=", ", suppress_small=False)
    return text if flat.size <= size else text[:-1] + ", ...]"


def call_student(fn, *args, label, names=None):
    """Call student code on copies of `args`; any exception becomes a readable failure.

    Warnings are silenced because nbgrader scores any stderr output in a test cell as
    zero, and a correct solution may legitimately warn (e.g. overflow in a discarded
    branch). Arguments modified in place are reported: callers' data must survive.
    """
    copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    # the notebook's later cells may rely on the legacy global seed (nnfs.init() sets it)
    random_state = np.random.get_state()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            result = fn(*copies)
    except NotImplementedError:
        raise GradingError(
            f"{label} is not implemented yet (it raised NotImplementedError)."
        ) from None
    except Exception as error:  # the student's bug, reported as a failure rather than a crash
        names = names or [f"argument {i}" for i in range(len(args))]
        lines = [
            f"{label} raised {type(error).__name__}: {error}",
            f"  It was called with {describe(**dict(zip(names, args, strict=False)))}.",
        ]
        if isinstance(error, ValueError) and ("align" in str(error) or "shape" in str(error)):
            lines.append(
                "  Likely cause: the shapes do not line up: check the order of the operands "
                "of the matrix product and which one (if any) needs .T."
            )
        raise GradingError("\n".join(lines)) from None
    finally:
        np.random.set_state(random_state)
    for i, (original, copy) in enumerate(zip(args, copies, strict=True)):
        if isinstance(original, np.ndarray) and not np.array_equal(original, copy, equal_nan=True):
            raise GradingError(
                f"{label} modified its argument {i} in place. Compute a new array instead "
                f"(e.g. `x = x * 2`, not `x *= 2`): the caller still needs its data."
            )
    return result


def as_plain_array(name, value):
    """The student's value as a plain float64 ndarray, or a failure saying why it is not one."""
    if isinstance(value, np.ndarray):
        # view(np.ndarray) drops any subclass, so overridden methods cannot change what we compare
        plain = np.ndarray.view(value, np.ndarray)
    elif isinstance(value, (int, float, np.number, list, tuple)) and not isinstance(value, bool):
        plain = np.array(value)
    else:
        raise GradingError(
            f"{name} should be a NumPy array or a number, got {type(value).__name__}."
        )
    if plain.dtype.kind not in "iuf":
        raise GradingError(f"{name} should hold numbers, got an array of dtype {plain.dtype}.")
    return np.array(plain, dtype=np.float64, copy=True)


def _close(got, expected, rtol, atol):
    return got.shape == expected.shape and bool(
        np.all(np.abs(got - expected) <= atol + rtol * np.abs(expected))
    )


def _generic_diagnosis(got, expected, rtol, atol):
    if got.ndim == 2 and _close(got.T, expected, rtol, atol):
        return "the result is transposed: check the order of the operands (and which one is .T)"
    if _close(-got, expected, rtol, atol) and np.any(expected != 0):
        return "the sign is flipped"
    if got.shape == expected.shape and expected.size > 1 and np.all(expected != 0):
        ratio = got / expected
        if np.allclose(ratio, ratio.flat[0], rtol=1e-3) and abs(ratio.flat[0] - 1) > 1e-3:
            return f"every value is {ratio.flat[0]:.4g} times too large: a missing or extra scale factor (1/N?)"
    return None


def expect_close(name, got, expected, *, context="", wrong_answers=None, rtol=RTOL, atol=ATOL):
    """Fail with a diagnosis unless `got` matches `expected` (float64) in shape and value.

    wrong_answers: {likely cause: array the mistake would produce on the same inputs}.
    """
    got = as_plain_array(name, got)
    expected = np.asarray(expected, dtype=np.float64)
    if _close(got, expected, rtol, atol):
        return
    lines = [f"{name} is wrong" + (f" for {context}" if context else "") + "."]
    if got.shape != expected.shape:
        lines.append(f"  {name} has shape {got.shape}, expected {expected.shape}.")
    elif not np.all(np.isfinite(got)):
        lines.append(f"  {name} contains NaN or inf where the expected values are finite.")
    cause = None
    for label, wrong in (wrong_answers or {}).items():
        if wrong is not None and _close(got, np.asarray(wrong, dtype=np.float64), rtol, atol):
            cause = label
            break
    cause = cause or _generic_diagnosis(got, expected, rtol, atol)
    if cause:
        lines.append(f"  Likely cause: {cause}.")
    lines.append(f"  expected: {excerpt(expected)}")
    lines.append(f"  got:      {excerpt(got)}")
    raise GradingError("\n".join(lines))


def passed(what):
    """The line a hidden test prints when it passes."""
    print(f"Hidden tests passed: {what}.")
