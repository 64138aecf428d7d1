"""What the backpropagation chapters' checks share (chapters 4 to 6).

Backprop must be backprop: a backward pass is timed on large inputs, where differentiating
numerically (one or two forward passes per parameter) runs far over the budget, and graded there
like any other case. Two catalogued mistakes show at a ReLU kink (z == 0 exactly): a gradient
estimated numerically (NUMERICAL) and ReLU'(0) taken as 1 (RELU_AT_ZERO).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from autograder import core
from autograder.channel.remote import Remote

NUMERICAL = core.Mistake(
    "numerical_gradient",
    "numerical gradient instead of backprop",
    "the gradient was estimated numerically (finite differences), not by the chain rule: at a "
    "ReLU kink (z == 0 exactly) a centred difference averages both sides of the kink, while "
    "backpropagation uses the derivative the course defines there (ReLU'(0) = 0)",
)
RELU_AT_ZERO = core.Mistake(
    "relu_derivative_at_zero",
    "ReLU'(0) taken as 1",
    "at z == 0 these values take the ReLU derivative as 1, as z >= 0 does; the course takes "
    "ReLU'(0) = 0, as z > 0 does",
)
# a backward pass may take this many times the reference's time on the same inputs (measured
# here, so a loaded machine raises both), and at least this many seconds, besides the time its
# data takes to cross to the kernel and back: estimated from the bytes (the kernel's own answer
# to an echo could be slowed on purpose), about 4 times the 76 ms/MB 2 busy cores measured
COST_FACTOR = 20
COST_FLOOR = 0.5
TRANSFER_BASE, TRANSFER_PER_MB = 0.2, 0.15


def expect_backprop_cost(
    fn: Remote,
    *args: Any,
    label: str,
    names: tuple[str, ...],
    size: str,
    reference: Callable[..., Any],
    check: Callable[[Any, Any], None],
    kwargs: dict[str, Any] | None = None,
) -> Any:
    """Call the student's `fn` on large inputs; fail if it costs like many forward passes or if
    what it computed there is wrong.

    Backpropagation costs about one forward pass; differentiating numerically costs one or two
    forward passes per parameter. reference(*args) does the same work with the reference in
    this process, and returns what `check(result, expected)` compares the call's result with:
    the timed case is graded like any other (a backward pass that skips large inputs fails).
    The call may take COST_FACTOR times the reference's time (at least COST_FLOOR seconds),
    plus the data's crossing; it is interrupted when that runs out.
    size: what the inputs are, for the message ("a layer of 300 x 300 weights").
    """
    work, expected = _timed(reference, args)
    megabytes = sum(np.asarray(a).nbytes for a in args) / 2**20
    budget = TRANSFER_BASE + 2 * megabytes * TRANSFER_PER_MB + max(COST_FLOOR, COST_FACTOR * work)
    message = (
        f"{label} took more than {budget:.2g} s on {size}, where the reference backward pass "
        f"takes {work * 1000:.0f} ms. A backward pass should cost about as much as one forward "
        "pass: differentiating numerically (one or two forward passes per parameter) is not "
        "backpropagation, and gets no marks here. Use the chain rule on the values the forward "
        "pass computes."
    )
    try:
        result, seconds = core.timed_call(
            fn, *args, label=label, names=names, kwargs=kwargs, timeout=budget
        )
    except core.TimedOut:
        raise core.TimedOut(message) from None
    if seconds > budget:
        raise core.GradingError(message)
    check(result, expected)
    return result


def _timed(function, args):
    started = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - started, value
