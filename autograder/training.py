"""A student's training loop, graded so that one bug costs once (chapters 4 and 5).

The loop (train_neuron, train_layer) runs gradient descent with the student's own gradient
function (neuron_gradients, layer_gradients). A run passes when it equals the reference loop's,
or the reference loop's driven by the student's own gradient function (through the channel): a
wrong gradient function costs its own exercise's points, not the loop's too. A failure caused by
the gradient function says so.

A loop's arguments are (inputs, weights, bias, *fixed, learning_rate, n_iterations): `fixed` is
what else the loss needs (the neuron's target); it returns (losses, weights, bias).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder import core
from autograder.checking import print_notes, unpack

Mistake = core.Mistake

SIGN_UPDATE = Mistake(
    "sign_error_update",
    "sign error in the update",
    "these values are what stepping along the gradient gives (w + learning_rate * dw): "
    "gradient descent steps against it, w = w - learning_rate * dw",
)
LOSS_AFTER_UPDATE = Mistake(
    "loss_after_update",
    "loss recorded after the update",
    "these losses are each one step late, as when each is recorded after its update: record "
    "it before",
)
EARLIER = Mistake(
    "earlier_exercise",
    "caused by an earlier exercise",
    "an earlier exercise this one calls fails here",
)

# what a run of a loop returns, the student's or descend's: (losses, weights, bias)
Result = tuple[Any, Any, Any]


@dataclass(frozen=True)
class Loop:
    """One training exercise: what the grader needs to know to grade the student's loop.

    name: the loop's function ("train_neuron"); names: its arguments' names; returns: the
    names of what it returns ("losses", "weights", "bias"); gradients: the student's gradient
    function it calls ("neuron_gradients") and gradient_returns: that function's two results.
    loss(inputs, weights, bias, *fixed) -> float and reference(inputs, weights, bias, *fixed)
    -> (dweights, dbias): the float64 reference's. frozen: the Mistake of a bias never updated.
    scalar_bias: the bias is one number (the student's is compared reshaped to ()).
    """

    name: str
    names: tuple[str, ...]
    returns: tuple[str, str, str]
    gradients: str
    gradient_returns: tuple[str, str]
    loss: Callable[..., float]
    reference: Callable[..., tuple[Any, Any]]
    frozen: Mistake
    scalar_bias: bool


def descend(
    loop: Loop,
    args: Sequence[Any],
    sign: float = 1,
    extra: int = 0,
    update_bias: bool = True,
    gradients: Callable[..., tuple[Any, Any]] | None = None,
) -> Result:
    """The reference loop on the student's loop's `args`, with `gradients` (default: the
    reference's) and, for the diagnosis, one known mistake: sign -1 steps along the gradient,
    extra 1 runs one step more, update_bias False never updates the bias."""
    inputs, weights, bias, *fixed, learning_rate, n_iterations = args
    gradients = gradients or loop.reference
    losses, w, b = [], np.array(weights, dtype=np.float64), bias
    for _ in range(n_iterations + extra):
        losses.append(loop.loss(inputs, w, b, *fixed))
        dweights, dbias = gradients(inputs, w, b, *fixed)
        w = w - sign * learning_rate * dweights
        b = b - sign * learning_rate * dbias if update_bias else b
    return np.array(losses), w, b


def own_gradients(
    fn: Any, label: str, names: tuple[str, ...], returns: tuple[str, str]
) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    """The student's gradient function `fn` as the grader's loop needs it: called through the
    channel on (inputs, weights, bias[, target]), its two gradients (named `returns`) checked
    and shaped like the weights and the bias, in float64; a GradingError when unusable."""

    def gradients(*args):
        result = core.call_student(fn, *args, label=label, names=names)
        got = unpack(result, label, returns)
        got = [core.as_plain_array(n, g) for n, g in zip(returns, got, strict=True)]
        params = args[1:3]
        # a number's gradient may come as any array of one number; arrays keep their shape
        if any(
            g.shape != np.shape(p) if np.ndim(p) else g.size != 1
            for g, p in zip(got, params, strict=True)
        ):
            shapes = " and ".join(f"{n} {g.shape}" for n, g in zip(returns, got, strict=True))
            raise core.GradingError(f"{label} returned {shapes}.")
        return tuple(g.reshape(np.shape(p)) for g, p in zip(got, params, strict=True))

    return gradients


def check_loop(
    loop: Loop,
    train: Any,
    gradients: Any,
    runs: Sequence[tuple[str, tuple]],
    describe: Callable[[tuple], str],
) -> bool:
    """Grade the student's `train` on each (what, args) of `runs`; print the notes for the
    student. gradients: the student's gradient function train calls, or None. describe(args)
    -> the shapes part of a run's context. True when a run passed only given the student's
    own gradient function."""
    own = gradients and own_gradients(
        gradients, loop.gradients, loop.names[: len(loop.names) - 2], loop.gradient_returns
    )
    notes = []
    for what, args in runs:
        learning_rate, n_iterations = args[-2:]
        context = (
            f"{what}: learning_rate {learning_rate:.4g}, n_iterations {n_iterations}, "
            + describe(args)
        )

        def call(args=args):
            result = core.call_student(train, *args, label=loop.name, names=loop.names)
            losses, weights, bias = unpack(result, loop.name, loop.returns)
            bias = np.reshape(bias, ()) if loop.scalar_bias else bias
            return np.ravel(np.asarray(losses, dtype=np.float64)), weights, bias

        def run(*variant, args=args):
            return descend(loop, args, *variant)

        def expect(result, run, context=context, args=args):
            expect_run(loop, result, run, context, args[2], args[-1])

        notes.append(grade_run(call, run, expect, own, (loop.name, loop.gradients)))
    print_notes(notes)
    return any(notes)


def _same(got, expected):
    return all(core.matches(g, w) for g, w in zip(got, expected, strict=True))


def grade_run(
    call: Callable[[], Result],
    run: Callable[..., Result],
    expect: Callable[[Result, Callable[..., Result]], None],
    own: Callable[..., tuple[Any, Any]] | None,
    names: tuple[str, str],
) -> str | None:
    """One run of the student's training loop, graded so that one bug costs once.

    call() -> the student's (losses, weights, bias); run(sign, extra, update_bias[, gradients])
    -> the grader's loop with the reference's gradients or `own`, the student's own
    (own_gradients, or None); expect(result, run) raises the diagnosed failure. names: (this
    function, the earlier one it calls). Passes when the run equals the reference loop's, or
    the loop's driven by the student's own gradients (then returns a note for the student);
    a failure caused by the earlier function says so.
    """
    this, earlier = names
    try:
        result = call()
    except core.GradingError as failure:
        raise _blame_earlier(failure, own, run, names) from None
    expected = run(1, 0, True)
    if _same(result, expected):
        return None
    if own is None:
        expect(result, run)
        return None
    try:
        own_run = run(1, 0, True, own)
    except core.GradingError as failure:
        raise core.GradingError(
            f"{this} could not be graded: it calls your {earlier}, which fails on the same "
            f"inputs ({str(failure).splitlines()[0]}). The cause is the {earlier} exercise: fix "
            "it first.",
            cause=EARLIER,
        ) from None
    if _same(own_run, expected):  # their gradients are right: the loop itself is wrong
        expect(result, run)
        return None
    if _same(result, own_run):
        return (
            f"Note: your {earlier} does not match the reference (its own test says how), and "
            f"{this} does exactly what the reference loop does with it: {this} keeps its points."
        )
    try:
        expect(result, lambda *variant: run(*variant, own))
    except core.GradingError as failure:
        raise core.GradingError(
            f"{failure}\n  (Compared with the reference loop driven by your own {earlier}, "
            "which is wrong too: its own test says how.)",
            cause=failure.cause,
        ) from None
    return None


def _blame_earlier(failure, own, run, names):
    """The student's loop raised: name the earlier function as the cause when it raises too."""
    this, earlier = names
    if own is None:
        return failure
    try:
        run(1, 0, True, own)
    except core.GradingError as cause:
        return core.GradingError(
            f"{failure}\n  Likely cause: your {earlier}, which {this} calls, fails on the "
            f"same inputs ({str(cause).splitlines()[0]}): fix the {earlier} exercise first.",
            cause=EARLIER,
        )
    return failure


def expect_run(
    loop: Loop,
    result: Result,
    run: Callable[..., Result],
    context: str,
    start_bias: Any,
    n_iterations: int,
) -> None:
    """Compare a loop's (losses, weights, bias) with run(sign, extra, update_bias), naming the
    catalogued mistakes of a training loop."""
    losses, final_weights, final_bias = result
    expected, ascent, late = run(1, 0, True), run(-1, 0, True), run(1, 1, True)
    never = run(1, 0, False) if n_iterations > 1 else None
    core.expect_close(
        "losses",
        losses,
        expected[0],
        context=context,
        wrong_answers={
            SIGN_UPDATE: ascent[0] if n_iterations > 1 else None,
            LOSS_AFTER_UPDATE: late[0][1:],
            loop.frozen: None if never is None else never[0],
        },
    )
    core.expect_close(
        "final weights",
        final_weights,
        expected[1],
        context=context,
        wrong_answers={SIGN_UPDATE: ascent[1]},
    )
    core.expect_close(
        f"final {loop.returns[2]}",
        final_bias,
        expected[2],
        context=context,
        wrong_answers={SIGN_UPDATE: ascent[2], loop.frozen: start_bias},
    )
