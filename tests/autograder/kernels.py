"""Kernels started by a kernel manager, as nbgrader starts them, and the probe that reports what
such a kernel can see and do (tests/autograder/test_sandbox.py runs it in a cold sandboxed
kernel, test_warm.py in a forked warm one: the same answers are expected)."""

import asyncio
import concurrent.futures
import contextlib
import json
import os
import socket
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import Any

SECRETS = {"BACKPROP_DB_URL": "postgresql://grader:hunter2@db/backprop", "PGPASSWORD": "hunter2"}

# Runs in the kernel; ROOT (a course), REPO (this repository, whose course/ an editable install
# binds), GRADER (our pid), GRADER_USER, PORT (a TCP listener), OTHER (another kernel's socket)
# are given. Prints one JSON line.
PROBE = r"""
import json, os, socket, sys
seen = {}
seen["cwd"] = os.getcwd()
seen["listing"] = sorted(os.listdir("."))
seen["notebook"] = open("nb.ipynb").read()
with open("nb.ipynb", "a") as f:
    f.write("changed")
open("new.txt", "w").write("x")
seen["uid"] = os.getuid()
seen["env"] = dict(os.environ)
seen["visible"] = [p for p in (ROOT, ROOT + "/source", ROOT + "/autograder", ROOT + "/gradebook.db",
                               ROOT + "/submitted/bob", ROOT + "/.grading", "/home",
                               REPO + "/source", REPO + "/autograder", REPO + "/nbgrader_config.py")
                   if os.path.exists(p)]
# the grader's home: only the folders above a bound Python installation (pyenv under /root)
seen["grader_home"] = os.listdir(os.path.expanduser("~" + GRADER_USER)) if GRADER_USER else []
found = []
for top, dirs, files in os.walk("/"):
    if top in ("/proc", "/usr", "/dev", "/sys", sys.prefix, sys.base_prefix):
        dirs[:] = []
        continue
    for name in dirs + files:
        if name in ("gradebook.db", "source", "submitted", "autograded", "feedback", "secret.py"):
            found.append(os.path.join(top, name))
seen["walk"] = found
leaks = []
for pid in [p for p in os.listdir("/proc") if p.isdigit()] + [str(GRADER)]:
    for what in ("environ", "cwd", "root", "cmdline"):
        path = f"/proc/{pid}/{what}"
        try:
            text = os.readlink(path) if what in ("cwd", "root") else open(path, "rb").read().decode()
        except OSError:
            continue
        # a kernel's command line names grader files (safety.py's startup code): paths only
        if "hunter2" in text or (what != "cmdline" and ROOT in text) or (
            what == "cwd" and text not in ("/", "/submission")
        ):
            leaks.append((path, text[:200]))
seen["proc_leaks"] = leaks
seen["grader_pid_visible"] = os.path.exists(f"/proc/{GRADER}")
try:
    open(ROOT + "/gradebook.db", "ab").write(b"x")
    seen["gradebook_written"] = True
except OSError as e:
    seen["gradebook_written"] = repr(e)
try:
    seen["bob"] = open(ROOT + "/submitted/bob/ch/nb.ipynb").read()
except OSError as e:
    seen["bob"] = None
def connect(family, address):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect(address)
        return "connected"
    except OSError as e:
        return repr(e)
    finally:
        s.close()
seen["tcp"] = connect(socket.AF_INET, ("127.0.0.1", PORT))
seen["other_kernel"] = connect(socket.AF_UNIX, OTHER)
import numpy, matplotlib, matplotlib.pyplot, nnfs, course
seen["imports"] = True
seen["mplconfig"] = matplotlib.get_configdir()
print(json.dumps(seen))
"""


def run_async(coro: Coroutine) -> Any:
    """asyncio.run in a thread of its own: in a whole-suite run, the browser tests' Playwright
    keeps an event loop running in the main thread, where asyncio.run refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def execute(kc, code: str, timeout: float = 120) -> tuple[dict, str]:
    """Run `code` in the kernel of client `kc`: (the reply's content, its stdout and tracebacks)."""
    out = []

    def hook(msg):
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            out.append("\n".join(msg["content"]["traceback"]))

    reply = await kc.execute_interactive(code, timeout=timeout, output_hook=hook)
    return reply["content"], "".join(out)


@contextlib.asynccontextmanager
async def started(managers: list, cwd: Path) -> AsyncIterator[list]:
    """Start each manager's kernel in `cwd`; yields their ready clients; shuts all down after."""
    clients = []
    try:
        for km in managers:
            await km.start_kernel(cwd=str(cwd))
            kc = km.client()
            kc.start_channels()
            await kc.wait_for_ready(timeout=60)
            clients.append(kc)
        yield clients
    finally:
        for kc in clients:
            kc.stop_channels()
        for km in managers:
            if km.has_kernel:
                await km.shutdown_kernel(now=True)


async def probe(kc, other, root: Path, repo: str | Path, grader_user: str) -> dict:
    """PROBE's report from the kernel of client `kc`, given the course `root`, the repository
    `repo`, the grader's user name, a TCP listener of ours and the `other` manager's kernel."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        settings = {
            "ROOT": str(root),
            "REPO": str(repo),
            "GRADER_USER": grader_user,
            "GRADER": os.getpid(),
            "PORT": listener.getsockname()[1],
            "OTHER": f"{other.ip}-{other.shell_port}",
        }
        code = "".join(f"{k} = {v!r}\n" for k, v in settings.items()) + PROBE
        content, out = await execute(kc, code)
    assert content["status"] == "ok", out
    return json.loads(out.strip().splitlines()[-1])
