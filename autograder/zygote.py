"""The warm-kernel template (zygote): runs INSIDE the grading sandbox, never in the grader.

autograder/warm.py starts this file's source (`python -c`, the sandbox cannot see autograder/)
under bubblewrap with the grading sandbox's view of the filesystem, as root with only three
capabilities (CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID). It imports what every notebook imports
(numpy, matplotlib, nnfs, ipykernel, course), runs no student code, and then, for each
request on its control socket, forks a kernel that gives itself a sandbox of its own before it
runs anything else:

- new mount, network, IPC, UTS, cgroup and PID namespaces (`unshare`); the kernel is PID 2 of
  its own PID namespace, under a small init (as under bubblewrap), and sees only its own
  processes (a fresh /proc);
- fresh size-capped tmpfs on /tmp, /dev/shm and /submission (what the template or an earlier
  kernel wrote there is gone), the submission's files copied in from descriptors the grader
  opened, its private connection folder (the grader's Unix sockets) kept from the template's
  spool, whose other folders the fresh /tmp hides;
- every other descriptor closed (the control socket included), the environment replaced,
  resource limits lowered, then setgroups/setresgid/setresuid to a uid of its own, which drops
  every capability, and no_new_privs.

Only then does it start ipykernel (as `python -m ipykernel_launcher` would). The template stays
in the state its imports left it; each kernel starts from that state, never from another
kernel's. numpy's global random state is reseeded in each kernel (Python's `random` reseeds
itself after fork).

Protocol (SOCK_SEQPACKET, one JSON message per packet, descriptors by SCM_RIGHTS):
  zygote -> grader: {"op": "ready", "cpu": s} once, then {"op": "exit", "id": n,
      "status": wait status, "cpu": s, "maxrss": kB} when kernel n has ended;
  grader -> zygote: {"op": "spawn", "id": n, ...} with the connection folder's descriptor and
      one per submission file; {"op": "signal", "id": n, "signum": s}.
"""

import ctypes
import json
import os
import select
import shutil
import signal
import socket
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWCGROUP = 0x02000000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8
MS_RDONLY, MS_REMOUNT = 1, 32
MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 4096, 8192, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 1, 4, 38
MAX_FDS = 256
# what the template sends the init for the grader's SIGKILL: the init kills the kernel and
# reaps it (SIGKILL to the init would end the namespace, and the kernel's CPU time with it)
KILL = signal.SIGUSR2

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result, what):
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def mount(source, target, fstype, flags, data=None):
    _check(
        _libc.mount(
            source and source.encode(),
            target.encode(),
            fstype and fstype.encode(),
            ctypes.c_ulong(flags),
            data and data.encode(),
        ),
        f"mount {target}",
    )


def read_only_mounts_under(top):
    """Mount points below `top` that are read-only, outermost first ((path, fd) pairs, each fd
    an O_PATH descriptor that keeps the mount reachable once a new tmpfs hides `top`)."""
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8") as mountinfo:
        for line in mountinfo:
            fields = line.split()
            # mountinfo escapes space, tab, newline and backslash as octal (\040)
            point = fields[4].encode().decode("unicode_escape")
            if point.startswith(top + "/") and "ro" in fields[5].split(","):
                found.append(point)
    outermost = [p for p in sorted(found) if not any(p.startswith(q + "/") for q in found)]
    return [(p, os.open(p, os.O_PATH | os.O_CLOEXEC)) for p in outermost]


def restore_mounts(held):
    """Bind each held mount (and the mounts below it) back at its path, read-only."""
    for path, fd in held:
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            os.makedirs(path, 0o755, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(path), 0o755, exist_ok=True)
            open(path, "ab").close()
        mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV
        mount(None, path, None, flags)
        os.close(fd)


def prctl(option, value):
    _check(_libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0), f"prctl {option}")


