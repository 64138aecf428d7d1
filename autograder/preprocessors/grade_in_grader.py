"""GradeInGrader (in place of nbgrader's Execute): hidden tests in nbgrader's process, the
notebook in its kernel.

Each cell runs in the student's kernel as usual,
except the hidden block of a test cell (autograder/hidden_tests.py): that block never reaches
the kernel. Its checks run here, reaching the student's code through the channel
(autograder/channel), and their verdict goes into `resources["backprop"]["hidden"]`, where the
kernel cannot reach it. `SaveGraderScores` (save_grader_scores.py) scores a test cell from
that verdict alone: full points when the hidden checks passed, else 0. The
visible part's output is there for the student to read; nothing the kernel prints, displays or
raises changes the score (a correct solution whose own environment breaks a visible check, say
nnfs.init() before chapter 6's float64 gradient check, keeps its points).

A kernel that dies costs only what is left: the cells before it keep their points, each later
test cell scores 0 with a message naming the cell where it died and how, and the batch goes on.
"""

from __future__ import annotations

import signal

from nbclient.exceptions import DeadKernelError
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.preprocessors import Execute

from autograder import hidden_tests, notes
from autograder.channel.kernel import KernelChannel, KernelDied

HIDDEN_FAILED = "HiddenTestFailure"
KERNEL_DIED = "KernelDied"


def _outcome_output(outcome):
    if outcome.passed:
        return new_output("stream", name="stdout", text=outcome.text + "\n")
    return new_output(
        "error",
        ename=HIDDEN_FAILED,
        evalue=outcome.text,
        traceback=[f"\x1b[0;31m{HIDDEN_FAILED}\x1b[0m: {outcome.text}"],
    )


def _died_output(text):
    return new_output(
        "error",
        ename=KERNEL_DIED,
        evalue=text,
        traceback=[f"\x1b[0;31m{KERNEL_DIED}\x1b[0m: {text}"],
    )


class GradeInGrader(Execute):
    """nbgrader's Execute, with hidden tests run in this process (see the module docstring)."""

    def preprocess(self, nb, resources=None, km=None):
        self._verdicts = {}
        self._died = None
        self._channel = None
        try:
            nb, resources = super().preprocess(nb, resources, km)
        except DeadKernelError:  # died during start-up or shutdown: nothing ran, say so
            self._died = self._died or "the kernel stopped before the notebook could run"
            for cell in nb.cells:
                self._not_run(cell)
        if self._died:
            notes.add(
                nb,
                f"{self._died}. The cells before it kept their points; the test cells from "
                "there on score 0.",
            )
        state = resources.setdefault("backprop", {})
        state["hidden"] = self._verdicts
        state["kernel_died"] = self._died
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if index == 0:  # the kernel is up: no student code has run yet
            lock = getattr(self.km, "lock_connection_dir", None)
            if lock is not None:
                lock()
        if self._died:
            self._not_run(cell)
            return cell, resources
        grade_id = cell.metadata["nbgrader"]["grade_id"] if utils.is_grade(cell) else None
        hidden, visible = ("", cell.source)
        if cell.cell_type == "code" and grade_id:
            hidden, visible = hidden_tests.split(cell.source)
        try:
            if not hidden:
                return super().preprocess_cell(cell, resources, index)
            outcome = hidden_tests.run(hidden, self._kernel_channel())
            self._channel.release()
            self._verdicts[grade_id] = outcome
            original = cell.source
            cell.source = visible
            try:
                cell, resources = super().preprocess_cell(cell, resources, index)
            finally:
                cell.source = original
            cell.outputs.insert(0, _outcome_output(outcome))
            return cell, resources
        except (DeadKernelError, KernelDied):
            self._died = f"the kernel stopped while cell {index} ({grade_id or 'code'}) ran: " + (
                self._how_it_ended()
            )
            cell.outputs.append(_died_output(self._died[0].upper() + self._died[1:] + "."))
            if grade_id:
                self._verdicts[grade_id] = hidden_tests.Outcome(False, self._died)
            return cell, resources

    def _kernel_channel(self):
        if self._channel is None:
            self._channel = KernelChannel(self.kc, self.km, float(self.timeout or 30))
        return self._channel

    def _not_run(self, cell):
        if utils.is_grade(cell) and cell.cell_type == "code":
            note = f"Not run: {self._died}. The points of the cells before it are kept."
            cell.outputs = [_died_output(note)]
            self._verdicts[cell.metadata["nbgrader"]["grade_id"]] = hidden_tests.Outcome(
                False, note
            )

    def _how_it_ended(self):
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        code = process.poll() if process is not None else None
        if code is None:
            return "it stopped answering"
        number = -code if code < 0 else code - 128 if code > 128 else None
        if number:
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"signal {number}"
            hint = " (often: out of memory)" if name == "SIGKILL" else ""
            return f"it was ended by {name}{hint}"
        return f"it exited with code {code} (exit(), os._exit() or a crash)"
