"""The kernel manager nbgrader's Execute uses: each kernel it starts runs under bubblewrap, with
a private connection folder (ipc sockets) and a scratch copy of its submission."""

import os
import shutil
import tempfile

from jupyter_client.manager import AsyncKernelManager

from autograder.sandbox.check import refusal, self_test
from autograder.sandbox.launch import Launch, own_folder, wrapper
from autograder.sandbox.settings import Sandbox, SandboxUnavailable, kernel_env

UNSANDBOXED_WARNING = (
    "Grading WITHOUT the sandbox (%s): student code runs as the grader's user (%s) with the "
    "grader's view of the filesystem (source/, autograder/, the gradebook, other students' "
    "submissions), its environment (BACKPROP_DB_URL, PG*, PYTHONPATH) and the network."
)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run under bubblewrap (autograder/sandbox/__init__.py)."""

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
            self._sandbox_uid = own_folder(self._sandbox_dir, settings)
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
