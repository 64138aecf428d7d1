"""Run every grading kernel in an operating-system sandbox (bubblewrap).

Student code runs in its kernel; the grader talks to it only through Jupyter messages over
Unix sockets. The kernel sees (read-only) /usr, a few files of /etc, the Python installation,
the virtual environment and the `course` package; its only writable folders are a private
tmpfs /tmp and /submission, a size-capped tmpfs holding a copy of this submission's folder
(its working directory). It has no network (even loopback), sees only its own processes, gets
an environment built from an allowlist (never the gradebook URL, PG* variables or PYTHONPATH),
runs as nobody (65534) when the grader is root, and starts under resource limits set before it
runs (processes, open files, file size, data) that it cannot raise.

Interface:
- `configure(c)`: nbgrader_config.py calls it once (idempotent): every kernel nbgrader's
  Execute starts is then a `SandboxedKernelManager`.
- `SandboxedKernelManager`: a jupyter_client AsyncKernelManager that wraps the kernel command
  in `bwrap`; one private connection folder (ipc sockets) and one scratch copy per start.
- `Sandbox`: the settings (traitlets, section `Sandbox`); `python -m autograder.sandbox` checks
  this machine and `--help-all` lists them.
- `SandboxUnavailable`: raised when a kernel cannot be sandboxed and unsandboxed grading was
  not explicitly allowed (`Sandbox.allow_unsandboxed`, or BACKPROP_ALLOW_UNSANDBOXED=1).
"""

import fnmatch
import glob
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, List, Unicode
from traitlets.config import Configurable

from autograder.safety import parse_size

ALLOW_ENV = "BACKPROP_ALLOW_UNSANDBOXED"
# inside the sandbox
SUBMISSION = "/submission"
MPLCONFIGDIR = "/tmp/matplotlib"
# what a kernel may find in /etc: the dynamic loader, time zone, names, fonts, MIME types
ETC = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "nsswitch.conf",
    "passwd",
    "group",
    "fonts",
    "mime.types",
    "alternatives",
)
# a folder holding one of these is a course root, never shown to a kernel
COURSE_ROOT_MARKS = ("nbgrader_config.py", "gradebook.db")
# never passed to a kernel, whatever Sandbox.env_allow says
ENV_DENY = (
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PYTHONHOME",
    "BACKPROP_DB_URL",
    "PG*",
    "*SECRET*",
    "*PASSWORD*",
    "*TOKEN*",
    "*CREDENTIAL*",
    "LD_*",
    "JPY_*",
)


class SandboxUnavailable(RuntimeError):
    """A grading kernel cannot be sandboxed, and unsandboxed grading was not allowed."""


