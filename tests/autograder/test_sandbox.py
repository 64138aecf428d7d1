"""The grading kernel's sandbox (autograder/sandbox/): what a kernel can see and do.

A kernel started through SandboxedKernelManager, as nbgrader starts it, probes its world from
the inside (the course, the gradebook, another student's folder, the grader's processes and
environment, the network, another kernel's sockets) and reports as JSON; the test asserts on
the report. Once more through a real `nbgrader autograde`. Needs bubblewrap (skipped without).
"""

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from traitlets.config import Config

from autograder import sandbox
from tests.autograder.kernels import PROBE, SECRETS, execute, probe, run_async, started
from tests.helpers import ROOT as REPO
from tests.helpers import copy_course, nbgrader_env, run

pytestmark = pytest.mark.skipif(not shutil.which("bwrap"), reason="needs bubblewrap (bwrap)")


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _user():
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


async def _probe(root, config=None):
    """Start two sandboxed kernels on alice's folder; the first probes; returns its report."""
    managers = [sandbox.SandboxedKernelManager(kernel_name="python3", config=config or Config())]
    managers.append(sandbox.SandboxedKernelManager(kernel_name="python3"))
    async with started(managers, root / "submitted" / "alice" / "ch") as clients:
        seen = await probe(clients[0], managers[1], root, REPO, _user())
        # the stdin channel: input() reaches the grader as input_request
        clients[0].allow_stdin = True
        msg_id = clients[0].execute("print('got', input('? '))", allow_stdin=True)
        request = await clients[0].get_stdin_msg(timeout=30)
        assert request["header"]["msg_type"] == "input_request"
        clients[0].input("42")
        reply = await clients[0]._async_get_shell_msg(timeout=30)
        assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["status"] == "ok"
    return seen, managers


def test_kernel_sees_only_its_submission(fake_course, grader_secrets, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(fake_course))
    original = fake_course / "submitted" / "alice" / "ch" / "nb.ipynb"
    before = sha(original)
    seen, managers = run_async(_probe(fake_course))

    assert seen["cwd"] == "/submission"
    assert seen["listing"] == ["nb.ipynb"] and seen["notebook"] == "alice's notebook"
    assert seen["visible"] == [] and seen["walk"] == []
    assert set(seen["grader_home"]) <= {".pyenv"}, seen["grader_home"]
    assert seen["proc_leaks"] == [] and not seen["grader_pid_visible"]
    assert seen["gradebook_written"] is not True
    assert seen["bob"] is None
    assert "Connection refused" in seen["tcp"] or "unreachable" in seen["tcp"], seen["tcp"]
    assert "No such file" in seen["other_kernel"], seen["other_kernel"]
    leaked = [n for n in seen["env"] if n in SECRETS or n.startswith("PG") or n == "PYTHONPATH"]
    assert leaked == []
    assert "hunter2" not in json.dumps(seen["env"])
    assert seen["imports"] and seen["mplconfig"] == sandbox.MPLCONFIGDIR
    if os.geteuid() == 0:
        assert seen["uid"] != 0
    # writes went to the scratch copy, which is gone with its kernel
    assert sha(original) == before
    assert sorted(os.listdir(original.parent)) == ["answers.py", "grader", "nb.ipynb"]
    assert not any(km._sandbox_dir for km in managers)
    assert (fake_course / "gradebook.db").read_bytes() == b"SQLite format 3\x00"


def test_interrupt_reaches_the_kernel_and_it_survives(fake_course):
    async def go():
        km = sandbox.SandboxedKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(fake_course / "submitted" / "alice" / "ch"))
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            kc.execute(
                "import time\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n    x = 1"
            )
            await asyncio.sleep(2)
            await km.interrupt_kernel()
            reply = await kc._async_get_shell_msg(timeout=30)
            assert reply["content"]["status"] == "ok"
            content, out = await execute(kc, "print(x)")
            assert out.strip() == "1"
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    run_async(go())


