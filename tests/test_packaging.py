"""Students get `course`, never `autograder` or nbgrader; the locks say the same everywhere."""

import re
import subprocess
import sys
import tomllib
import zipfile

import pytest
import yaml

from autograder import notebooks as nbs
from tests.helpers import BIN, ROOT, nbgrader_env

LOCKS = ("student", "grader", "dev")  # each audience's lock holds the one before it
# what only instructors (then only developers) need: never in a lighter lock
GRADER_ONLY = {"nbgrader", "psycopg", "psycopg-binary", "alembic", "sqlalchemy"}
DEV_ONLY = {"pytest", "ruff", "playwright", "uv"}
# `name==version ; marker --hash=...`, as `uv export` writes it (continuation lines joined)
LOCKED = re.compile(
    r"(?P<name>[A-Za-z0-9][A-Za-z0-9._\-]*)==(?P<version>[0-9][A-Za-z0-9.+!]*)"
    r"(?: ; (?P<marker>[^\-]+?))?(?P<hashes>(?: --hash=sha256:[0-9a-f]{64})+)"
)


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_lines(audience):
    """requirements/<audience>.txt's requirements, one string each, comments dropped."""
    text = (ROOT / "requirements" / f"{audience}.txt").read_text()
    joined = re.sub(r"\s*\\\n\s*", " ", text)
    lines = (line.split("#", 1)[0].strip() for line in joined.splitlines())
    return [line for line in lines if line]


def lock_pins(audience):
    """{canonical name: {version, ...}} (one version, or one per marker where they differ)."""
    pins = {}
    for line in lock_lines(audience):
        match = LOCKED.fullmatch(line)
        assert match, f"requirements/{audience}.txt: {line[:120]}"
        pins.setdefault(canonical(match["name"]), set()).add(match["version"])
    return pins


def direct_dependencies():
    """{audience: canonical names pyproject.toml gives it}; each audience includes the last."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())

    def names(specs):
        return {canonical(re.match(r"[A-Za-z0-9._\-]+", spec)[0]) for spec in specs}

    student = names(project["project"]["dependencies"])
    grader = student | names(project["project"]["optional-dependencies"]["grader"])
    dev = grader | names(project["dependency-groups"]["dev"])
    return {"student": student, "grader": grader, "dev": dev}


def test_every_requirement_is_pinned_exactly():
    """Every line of every lock: an exact version and at least one sha256 hash."""
    for audience in LOCKS:
        assert lock_lines(audience), audience
        for line in lock_lines(audience):
            assert LOCKED.fullmatch(line), f"requirements/{audience}.txt: {line[:120]}"


def test_each_lock_holds_its_audience_and_no_more():
    for audience, direct in direct_dependencies().items():
        pins = lock_pins(audience)
        missing = direct - set(pins)
        assert not missing, f"requirements/{audience}.txt lacks {missing}: run `make lock`"
    assert not (GRADER_ONLY | DEV_ONLY) & set(lock_pins("student"))
    assert not DEV_ONLY & set(lock_pins("grader"))


def test_constraints_agree_with_requirements():
    """The locks agree: a package in two of them has the same versions in both, and each
    audience's lock holds the lighter one's packages."""
    pins = {audience: lock_pins(audience) for audience in LOCKS}
    for lighter, heavier in zip(LOCKS, LOCKS[1:], strict=False):
        assert set(pins[lighter]) <= set(pins[heavier]), (lighter, heavier)
        for name, versions in pins[lighter].items():
            assert pins[heavier][name] == versions, f"{name}: {lighter} and {heavier} disagree"


def uncommented(text):
    """A lock without its header (the command that wrote it names the output file)."""
    return [line for line in text.splitlines() if not line.startswith("#")]


def test_locks_are_uv_lock_exported():
    """uv.lock is current for pyproject.toml, and each requirements file is its export."""
    uv = [str(BIN / "uv"), "--offline", "--quiet"]
    check = subprocess.run(
        [*uv, "lock", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert check.returncode == 0, f"uv.lock is stale: run `make lock`\n{check.stderr}"
    options = {
        "student": ["--no-dev"],
        "grader": ["--no-dev", "--extra", "grader"],
        "dev": ["--all-extras"],
    }
    for audience, extra in options.items():
        export = subprocess.run(
            [*uv, "export", "--frozen", "--no-emit-project", *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        committed = (ROOT / "requirements" / f"{audience}.txt").read_text()
        assert uncommented(export.stdout) == uncommented(committed), (
            f"requirements/{audience}.txt differs from uv.lock: run `make lock`"
        )


def test_environment_yml_matches_requirements():
    """environment.yml is the student's: their direct dependencies, at the student lock's
    versions (conda-forge names; nnfs, not on conda-forge, under pip:), nothing of nbgrader."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for item in dep["pip"]:
                name, version = item.split("==")
                pins[canonical(name)] = version
        elif dep not in ("pip", "python=3.11"):
            name, version = dep.split("=")
            assert canonical(name) not in pins, f"{name} listed twice"
            pins[canonical(name)] = version
    assert set(pins) == direct_dependencies()["student"]
    student = lock_pins("student")
    for name, version in pins.items():
        assert student[name] == {version}, f"environment.yml pins {name}={version}"


def test_student_install_has_no_nbgrader():
    """The student venv (`make student-venv`: the student lock and the wheel) has the course,
    its kernel and JupyterLab, and neither nbgrader nor the grader nor the developers' tools."""
    python = ROOT / ".venv-student" / "bin" / "python"
    if not python.exists():
        pytest.fail(".venv-student not found: run `make student-venv` (`make test` does)")
    probe = (
        "from importlib.util import find_spec as f\n"
        "names = ['course', 'jupyterlab', 'ipympl', 'nnfs', 'nbgrader', 'autograder', 'pytest']\n"
        "print(' '.join(n for n in names if f(n)))\n"
    )
    env = {k: v for k, v in nbgrader_env().items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(python), "-c", probe], cwd="/", env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["course", "jupyterlab", "ipympl", "nnfs"]


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


def test_grading_config_keeps_the_grader_out_of_kernels():
    """The other side: nbgrader_config.py runs hidden tests in nbgrader's own process and every
    kernel in the sandbox; it no longer hands kernels the course root on PYTHONPATH."""
    probe = (
        "import os\nfrom traitlets.config.loader import PyFileConfigLoader\n"
        f"c = PyFileConfigLoader('nbgrader_config.py', path={str(ROOT)!r}).load_config()\n"
        "print(os.environ.get('PYTHONPATH', ''))\n"
        "print(c.Execute.kernel_manager_class)\n"
        "print([p.__name__ for p in c.Autograde.autograde_preprocessors])\n"
    )
    env = {k: v for k, v in nbgrader_env().items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd="/", env=env, capture_output=True, text=True
    )
    pythonpath, manager, preprocessors = result.stdout.splitlines()
    assert str(ROOT) not in pythonpath, result.stderr
    # the sandbox's kernel manager, or the warm kernels' one built on it
    from autograder import sandbox, warm

    assert manager in (sandbox.KERNEL_MANAGER, warm.KERNEL_MANAGER), manager
    assert issubclass(warm.WarmKernelManager, sandbox.SandboxedKernelManager)
    assert "GradeInGrader" in preprocessors and "'Execute'" not in preprocessors
