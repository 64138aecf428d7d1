"""The visible checks give the catalogue's diagnoses before submitting: a known mistake on the
worked example is named (course/known_mistakes.py, generated from the mutants), the traceback
ends at the student's line, and `nbgrader validate` fails while a cell still raises."""

import ast
import json
import re
import sys

import nbformat
import numpy as np
import pytest

from autograder import examples, hidden_tests, visible_mistakes
from autograder import notebooks as nbs
from course import checks
from course.known_mistakes import MISTAKES
from tests.helpers import ROOT, copy_course, kernel_imports_this_course, run

ANSI = re.compile(r"\x1b\[[0-9;]*m")
KEYS = {"name", "expected_shape", "expected", "got_shape", "got", "cause", "from"}
TOKEN = re.compile(r"[A-Za-z_]+|\d+(?:\.\d+)?")


def _failure(entry):
    """The message a visible check gives for a catalogued wrong answer."""
    got = np.array(entry["got"], dtype=np.float64)
    with pytest.raises(checks.CheckFailed) as raised:
        if entry["expected"] is None:
            checks.expect_shape(entry["name"], got, tuple(entry["expected_shape"]))
        else:
            # tight: some visible checks are (a student's gradient check to 1e-7); the cause
            # lookup keeps its own tolerance
            checks.expect_close(entry["name"], got, entry["expected"], rtol=1e-9, atol=0)
    return str(raised.value)


def test_the_catalogue_names_causes_for_every_chapter():
    chapters = {entry["from"].split()[0] for entry in MISTAKES}
    assert chapters == set(nbs.chapters(ROOT))


@pytest.mark.parametrize("entry", MISTAKES, ids=[e["from"] for e in MISTAKES])
def test_each_catalogued_wrong_answer_gets_its_cause(entry):
    assert re.search(rf"(Likely cause|Or): {re.escape(entry['cause'])}\.", _failure(entry))


def test_a_wrong_answer_not_in_the_catalogue_gets_no_cause():
    with pytest.raises(checks.CheckFailed) as raised:
        checks.expect_close("batch_output", np.full((3, 3), 7.0), np.ones((3, 3)))
    assert "Likely cause" not in str(raised.value)


def test_the_same_mistake_typed_differently_is_recognised():
    """A student's own no-bias batch_output (float64, `@`) matches the mutant's float32 one."""
    batch = np.array([[1.0, 2.0, 3.0, 2.5], [2.0, 5.0, -1.0, 2.0], [-1.5, 2.7, 3.3, -0.8]])
    weights = np.array(
        [[0.2, 0.8, -0.5, 1.0], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]]
    )
    expected = [[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]]
    with pytest.raises(checks.CheckFailed, match="Likely cause: the biases are not added"):
        checks.expect_close("batch_output", batch @ weights.T, expected)


