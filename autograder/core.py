"""Comparison and diagnosis shared by every hidden test; the one door to the student's code.

A hidden test runs in the grader's process (autograder/hidden_tests.py). It draws fresh random
inputs, calls the student's code through the channel (`call_student`: the code runs in the
student's kernel and only plain data comes back), and compares the result with the float64
reference. When they differ, the message names the variable, shows shapes and a small excerpt,
and says which known mistake the result matches (a "wrong answer" computed from the same
inputs).

Everything compared here is plain data parsed by this process, so NumPy is used as usual.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograder.channel.remote import ChannelFailure, LocalChannel, Remote, StudentError, quoted
from course import checks as visible

# Students on nnfs.init() compute in float32: accept its rounding, nothing coarser.
RTOL = 1e-4
ATOL = 1e-6


class GradingError(AssertionError):
    """A hidden test failed; the message is what the student reads in their feedback.

    cause: the "Likely cause" it names (a Mistake or the plain text of a wrong answer's label),
    kept as data for the class's statistics (see diagnosis_record).
    """

    def __init__(self, message: str = "", cause: str | None = None):
        super().__init__(message)
        self.cause = cause


class TimedOut(GradingError):
    """A call of the student's code ran out of its time and was interrupted. The kernel was
    interrupted mid-call: handles a check still holds may be dead, so callers stop there."""


class Mistake(str):
    """A catalogued mistake: the text is the "Likely cause" the student reads; `id` names it in
    the class's records and `title` in the instructor's summary ("missing upstream gradient").

    A Mistake is a str, so it works as a key of expect_close's `wrong_answers` wherever a plain
    label does; a plain label is recorded under its own text.
    """

    def __new__(cls, id: str, title: str, text: str):
        self = super().__new__(cls, text)
        self.id, self.title = id, title
        return self


UNRECOGNISED = "unrecognised"
LIKELY_CAUSE = re.compile(r"^\s*Likely cause: (.+?)\.?$", re.MULTILINE)


def diagnosis_record(error: BaseException) -> dict[str, str]:
    """{"id", "title"} of the mistake a failed check named, for the class's records.

    A GradingError's own `cause` first; else the first "Likely cause:" line of its message (a
    check that wrote the hint itself); else "unrecognised".
    """
    cause = getattr(error, "cause", None)
    if cause is None:
        found = LIKELY_CAUSE.search(str(error))
        cause = found.group(1) if found else None
    if cause is None:
        return {"id": UNRECOGNISED, "title": UNRECOGNISED}
    if isinstance(cause, Mistake):
        return {"id": cause.id, "title": cause.title}
    return {"id": str(cause), "title": str(cause)}


def fresh_rng() -> np.random.Generator:
    """A generator seeded from the OS, so no two grading runs see the same inputs."""
    return np.random.default_rng(int.from_bytes(os.urandom(4), "little"))


def describe(**arrays: Any) -> str:
    """'inputs (5, 3), weights (3, 4)' for a failure message."""
    return ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())


def kind(value: Any) -> str:
    """The type name the student would see for `value` ('Layer_Dense', 'ndarray', 'tuple')."""
    return value.type_name if isinstance(value, Remote) else type(value).__name__


def excerpt(array: Any, size: int = 6) -> str:
    """'[0.12345, -1.5, ...]': the first values of the student's array, for a message (the
    visible checks' excerpt, at the hidden tests' precision)."""
    return visible.excerpt(as_plain_array("value", array), size, precision=5, suppress_small=False)


def as_plain_array(name: str, value: Any) -> np.ndarray:
    """The student's value as a float64 array, or a failure saying why it is not one.

    Only real numbers count: arrays of numbers, Python or NumPy ints and floats, and lists and
    tuples of those (what the channel brings back; any other object arrives as a Remote).
    """
    if isinstance(value, Remote):
        raise GradingError(f"{name} should be a NumPy array or a number, got {value.type_name}.")
    if isinstance(value, np.ndarray) and value.dtype.kind not in "biuf":
        raise GradingError(f"{name} should hold numbers, got an array of dtype {value.dtype}.")
    if value is None or isinstance(value, str):
        raise GradingError(f"{name} should be a NumPy array or a number, got {kind(value)}.")
    if isinstance(value, list | tuple) and _holds_objects(value):
        raise GradingError(f"{name} should hold only numbers, got other objects inside it.")
    try:
        return np.array(value, dtype=np.float64)
    except ValueError:
        raise GradingError(f"{name} is ragged: its rows have different lengths.") from None
    except (OverflowError, TypeError) as error:  # 10**400 is a number, but no float
        raise GradingError(f"{name} holds a value that is not a float ({error}).") from None


def _holds_objects(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return any(_holds_objects(v) for v in value)
    return isinstance(value, Remote) or value is None or isinstance(value, str)


# -- comparison ----------------------------------------------------------------------------------


def _close(got: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> bool:
    return got.shape == expected.shape and bool(
        np.all(np.abs(got - expected) <= atol + rtol * np.abs(expected))
    )


def matches(got: Any, expected: Any, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """True when `got` (the student's value, in any form) equals `expected` within tolerance."""
    try:
        got = as_plain_array("value", got)
    except GradingError:
        return False
    return _close(got, np.asarray(expected, dtype=np.float64), rtol, atol)


GENERIC_TRANSPOSED = Mistake(
    "generic_transposed",
    "transposed result (not catalogued)",
    "the result is transposed: check the order of the operands (and which one is .T)",
)
GENERIC_SIGN = Mistake("generic_sign", "sign flipped (not catalogued)", "the sign is flipped")
# ratios this close to a whole N are blamed on it: float32 rounding is far smaller
RATIO_TOLERANCE = 1e-3


def _generic_diagnosis(got, expected, rtol, atol, scale_factors=None):
    """A cause from the shape of the difference alone: transposed, sign, a constant factor.

    scale_factors: {name: N} of the counts the exercise has (e.g. {"n_samples": 5}); a constant
    ratio is blamed on dividing (or not dividing) by one of them only when it matches N.
    """
    if got.ndim == 2 and _close(got.T, expected, rtol, atol):
        return GENERIC_TRANSPOSED
    if got.shape != expected.shape:
        return None
    if np.any(expected != 0) and _close(-got, expected, rtol, atol):
        return GENERIC_SIGN
    nonzero = expected != 0
    if not np.any(nonzero) or np.any(got[~nonzero] != 0):
        return None
    ratios = (got[nonzero] / expected[nonzero]).reshape(-1)
    first = float(ratios[0])
    constant = np.all(np.abs(ratios - first) <= RATIO_TOLERANCE * abs(first))
    if first == 0 or not constant or abs(first - 1) <= RATIO_TOLERANCE or ratios.size < 2:
        return None
    return _scale_diagnosis(first, scale_factors or {})


def _scale_diagnosis(ratio, scale_factors):
    """The message for got = ratio * expected, in the direction the student can act on."""
    size = "large" if abs(ratio) > 1 else "small"
    factor = abs(ratio) if abs(ratio) > 1 else 1 / abs(ratio)
    sign = "" if ratio > 0 else ", and of the wrong sign"
    for name, n in scale_factors.items():
        if n > 1 and abs(factor - n) <= RATIO_TOLERANCE * n:
            if size == "small":
                return Mistake(
                    "generic_divided_by_n",
                    f"divided by {name} (not catalogued)",
                    f"every value is {name} = {n:g} times too small{sign}: perhaps divided by "
                    f"{name} where this gradient needs no average (or divided twice)",
                )
            return Mistake(
                "generic_not_divided_by_n",
                f"not divided by {name} (not catalogued)",
                f"every value is {name} = {n:g} times too large{sign}: perhaps the division "
                f"by {name} (the average over the samples) is missing",
            )
    return Mistake(
        "generic_factor",
        "a constant factor (not catalogued)",
        f"every value is about {factor:.2g} times too {size}{sign}: a factor is missing or "
        "extra somewhere in the chain of derivatives",
    )


def expect_close(
    name: str,
    got: Any,
    expected: Any,
    *,
    context: str = "",
    wrong_answers: dict[str, Any] | None = None,
    scale_factors: dict[str, float] | None = None,
    rtol: float = RTOL,
    atol: float = ATOL,
) -> None:
    """Fail with a diagnosis unless `got` matches `expected` (float64) in shape and value.

    wrong_answers: {likely cause: array the mistake would produce on the same inputs}; the
    cause (a Mistake, or a plain label) is kept on the GradingError for the class's records.
    scale_factors: {name: N} of the counts this exercise has, for the generic diagnosis.
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
    cause = cause or _generic_diagnosis(got, expected, rtol, atol, scale_factors)
    if cause:
        lines.append(f"  Likely cause: {cause}.")
    lines.append(f"  expected: {excerpt(expected)}")
    lines.append(f"  got:      {excerpt(got)}")
    raise GradingError("\n".join(lines), cause=cause)


# -- calling the student's code ------------------------------------------------------------------


def call_student(
    fn: Remote,
    *args: Any,
    label: str,
    names: tuple[str, ...] | None = None,
    kwargs: dict[str, Any] | None = None,
    timeout: float | None = None,
) -> Any:
    """Call the student's `fn` (in their kernel) on `args`; any exception becomes a failure.

    The kernel works on its own copies of the arrays; an argument it modified in place is
    reported: callers' data must survive.
    """
    result, _ = timed_call(fn, *args, label=label, names=names, kwargs=kwargs, timeout=timeout)
    return result


IN_PLACE = Mistake(
    "in_place", "updates the caller's arrays in place", "an argument was modified in place"
)
# a stub left as released: the class's summary counts it apart from the mistakes
NOT_ATTEMPTED = Mistake(
    "not_attempted", "not attempted (NotImplementedError)", "the exercise is not done yet"
)
STOPPED = "look for a loop that never ends (a `while` whose condition never becomes False)"


def timed_call(
    fn: Remote,
    *args: Any,
    label: str,
    names: tuple[str, ...] | None = None,
    kwargs: dict[str, Any] | None = None,
    timeout: float | None = None,
) -> tuple[Any, float]:
    """call_student, also returning the call's wall time in seconds, measured by the grader."""
    if not isinstance(fn, Remote):
        # a check called in the instructor's own kernel (a source notebook run in JupyterLab):
        # the same code path, with the agent in this process
        fn = LocalChannel({"code": fn}).lookup("code")
    names = names or tuple(f"argument {i}" for i in range(len(args)))
    started = time.perf_counter()
    try:
        result, modified = fn.call(*args, timeout=timeout, **(kwargs or {}))
    except StudentError as error:
        cause = NOT_ATTEMPTED if error.base == "NotImplementedError" else None
        raise GradingError(_raised(label, error, names, args), cause=cause) from None
    except TimeoutError as error:  # the channel interrupted the call ("stopped after N s")
        raise TimedOut(f"{label} was {error}: {STOPPED}.") from None
    except ChannelFailure as error:
        raise GradingError(f"{label}: the grader could not read the result ({error}).") from None
    seconds = time.perf_counter() - started
    if modified:
        raise GradingError(
            f"{label} modified its argument {names[modified[0]]} in place. Compute a new array "
            "instead (e.g. `x = x * 2`, not `x *= 2`): the caller still needs its data.",
            cause=IN_PLACE,
        )
    return result, seconds


def _raised(label, error, names, args):
    if error.base == "NotImplementedError":
        return f"{label} is not implemented yet (it raised NotImplementedError)."
    if error.base in ("SystemExit", "KeyboardInterrupt"):
        return f"{label} raised {error.kind} (exiting or interrupting is not a result)."
    if error.base == "MemoryError":
        return (
            f"{label} raised MemoryError: it needed more than the memory a notebook may use "
            "while grading. Look for a list or an array that keeps growing, or one far larger "
            "than the data."
        )
    lines = [
        f"{label} raised {error.kind}: {quoted(error.message)}",
        f"  It was called with {describe(**dict(zip(names, args, strict=False)))}.",
    ]
    if error.base == "ValueError" and ("align" in error.message or "shape" in error.message):
        lines.append(
            "  Likely cause: the shapes do not line up: check the order of the operands "
            "of the matrix product and which one (if any) needs .T."
        )
    return "\n".join(lines)


def call_student_explained(
    fn: Remote,
    *args: Any,
    label: str,
    names: tuple[str, ...] | None = None,
    causes: Sequence[tuple[str, str]] = (),
    kwargs: dict[str, Any] | None = None,
) -> Any:
    """call_student, naming the likely cause of a crash from the error's text.

    causes: (substring, cause) pairs; the first substring found in the failure message
    replaces call_student's generic hint (which is about matrix products).
    """
    try:
        return call_student(fn, *args, label=label, names=names, kwargs=kwargs)
    except GradingError as error:
        message = str(error)
        if message.startswith(f"{label} raised "):
            for substring, cause in causes:
                if substring in message:
                    kept = [line for line in message.splitlines() if "Likely cause" not in line]
                    raise GradingError("\n".join([*kept, f"  Likely cause: {cause}."])) from None
        raise


def expect_each(
    names: Sequence[str], got: Sequence[Any], expected: Sequence[Any], *, context: str = ""
) -> None:
    """expect_close for each (name, got, expected) of parallel sequences."""
    for name, value, want in zip(names, got, expected, strict=True):
        expect_close(name, value, want, context=context)


def attribute(obj: Any, name: str, owner: str) -> Any:
    """`obj.name`, or a failure saying the student's code never set it."""
    try:
        return getattr(obj, name)
    except AttributeError:
        raise GradingError(f"{owner} must set self.{name}.") from None
    except StudentError as error:
        raise GradingError(f"reading {owner}'s self.{name} raised {error}.") from None


def passed(what: str) -> None:
    """The line a hidden test prints when it passes (its score is the grader's own record)."""
    print(f"Hidden tests passed: {what}.")
