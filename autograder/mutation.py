"""Run a chapter's mutants and alternative solutions against its hidden tests, in-process.

Full nbgrader runs cost seconds per notebook; here one IPython shell per chapter executes the
solution notebook once, then for each variant re-runs only the exercise's solution cell (with
the variant's code) and its test cells, then restores the reference solution. A test cell is
graded as autograde grades it (autograder/execute.py): its hidden checks run through the same
channel code, here to an agent on the shell's namespace (the mutants are our own code, so no
kernel is needed), and its visible part runs in the shell; it passes when the hidden checks
pass (the grader's verdict alone scores a test cell).

Run it in a fresh process per chapter (`python -m autograder mutants CHAPTER`): nnfs.init()
patches NumPy for the whole process.
"""

import contextlib
import io
import os

from autograder import examples, hidden_tests
from autograder import notebooks as nbs
from autograder.channel.remote import LocalChannel

# between a test cell's hidden verdict and its visible part's output in a result's message
VISIBLE_PART = "\n--- the visible part's output ---\n"


class Runner:
    def __init__(self, chapter):
        os.environ.setdefault("MPLBACKEND", "Agg")
        os.environ.setdefault("NBGRADER_EXECUTION", "autograde")
        from IPython.core.interactiveshell import InteractiveShell

        self.shell = InteractiveShell.instance()
        self.nb = nbs.load(nbs.notebook_path(chapter, "source"))
        self.exercises = nbs.exercises(self.nb)
        self.channel = LocalChannel(self.shell.user_ns)
        os.chdir(nbs.notebook_path(chapter, "source").parent)

    def run(self, code):
        """(ok, message) for one cell: ok means no exception and nothing on stderr."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            result = self.shell.run_cell(code, silent=False, store_history=False)
        error = result.error_before_exec or result.error_in_exec
        if error is not None:
            return False, f"{type(error).__name__}: {error}"
        if err.getvalue().strip():
            return False, "stderr: " + err.getvalue().strip()[-500:]
        return True, out.getvalue()

    def run_test(self, code):
        """(passed, message, diagnosis) for one test cell, graded as autograde grades it;
        diagnosis: the failure's record (hidden_tests.Outcome.diagnosis), else None."""
        hidden, visible = hidden_tests.split(code)
        outcome = hidden_tests.run(hidden, self.channel) if hidden else None
        self.channel.release()
        ok, message = self.run(visible)
        if outcome is None:
            return ok, message, None
        return outcome.passed, outcome.text + VISIBLE_PART + message, outcome.diagnosis

    def run_notebook(self):
        """Execute every code cell; returns the failures {cell id: message} (none expected)."""
        failures = {}
        for cell in self.nb["cells"]:
            if cell["cell_type"] == "code":
                run = self.run_test if nbs.nbgrader_meta(cell).get("grade") else self.run
                ok, message = run(nbs.source_text(cell))[:2]
                if not ok:
                    failures[cell.get("id")] = message
        return failures

    def try_variant(self, exercise, code, tests=()):
        """{test grade_id: (passed, message, diagnosis)} with `code` in the exercise's solution
        cell: the exercise's tests, then the other `tests` (of exercises built on this one)."""
        results = {}
        ok, message = self.run(code)
        own = self.exercises[exercise]
        for test_id in [*own, *(t for t in tests if t not in own)]:
            if not ok:
                results[test_id] = (False, "solution cell failed: " + message, None)
                continue
            results[test_id] = self.run_test(nbs.source_text(nbs.cell_by_id(self.nb, test_id)))
        restored, message = self.run(nbs.source_text(nbs.cell_by_id(self.nb, exercise)))
        assert restored, f"reference solution of {exercise} failed to re-run: {message}"
        return results


def run_chapter(chapter):
    """Every mutant and alternative solution of `chapter`, as plain data (JSON-ready)."""
    module = examples.mutants(chapter)
    runner = Runner(chapter)
    report = {
        "baseline_failures": runner.run_notebook(),
        "exercises": runner.exercises,
        "mutants": {},
        "correct": {},
    }
    order = list(runner.exercises)
    for exercise, variants in module.MUTANTS.items():
        # one bug costs once: in a chapter that follows the rule (its mutant module says so),
        # the later exercises' tests run with each mutant too
        later = [t for e in order[order.index(exercise) + 1 :] for t in runner.exercises[e]]
        later = later if getattr(module, "ONE_BUG_COSTS_ONCE", False) else []
        for name, spec in variants.items():
            report["mutants"][f"{exercise}/{name}"] = {
                "exercise": exercise,
                "diagnosis": spec["diagnosis"],
                "mistake": spec.get("mistake"),
                "fails": spec.get("fails", runner.exercises[exercise]),
                "later": later,
                "keeps": spec.get("keeps", {}),
                "ignores": spec.get("ignores", []),
                "results": runner.try_variant(
                    exercise, spec["code"], [*later, *spec.get("keeps", {})]
                ),
            }
    for exercise, variants in module.CORRECT.items():
        for name, code in variants.items():
            report["correct"][f"{exercise}/{name}"] = {
                "exercise": exercise,
                "results": runner.try_variant(exercise, code),
            }
    return report
