"""Warm grading kernels (autograder/warm.py, autograder/zygote.py): forked from one sandboxed
template, each in a sandbox of its own, none seeing another's state, grades unchanged.

- the sandbox probe (tests/autograder/kernels.py, as test_sandbox.py runs it) in a forked
  kernel: the same answers;
- two submissions graded one after the other by `nbgrader autograde` with warm kernels: what
  the first leaves (a global, a module attribute, files in /tmp and in its folder, a patched
  np.dot) is absent from the second, which was forked from the template (nnfs already
  imported before its first cell);
- a small class graded by the pipeline (warm kernels, two workers) gets exactly the per-cell
  grades of serial `nbgrader autograde` with cold kernels.
Needs bubblewrap and root (skipped otherwise: warm kernels need a uid per kernel).
"""

import asyncio
import json
import os
import shutil
import subprocess

import nbformat
import pytest

from autograder import examples, warm
from tests.autograder.kernels import SECRETS, execute, probe, run_async, started
from tests.autograder.pipeline_class import (
    CHAPTER,
    grade,
    gradebook_scores,
    make_course,
    sqlite_url,
    write_class,
)
from tests.helpers import nbgrader_env, run

pytestmark = pytest.mark.skipif(
    not shutil.which("bwrap") or os.geteuid() != 0,
    reason="warm kernels need bubblewrap and a root grader",
)


async def _probe_warm(root):
    """Two warm kernels on alice's folder; the first probes the world (kernels.PROBE)."""
    managers = [warm.WarmKernelManager(kernel_name="python3") for _ in range(2)]
    async with started(managers, root / "submitted" / "alice" / "ch") as clients:
        for km in managers:
            assert isinstance(km.provisioner.process, warm.WarmProcess)
        seen = await probe(clients[0], managers[1], root, "/nonexistent", "")
        # an interrupt reaches a forked kernel (through the template) and it survives
        clients[1].execute(
            "import time\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    x = 'alive'"
        )
        await asyncio.sleep(2)
        await managers[1].interrupt_kernel()
        reply = await clients[1]._async_get_shell_msg(timeout=30)
        assert reply["content"]["status"] == "ok"
        _, text = await execute(clients[1], "print(x)", timeout=30)
    return seen, text, managers


def test_a_forked_kernel_sees_what_a_cold_one_sees(fake_course, grader_secrets, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(fake_course))
    seen, after_interrupt, managers = run_async(_probe_warm(fake_course))

    assert seen["cwd"] == "/submission"
    assert seen["listing"] == ["nb.ipynb"] and seen["notebook"] == "alice's notebook"
    assert seen["visible"] == [] and seen["walk"] == []
    assert seen["proc_leaks"] == [] and not seen["grader_pid_visible"]
    assert seen["gradebook_written"] is not True and seen["bob"] is None
    assert "Connection refused" in seen["tcp"] or "unreachable" in seen["tcp"], seen["tcp"]
    assert "No such file" in seen["other_kernel"], seen["other_kernel"]
    leaked = [n for n in seen["env"] if n in SECRETS or n.startswith("PG") or n == "PYTHONPATH"]
    assert leaked == [] and "hunter2" not in json.dumps(seen["env"])
    assert seen["uid"] != 0
    assert "alive" in after_interrupt
    assert (fake_course / "submitted/alice/ch/nb.ipynb").read_text() == "alice's notebook"
    assert not any(km._sandbox_dir for km in managers)


LEAVE = """\
import os, numpy as np
LEFT_BEHIND = 1
np.left_behind = 1
np.dot = lambda *args, **kwargs: 0
open("/tmp/left_behind.txt", "w").write("x")
open("/dev/shm/left_behind.txt", "w").write("x")
open("left_behind.txt", "w").write("x")
print("left", flush=True)
"""

LOOK = """\
import json, os, sys, types
was_imported = "nnfs" in sys.modules
import numpy as np
print("LOOK " + json.dumps({
    "warm": was_imported,
    "global": "LEFT_BEHIND" in globals(),
    "attribute": hasattr(np, "left_behind"),
    "patched": isinstance(np.dot, types.FunctionType),
    "dot": float(np.dot([1.0, 2.0], [3.0, 4.0])),
    "files": [p for p in ("/tmp/left_behind.txt", "/dev/shm/left_behind.txt",
                          "left_behind.txt") if os.path.exists(p)],
}), flush=True)
"""


def _with_first_cell(code):
    nb = examples.filled(CHAPTER)
    nb["cells"].insert(0, nbformat.v4.new_code_cell(code))
    return json.dumps(nb, indent=1)


def test_one_submission_leaves_nothing_for_the_next(tmp_path):
    course = make_course(tmp_path)
    run(["nbgrader", "generate_assignment", CHAPTER, "--force", "--log-level=ERROR"], course)
    for student, code in (("a_leaves", LEAVE), ("b_looks", LOOK)):
        path = course / "submitted" / student / CHAPTER / f"{CHAPTER}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(_with_first_cell(code), encoding="utf-8")
    # one process grades both, in order: the second kernel is forked after the first ran
    run(["nbgrader", "autograde", CHAPTER, "--force", "--log-level=ERROR"], course)

    def first_output(student):
        path = course / "autograded" / student / CHAPTER / f"{CHAPTER}.ipynb"
        cell = nbformat.read(path, as_version=4).cells[0]
        return "".join(o.get("text", "") for o in cell.outputs)

    assert "left" in first_output("a_leaves")
    line = [x for x in first_output("b_looks").splitlines() if x.startswith("LOOK ")]
    seen = json.loads(line[0][5:])
    assert seen["warm"], "the kernel was not forked from the template"
    assert seen == {
        "warm": True,
        "global": False,
        "attribute": False,
        "patched": False,
        "dot": 11.0,
        "files": [],
    }


def test_pipeline_with_warm_kernels_grades_as_serial_nbgrader(tmp_path):
    kinds = {"s0": "correct", "s1": "buggy", "s2": "blank", "s3": "correct", "s4": "buggy"}
    (tmp_path / "cold").mkdir()
    (tmp_path / "warm").mkdir()
    cold = make_course(tmp_path / "cold")
    warm_course = make_course(tmp_path / "warm")
    for course in (cold, warm_course):
        write_class(course, kinds)
        run(["nbgrader", "generate_assignment", CHAPTER, "--force", "--log-level=ERROR"], course)
    env = nbgrader_env()
    env[warm.WARM_ENV] = "0"
    result = subprocess.run(
        ["nbgrader", "autograde", CHAPTER, "--force", "--log-level=ERROR"],
        cwd=cold,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    grade(warm_course, "--workers", "2", "--no-feedback", "--no-report")

    serial = gradebook_scores(sqlite_url(cold))
    pipeline = gradebook_scores(sqlite_url(warm_course))
    assert set(serial) == set(kinds)
    assert pipeline == serial
    # the grades differ between kinds: the comparison compares something
    total = {s: sum(v.values()) for s, v in serial.items()}
    assert total["s0"] > total["s1"] > total["s2"] == 0