class Sandbox(Configurable):
    """How grading kernels are sandboxed (bubblewrap)."""

    enabled = Bool(
        True,
        help="Start grading kernels under bubblewrap. False grades unsandboxed, as "
        "allow_unsandboxed=True does when the sandbox cannot start (with the same warning).",
    ).tag(config=True)
    allow_unsandboxed = Bool(
        False,
        help="When the sandbox cannot start (no bwrap, or its self-test fails), grade without it "
        f"instead of refusing (env {ALLOW_ENV}=1 does the same). Student code then runs as "
        "the grader, sees its files, environment and network.",
    ).tag(config=True)
    bwrap = Unicode("bwrap", help="The bubblewrap program (a name on PATH or a path).").tag(
        config=True
    )
    ro_binds = List(
        Unicode(),
        help="More paths the kernel may read, bound read-only at the same path "
        "(e.g. a data folder). Never the course root.",
    ).tag(config=True)
    env_allow = List(
        Unicode(),
        default_value=[
            "LANG",
            "LANGUAGE",
            "LC_*",
            "TZ",
            "MPLBACKEND",
            "NBGRADER_EXECUTION",
            "PYTHONDONTWRITEBYTECODE",
            "PYTHONHASHSEED",
            "PYTHONIOENCODING",
            "PYTHONUNBUFFERED",
            "OPENBLAS_*",
            "OMP_*",
            "MKL_*",
            "NUMEXPR_*",
            "VECLIB_*",
        ],
        help="Environment variables (fnmatch patterns) passed to the kernel; PATH, HOME, "
        "TMPDIR and MPLCONFIGDIR are set by the sandbox. Gradebook URLs, PG*, PYTHONPATH, "
        "LD_* and anything named like a secret are never passed.",
    ).tag(config=True)
    uids = Unicode(
        "200000-265535",
        help="When the grader runs as root: the uids (and gids) kernels run as, 'FIRST-LAST' "
        "or one uid; each kernel gets a random one, so that RLIMIT_NPROC counts each kernel's "
        "processes alone. A normal user's kernel keeps that user's uid, without privileges, in "
        "a user namespace of its own.",
    ).tag(config=True)
    scratch_size = Unicode(
        "512M", help="Size of each of the kernel's tmpfs: /submission and /tmp (and /dev/shm)."
    ).tag(config=True)
    memory = Unicode(
        "",
        help="RLIMIT_DATA of the whole sandbox, set before it starts ('' : "
        "BACKPROP_KERNEL_MEMORY as in autograder/safety.py; '0': none).",
    ).tag(config=True)
    max_processes = Integer(
        256, help="RLIMIT_NPROC (processes and threads) of the sandbox's user (0: unchanged)."
    ).tag(config=True)
    max_open_files = Integer(1024, help="RLIMIT_NOFILE of the sandbox (0: unchanged).").tag(
        config=True
    )
    max_files = Integer(
        200, help="Most files copied from a submission's folder into /submission."
    ).tag(config=True)

    def pick_uid(self):
        """The uid a kernel runs as when the grader is root."""
        import random

        first, _, last = self.uids.partition("-")
        return random.randint(int(first), int(last or first))

    def allowed_unsandboxed(self):
        return self.allow_unsandboxed or os.environ.get(ALLOW_ENV, "") not in ("", "0")

    def program(self):
        """The absolute path of bwrap, or None."""
        path = shutil.which(self.bwrap)
        return os.path.abspath(path) if path else None

    def limits(self):
        """prlimit arguments: limits the sandbox cannot raise (each at most the current hard)."""
        import resource

        # the in-kernel cap of autograder/safety.py reads the same variable and default
        data = parse_size(self.memory or os.environ.get("BACKPROP_KERNEL_MEMORY", "2G"))
        wanted = {
            "data": (resource.RLIMIT_DATA, data),
            "nproc": (resource.RLIMIT_NPROC, self.max_processes),
            "nofile": (resource.RLIMIT_NOFILE, self.max_open_files),
            "fsize": (resource.RLIMIT_FSIZE, parse_size(self.scratch_size)),
            "core": (resource.RLIMIT_CORE, 0),
        }
        args = []
        for name, (which, value) in wanted.items():
            if not value and name != "core":
                continue
            hard = resource.getrlimit(which)[1]
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            args.append(f"--{name}={value}:{value}")
        return args

    def read_only(self):
        """Host paths bound read-only at the same path: Python, the venv, `course`, extras."""
        paths = [os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)]
        if sys.prefix != os.path.realpath(sys.prefix):
            paths.append(sys.prefix)
        course = _course_folder()
        if course:
            paths.append(course)
        paths += [os.path.realpath(p) for p in self.ro_binds]
        kept = []
        for path in sorted(set(paths)):
            # /usr is bound whole; a path inside one already bound needs no bind of its own
            if path == "/usr" or path.startswith("/usr/"):
                continue
            if any(os.path.exists(os.path.join(path, n)) for n in COURSE_ROOT_MARKS):
                raise SandboxUnavailable(
                    f"{path} looks like a course root (it holds {' or '.join(COURSE_ROOT_MARKS)})"
                    ": a kernel must never see it. Bind a folder inside it (Sandbox.ro_binds), "
                    "or move the virtual environment out of it."
                )
            if not any(path.startswith(k + os.sep) for k in kept):
                kept.append(path)
        return kept


_course = []


