"""Hidden tests, run in the grader's process against the student's kernel.

A test cell of a source notebook reads, as nbgrader's own examples do:

    ### BEGIN HIDDEN TESTS
    from autograder.chapters.dense_layers.checks import check_batch_output

    check_batch_output(batch_output)
    ### END HIDDEN TESTS
    <visible checks>

When grading, that hidden block never reaches the kernel: `split` takes it out, `parse` reads it
(imports from `autograder.chapters` and calls of the imported checks on names of the notebook,
nothing else), and `run` calls each check here with the names resolved to handles into the
kernel (autograder/channel). The visible part still runs in the kernel, where the student saw it
run. The grader alone decides whether the hidden checks passed.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import logging
import traceback
from dataclasses import dataclass

from autograder import core
from autograder.channel.kernel import KernelDied
from autograder.channel.remote import Channel, ChannelFailure

BEGIN = "### BEGIN HIDDEN TESTS"
END = "### END HIDDEN TESTS"
PACKAGE = "autograder.chapters"
# Hidden blocks a gradebook stored before each chapter's grader had one folder
# (autograder/hidden/<topic>.py) still grade, from where those checks live now: an instructor
# who upgrades mid-term need not generate the assignments again.
LEGACY_PACKAGE = "autograder.hidden"
LEGACY_MODULES = {"autograder.hidden.spiral": "autograder.chapters.capstone.spiral"}
log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What the hidden checks of one cell decided, and what the student reads about it.

    diagnosis: for a failure, {"id", "title"} of the mistake it named (core.diagnosis_record:
    a catalogued Mistake, a wrong answer's label, or "unrecognised"); None when it passed or
    nothing was checked (a dead kernel).
    """

    passed: bool
    text: str
    diagnosis: dict | None = None


def split(source: str) -> tuple[str, str]:
    """(hidden block, the rest of the cell); the hidden block is "" when there is none."""
    lines = source.split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if not starts:
        return "", source
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise ValueError("a test cell needs exactly one hidden block, begun before it ends")
    start, end = starts[0], ends[0]
    return "\n".join(lines[start + 1 : end]), "\n".join(lines[:start] + lines[end + 1 :])


def parse(hidden: str) -> list[tuple[object, list[str]]]:
    """[(check function, [argument names])] of a hidden block; ValueError if it is another shape.

    The block is the instructor's, restored from the gradebook; still, only this shape runs.
    """
    imported = {}
    calls = []
    for statement in ast.parse(hidden).body:
        if isinstance(statement, ast.ImportFrom) and (statement.module or "").startswith(
            (PACKAGE + ".", LEGACY_PACKAGE + ".")
        ):
            module = importlib.import_module(checks_module(statement.module))
            for alias in statement.names:
                imported[alias.asname or alias.name] = getattr(module, alias.name)
        elif (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Name)
            and statement.value.func.id in imported
            and not statement.value.keywords
            and all(isinstance(a, ast.Name) for a in statement.value.args)
        ):
            call = statement.value
            calls.append((imported[call.func.id], [a.id for a in call.args]))
        else:
            raise ValueError(f"unexpected statement in a hidden block: {ast.unparse(statement)}")
    return calls


def checks_module(name: str) -> str:
    """The module a hidden block's import names, with the old layout's names mapped to the new:
    autograder.hidden.<topic> -> autograder.chapters.<topic>.checks."""
    if name in LEGACY_MODULES:
        return LEGACY_MODULES[name]
    if name.startswith(LEGACY_PACKAGE + "."):
        return f"{PACKAGE}.{name.removeprefix(LEGACY_PACKAGE + '.')}.checks"
    return name


def run(hidden: str, channel: Channel) -> Outcome:
    """Run a hidden block's checks against the namespace behind `channel`.

    KernelDied propagates: the caller decides what a dead kernel costs.
    """
    lines, passed, diagnosis = [], True, None
    for check, names in parse(hidden):
        printed = io.StringIO()
        try:
            arguments = [_lookup(channel, name) for name in names]
            with contextlib.redirect_stdout(printed):
                check(*arguments)
        except KernelDied:
            raise
        except core.GradingError as failure:
            lines.append(printed.getvalue().rstrip())
            lines.append(str(failure))
            passed, diagnosis = False, core.diagnosis_record(failure)
            break
        except ChannelFailure as failure:
            lines.append(f"The grader could not read your kernel's answers: {failure}.")
            passed, diagnosis = False, core.diagnosis_record(failure)
            break
        except Exception:  # a bug in a check: the instructor must hear of it
            log.error("hidden check %s failed:\n%s", check.__name__, traceback.format_exc())
            lines.append(
                f"The grader's check {check.__name__} failed on its own (not your code): "
                "tell your instructor; this cell needs grading by hand."
            )
            passed, diagnosis = False, {"id": GRADER_ERROR, "title": GRADER_ERROR}
            break
        lines.append(printed.getvalue().rstrip())
    return Outcome(passed, "\n".join(line for line in lines if line), diagnosis)


GRADER_ERROR = "grader error"


def _lookup(channel: Channel, name: str):
    try:
        return channel.lookup(name)
    except NameError:
        raise core.GradingError(
            f"`{name}` is not defined when the tests run: run the cell that defines it, and "
            "check its name is spelled as in the exercise."
        ) from None
