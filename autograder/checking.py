"""Small helpers the chapters' checks share, built on autograder.core."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from autograder import core


def signed_values(rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
    """Values of magnitude 0.5 to 2 with random signs: no accidental zeros."""
    return rng.choice([-1.0, 1.0], size=size) * rng.uniform(0.5, 2.0, size=size)


def unpack(result: Any, label: str, names: Sequence[str]) -> Any:
    """The student's `result`, which must be a tuple (or list) of len(names) values."""
    if not isinstance(result, (tuple, list)) or len(result) != len(names):
        raise core.GradingError(
            f"{label} should return the tuple ({', '.join(names)}), got {type(result).__name__}"
            + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else "")
            + "."
        )
    return result


def forward_output(
    obj: Any,
    inputs: Any,
    *,
    owner: str,
    why: str = "",
    causes: Sequence[tuple[str, str]] = (),
    names: tuple[str, ...] | None = ("inputs",),
) -> Any:
    """The self.output the student's `obj.forward(inputs)` stored (a layer, an activation).

    owner: the class's name, for the messages; why: what the failure adds after "must store its
    result in self.output" (e.g. " (the next layer reads it from there)"); causes: as
    core.call_student_explained's; names: the argument's name in a crash's message.
    """
    core.call_student_explained(
        obj.forward, inputs, label=f"{owner}.forward(inputs)", names=names, causes=causes
    )
    if not hasattr(obj, "output"):
        raise core.GradingError(f"{owner}.forward must store its result in self.output{why}.")
    return obj.output


def print_notes(notes: Iterable[str | None]) -> None:
    """Print each note for the student once, in order (None: no note)."""
    for note in dict.fromkeys(n for n in notes if n):
        print(note)
