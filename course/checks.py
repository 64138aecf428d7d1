"""Visible-test helpers: small checks whose failure messages teach.

The hidden tests that grade a notebook live elsewhere and check much more; these only
give students quick feedback on the worked examples in the text. When a wrong result is one a
known mistake produces on that worked example (`course.known_mistakes`, generated from the
grader's catalogue of mistakes), the message names the mistake, as the graded feedback will.

A failed check raises `CheckFailed`, an AssertionError whose traceback, in IPython (Jupyter),
ends at the line of the student's cell that called the check: the frames of functions that set
`__tracebackhide__ = True` (every function here) are left out. IPython itself hides such frames
except the last one, the `raise` in this file, which is the one that teaches nothing.
"""

import types

import numpy as np

from course.known_mistakes import MISTAKES

VISIBLE_PASSED = "Visible checks passed. Hidden tests will check more when your work is graded."
# a catalogued wrong answer matches within the hidden tests' float32 allowance
MATCH_RTOL, MATCH_ATOL = 1e-4, 1e-6


class CheckFailed(AssertionError):
    """A visible check failed; the message says what was expected and, if known, why not."""


def _without_hidden_frames(tb):
    """The traceback `tb` without the frames of functions that set `__tracebackhide__ = True`
    (IPython's own bottom frame sets it to a string, and stays)."""
    kept = []
    while tb is not None:
        if tb.tb_frame.f_locals.get("__tracebackhide__") is not True:
            kept.append(tb)
        tb = tb.tb_next
    rebuilt = None
    for old in reversed(kept):
        rebuilt = types.TracebackType(rebuilt, old.tb_frame, old.tb_lasti, old.tb_lineno)
    return rebuilt


def _show_from_student_line(shell, etype, value, tb, tb_offset=None):
    shell.showtraceback((etype, value, _without_hidden_frames(tb)), running_compiled_code=True)


_hidden_errors = set()


def show_tracebacks_from_student_line(*exception_types):
    """In IPython, show the tracebacks of these exceptions without the course's own frames.

    One handler serves every course module (IPython keeps one set of custom exceptions).
    Outside IPython this does nothing.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    _hidden_errors.update(exception_types)
    shell.set_custom_exc(tuple(_hidden_errors), _show_from_student_line)


def excerpt(array, size: int = 6, precision: int = 6, suppress_small: bool | None = None) -> str:
    """The first `size` values of `array`, flattened: '[0.1, 0.2, ...]' (the grader's
    messages use it too)."""
    flat = np.asarray(array).ravel()
    text = np.array2string(
        flat[:size], precision=precision, separator=", ", suppress_small=suppress_small
    )
    return text if flat.size <= size else text[:-1] + ", ...]"


def _numbers(value):
    """`value` as a float64 array, or None when it is not an array of numbers."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return array


def _matches(recorded, value):
    """Whether a catalogue value (nested lists, or None for "any") matches `value`."""
    if recorded is None:
        return True
    recorded, value = np.asarray(recorded, dtype=np.float64), _numbers(value)
    return (
        value is not None
        and value.shape == recorded.shape
        and bool(np.allclose(value, recorded, rtol=MATCH_RTOL, atol=MATCH_ATOL))
    )


def likely_causes(name, got, expected_shape, expected=None):
    """The causes of the known mistakes that give `got` where `expected` was due.

    name: the name the visible check prints; expected_shape: the shape due; expected: the
    values due (None when only the shape is checked). Returns a list of texts, maybe empty.
    """
    __tracebackhide__ = True
    got_shape = tuple(np.shape(got))
    causes = []
    for entry in MISTAKES:
        if (
            entry["name"] == name
            and tuple(entry["expected_shape"]) == tuple(expected_shape)
            and tuple(entry["got_shape"]) == got_shape
            and (expected is None or _matches(entry["expected"], expected))
            and _matches(entry["got"], got)
            and entry["cause"] not in causes
        ):
            causes.append(entry["cause"])
    return causes


def _cause_lines(causes):
    return "".join(
        f"\n  Likely cause: {cause}." if i == 0 else f"\n  Or: {cause}."
        for i, cause in enumerate(causes)
    )


def expect_shape(name, got, shape, *, expected=None):
    """Fail with a hint when `got` does not have `shape` (a transposed result is named)."""
    __tracebackhide__ = True
    got_shape = np.shape(got)
    if got_shape == tuple(shape):
        return
    causes = likely_causes(name, got, shape, expected)
    hint = ""
    if causes:
        hint = _cause_lines(causes)
    elif len(shape) == 2 and got_shape == tuple(shape)[::-1]:
        hint = " It looks transposed: check the order of the matrix product."
    raise CheckFailed(f"{name} has shape {got_shape}, expected {tuple(shape)}.{hint}")


def expect_close(name, got, expected, rtol=1e-5, atol=1e-6):
    """Fail unless `got` has the expected shape and values (float32 rounding is fine)."""
    __tracebackhide__ = True
    expected = np.asarray(expected, dtype=np.float64)
    expect_shape(name, got, expected.shape, expected=expected)
    got = np.asarray(got, dtype=np.float64)
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        raise CheckFailed(
            f"{name} has the right shape but wrong values."
            f"{_cause_lines(likely_causes(name, got, expected.shape, expected))}\n"
            f"  expected: {excerpt(expected)}\n"
            f"  got:      {excerpt(got)}"
        )


def passed():
    """Print the message a visible test shows when its checks pass."""
    print(VISIBLE_PASSED)


show_tracebacks_from_student_line(CheckFailed)