def _course_folder():
    """Where the kernel's Python imports `course` from (an editable install: the course root's
    course/ folder; a wheel: inside site-packages). Asked of an isolated interpreter, as the
    kernel sees it: the grader's own sys.path has the course root in front (a copy's course/
    would shadow the installed one)."""
    if not _course:
        code = (
            "import importlib.util as u; s = u.find_spec('course'); "
            "print(list(s.submodule_search_locations)[0] if s else '')"
        )
        done = subprocess.run(
            [sys.executable, "-I", "-c", code], capture_output=True, text=True, cwd="/"
        )
        _course.append(os.path.realpath(done.stdout.strip()) if done.stdout.strip() else None)
    return _course[0]


def _fontlist():
    """The grader's matplotlib font cache file (built once: `import matplotlib.pyplot`)."""
    folder = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "matplotlib"
    )
    found = sorted(glob.glob(os.path.join(folder, "fontlist-v*.json")), key=os.path.getmtime)
    return found[-1] if found else None


class Launch:
    """One sandboxed start: the bwrap command line and the descriptors it reads.

    The grader opens every path the sandbox binds or copies (O_PATH for folders) and passes the
    descriptors: bwrap, already running as the unprivileged user, needs no permission on the
    paths (e.g. a Python under /root), and nothing is looked up twice.
    """

    def __init__(self, settings, bwrap, connection_dir, submission, env, uid=None, log=None):
        self.fds = []
        self.args = [bwrap]
        self.settings = settings
        try:
            self._build(connection_dir, submission, env, uid, log)
        except BaseException:
            self.close()
            raise

    def _build(self, connection_dir, submission, env, uid, log):
        settings = self.settings
        size = str(parse_size(settings.scratch_size))
        a = self.args.extend
        if uid is None:
            # a user namespace of its own, without privileges in it or anywhere
            a(["--unshare-all", "--unshare-user", "--disable-userns"])
        else:
            # root sets up the sandbox, then setpriv (below) becomes `uid` for good: no user
            # namespace, and only the two capabilities setpriv needs, which it then loses
            a(["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"])
            a(["--unshare-cgroup-try"])
            for capability in self.capabilities:
                a(["--cap-add", capability])
        a(["--die-with-parent", "--clearenv"])
        for name, value in env.items():
            a(["--setenv", name, value])
        a(["--ro-bind", "/usr", "/usr"])
        for link in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            if os.path.islink("/" + link):
                a(["--symlink", os.readlink("/" + link), "/" + link])
        # the tmpfs first: binds below /tmp would be hidden by it
        a(["--size", size, "--perms", "1777", "--tmpfs", "/tmp"])
        self.made = set()
        for name in ETC:
            if os.path.exists("/etc/" + name):
                self._bind("--ro-bind-fd", "/etc/" + name)
        for path in settings.read_only():
            self._bind("--ro-bind-fd", path)
        a(["--proc", "/proc", "--dev", "/dev"])
        a(["--size", size, "--perms", "1777", "--tmpfs", "/dev/shm"])
        if connection_dir:
            self._bind("--bind-fd", connection_dir)
        fontlist = _fontlist()
        if fontlist:
            a(["--perms", "0777", "--dir", MPLCONFIGDIR])
            a(["--perms", "0644", "--file", self._open(fontlist, file=True)])
            self.args.append(os.path.join(MPLCONFIGDIR, os.path.basename(fontlist)))
        a(["--size", size, "--perms", "0777", "--tmpfs", SUBMISSION])
        if submission:
            self._copy(submission, log)
            for host, inside in earlier_submissions(submission):
                a(["--perms", "0755", "--dir", os.path.dirname(inside)])
                a(["--ro-bind-fd", self._open(host, file=True), inside])
        a(["--chdir", SUBMISSION, "--"])
        if uid is not None:
            self._become(uid)

    # the capabilities root's sandbox keeps until _become drops them (autograder/warm.py's
    # template keeps more, and drops them in each kernel it forks)
    capabilities = ("CAP_SETUID", "CAP_SETGID")

    def _become(self, uid):
        """The command that becomes `uid` for good before the kernel starts."""
        a = self.args.extend
        a([shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}"])
        a(["--clear-groups", "--inh-caps=-all", "--no-new-privs"])

    def _bind(self, option, path):
        # the folders above `path`: bwrap would make them accessible to root only
        parts = path.strip("/").split("/")[:-1]
        for i in range(len(parts)):
            folder = "/" + "/".join(parts[: i + 1])
            if folder not in self.made and folder not in ("/tmp", "/usr"):
                self.made.add(folder)
                self.args.extend(["--perms", "0755", "--dir", folder])
        self.args.extend([option, self._open(path), path])

    def _open(self, path, file=False):
        flags = os.O_RDONLY | os.O_CLOEXEC | (os.O_NOFOLLOW if file else os.O_PATH)
        fd = os.open(path, flags)
        self.fds.append(fd)
        return str(fd)

    def _copy(self, folder, log):
        """--dir/--file for the submission's regular files (symlinks and the rest: left out)."""
        for path, inside in submission_files(folder, self.settings.max_files, log):
            if path is None:
                self.args.extend(["--perms", "0777", "--dir", inside])
            else:
                self.args.extend(["--perms", "0666", "--file", self._open(path, file=True)])
                self.args.append(inside)

    def close(self):
        for fd in self.fds:
            os.close(fd)
        self.fds = []


def earlier_submissions(folder):
    """[(host path, path in the sandbox)] of the student's own notebooks of earlier chapters.

    `folder` is the one being graded, `<root>/<step>/<student>/<chapter>` (autograded/ for
    autograde). Chapter notebooks load the student's classes of earlier chapters from
    `../<earlier>/<earlier>.ipynb` (course/earlier.py); in the sandbox that is beside
    /submission, so each `<root>/submitted/<student>/<earlier>/<earlier>.ipynb` the student
    submitted is bound read-only there. Outside a course's layout (`nbgrader validate` on a
    student's folder), the notebooks beside `folder` are. The student's own code, so it may
    enter their kernel; nothing else of the course does. Symlinks are not followed.
    """
    folder = os.path.abspath(folder)
    chapter = os.path.basename(folder)
    student_dir = os.path.dirname(folder)
    root = os.path.dirname(os.path.dirname(student_dir))
    submitted = os.path.join(root, "submitted", os.path.basename(student_dir))
    if not os.path.isdir(submitted):
        submitted = student_dir
    found = []
    if not os.path.isdir(submitted) or os.path.islink(submitted):
        return found
    for earlier in sorted(os.listdir(submitted)):
        host = os.path.join(submitted, earlier, f"{earlier}.ipynb")
        # an assignment's folder ("01_dense_layers"): never a name the sandbox itself uses
        if not re.fullmatch(r"[0-9]+_\w+", earlier) or earlier >= chapter:
            continue
        if os.path.islink(os.path.join(submitted, earlier)):
            continue
        if os.path.exists(host) and stat.S_ISREG(os.lstat(host).st_mode):
            inside = os.path.join(os.path.dirname(SUBMISSION), earlier, f"{earlier}.ipynb")
            found.append((host, inside))
    return found


def submission_files(folder, max_files, log=None):
    """(host path, path inside the sandbox) of the submission's regular files, at most
    `max_files` (symlinks and the rest: left out); (None, folder inside) for each subfolder."""
    count = 0
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(parent, d)))
        inside = os.path.normpath(os.path.join(SUBMISSION, os.path.relpath(parent, folder)))
        if inside != SUBMISSION:
            yield None, inside
        for name in sorted(files):
            path = os.path.join(parent, name)
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            count += 1
            if count > max_files:
                if log:
                    log.warning(
                        "sandbox: %s has more than %d files: the rest are not copied",
                        folder,
                        max_files,
                    )
                return
            yield path, os.path.join(inside, name)


