"""Students get `course`, never `autograder`; the pins say the same everywhere."""

import re
import subprocess
import sys
import zipfile

import pytest
import yaml
from conftest import ROOT, nbgrader_env

from autograder import notebooks as nbs


def requirement_pins():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower()] = version
    return pins


def test_every_requirement_is_pinned_exactly():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][A-Za-z0-9.]*", line), line


def test_environment_yml_matches_requirements():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = {}, {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for item in dep["pip"]:
                if "==" in item:
                    name, version = item.split("==")
                    pip[name.lower()] = version
        elif "=" in dep and not dep.startswith("python="):
            name, version = dep.split("=")
            conda[name.lower()] = version
    assert not set(conda) & set(pip), "a package is listed twice"
    assert {**conda, **pip} == requirement_pins()


def test_constraints_agree_with_requirements():
    locked = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            locked[name.lower().replace("_", "-")] = version
    for name, version in requirement_pins().items():
        assert locked.get(name.replace("_", "-")) == version, (
            f"constraints.txt pins {name} differently: run `make lock`"
        )


@pytest.mark.slow
def test_student_wheel_ships_course_but_not_autograder(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        env=nbgrader_env(),
        capture_output=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("course/") for n in names)
    assert not any("autograder" in n or n.startswith(("source/", "tests/")) for n in names), names


def test_autograder_not_importable_from_a_student_notebook_folder():
    """A kernel started in a release/ folder, without the grading config, cannot import it."""
    env = {k: v for k, v in nbgrader_env().items() if k != "PYTHONPATH"}
    folder = nbs.notebook_path(nbs.chapters(ROOT)[0], "release").parent
    probe = "import course\ntry:\n    import autograder\nexcept ModuleNotFoundError:\n    print('hidden')\n"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=folder, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "hidden", result.stdout + result.stderr


def test_grading_config_puts_autograder_on_the_kernel_path():
    """The other side: nbgrader_config.py gives grading kernels the course root on PYTHONPATH."""
    probe = (
        "import os\nfrom traitlets.config.loader import PyFileConfigLoader\n"
        f"PyFileConfigLoader('nbgrader_config.py', path={str(ROOT)!r}).load_config()\n"
        "print(os.environ['PYTHONPATH'].split(os.pathsep)[0])\n"
    )
    env = {k: v for k, v in nbgrader_env().items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd="/", env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == str(ROOT), result.stderr
