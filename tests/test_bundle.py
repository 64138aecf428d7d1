"""The student bundle (`make student-bundle`): release/, the course wheel and the student lock,
and nothing of source/, autograder/ or nbgrader."""

import io
import subprocess
import sys
import zipfile

import pytest
import yaml

from autograder import notebooks as nbs
from tests.helpers import ROOT, nbgrader_env

pytestmark = pytest.mark.slow

# what only the instructor's side holds: solutions, hidden tests, the grader
SECRETS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", "import autograder", "autograder.")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """{name inside the zip: ZipInfo}, and the open archive, of a freshly built bundle."""
    scratch = tmp_path_factory.mktemp("bundle")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(scratch), "."],
        cwd=ROOT,
        env=nbgrader_env(),
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = scratch.glob("*.whl")
    out = scratch / "student.zip"
    subprocess.run(
        [sys.executable, ROOT / "tools" / "student_bundle.py", out, "--wheel", wheel],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with zipfile.ZipFile(out) as archive:
        yield archive


def test_bundle_holds_release_the_wheel_and_the_student_lock(bundle):
    names = set(bundle.namelist())
    assert all(name.startswith("backprop-student/") for name in names)
    for chapter in nbs.chapters(ROOT):
        assert f"backprop-student/release/{chapter}/{chapter}.ipynb" in names
        notebook = bundle.read(f"backprop-student/release/{chapter}/{chapter}.ipynb")
        assert notebook == nbs.notebook_path(chapter, "release").read_bytes()
    (wheel,) = [name for name in names if name.endswith(".whl")]
    student_lock = (ROOT / "requirements" / "student.txt").read_bytes()
    assert bundle.read("backprop-student/requirements.txt") == student_lock
    assert bundle.read("backprop-student/binder/requirements.txt") == student_lock
    assert (
        wheel.removeprefix("backprop-student/")
        in bundle.read("backprop-student/binder/postBuild").decode()
    )
    env = yaml.safe_load(bundle.read("backprop-student/environment.yml"))
    pip = next(dep["pip"] for dep in env["dependencies"] if isinstance(dep, dict))
    assert f"./{wheel.removeprefix('backprop-student/')}" in pip


def test_bundle_has_nothing_of_the_grader(bundle):
    for name in bundle.namelist():
        inner = name.removeprefix("backprop-student/")
        assert not inner.startswith(("source/", "autograder/", "tests/")), name
        assert "autograder" not in inner and "nbgrader_config" not in inner, name
        data = bundle.read(name)
        if name.endswith(".whl"):
            shipped = zipfile.ZipFile(io.BytesIO(data)).namelist()
            assert not any(n.startswith("autograder") for n in shipped), shipped
            continue
        text = data.decode("utf-8", errors="replace")
        for secret in SECRETS:
            assert secret not in text, f"{name} contains {secret!r}"
    lock = bundle.read("backprop-student/requirements.txt").decode().lower()
    for tool in ("nbgrader", "pytest", "playwright", "psycopg"):
        assert f"\n{tool}" not in lock, tool
