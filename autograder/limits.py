"""What one grading kernel may use: time per cell, memory, output (README, "Grading safety").

`GradingLimits` holds them as traitlets settings (`c.GradingLimits.memory = "4G"` in
nbgrader_config.py, before `safety.configure`); the environment variables of earlier versions
(BACKPROP_KERNEL_MEMORY, BACKPROP_CELL_TIMEOUT) are their defaults. `safety.configure` turns them
into nbgrader's settings: Execute.timeout and its error, and the kernel's start-up arguments,
which run autograder/kernel_startup.py inside the kernel (memory cap, output cap). Both kinds of
grading kernel get them: a cold one in its command line, a warm one (autograder/warm.py) in the
arguments the template hands to the kernel it forks (autograder/zygote.py).

safety.configure reads the settings while nbgrader_config.py runs, which is before nbgrader
merges the command line: `--GradingLimits.memory=...` on an nbgrader command does not reach the
kernel (only LimitOutputSize, which reads GradingLimits when it runs, would see it). Set them in
nbgrader_config.py or in the environment. For the same reason `nbgrader autograde --help-all`
cannot list them (it prints before any config file is read): `GradingLimits.class_get_help()`
does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from traitlets import Integer, TraitError, Unicode, default, validate
from traitlets.config import Configurable

MEMORY_ENV = "BACKPROP_KERNEL_MEMORY"
TIMEOUT_ENV = "BACKPROP_CELL_TIMEOUT"
DEFAULT_MEMORY = "2G"
DEFAULT_TIMEOUT = 30
# Text a cell may print while grading; the rest is dropped (feedback needs far less).
MAX_OUTPUT_CHARS = 100_000
# Images and other data a cell may display (a plot is about 30 kB); the rest is replaced by a
# note, so a notebook cannot grow the graded copy, the formgrader or feedback without bound.
MAX_OUTPUT_DATA = 2_000_000
# what the kernel keeps aside to recover from a MemoryError in
RESERVE_BYTES = 16 * 2**20
TRUNCATED = "\n... output truncated by the grader ...\n"

STARTUP_FILE = Path(__file__).resolve().with_name("kernel_startup.py")
# the first line of STARTUP_FILE: marks our kernel argument among others
MARK = "backprop grading limits"
# the callbacks that show the startup code already ran in a kernel
INSTALLED = ("release_after_memory_error", "start_cell")


def parse_size(text: str | int) -> int:
    """'2G', '512M', '1.5g', '2147483648' -> bytes; '0' or '' -> 0 (no cap)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", str(text).lower())
    if not match:
        raise ValueError(f"expected a size such as 2G or 512M, got {text!r}")
    number, unit = match.groups()
    return int(float(number) * 1024 ** " kmgt".index(unit or " "))


class GradingLimits(Configurable):
    """What one grading kernel may use (autograder/limits.py)."""

    memory = Unicode(
        help=f"Data a grading kernel may use, e.g. 2G or 512M ('0': no cap). Default: env "
        f"{MEMORY_ENV}, else {DEFAULT_MEMORY}."
    ).tag(config=True)
    cell_timeout = Integer(
        help=f"Seconds a cell may run while grading. Default: env {TIMEOUT_ENV}, else "
        f"{DEFAULT_TIMEOUT}."
    ).tag(config=True)
    max_output_chars = Integer(
        MAX_OUTPUT_CHARS, help="Characters of text a cell may print while grading (-1: no limit)."
    ).tag(config=True)
    max_output_data = Integer(
        MAX_OUTPUT_DATA, help="Bytes of images and other data a cell may display while grading."
    ).tag(config=True)

    def __init__(self, environ: Mapping[str, str] | None = None, **kwargs):
        """environ: where the defaults come from (default: os.environ)."""
        self._environ = os.environ if environ is None else environ
        super().__init__(**kwargs)

    @default("memory")
    def _memory_default(self):
        return self._environ.get(MEMORY_ENV, DEFAULT_MEMORY)

    @default("cell_timeout")
    def _cell_timeout_default(self):
        return int(self._environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT))

    @validate("memory")
    def _valid_memory(self, proposal):
        try:
            parse_size(proposal["value"])
        except ValueError as error:
            raise TraitError(f"GradingLimits.memory: {error}") from None
        return proposal["value"]

    def memory_bytes(self) -> int:
        return parse_size(self.memory)

    def kernel_arguments(self) -> list[str]:
        return kernel_arguments(self.memory_bytes(), self.max_output_chars)

    def timeout_error(self) -> dict:
        return timeout_error(self.cell_timeout)


def kernel_startup_code(max_bytes: int, max_chars: int = MAX_OUTPUT_CHARS) -> str:
    """One line of Python the grading kernel runs before the notebook: autograder/
    kernel_startup.py, given as text, then its `install` with these limits.

    max_bytes: memory cap (0: none); max_chars: text a cell may print (-1: no limit).
    """
    settings = {
        "max_bytes": int(max_bytes),
        "max_chars": int(max_chars),
        "notice": TRUNCATED,
        "reserve_bytes": RESERVE_BYTES,
        "memory_note": memory_note(max_bytes),
    }
    source = STARTUP_FILE.read_text(encoding="utf-8")
    source += f"\ninstall(get_ipython(), **{settings!r})\n"
    # Merged configs may pass the line twice: the second time it does nothing.
    callbacks = "get_ipython().events.callbacks"
    installed = (
        f"any(getattr(f, '__name__', '') in {INSTALLED!r} "
        f"for f in {callbacks}['pre_run_cell'] + {callbacks}['post_run_cell'])"
    )
    return (
        f"None if {installed} else "
        f"exec(compile({source!r}, {str(STARTUP_FILE)!r}, 'exec'), "
        "{'get_ipython': get_ipython})"
    )


def kernel_arguments(max_bytes: int, max_chars: int = MAX_OUTPUT_CHARS) -> list[str]:
    """Extra command-line arguments for the grading kernel (Execute.extra_arguments).

    Only exec_lines, which a kernel accepts any number of times (merged configs may pass
    these twice; the startup code runs once). A single-valued option such as
    `--IPKernelApp.log_level` given twice stops the kernel from starting.
    """
    if not max_bytes and max_chars < 0:
        return []
    return [f"--IPKernelApp.exec_lines={kernel_startup_code(max_bytes, max_chars)}"]


def memory_note(max_bytes: int) -> str:
    """What a cell that ran out of memory prints for the student."""
    return (
        f"\nThe grader stopped this cell: it needed more than the {max_bytes / 2**30:g} GiB "
        "of memory a notebook may use while grading (MemoryError above). Look for a list or "
        "an array that keeps growing, or one far larger than the data.\n"
    )


def timeout_error(timeout: int) -> dict:
    """The error a cell that ran out of time shows (Execute.error_on_timeout)."""
    message = (
        f"This cell was stopped after {timeout} s. Grading gives each cell {timeout} s: "
        "look for a loop that never ends (a `while` whose condition never becomes False) "
        "or work that grows much faster than the input."
    )
    return {
        "ename": "CellTimeoutError",
        "evalue": message,
        "traceback": [f"\x1b[0;31mCellTimeoutError\x1b[0m: {message}"],
    }


def memory_limit(environ: Mapping[str, str] | None = None) -> int:
    """The memory cap for a grading kernel, in bytes (0: none), from the environment alone."""
    return GradingLimits(environ=environ).memory_bytes()