def kernel_env(settings, env):
    """The kernel's environment: allowlisted variables of `env`, and the sandbox's own."""
    kept = {
        name: value
        for name, value in env.items()
        if any(fnmatch.fnmatchcase(name, p) for p in settings.env_allow)
        and not any(fnmatch.fnmatchcase(name, p) for p in ENV_DENY)
    }
    kept.update(
        PATH=os.pathsep.join([os.path.join(sys.prefix, "bin"), "/usr/local/bin", "/usr/bin"]),
        HOME="/tmp",
        TMPDIR="/tmp",
        MPLCONFIGDIR=MPLCONFIGDIR,
        PYTHONNOUSERSITE="1",
        USER="student",
        # ipykernel: no parent to watch (bwrap --die-with-parent does), no note about Ctrl-C
        JPY_PARENT_PID="1",
        LOGNAME="student",
    )
    return kept


def wrapper(settings):
    """What runs bwrap: a shell that makes it ignore SIGINT, and prlimit.

    jupyter_client interrupts a kernel (nbgrader's per-cell timeout) with SIGINT to its whole
    process group: bwrap's first process is in it, and would die of it, taking the kernel
    with it (--die-with-parent). Ignored, SIGINT still reaches the kernel, which sets its own
    handler while it runs a cell. prlimit sets limits nothing in the sandbox can raise.
    """
    prefix = [shutil.which("sh") or "/bin/sh", "-c", 'trap "" INT; exec "$@"', "sandbox"]
    limits = settings.limits()
    if limits:
        prefix += [shutil.which("prlimit") or "prlimit", *limits]
    return prefix