def _executed(nb, folder, monkeypatch):
    """`nb` run top to bottom by nbclient in a real kernel that imports this `course`."""
    from nbclient import NotebookClient

    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.reads(json.dumps(nb), as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=120,
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return nb


@pytest.mark.slow
def test_mistake_typed_into_a_notebook_is_named_and_the_traceback_ends_at_the_students_line(
    tmp_path, monkeypatch
):
    chapter = "01_dense_layers"
    mistake = examples.mutants(chapter).MUTANTS["batch_output"]["no_bias"]["code"]
    nb = _executed(examples.filled(chapter, {"batch_output": mistake}), tmp_path, monkeypatch)
    cell = next(c for c in nb.cells if c.get("id") == "test_batch_output")
    (error,) = [o for o in cell.outputs if o.output_type == "error"]
    assert "Likely cause: the biases are not added." in error.evalue
    traceback = ANSI.sub("", "\n".join(error.traceback))
    assert "checks.py" not in traceback and "raise " not in traceback, traceback
    # the last frame shown is the cell's own line that called the check
    frames = re.findall(r"^(Cell In\[\d+\], line \d+|File .*)$", traceback, re.M)
    assert len(frames) == 1 and frames[0].startswith("Cell In"), traceback
    assert re.search(r"^-+> +\d+ expect_close\(\"batch_output\"", traceback, re.M), traceback


# -- the generated file: current, and nothing in it the hidden checks grade with


def _string_constants(paths):
    constants = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants += [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]
    return [c for c in constants if isinstance(c, str)]


def test_known_mistakes_hold_public_values_and_fixed_causes_only():
    """Each entry is a visible check's name, the worked example's shapes and values, and a cause
    made of the hidden checks' fixed text (never a message formatted with hidden values)."""
    grader = ROOT / "autograder"
    checks = [p for p in sorted(grader.glob("chapters/*/*.py")) if "mutants" not in p.name]
    helpers = [grader / f"{name}.py" for name in ("core", "checking", "training", "backprop")]
    texts = _string_constants([*checks, *helpers])
    visible = "\n".join(
        hidden_tests.split(nbs.source_text(nbs.cell_by_id(nb, test)))[1]
        for chapter in nbs.chapters(ROOT)
        for nb in [nbs.load(nbs.notebook_path(chapter, "release", ROOT))]
        for tests in nbs.exercises(nb).values()
        for test in tests
    )
    words = set(TOKEN.findall("\n".join(texts)))
    for entry in MISTAKES:
        assert set(entry) == KEYS
        # every word and number of the cause is in the checks' fixed texts (a hidden value,
        # 0.52569 or a shape (7, 3), would not be)
        assert set(TOKEN.findall(entry["cause"])) <= words, entry["cause"]
        assert f'"{entry["name"]}"' in visible, entry["name"]
        assert list(np.shape(entry["got"])) == entry["got_shape"]
        if entry["expected"] is not None:
            assert list(np.shape(entry["expected"])) == entry["expected_shape"]


# Generates chapter 1's entries with every array the hidden checks compare recorded (their
# expected values and the wrong answers they compute from hidden inputs), then prints both.
SPY = """
import json, sys
import numpy as np
from autograder import core, visible_mistakes
seen = []
compare = core.expect_close
def spy(name, got, expected, **kwargs):
    seen.append(np.asarray(expected, dtype=np.float64).tolist())
    for wrong in (kwargs.get("wrong_answers") or {}).values():
        if wrong is not None:
            seen.append(np.asarray(wrong, dtype=np.float64).tolist())
    return compare(name, got, expected, **kwargs)
core.expect_close = spy
entries = visible_mistakes.chapter_entries(sys.argv[1])
print(json.dumps({"entries": entries, "hidden": seen}))
"""


@pytest.mark.slow
def test_generator_keeps_no_hidden_value():
    done = run([sys.executable, "-c", SPY, "01_dense_layers"], ROOT, timeout=600)
    data = json.loads(done.stdout.strip().splitlines()[-1])
    assert data["entries"] and len(data["hidden"]) > 10
    hidden = [np.asarray(h) for h in data["hidden"] if np.size(h) > 1]
    for entry in data["entries"]:
        for kept in (entry["got"], entry["expected"]):
            kept = np.asarray(kept, dtype=np.float64)
            assert not any(
                h.shape == kept.shape and np.allclose(h, kept, rtol=1e-6) for h in hidden
            ), entry


@pytest.mark.slow
def test_known_mistakes_are_current():
    """course/known_mistakes.py is generated from the mutants: regenerate and compare."""
    text = visible_mistakes.render(visible_mistakes.generate())
    assert text == visible_mistakes.OUTPUT.read_text(encoding="utf-8"), (
        "course/known_mistakes.py is stale: run `make release`"
    )


# -- nbgrader validate


def _validate(course, nb, folder, student="student"):
    path = nbs.notebook_path(folder, student, course)
    nbs.save(nb, path)
    if not (path.parent / "course").exists():
        kernel_imports_this_course(path.parent)
    return run(["nbgrader", "validate", str(path)], course).stdout


@pytest.fixture(scope="module")
def validate_course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("validate"))
    nbs.save(
        examples.filled("01_dense_layers"), nbs.notebook_path("01_dense_layers", "student", course)
    )
    return course


@pytest.mark.slow
def test_validate_passes_a_finished_chapter(validate_course):
    out = _validate(validate_course, examples.filled("02_activations"), "02_activations")
    assert "Success! Your notebook passes all the tests." in out, out


@pytest.mark.slow
def test_validate_fails_while_a_cell_still_raises_not_implemented_error(validate_course):
    """Not only test cells: any cell left raising fails validation (the issue's case: a cell no
    test grades, still the stub, gave "Success!"), listed with its source and its error."""
    nb = examples.filled("02_activations")
    stub = "# YOUR CODE HERE\nraise NotImplementedError()"
    next(c for c in nb["cells"] if c.get("id") == "ungraded_earlier_classes")["source"] = stub
    out = _validate(validate_course, nb, "02_activations")
    assert "VALIDATION FAILED" in out and "Success" not in out, out
    assert "replace its `raise NotImplementedError()` with your code" in out
    failed = out.split("The following cell failed:")
    assert any(
        part.lstrip().startswith("# YOUR CODE HERE") and "NotImplementedError" in part
        for part in failed
    ), out


@pytest.mark.slow
def test_validate_fails_the_cells_that_need_a_missing_earlier_chapter(validate_course):
    out = _validate(validate_course, examples.filled("02_activations"), "02_activations", "alone")
    assert "VALIDATION FAILED ON 1 CELL(S)" in out, out
    assert "Layer_Dense.forward is not available: No notebook at" in out, out