def preload(modules):
    """Import what the notebooks import, as a fresh kernel would (MPLBACKEND as ipykernel sets
    it when unset; the inline backend's module itself is left to the kernel's shell)."""
    import importlib

    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as error:  # a missing optional module only costs warmth
            print(f"zygote: could not preload {name}: {error!r}", file=sys.stderr)


def kernel(request, fds, status):
    """In the forked child, before any student code: its own sandbox, then ipykernel.

    This process stays outside the kernel's PID namespace as its watcher: it writes the
    kernel's PID (as the template sees it) and then its wait status to `status`."""
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID
    _check(_libc.unshare(flags | CLONE_NEWCGROUP), "unshare")
    # nothing mounted below propagates back to the template's view
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    pid = os.fork()
    if pid:
        for fd in fds:
            os.close(fd)
        os.write(status, f"{pid}\n".encode())
        _, code = os.waitpid(pid, 0)
        os.write(status, f"{code}\n".encode())
        os._exit(0)
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    os.setsid()
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    fresh_mounts(request)
    copy_submission(request, fds)
    kernel_pid = os.fork()
    if kernel_pid:
        init(kernel_pid, status)
    os.closerange(3, 65536)  # the control socket above all: never reachable from student code
    become_kernel(request)


def fresh_mounts(request):
    """Fresh size-capped tmpfs on /tmp, /dev/shm and /submission; the kernel's connection
    folder kept at its path, every other kernel's hidden."""
    size = request["size"]
    # Its connection folder (inside the template's spool, under /tmp): held on /submission
    # while a fresh /tmp hides the spool and every other kernel's folder, then moved to the
    # same path in the new /tmp, where the grader's sockets are expected.
    connection, cwd = request["connection_dir"], request["cwd"]
    mount(connection, cwd, None, MS_BIND)
    # what the sandbox bound read-only below /tmp (a course checked out there: its venv, its
    # course/ and Python) must survive the fresh /tmp; the spool (read-write) must not
    held = read_only_mounts_under("/tmp")
    for target, mode in (("/tmp", "1777"), ("/dev/shm", "1777")):
        mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode={mode}")
    restore_mounts(held)
    os.makedirs(connection, 0o755)
    mount(cwd, connection, None, MS_MOVE)
    mount("tmpfs", cwd, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode=0777")
    os.mkdir(request["mplconfigdir"], 0o777)
    os.chmod(request["mplconfigdir"], 0o777)


def copy_submission(request, fds):
    """The submission's files into /submission and the student's notebooks of earlier
    chapters beside it, from the descriptors the grader opened (each closed once copied)."""
    files = request["files"]
    for relative, fd in zip(files, fds[: len(files)], strict=True):
        path = os.path.join(request["cwd"], relative)
        folder = os.path.dirname(path)
        if not os.path.isdir(folder):
            os.makedirs(folder, 0o777)
        _copy(fd, path, 0o666)
    for path, fd in zip(request["earlier"], fds[len(files) :], strict=True):
        # The root is the template's, shared by every kernel: only an empty mount point goes
        # there; the notebook goes on a tmpfs that only this kernel's mount namespace sees.
        folder = os.path.dirname(path)
        os.makedirs(folder, 0o755, exist_ok=True)
        flags = MS_NOSUID | MS_NODEV
        mount("tmpfs", folder, "tmpfs", flags, f"size={request['size']},mode=0755")
        _copy(fd, path, 0o444)
    for parent, dirs, _ in os.walk(request["cwd"]):
        for name in dirs:
            os.chmod(os.path.join(parent, name), 0o777)


def become_kernel(request):
    """Environment, limits, then a uid of its own and no_new_privs; then ipykernel."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"], PWD=request["cwd"])
    import resource

    for name, value in request["limits"]:
        resource.setrlimit(getattr(resource, name), (value, value))
    uid = request["uid"]
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)  # from root to a uid of its own: every capability is dropped
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    prctl(PR_SET_DUMPABLE, 1)  # as after an exec: the kernel may read its own /proc entries
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    import importlib.util

    sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *request["argv"]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=request["argv"])
    os._exit(0)


def _copy(fd, path, mode):
    with os.fdopen(fd, "rb") as source, open(path, "wb") as target:
        shutil.copyfileobj(source, target)
    os.chmod(path, mode)


def init(kernel_pid, status):
    """PID 1 of the kernel's namespace (as bubblewrap's own init): the kernel is PID 2, so it
    can kill itself like any process. Forwards the signals the grader sends (an interrupt),
    reaps orphans, and when the kernel ends writes its wait status and exits, which ends every
    process left in the namespace."""
    os.closerange(3, status)
    os.closerange(status + 1, 65536)

    def forward(signum, frame):
        try:
            os.kill(kernel_pid, signal.SIGKILL if signum == KILL else signum)
        except ProcessLookupError:
            pass

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, KILL):
        signal.signal(signum, forward)
    while True:
        try:
            pid, code = os.wait()
        except ChildProcessError:
            os._exit(0)
        if pid == kernel_pid:
            os.write(status, f"{code}\n".encode())
            os._exit(0)


class Child:
    """A kernel as the template sees it: its watcher's PID, the kernel's, how it ended."""

    def __init__(self, kid, pipe):
        self.kid, self.pipe, self.buffer = kid, pipe, b""
        self.kernel = self.status = None

    def read(self):
        data = os.read(self.pipe, 4096)
        self.buffer += data
        lines = self.buffer.split(b"\n")
        if len(lines) > 1 and self.kernel is None:
            self.kernel = int(lines[0])
        if len(lines) > 2:
            self.status = int(lines[1])
        return data


def serve(control):
    children = {}  # watcher pid -> Child
    while True:
        pipes = {c.pipe: c for c in children.values() if c.status is None}
        ready, _, _ = select.select([control, *pipes], [], [], 0.05)
        for fd in ready:
            if fd in pipes:
                pipes[fd].read()
        if control in ready:
            message, fds, _, _ = socket.recv_fds(control, 1 << 16, MAX_FDS)
            if not message:
                return  # the grader has gone
            request = json.loads(message)
            if request["op"] == "spawn":
                read, write = os.pipe()
                pid = os.fork()
                if pid == 0:
                    try:
                        control.close()
                        os.close(read)
                        for child in children.values():
                            os.close(child.pipe)
                        kernel(request, fds, write)
                    except BaseException as error:  # noqa: BLE001 the grader reads it as an exit
                        print(f"zygote: kernel set-up failed: {error!r}", file=sys.stderr)
                    os._exit(70)
                os.close(write)
                for fd in fds:
                    os.close(fd)
                children[pid] = Child(request["id"], read)
            elif request["op"] == "signal":
                for child in children.values():
                    if child.kid == request["id"] and child.kernel and child.status is None:
                        # a kill goes through the init, which reaps the kernel: its CPU counts
                        signum = request["signum"]
                        try:
                            os.kill(child.kernel, KILL if signum == signal.SIGKILL else signum)
                        except ProcessLookupError:
                            pass
        _reap(control, children)


def _reap(control, children):
    while children:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return
        child = children.pop(pid)
        while child.status is None and child.read():
            pass
        os.close(child.pipe)
        message = {
            "op": "exit",
            "id": child.kid,
            # the kernel's own status; the watcher's when the set-up failed before the kernel
            "status": status if child.status is None else child.status,
            # the watcher waited for the kernel: its usage includes the kernel's
            "cpu": usage.ru_utime + usage.ru_stime,
            "maxrss": usage.ru_maxrss,
        }
        control.send(json.dumps(message).encode())


def main(fd, modules):
    import resource

    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher: the kernel's shell puts '' back
    control = socket.socket(fileno=fd)
    preload(modules)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    control.send(json.dumps({"op": "ready", "cpu": usage.ru_utime + usage.ru_stime}).encode())
    serve(control)
