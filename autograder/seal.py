"""Sealed autograding: a hidden test passes only if the grader itself said so.

nbgrader scores a test cell by the absence of errors: a notebook that silences errors
(e.g. a patched IPython that never runs the test cell) or that makes the kernel print a
number before the error (read as partial credit) gets the points. Here, in nbgrader's
process:

- `SealKey` (before `Execute`) draws a fresh secret per notebook and hands it to the
  grading kernel through a file the kernel's guard reads and deletes before the first cell;
- `SealCheck` (after `Execute`) requires every `check_*` that a hidden-test cell calls to
  have printed a seal (`[seal check_x:HMAC]`, from `autograder.core.passed`, signed by the
  guard) for that exact cell; a missing or forged seal, or an error anywhere in the cell,
  puts an `IntegrityError` output first, which nbgrader scores as zero. Valid seals are
  removed from the output students see.

`configure(c)` (called at the end of nbgrader_config.py) starts the guard in every grading
kernel (validate too) and adds the two preprocessors to autograde.
"""

import hmac
import os
import re
import tempfile

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor

from autograder import guard

SEAL = re.compile(r" ?\[seal (check_\w+):([0-9a-f]{32})\]")
CALL = re.compile(r"(?<![\w.])(check_\w+)\s*\(")
GUARD_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "guard.py")


def kernel_arguments(guard_file=GUARD_FILE):
    """Kernel command-line arguments that start the guard before the notebook's first cell."""
    line = (
        f"exec(compile(open({guard_file!r}, 'rb').read(), {guard_file!r}, 'exec'), "
        f"{{'__name__': {guard.GUARD_NAME!r}, '__file__': {guard_file!r}}})"
    )
    return [f"--IPKernelApp.exec_lines={line}"]


def seal(key, check, source):
    """The seal `autograder.core.passed` prints for `check` in the cell with `source`."""
    message = (check + "\n" + _digest(source)).encode("utf-8")
    return hmac.new(key, message, "sha256").hexdigest()[:32]


def _digest(source):
    import hashlib

    return hashlib.sha256(guard.normalized(source).encode("utf-8")).hexdigest()


def required_checks(source):
    """The check_* functions a hidden-test cell calls (none if it imports no hidden test)."""
    if "autograder.hidden" not in source:
        return set()
    code = "\n".join(
        line for line in source.splitlines() if not line.lstrip().startswith(("from ", "import "))
    )
    return set(CALL.findall(code))


def _error(message):
    return NotebookNode(
        output_type="error", ename="IntegrityError", evalue=message, traceback=[message]
    )


def _fails(output):
    return output.output_type == "error" or (
        output.output_type == "stream" and output.get("name") == "stderr"
    )


class SealKey(NbGraderPreprocessor):
    """Give the grading kernel a fresh secret (before Execute)."""

    def preprocess(self, nb, resources):
        key = os.urandom(32)
        fd, path = tempfile.mkstemp(prefix="autograder-seal-")
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(key.hex())
        os.environ[guard.SEAL_ENV] = path
        resources["autograder_seal"] = {"key": key, "path": path}
        return nb, resources


class SealCheck(NbGraderPreprocessor):
    """Fail every hidden-test cell without a valid seal per check (after Execute)."""

    def preprocess(self, nb, resources):
        info = resources.pop("autograder_seal", None) or {}
        os.environ.pop(guard.SEAL_ENV, None)
        path = info.get("path")
        guard_started = bool(path) and not os.path.exists(path)
        if path and os.path.exists(path):
            os.remove(path)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("grade"):
                self.check_cell(cell, info.get("key"), guard_started)
        return nb, resources

    def check_cell(self, cell, key, guard_started):
        outputs = cell.get("outputs", [])
        required = required_checks(cell.source)
        sealed = set()
        for output in outputs:
            if output.output_type == "stream" and output.get("name") == "stdout":
                for check, token in SEAL.findall(output.text):
                    if key and hmac.compare_digest(token, seal(key, check, cell.source)):
                        sealed.add(check)
                output.text = SEAL.sub("", output.text)
        failing = [i for i, o in enumerate(outputs) if _fails(o)]
        missing = sorted(required - sealed)
        reason = None
        if missing and not failing:
            if not guard_started:
                reason = "the grading kernel's guard did not start, so no hidden test could pass"
            else:
                reason = (
                    f"the hidden tests of this cell did not report a pass ({', '.join(missing)}): "
                    "something in the notebook stopped them or hid their result (a patched "
                    "IPython, a swallowed error, an exit, or a printed imitation of a pass)"
                )
        results = [i for i, o in enumerate(outputs) if o.output_type == "execute_result"]
        if failing and results and results[0] < failing[0]:
            # nbgrader reads the first execute_result as partial credit before any error
            reason = "this cell failed (see below); its displayed value is not a score"
        if reason:
            message = f"Grading: {reason}. This test gets no marks."
            cell.outputs = [_error(message), *outputs]


def configure(c):
    """Start the guard in every grading kernel and seal autograde's hidden tests."""
    from nbgrader.converters.autograde import Autograde

    arguments = c.Execute.get("extra_arguments")
    if isinstance(arguments, list):
        c.Execute.extra_arguments = arguments + kernel_arguments()
    else:  # unset, or built with .append() earlier in the file
        c.Execute.extra_arguments.extend(kernel_arguments())
    current = c.Autograde.get("autograde_preprocessors")
    preprocessors = list(current or Autograde.autograde_preprocessors.default_value)
    at = next(
        i
        for i, p in enumerate(preprocessors)
        if isinstance(p, type) and issubclass(p, Execute) or p == "nbgrader.preprocessors.Execute"
    )
    preprocessors[at : at + 1] = [SealKey, preprocessors[at], SealCheck]
    c.Autograde.autograde_preprocessors = preprocessors