def test_no_bwrap_refuses_with_a_reason(fake_course, monkeypatch):
    monkeypatch.delenv(sandbox.ALLOW_ENV, raising=False)
    config = Config({"Sandbox": {"bwrap": "/nonexistent/bwrap"}})
    km = sandbox.SandboxedKernelManager(kernel_name="python3", config=config)
    with pytest.raises(
        sandbox.SandboxUnavailable, match="Grading refused.*bubblewrap was not found"
    ):
        run_async(km.start_kernel(cwd=str(fake_course)))
    assert not km.has_kernel


def test_a_bind_that_would_show_a_course_root_is_refused(fake_course, monkeypatch):
    monkeypatch.delenv(sandbox.ALLOW_ENV, raising=False)
    config = Config({"Sandbox": {"ro_binds": [str(fake_course)]}})
    km = sandbox.SandboxedKernelManager(kernel_name="python3", config=config)
    with pytest.raises(sandbox.SandboxUnavailable, match="looks like a course root"):
        run_async(km.start_kernel(cwd=str(fake_course)))


@pytest.mark.parametrize("how", ["trait", "env"])
def test_unsandboxed_only_when_asked_and_with_a_warning(fake_course, monkeypatch, caplog, how):
    monkeypatch.delenv(sandbox.ALLOW_ENV, raising=False)
    settings = {"bwrap": "/nonexistent/bwrap"}
    if how == "trait":
        settings["allow_unsandboxed"] = True
    else:
        monkeypatch.setenv(sandbox.ALLOW_ENV, "1")

    async def go():
        km = sandbox.SandboxedKernelManager(
            kernel_name="python3", config=Config({"Sandbox": settings})
        )
        await km.start_kernel(cwd=str(fake_course / "submitted" / "alice" / "ch"))
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            content, out = await execute(
                kc, f"import os; print(os.path.exists({str(fake_course)!r}))"
            )
            return out.strip()
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    assert run_async(go()) == "True"  # what the warning says it gives up
    assert any("WITHOUT the sandbox" in r.getMessage() for r in caplog.records)


def test_configure_is_idempotent():
    c = Config()
    sandbox.configure(c)
    sandbox.configure(c)
    assert c.Execute.kernel_manager_class == sandbox.KERNEL_MANAGER


def test_limits_are_set_outside_the_kernel():
    env = sandbox.kernel_env(sandbox.Sandbox(), {**SECRETS, "PYTHONPATH": "/x", "LANG": "C"})
    assert env["LANG"] == "C" and not set(SECRETS) & set(env) and "PYTHONPATH" not in env
    code = "import resource as r; print([r.getrlimit(x) for x in (r.RLIMIT_NPROC, r.RLIMIT_FSIZE)])"
    result = _run_in_sandbox([sys.executable, "-c", code], sandbox.Sandbox())
    assert result.stdout.strip() == "[(256, 256), (536870912, 536870912)]", result.stderr


