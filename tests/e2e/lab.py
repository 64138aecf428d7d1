"""JupyterLab on localhost, driven by Playwright: the server and what the tests do on its pages.

Every wait here waits for something the server or the page reports (an HTTP status, a kernel
state, execution counts, an image's pixels), with a deadline; nothing sleeps a fixed time.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.helpers import ROOT, nbgrader_env

# JupyterLab settings for a browser under test: every cell in the DOM (the default windowing
# leaves off-screen cells out of the page), no news or update checks (there is no network).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

# The execution count of every code cell, in page order ("" when a cell never ran, "*" while
# it runs or waits in the queue).
PROMPTS_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]
    .map(p => p.textContent.trim().replace(/^\\[|\\]:$/g, '').trim())"""


def wait_until(predicate, timeout, what, interval=0.1):
    """Poll predicate() until it returns something truthy; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """`python -m jupyterlab` on 127.0.0.1 with a random free port and token.

    root: the server's root directory (what the file browser shows); the server also runs
    there, so nbgrader's formgrader reads that folder's nbgrader_config.py.
    state: a scratch folder for settings, config, runtime files and the server log.
    python: the environment's interpreter (default: this one, the developers' venv).
    """

    def __init__(self, root, state, env=None, python=None):
        self.root = Path(root)
        self.state = Path(state)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.state / "jupyterlab.log"
        settings = self.state / "lab-settings"
        for plugin, values in LAB_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = dict(os.environ if env is None else env)
        env.update(
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(self.state / "workspaces"),
            # the user's own ~/.jupyter (config, kernels) stays out of the test
            JUPYTER_CONFIG_DIR=str(self.state / "config"),
            JUPYTER_DATA_DIR=str(self.state / "data"),
            JUPYTER_RUNTIME_DIR=str(self.state / "runtime"),
        )
        self.env = env
        cmd = [
            str(python or sys.executable),
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            # no request to PyPI for a newer JupyterLab
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            cmd, cwd=self.root, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def log_tail(self, n=4000):
        return self.log_path.read_text(errors="replace")[-n:]

    def request(self, path, method="GET", timeout=5):
        """An API request with the token; returns (status, body)."""
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def api(self, path):
        status, body = self.request(path)
        assert status == 200, f"GET {path}: HTTP {status}: {body[:500]!r}"
        return json.loads(body)

    def wait_ready(self, timeout=60):
        def ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited:\n{self.log_tail()}")
            try:
                return self.request("/api/status", timeout=2)[0] == 200
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return False

        wait_until(ready, timeout, "JupyterLab's /api/status")
        return self

    def lab_url(self, path=None):
        """JupyterLab's page with a fresh workspace, opening path (root-relative) if given."""
        tree = f"/tree/{path}" if path else ""
        return f"{self.url}/lab{tree}?token={self.token}&reset"

    def kernel_state(self, notebook):
        """Execution state of the kernel of the session on notebook (a root-relative path)."""
        for session in self.api("/api/sessions"):
            if session.get("path") == notebook and session.get("kernel"):
                return session["kernel"]["execution_state"]
        return None

    def wait_kernel_idle(self, notebook, timeout=60):
        wait_until(
            lambda: self.kernel_state(notebook) == "idle", timeout, f"an idle kernel on {notebook}"
        )

    def shut_down_kernels(self):
        """End every session and its kernel (a test's kernels would idle on until the end)."""
        for session in self.api("/api/sessions"):
            self.request(f"/api/sessions/{session['id']}", method="DELETE", timeout=30)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def open_notebook(page, server, notebook, timeout=60):
    """Open notebook (root-relative) in JupyterLab and wait for its cells and an idle kernel."""
    page.goto(server.lab_url(notebook))
    panel = page.locator(".jp-NotebookPanel").first
    panel.wait_for(state="visible", timeout=timeout * 1000)
    panel.locator(".jp-Cell").first.wait_for(state="visible", timeout=timeout * 1000)
    server.wait_kernel_idle(notebook, timeout)
    # the page's own kernel indicator too: the toolbar can lag behind the server
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        timeout=timeout * 1000
    )
    return panel


def run_all_cells(page):
    """Run > Run All Cells, through the menu as a person would."""
    page.locator(".lm-MenuBar-item:has(.lm-MenuBar-itemLabel:text-is('Run'))").click()
    page.locator(".lm-Menu-item:has(.lm-Menu-itemLabel:text-is('Run All Cells'))").click()


def execution_counts(page):
    return page.evaluate(PROMPTS_JS)


def wait_all_executed(page, n_code_cells, timeout=120):
    """Wait until every code cell shows an execution count; returns the counts as ints."""
    page.wait_for_function(
        f"""() => {{
            const counts = ({PROMPTS_JS})();
            return counts.length === {n_code_cells} && counts.every(c => /^\\d+$/.test(c));
        }}""",
        timeout=timeout * 1000,
    )
    return [int(c) for c in execution_counts(page)]


def code_cell_count(path):
    with open(path, encoding="utf-8") as f:
        return sum(cell["cell_type"] == "code" for cell in json.load(f)["cells"])


def code_cell(page, contains):
    """The code cell whose source contains the given text."""
    return page.locator(".jp-CodeCell").filter(
        has=page.locator(".jp-InputArea-editor", has_text=contains)
    )


def stderr_outputs(page):
    """Texts of error and stderr outputs (tracebacks, warnings) anywhere in the notebook."""
    return page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).all_inner_texts()


def run_cells_cleanly(page, path):
    """Run all cells of the open notebook (saved at `path`) and wait until each code cell ran;
    no cell may write to stderr. Returns the execution counts, in page order."""
    run_all_cells(page)
    counts = wait_all_executed(page, code_cell_count(path))
    assert stderr_outputs(page) == [], "a cell wrote to stderr (an error or a warning)"
    return counts


# ---- servers and screenshots for the tests (bench/ uses only the above) -----------------------

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1280, "height": 1000}


def lab_env():
    """The server's environment: the venv's bin/ first (nbgrader runs `alembic`), and no
    MPLBACKEND: `make test` exports Agg, which a kernel would inherit and then draw nothing."""
    env = nbgrader_env()
    env.pop("MPLBACKEND", None)
    return env


def screenshot(target, name):
    """Save a screenshot of a page or a locator as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    target.screenshot(path=path)
    return path


def start_lab(root, state, env=None, python=None):
    server = LabServer(root, state, lab_env() if env is None else env, python)
    try:
        return server.wait_ready()
    except Exception:
        server.stop()
        raise
