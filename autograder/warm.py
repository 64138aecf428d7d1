"""Warm grading kernels: forked from a sandboxed template that has already imported the course.

A cold grading kernel spends about a second of CPU importing numpy, matplotlib, nnfs,
ipykernel and `course` before the notebook's first cell; every notebook paid it again.
`WarmKernelManager` (nbgrader_config.py sets it as Execute's kernel manager) asks a template
process instead (autograder/zygote.py, started once per grading process) to fork the kernel.
The template runs under bubblewrap with the grading sandbox's view (autograder/sandbox/:
read-only /usr, Python, the venv and `course`; no network; allowlisted environment; limits),
as root with CAP_SYS_ADMIN, CAP_SETUID and CAP_SETGID only, and runs no student code. Each
kernel it forks builds a sandbox of its own before anything else runs: new mount, network,
IPC, UTS, cgroup and PID namespaces, fresh tmpfs /tmp, /dev/shm and /submission (a copy of
its submission), its private connection folder, every other descriptor closed, its own limits,
and then a uid of its own (all capabilities dropped) and no_new_privs. What one submission
does (globals, module attributes, files, patched libraries) dies with its kernel: the next one
is forked from the untouched template (tests/autograder/test_warm.py grades two submissions to check).

The grader still talks to each kernel over its own Unix sockets, and stops it through the
template (signals) or at once when the template goes. The template reports each kernel's
end with its wait status and CPU time (os.wait4 of the kernel's watcher).

Falls back to the cold, one-bwrap-per-kernel path when the grader is not root (one uid for
all kernels: forked kernels would share it), when the sandbox is off or unavailable, or when
`WarmKernels.enabled` is False (BACKPROP_WARM_KERNELS=0).
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from traitlets import Bool, Float, List, Unicode
from traitlets.config import Configurable

from autograder import sandbox

WARM_ENV = "BACKPROP_WARM_KERNELS"
SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zygote.py")


class WarmKernels(Configurable):
    """Grading kernels forked from a warm, sandboxed template (autograder/warm.py)."""

    enabled = Bool(
        True,
        help=f"Fork grading kernels from a warm template (env {WARM_ENV}=0 turns it off). "
        "Only where each kernel can get a uid of its own (the grader runs as root).",
    ).tag(config=True)
    preload = List(
        Unicode(),
        default_value=[
            "numpy",
            "matplotlib",
            "matplotlib.pyplot",
            "nnfs",
            "course",
            "ipykernel.kernelapp",
            "ipykernel.ipkernel",
            "IPython.core.interactiveshell",
        ],
        help="Modules the template imports (student-visible packages only: never autograder).",
    ).tag(config=True)
    start_timeout = Float(120.0, help="Seconds the template may take to import.").tag(config=True)

    def on(self):
        return self.enabled and os.environ.get(WARM_ENV, "1") not in ("", "0")


class TemplateLaunch(sandbox.Launch):
    """The template's bubblewrap command: the kernel's view, as root with the capabilities
    it needs to give each forked kernel its own namespaces, mounts and uid."""

    capabilities = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID")

    def _become(self, uid):
        pass  # each forked kernel does it itself (autograder/zygote.py)


def _limits(settings):
    """Sandbox.limits() (prlimit options) as (resource name, value) for setrlimit."""
    names = {"data": "RLIMIT_DATA", "nproc": "RLIMIT_NPROC", "nofile": "RLIMIT_NOFILE"}
    names.update(fsize="RLIMIT_FSIZE", core="RLIMIT_CORE")
    found = []
    for option in settings.limits():
        name, value = option[2:].split("=", 1)
        found.append((names[name], int(value.split(":")[0])))
    return found


class Template:
    """One running template (autograder/zygote.py) and the kernels it forked."""

    def __init__(self, settings, env, modules, timeout):
        self.lock = threading.Lock()
        self.kernels = {}  # id -> WarmProcess still running
        self.next_id = 0
        self.cpu = 0.0  # the template's own import CPU
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.control = ours
        # the kernels' connection folders: bound into the template, each kernel keeps its own
        self.spool = tempfile.mkdtemp(prefix="warm-kernels-")
        os.chmod(self.spool, 0o711)
        launch = TemplateLaunch(settings, settings.program(), self.spool, None, env, uid=0)
        source = Path(SOURCE).read_text(encoding="utf-8")
        code = f"{source}\nmain({theirs.fileno()}, {list(modules)!r})\n"
        try:
            self.process = subprocess.Popen(
                [*sandbox.wrapper(settings), *launch.args, sys.executable, "-c", code],
                pass_fds=[theirs.fileno(), *(int(f) for f in launch.fds)],
                env={"PATH": os.defpath},
                cwd="/",
                stdin=subprocess.DEVNULL,
            )
        finally:
            launch.close()
            theirs.close()
        ours.settimeout(timeout)
        try:
            ready = json.loads(ours.recv(1 << 16) or b"{}")
        except (OSError, ValueError):
            ready = {}
        if ready.get("op") != "ready":
            self.close()
            raise sandbox.SandboxUnavailable("the warm kernel template did not start")
        self.cpu = ready["cpu"]
        ours.setblocking(False)

    def alive(self):
        return self.process.poll() is None

    def spawn(self, settings, uid, cwd, env, argv, connection_dir, log=None):
        """Fork a kernel for the submission folder `cwd`; returns its WarmProcess."""
        fds, files = [], []
        try:
            for path, inside in (
                sandbox.submission_files(cwd, settings.max_files, log) if cwd else ()
            ):
                if path is not None:
                    fds.append(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC))
                    files.append(os.path.relpath(inside, sandbox.SUBMISSION))
            # the student's own notebooks of earlier chapters, read by course/earlier.py
            earlier = []
            for path, inside in sandbox.earlier_submissions(cwd) if cwd else ():
                fds.append(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC))
                earlier.append(inside)
            with self.lock:
                self.next_id += 1
                process = WarmProcess(self, self.next_id)
                request = {
                    "op": "spawn",
                    "id": process.kid,
                    "uid": uid,
                    "env": env,
                    "argv": argv,
                    "cwd": sandbox.SUBMISSION,
                    "connection_dir": connection_dir,
                    "files": files,
                    "earlier": earlier,
                    "size": settings.scratch_bytes(),
                    "mplconfigdir": sandbox.MPLCONFIGDIR,
                    "limits": _limits(settings),
                }
                self.kernels[process.kid] = process
                self._send(request, fds)
        finally:
            for fd in fds:
                os.close(fd)
        return process

    def _send(self, message, fds=()):
        self.control.setblocking(True)
        try:
            socket.send_fds(self.control, [json.dumps(message).encode()], list(fds))
        finally:
            self.control.setblocking(False)

    def signal(self, kid, signum):
        with self.lock:
            self._send({"op": "signal", "id": kid, "signum": int(signum)})

    def pump(self):
        """Read what the template reported; a template that is gone ends its kernels."""
        with self.lock:
            while True:
                try:
                    data = self.control.recv(1 << 16)
                except BlockingIOError:
                    break
                except OSError:
                    data = b""
                if not data:
                    for process in self.kernels.values():
                        process._ended(-signal.SIGKILL, None, None)
                    self.kernels.clear()
                    break
                message = json.loads(data)
                if message.get("op") == "exit":
                    process = self.kernels.pop(message["id"], None)
                    if process is not None:
                        status = message["status"]
                        code = (
                            -os.WTERMSIG(status)
                            if os.WIFSIGNALED(status)
                            else os.WEXITSTATUS(status)
                        )
                        process._ended(code, message["cpu"], message["maxrss"])

    def close(self):
        if self.control.fileno() < 0:
            return
        try:
            self.control.close()
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
            shutil.rmtree(self.spool, ignore_errors=True)


class WarmProcess:
    """What jupyter_client's provisioner holds for a forked kernel (a Popen's interface)."""

    pid = None  # not a process of ours: signals go through the template
    stdin = stdout = stderr = None

    def __init__(self, template, kid):
        self.template, self.kid = template, kid
        self.returncode = None
        self.cpu = self.maxrss = None  # the kernel's CPU seconds and peak RSS (kB), once ended

    def _ended(self, code, cpu, maxrss):
        self.returncode, self.cpu, self.maxrss = code, cpu, maxrss

    def poll(self):
        if self.returncode is None:
            self.template.pump()
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("warm kernel", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum):
        if self.returncode is None:
            self.template.signal(self.kid, signum)

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


_templates = {}  # (pid, settings, environment, modules) -> Template


def template_for(settings, env, warm):
    """This process's template for these settings and kernel environment (started once; a
    forked worker starts its own)."""
    key = (
        os.getpid(),
        tuple(settings.read_only()),
        settings.scratch_size,
        tuple(settings.limits()),
        tuple(sorted(env.items())),
        tuple(warm.preload),
    )
    template = _templates.get(key)
    if template is None or not template.alive():
        for stale in [k for k in _templates if k[0] != os.getpid()]:
            del _templates[stale]  # a forking parent's: not ours to use
        template = _templates[key] = Template(settings, env, warm.preload, warm.start_timeout)
        # a pool worker leaves through os._exit: atexit would not run, multiprocessing's
        # finalizers do (the template itself dies with this process: bwrap --die-with-parent)
        import multiprocessing.util

        multiprocessing.util.Finalize(template, template.close, exitpriority=0)
    return template


@atexit.register
def _close_templates():
    for key, template in list(_templates.items()):
        if key[0] == os.getpid():
            template.close()
    _templates.clear()


class WarmKernelManager(sandbox.SandboxedKernelManager):
    """SandboxedKernelManager whose kernels are forked from a warm template when it can."""

    _warm = None

    async def _async_pre_start_kernel(self, **kw):
        self._warm = None
        warm = WarmKernels(parent=self)
        settings = self._settings()
        template = None
        if warm.on() and settings.enabled and os.geteuid() == 0 and self._sandbox_dir is None:
            if not sandbox.self_test(settings):
                env = sandbox.kernel_env(settings, kw.get("env") or os.environ)
                try:
                    template = template_for(settings, env, warm)
                except (OSError, sandbox.SandboxUnavailable) as error:
                    self.log.warning("warm kernels unavailable, starting cold: %s", error)
                    template = None
            if template is not None:
                # the connection folder lives in the template's spool (see zygote.py)
                self._sandbox_dir = tempfile.mkdtemp(prefix="kernel-", dir=template.spool)
                self._sandbox_uid = sandbox.own_folder(self._sandbox_dir, settings)
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        request = getattr(self, "_sandbox_request", None)
        if template is None or self._launch is None or request is None:
            return cmd, kw  # the cold path: one bubblewrap per kernel
        if request["cmd"][1:3] != ["-m", "ipykernel_launcher"]:
            return cmd, kw  # another kernel: it starts cold
        self._warm = (template, request)
        return cmd, kw

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self._warm is None:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        template, request = self._warm
        self._warm = None
        settings = self._settings()
        try:
            self._launch.close()  # the cold command line is not used
            self._launch = None
            process = template.spawn(
                settings,
                self._sandbox_uid,
                request["cwd"],
                request["env"],
                request["cmd"][3:],
                self._sandbox_dir,
                self.log,
            )
        except BaseException:
            self._remove_sandbox_dir()
            raise
        provisioner = self.provisioner
        provisioner.process = process
        provisioner.pid = provisioner.pgid = None  # never signal a host process group
        self._reconcile_connection_info(provisioner.connection_info)


KERNEL_MANAGER = f"{__name__}.WarmKernelManager"


def configure(c):
    """Fork grading kernels from a warm template (after sandbox.configure); returns `c`."""
    c.Execute.kernel_manager_class = KERNEL_MANAGER
    return c
