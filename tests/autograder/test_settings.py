"""`python -m autograder settings` lists the grading settings the course adds, with the values
grading will use (nbgrader's --help-all cannot: it prints before nbgrader_config.py is read)."""

import subprocess
import sys

from tests.helpers import ROOT, nbgrader_env


def test_settings_lists_each_course_setting_with_the_value_in_use():
    env = {**nbgrader_env(), "BACKPROP_CELL_TIMEOUT": "45", "BACKPROP_KERNEL_MEMORY": "3G"}
    result = subprocess.run(
        [sys.executable, "-m", "autograder", "settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    for setting in ("--GradingLimits.memory", "--Sandbox.max_files", "--WarmKernels."):
        assert setting in out
    # the environment variables are the limits' defaults, and the values shown are in use
    assert "    cell_timeout = 45" in out and "    memory = '3G'" in out