_checked = {}


def self_test(settings):
    """None if a sandbox starts here (cached per process and settings), else why not."""
    bwrap = settings.program()
    if not bwrap:
        return f"bubblewrap was not found (Sandbox.bwrap = {settings.bwrap!r})"
    try:
        key = (bwrap, tuple(settings.read_only()), os.geteuid(), settings.uids)
    except SandboxUnavailable as e:
        return str(e)
    if key not in _checked:
        folder = tempfile.mkdtemp(prefix="sandbox-check-")
        try:
            uid = _own(folder, settings)
            launch = Launch(settings, bwrap, folder, None, kernel_env(settings, {}), uid)
            cmd = [*wrapper(settings), *launch.args, sys.executable, "-S", "-c", "import os"]
            try:
                done = subprocess.run(
                    cmd, capture_output=True, text=True, timeout=30, env={},
                    pass_fds=[int(f) for f in launch.fds], cwd="/",
                )  # fmt: skip
            finally:
                launch.close()
            error = (done.stderr or done.stdout).strip()
            _checked[key] = None if done.returncode == 0 else f"{bwrap} failed: {error}"
        except (OSError, subprocess.SubprocessError) as e:
            _checked[key] = f"{bwrap} could not run: {e}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return _checked[key]


def _own(folder, settings, uid=None):
    """The uid a kernel runs as (None: ours), which owns `folder` (it creates sockets there)."""
    if os.geteuid() == 0:
        uid = settings.pick_uid() if uid is None else uid
        os.chown(folder, uid, uid)
    os.chmod(folder, 0o700)
    return uid


def refusal(reason):
    return (
        f"Grading refused: the student's kernel cannot be sandboxed ({reason}). Without the "
        "sandbox, the notebook's code would run as the grader, able to read the course "
        "(reference solutions, hidden tests, other students' submissions), write the "
        "gradebook, read the grader's environment (database credentials) and use the network. "
        "Fix the cause (bubblewrap: apt-get install bubblewrap; user namespaces, e.g. in a "
        "Kubernetes pod: docs/scaling.md; `python -m autograder.sandbox` checks again), or, "
        "knowing all this, grade without it: "
        f"--Sandbox.allow_unsandboxed=True or {ALLOW_ENV}=1."
    )


