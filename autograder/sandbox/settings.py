"""The sandbox's settings (traitlets section `Sandbox`) and what a kernel is given: the paths
it may read, its environment, the limits it starts under."""

import fnmatch
import os
import shutil
import subprocess
import sys

from traitlets import Bool, Integer, List, Unicode
from traitlets.config import Configurable

from autograder.limits import GradingLimits, parse_size

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
        help="RLIMIT_DATA of the whole sandbox, set before it starts ('': "
        "GradingLimits.memory, the kernel's own cap; '0': none).",
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

    def pick_uid(self) -> int:
        """The uid a kernel runs as when the grader is root."""
        import random

        first, _, last = self.uids.partition("-")
        return random.randint(int(first), int(last or first))

    def allowed_unsandboxed(self) -> bool:
        return self.allow_unsandboxed or os.environ.get(ALLOW_ENV, "") not in ("", "0")

    def program(self) -> str | None:
        """The absolute path of bwrap, or None."""
        path = shutil.which(self.bwrap)
        return os.path.abspath(path) if path else None

    def scratch_bytes(self) -> int:
        """The size of each of the kernel's tmpfs, in bytes."""
        return parse_size(self.scratch_size)

    def limits(self) -> list[str]:
        """prlimit arguments: limits the sandbox cannot raise (each at most the current hard)."""
        import resource

        # by default the same size as the kernel's own cap (autograder/kernel_startup.py), so
        # a memory bomb meets the kernel's MemoryError, with its message, before this limit
        data = parse_size(self.memory or GradingLimits(parent=self).memory)
        wanted = {
            "data": (resource.RLIMIT_DATA, data),
            "nproc": (resource.RLIMIT_NPROC, self.max_processes),
            "nofile": (resource.RLIMIT_NOFILE, self.max_open_files),
            "fsize": (resource.RLIMIT_FSIZE, self.scratch_bytes()),
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

    def read_only(self) -> list[str]:
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


def kernel_env(settings: Sandbox, env) -> dict[str, str]:
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
