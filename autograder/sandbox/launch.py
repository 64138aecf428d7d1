"""One sandboxed start: the bubblewrap command line, the files it binds or copies, and the
wrapper that runs it (SIGINT ignored, prlimit)."""

import glob
import os
import re
import shutil
import stat

from autograder.sandbox.settings import ETC, MPLCONFIGDIR, SUBMISSION, Sandbox


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
        size = str(settings.scratch_bytes())
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


def earlier_submissions(folder) -> list[tuple[str, str]]:
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


def wrapper(settings: Sandbox) -> list[str]:
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


def own_folder(folder: str, settings: Sandbox, uid: int | None = None) -> int | None:
    """The uid a kernel runs as (None: ours), which owns `folder` (it creates sockets there)."""
    if os.geteuid() == 0:
        uid = settings.pick_uid() if uid is None else uid
        os.chown(folder, uid, uid)
    os.chmod(folder, 0o700)
    return uid