UNSANDBOXED_WARNING = (
    "Grading WITHOUT the sandbox (%s): student code runs as the grader's user (%s) with the "
    "grader's view of the filesystem (source/, autograder/, the gradebook, other students' "
    "submissions), its environment (BACKPROP_DB_URL, PG*, PYTHONPATH) and the network."
)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run under bubblewrap (see the module docstring)."""

    _sandbox_dir = None

    def _settings(self):
        return Sandbox(parent=self)

    async def _async_pre_start_kernel(self, **kw):
        settings = self._settings()
        reason = "Sandbox.enabled is False" if not settings.enabled else self_test(settings)
        if reason:
            if not (settings.allowed_unsandboxed() or not settings.enabled):
                raise SandboxUnavailable(refusal(reason))
            self.log.warning(UNSANDBOXED_WARNING, reason, _whoami())
            self._launch = None
            return await super()._async_pre_start_kernel(**kw)
        # A private folder per kernel: its sockets and connection file, bound into its sandbox
        # alone (a shared folder would let a kernel connect to the sockets of the others).
        if self._sandbox_dir is None:
            self._sandbox_dir = tempfile.mkdtemp(prefix="sandbox-kernel-")
            self._sandbox_uid = _own(self._sandbox_dir, settings)
        self.transport = "ipc"
        self.ip = os.path.join(self._sandbox_dir, "kernel")
        self.connection_file = os.path.join(self._sandbox_dir, "kernel.json")
        self.cache_ports = False
        # nbgrader validate gives no cwd: the kernel then starts in the notebook's folder
        cwd = kw.get("cwd") or os.getcwd()
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        uid = self._sandbox_uid
        if uid is not None:
            os.chown(self.connection_file, uid, uid)
        env = kernel_env(settings, kw.get("env") or os.environ)
        # what autograder/warm.py's manager needs to fork this kernel instead
        self._sandbox_request = {"cwd": cwd, "env": env, "cmd": cmd}
        bwrap = settings.program()
        try:
            self._launch = Launch(settings, bwrap, self._sandbox_dir, cwd, env, uid, self.log)
        except BaseException:
            self._remove_sandbox_dir()
            raise
        kw["env"] = {"PATH": os.defpath}
        kw["cwd"] = "/"
        return [*wrapper(settings), *self._launch.args, *cmd], kw

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        launch = getattr(self, "_launch", None)
        if launch is None:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        try:
            return await super()._async_launch_kernel(
                kernel_cmd, pass_fds=[int(f) for f in launch.fds], **kw
            )
        except BaseException:
            self._remove_sandbox_dir()
            raise
        finally:
            launch.close()
            self._launch = None

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._remove_sandbox_dir()

    def lock_connection_dir(self):
        """Once the kernel is up (its sockets bound), take its connection folder back: the
        folder is on the grader's disk, outside the sandbox's size-capped scratch, so a kernel
        that could still write there could fill the disk. Only a root grader, which gave the
        kernel a uid of its own, can do this; a kernel under the grader's own uid keeps it."""
        uid = getattr(self, "_sandbox_uid", None)
        if not self._sandbox_dir or uid is None:
            return
        for path in (self._sandbox_dir, self.connection_file):
            os.chown(path, os.geteuid(), os.getegid())
        os.chmod(self._sandbox_dir, 0o711)  # the sockets stay reachable by path
        os.chmod(self.connection_file, 0o600)

    def _remove_sandbox_dir(self):
        if self._sandbox_dir:
            shutil.rmtree(self._sandbox_dir, ignore_errors=True)
            self._sandbox_dir = None


def _whoami():
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


KERNEL_MANAGER = f"{__name__}.SandboxedKernelManager"


def configure(c):
    """Sandbox every kernel nbgrader starts (autograde and validate); returns `c`.

    Idempotent (nbgrader loads nbgrader_config.py twice): it only sets values.
    """
    c.Execute.kernel_manager_class = KERNEL_MANAGER
    return c


def main(argv=None):
    """`python -m autograder.sandbox`: check this machine; --help-all lists the settings."""
    from traitlets.config import Application

    class SandboxCheck(Application):
        name = "autograder.sandbox"
        description = "Check that grading kernels can be sandboxed here (bubblewrap)."
        classes = [Sandbox]

    app = SandboxCheck()
    app.initialize(argv)
    settings = Sandbox(parent=app)
    reason = self_test(settings)
    if reason:
        print(refusal(reason))
        return 1
    print(f"sandbox ok: {settings.program()}; kernels run as uid "
          f"{settings.uids if os.geteuid() == 0 else os.geteuid()}; read-only: "
          f"/usr, /etc ({', '.join(ETC)}), {', '.join(settings.read_only())}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
