"""`make test` sets itself up (tools/system-deps), and CI does nothing a user's commands lack."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

SYSTEM_DEPS = ROOT / "tools" / "system-deps"


def test_system_deps_lists_what_the_tests_need():
    listed = subprocess.run(
        [SYSTEM_DEPS, "--list"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert {"chromium", "postgresql", "bubblewrap"} <= set(listed)
    grading = subprocess.run(
        [SYSTEM_DEPS, "grade", "--list"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert grading == ["bubblewrap"]  # what `make` needs before it grades


def test_ci_runs_the_readme_commands_and_nothing_else():
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    makes = [line.split("#")[0].strip() for line in commands if line.startswith("make")]
    assert makes == ["make setup", "make lint", "make", "make test"]
    assert not any(word in line for line in commands for word in ("apt-get", "sudo", "pip "))


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"),
    reason="needs root, to run the script as an unprivileged user",
)
def test_without_root_it_stops_with_one_line_naming_the_command():
    """As a user without sudo, on a machine that lacks the packages (a dpkg-query that knows
    none), it installs nothing and says in one line what to run."""
    # not pytest's tmp_path: its parent is private to root, so nobody could not run the fake
    with tempfile.TemporaryDirectory() as scratch:
        fake = Path(scratch)
        fake.chmod(0o755)
        (fake / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")
        (fake / "dpkg-query").chmod(0o755)
        # a copy: the checkout itself may be closed to other users
        script = shutil.copy(SYSTEM_DEPS, fake / "system-deps")
        result = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", script],
            env={"PATH": f"{fake}:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": scratch},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    listed = subprocess.run(
        [SYSTEM_DEPS, "--list"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert f"apt-get install -y {' '.join(listed)}" in lines[0]
