"""GradingLimits (autograder/limits.py) and the start-up code it sends to each grading kernel
(autograder/kernel_startup.py), run here in a real IPython shell in a subprocess."""

import json
import subprocess
import sys

import pytest
from traitlets import TraitError
from traitlets.config import Config

from autograder import limits, safety
from tests.helpers import ROOT


def test_defaults_come_from_the_environment_and_config_wins():
    assert limits.GradingLimits(environ={}).memory_bytes() == 2 * 2**30
    assert limits.GradingLimits(environ={}).cell_timeout == 30
    environ = {limits.MEMORY_ENV: "512M", limits.TIMEOUT_ENV: "5"}
    assert limits.GradingLimits(environ=environ).memory_bytes() == 512 * 2**20
    assert limits.GradingLimits(environ=environ).cell_timeout == 5
    c = Config()
    c.GradingLimits.memory = "1G"
    assert limits.GradingLimits(environ=environ, config=c).memory_bytes() == 2**30
    with pytest.raises(TraitError, match="512 apples"):
        limits.GradingLimits(environ={}, memory="512 apples")


def test_help_lists_every_limit_with_its_environment_variable():
    text = limits.GradingLimits.class_get_help()
    for name in ("memory", "cell_timeout", "max_output_chars", "max_output_data"):
        assert f"--GradingLimits.{name}" in text
    assert limits.MEMORY_ENV in text and limits.TIMEOUT_ENV in text


def test_configure_turns_the_limits_into_nbgrader_settings():
    c = Config()
    c.GradingLimits.cell_timeout = 7
    c.GradingLimits.max_output_chars = 50
    safety.configure(c, environ={limits.MEMORY_ENV: "1G"})
    assert c.Execute.timeout == 7 and "after 7 s" in c.Execute.error_on_timeout["evalue"]
    assert c.Execute.extra_arguments == limits.kernel_arguments(2**30, 50)
    c.GradingLimits.memory, c.GradingLimits.max_output_chars = "0", -1
    assert safety.configure(c).Execute.extra_arguments == []


# Runs the kernel's start-up line twice (merged configs pass it twice), then cells that print
# too much and allocate too much; prints what it saw as JSON.
SHELL = """
import io, json, sys
from IPython.core.interactiveshell import InteractiveShell
from autograder import limits

class Sink(io.TextIOBase):  # a Python object: the limit replaces its `write`, as on ipykernel's
    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)
        return len(text)

shell = InteractiveShell.instance()
line = limits.kernel_startup_code(1024 * 2**20, 2000)
shell.run_cell(line)
shell.run_cell(line)
real, sys.stdout = sys.stdout, Sink()
shell.run_cell("print('x' * 5000)")
printed = "".join(sys.stdout.parts)
sys.stdout.parts = []
bomb = shell.run_cell("hoard = bytearray(8 * 2**30)")
note = "".join(sys.stdout.parts)
after = shell.run_cell("room = bytearray(300 * 2**20)")
sys.stdout = real
names = [f.__name__ for f in shell.events.callbacks["pre_run_cell"]]
print(json.dumps({
    "printed": printed,
    "bomb": type(bomb.error_in_exec).__name__,
    "note": note,
    "after": repr(after.error_in_exec),
    "start_cell": names.count("start_cell"),
    "leaked": sorted(set(shell.user_ns) & {"install", "limit_memory", "limit_output"}),
}))
"""


def test_startup_code_limits_output_and_memory_in_a_shell():
    done = subprocess.run(
        [sys.executable, "-c", SHELL], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["printed"] == "x" * 2000 + limits.TRUNCATED
    assert seen["bomb"] == "MemoryError" and "1 GiB" in seen["note"]
    assert seen["after"] == "None", "the memory the failed cell held was not released"
    assert seen["start_cell"] == 1 and seen["leaked"] == []