def test_sandbox_memory_is_the_kernels_own_cap_by_default(monkeypatch):
    """RLIMIT_DATA follows GradingLimits.memory (config or environment), so a memory bomb meets
    the kernel's own MemoryError first; Sandbox.memory, when set, wins."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_DATA)[1]

    def data_limit(config):
        args = sandbox.Sandbox(config=Config(config)).limits()
        return next(int(a.split("=")[1].split(":")[0]) for a in args if a.startswith("--data="))

    def capped(size):
        return size if hard == resource.RLIM_INFINITY else min(size, hard)

    monkeypatch.delenv("BACKPROP_KERNEL_MEMORY", raising=False)
    assert data_limit({}) == capped(2 * 2**30)
    assert data_limit({"GradingLimits": {"memory": "3G"}}) == capped(3 * 2**30)
    monkeypatch.setenv("BACKPROP_KERNEL_MEMORY", "1G")
    assert data_limit({}) == capped(2**30)
    both = {"GradingLimits": {"memory": "3G"}, "Sandbox": {"memory": "512M"}}
    assert data_limit(both) == capped(512 * 2**20)


def _run_in_sandbox(cmd, settings, uid="auto", prefix=(), wait=True):
    """Run `cmd` in a sandbox as a kernel would be; the CompletedProcess (or the Popen)."""
    folder = tempfile.mkdtemp(prefix="sandbox-test-")
    uid = sandbox._own(folder, settings) if uid == "auto" else uid
    env = sandbox.kernel_env(settings, {})
    launch = sandbox.Launch(settings, settings.program(), folder, None, env, uid)
    try:
        process = subprocess.Popen(
            [*prefix, *sandbox.wrapper(settings), *launch.args, *cmd],
            pass_fds=[int(f) for f in launch.fds],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={},
            cwd="/",
        )
    finally:
        launch.close()
    if not wait:
        process.folder = folder  # the caller removes it
        return process
    try:
        out, err = process.communicate(timeout=60)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.skipif(os.geteuid() != 0, reason="root switches to an unprivileged user to test")
def test_unprivileged_grader_mode(monkeypatch):
    """A grader that is not root: bwrap in a user namespace of its own (Debian's python3:
    this machine's Python lives under /root, which an unprivileged user cannot read)."""
    monkeypatch.setattr(sandbox.Sandbox, "read_only", lambda self: [])
    code = (
        "import os, socket; s = socket.socket(); s.settimeout(2)\n"
        "try:\n    s.connect(('127.0.0.1', 22)); print('connected')\n"
        "except OSError as e:\n    print(os.getuid(), os.getcwd(), os.path.exists('/work'), e)"
    )
    setpriv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    folder_uid = 65534
    result = _run_in_sandbox(
        ["/usr/bin/python3", "-c", code], sandbox.Sandbox(), uid=None, prefix=setpriv
    )
    assert result.returncode == 0, result.stderr
    uid, cwd, work, error = result.stdout.split(" ", 3)
    assert (int(uid), cwd, work) == (folder_uid, "/submission", "False"), result.stdout
    assert "refused" in error or "unreachable" in error


def test_autograde_runs_the_notebook_in_the_sandbox(tmp_path):
    """Real `nbgrader autograde` with nbgrader_config.py: the notebook's code runs sandboxed."""
    ch = "01_dense_layers"
    course = copy_course(tmp_path)
    run(["nbgrader", "generate_assignment", ch, "--force", "--log-level=ERROR"], course)
    import nbformat

    for student in ("alice", "bob"):
        nb = nbformat.read(course / "release" / ch / f"{ch}.ipynb", as_version=4)
        code = (
            f"ROOT, GRADER, PORT, OTHER = {str(course)!r}, {os.getpid()}, 9, '/nonexistent'\n"
            + f"GRADER_USER, REPO = {_user()!r}, {str(REPO)!r}\n"
            + PROBE.replace('open("nb.ipynb")', f'open("{ch}.ipynb")').replace(
                'open("nb.ipynb", "a")', f'open("{ch}.ipynb", "a")'
            )
        )
        nb.cells[0:0] = [
            nbformat.v4.new_code_cell(code),
            # today's limits (autograder/safety.py) inside the sandbox: nbgrader's interrupt
            # after the cell timeout, the memory cap, and the notebook goes on
            nbformat.v4.new_code_cell("while True:\n    pass"),
            nbformat.v4.new_code_cell("bomb = bytearray(3 * 2**30)"),
            nbformat.v4.new_code_cell("print('still running')"),
        ]
        folder = course / "submitted" / student / ch
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ch}.ipynb")
    original = course / "submitted" / "alice" / ch / f"{ch}.ipynb"
    before = sha(original)
    env = nbgrader_env()
    env.update(SECRETS, BACKPROP_DB_URL=f"sqlite:///{course}/gradebook.db")
    env.update(BACKPROP_CELL_TIMEOUT="5", BACKPROP_KERNEL_MEMORY="1G")
    subprocess.run(
        ["nbgrader", "autograde", ch, "--student", "alice", "--force", "--log-level=ERROR"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    graded = nbformat.read(course / "autograded" / "alice" / ch / f"{ch}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for o in graded.cells[0].outputs)
    seen = json.loads(text.strip().splitlines()[-1])
    assert seen["cwd"] == "/submission" and seen["visible"] == [] and seen["walk"] == []
    assert seen["proc_leaks"] == [] and seen["bob"] is None
    assert seen["gradebook_written"] is not True and seen["imports"]
    assert not [n for n in seen["env"] if n in SECRETS or n.startswith("PG")]
    assert seen["env"].get("NBGRADER_EXECUTION")
    assert sha(original) == before
    loop, bomb, after = (graded.cells[i].outputs for i in (1, 2, 3))
    assert any("stopped after 5 s" in o.get("evalue", "") for o in loop), loop
    assert any(o.get("ename") == "MemoryError" for o in bomb), bomb
    assert "still running" in after[0]["text"]
    # no bwrap: nbgrader's command line reaches the settings, and bob is not graded
    env.pop(sandbox.ALLOW_ENV, None)
    refused = subprocess.run(
        ["nbgrader", "autograde", ch, "--student", "bob", "--force"]
        + ["--Sandbox.bwrap=/nonexistent/bwrap"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Grading refused" in refused.stdout + refused.stderr
    assert not (course / "autograded" / "bob" / ch / f"{ch}.ipynb").exists()


def test_a_huge_file_or_a_fork_bomb_costs_only_its_sandbox():
    """File size, scratch space and processes are capped per sandbox (small caps here)."""
    settings = sandbox.Sandbox(config=Config({"Sandbox": {"scratch_size": "64M"}}))
    settings.max_processes = 20
    code = r"""
import os, subprocess
result = []
for path in ("/submission/big", "/tmp/big"):
    try:
        with open(path, "wb") as f:
            for _ in range(100):
                f.write(b"x" * 2**20)
        result.append("wrote 100M")
    except OSError as e:
        result.append(e.strerror)
    os.remove(path)
n = 0
try:
    for i in range(3):  # many files, each under the size cap: the tmpfs fills, then stops
        with open(f"/submission/f{i}", "wb") as f:
            for _ in range(40):
                f.write(b"x" * 2**20)
        n += 1
except OSError as e:
    result.append(e.strerror)
children = []
try:
    for _ in range(100):
        children.append(subprocess.Popen(["sleep", "30"]))
except OSError as e:
    result.append(e.strerror)
result.append(len(children))
for c in children:
    c.kill()
print(result)
"""
    result = _run_in_sandbox([sys.executable, "-c", code], settings)
    out = eval(result.stdout.strip())  # noqa: S307 (our own output)
    stopped = {"File too large", "No space left on device"}  # the file cap, or the tmpfs full
    assert set(out[:2]) <= stopped, (out, result.stderr)
    assert out[2] == "No space left on device"
    assert out[3] == "Resource temporarily unavailable" and out[4] < 20
    if os.geteuid() == 0:
        # each kernel has a uid of its own: a bomb that holds its processes starves no other
        # kernel (a grader that is not root shares one uid with its kernels: docs/scaling.md)
        bomb = "import subprocess, time\nc = []\ntry:\n    while True:\n"
        bomb += "        c.append(subprocess.Popen(['sleep', '30']))\nexcept OSError:\n"
        bomb += "    print(len(c), flush=True)\n    time.sleep(30)"
        holding = _run_in_sandbox([sys.executable, "-c", bomb], settings, wait=False)
        try:
            assert int(holding.stdout.readline()) < 20
            other = _run_in_sandbox([sys.executable, "-c", code], settings)
            assert eval(other.stdout.strip())[4] == 19, other.stderr  # noqa: S307
        finally:
            holding.kill()
            holding.wait()
            shutil.rmtree(holding.folder, ignore_errors=True)
