"""Bad input and nbgrader's own traps: each case is a student of one scratch course.

The submissions are built from chapter 1's release notebook (as autograder/examples.py does),
checked and staged by autograder/submissions.py, and graded in one real `nbgrader autograde`
run with the limits of nbgrader_config.py (autograder/safety.py): shorter ones through the
environment, to keep the suite fast. Every submitted file is hashed before and after.
"""

import copy
import hashlib
import subprocess
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from autograder import examples, limits, report, safety, submissions
from autograder import notebooks as nbs
from autograder.preprocessors.limit_output_size import LimitOutputSize
from tests.helpers import copy_course, nbgrader_env, run

pytestmark = pytest.mark.slow

CH = "01_dense_layers"
OTHER = "99_other"  # a second chapter, made in the scratch course for the wrong-chapter case
TIMEOUT = 15  # seconds per cell while grading these fixtures
MEMORY = "1G"

WARNS = """def neuron_output(inputs, weights, bias):
    # a leftover debugging line: NumPy warns "Mean of empty slice" on every call
    _ = np.mean(np.array([]))
    return np.dot(inputs, weights) + bias
"""
LOOPS = """def layer_output(inputs, weights, biases):
    output = np.zeros(len(weights))
    i = 0
    while i < len(weights):
        output[i] = np.dot(weights[i], inputs) + biases[i]
        # i += 1 forgotten: the loop never ends
    return output
"""
GROWS = """def layer_output(inputs, weights, biases):
    history = []
    while len(history) < 512:  # 8 MB a step: 4 GiB unless the memory cap stops it first
        history.append(np.ones(10**6))
    return np.dot(weights, inputs) + biases
"""
HUGE = """def batch_output(inputs, weights, biases):
    scratch = np.ones((10**6, 10**6))  # 7.3 TiB
    return np.dot(inputs, weights) + biases
"""
PRINTS = """for i in range(500_000):  # 25 MB printed by the solution cell
    print("debugging output, line", str(i).rjust(20, "."))


def neuron_output(inputs, weights, bias):
    print("x" * 9_000_000)  # 9 MB a call: 27 MB in the test cell
    return np.dot(inputs, weights) + bias
"""


def _save(course, student, nb=None, name=f"{CH}.ipynb", text=None):
    folder = course / "submitted" / student / CH
    folder.mkdir(parents=True, exist_ok=True)
    if text is not None:
        (folder / name).write_text(text, encoding="utf-8")
    elif nb is not None:
        nbs.save(nb, folder / name)


def build_submissions(course):
    """The fixture students (names say what they did)."""
    filled = lambda code=None: examples.filled(CH, code, root=course)  # noqa: E731
    correct = filled()
    _save(course, "warns", filled({"neuron_output": WARNS}))
    deleted = copy.deepcopy(correct)
    deleted["cells"] = [
        c for c in deleted["cells"] if nbs.nbgrader_meta(c).get("grade_id") != "test_layer_output"
    ]
    _save(course, "deleted_test", deleted)
    _save(course, "infinite_loop", filled({"layer_output": LOOPS}))
    _save(course, "memory_bomb", filled({"layer_output": GROWS, "batch_output": HUGE}))
    _save(course, "big_output", filled({"neuron_output": PRINTS}))
    _save(course, "renamed", correct, name="dense.ipynb")
    lines = nbs.dumps(correct).splitlines()
    lines[11] = lines[11].rstrip(",")  # one comma lost: line 13 no longer parses
    _save(course, "invalid_json", text="\n".join(lines))
    (course / "submitted" / "missing" / CH).mkdir(parents=True)
    # another chapter: chapter 1's notebook under other grade_ids, in source/99_other/
    other = copy.deepcopy(nbs.load(nbs.notebook_path(CH, "source", course)))
    for cell in other["cells"]:
        meta = nbs.nbgrader_meta(cell)
        if meta.get("grade_id"):
            meta["grade_id"] = "other_" + meta["grade_id"]
    nbs.save(other, nbs.notebook_path(OTHER, "source", course))
    _save(course, "other_chapter", other)
    # a correct notebook with a cell copied from the other chapter (its metadata comes along)
    copied = copy.deepcopy(correct)
    copied["cells"].append(copy.deepcopy(nbs.cell_by_id(other, "other_layer_dense")))
    _save(course, "copied_cell", copied)


def hashes(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("bad_input"))
    run(["nbgrader", "generate_assignment", CH, "--force", "--log-level=ERROR"], course)
    build_submissions(course)
    before = hashes(course / "submitted")
    staged = tmp_path_factory.mktemp("staged")
    problems = submissions.stage(course, CH, staged)
    env = nbgrader_env()
    env.update(BACKPROP_CELL_TIMEOUT=str(TIMEOUT), BACKPROP_KERNEL_MEMORY=MEMORY)
    start = time.perf_counter()
    graded = subprocess.run(
        ["nbgrader", "autograde", CH, "--force", "--log-level=ERROR"]
        + [f"--CourseDirectory.submitted_directory={staged}"],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.perf_counter() - start
    run(["nbgrader", "export", "--log-level=ERROR"], course)
    return {
        "course": course,
        "staged": staged,
        "problems": problems,
        "autograde": graded,
        "seconds": seconds,
        "before": before,
        "after": hashes(course / "submitted"),
    }


def scores(course, student):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        submission = gb.find_submission_notebook(CH, CH, student)
        return {grade.name: grade.score for grade in submission.grades}


def full_marks():
    return nbs.points(nbs.load(nbs.notebook_path(CH, "source")))


def outputs(course, student, grade_id):
    nb = nbs.load(course / "autograded" / student / CH / f"{CH}.ipynb")
    return nbs.cell_by_id(nb, grade_id)["outputs"]


def test_the_batch_goes_on(batch):
    """Every gradable student is graded in one run that succeeds; the others are not run."""
    result = batch["autograde"]
    assert result.returncode == 0, result.stderr[-3000:]
    graded = {
        p.parent.parent.name for p in (batch["course"] / "autograded").glob(f"*/{CH}/*.ipynb")
    }
    expected = {s for s, found in batch["problems"].items() if submissions.gradable(found)}
    assert graded == expected
    assert {"invalid_json", "other_chapter", "missing"}.isdisjoint(graded)
    # the slowest case (the infinite loop) costs about one timeout, not the batch
    assert batch["seconds"] < 300


def test_submitted_files_are_never_modified(batch):
    assert batch["after"] == batch["before"]
    assert len(batch["before"]) >= 9


def test_runtime_warning_from_a_correct_solution_costs_nothing(batch):
    namespace = {"np": np}
    exec(WARNS, namespace)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        namespace["neuron_output"](np.ones(3), np.ones(3), 1.0)
    assert any(issubclass(w.category, RuntimeWarning) for w in caught), "the fixture must warn"
    assert scores(batch["course"], "warns") == full_marks()


def test_deleted_test_cell_is_put_back_and_graded(batch):
    submitted = nbs.load(batch["course"] / "submitted" / "deleted_test" / CH / f"{CH}.ipynb")
    assert "test_layer_output" not in nbs.points(submitted)
    assert scores(batch["course"], "deleted_test") == full_marks()


def test_infinite_loop_costs_that_exercise_only(batch):
    expected = dict(full_marks(), test_layer_output=0.0)
    assert scores(batch["course"], "infinite_loop") == expected
    errors = [o for o in outputs(batch["course"], "infinite_loop", "test_layer_output")]
    messages = [o.get("evalue", "") for o in errors if o["output_type"] == "error"]
    assert any(f"stopped after {TIMEOUT} s" in m for m in messages), messages


def test_memory_bomb_costs_those_exercises_only(batch):
    expected = dict(full_marks(), test_layer_output=0.0, test_batch_output=0.0)
    assert scores(batch["course"], "memory_bomb") == expected
    for grade_id in ("test_layer_output", "test_batch_output"):
        cell = outputs(batch["course"], "memory_bomb", grade_id)
        errors = [o["evalue"] for o in cell if o["output_type"] == "error"]
        assert any("MemoryError" in e for e in errors), errors
        assert any("memory a notebook may use while grading" in e for e in errors), errors


def test_megabytes_of_output_are_cut(batch):
    assert scores(batch["course"], "big_output") == full_marks()
    path = batch["course"] / "autograded" / "big_output" / CH / f"{CH}.ipynb"
    assert path.stat().st_size < 1_000_000
    assert "output truncated by the grader" in path.read_text(encoding="utf-8")


def test_renamed_notebook_is_graded_under_its_name(batch):
    (problem,) = batch["problems"]["renamed"]
    assert problem.gradable and "found dense.ipynb instead of 01_dense_layers.ipynb" in str(problem)
    assert scores(batch["course"], "renamed") == full_marks()


def test_cell_copied_from_another_notebook_does_not_fail_the_submission(batch):
    """nbgrader (with add_missing_cells) fails the whole submission on a foreign grade_id."""
    (problem,) = batch["problems"]["copied_cell"]
    assert problem.kind == "foreign" and "other_layer_dense" in str(problem)
    assert scores(batch["course"], "copied_cell") == full_marks()


def test_ungradable_submissions_say_why(batch):
    messages = {s: " ".join(map(str, p)) for s, p in batch["problems"].items()}
    assert f"{CH}.ipynb is not valid JSON (line 13 column 5" in messages["invalid_json"]
    assert f"is chapter {OTHER}'s notebook" in messages["other_chapter"]
    assert "no notebook submitted" in messages["missing"]
    assert "no notebook submitted" in str(submissions.inspect(batch["course"], CH, "nobody")[0])
    for student in ("warns", "deleted_test", "infinite_loop", "memory_bomb", "big_output"):
        assert batch["problems"][student] == []


def test_score_table_shows_reasons_instead_of_zero(batch):
    course = batch["course"]
    table = report.read_grades(course / "grades.csv")
    problems = report.collect_problems(course, table, [CH])
    text = report.format_table(table, [CH], problems)
    rows = {line.split()[0]: line for line in text.splitlines()[1:]}
    assert "invalid notebook *" in rows["invalid_json"]
    assert "wrong chapter *" in rows["other_chapter"]
    assert "missing *" in rows["missing"]
    assert "9/9 *" in rows["renamed"]
    assert rows["warns"].split()[1] == "9/9"
    listing = report.format_problems(problems)
    assert "invalid_json / 01_dense_layers: 01_dense_layers.ipynb is not valid JSON" in listing


def test_graded_test_cells_never_end_in_a_value(graded_course):
    """nbgrader scores a test cell by the value it ends with (False passes, 0.5 is half):
    in every autograded example, no graded cell produced a value."""
    checked = 0
    for path in sorted((graded_course / "autograded").glob("*/*/*.ipynb")):
        for cell in nbs.load(path)["cells"]:
            if cell["cell_type"] == "code" and nbs.nbgrader_meta(cell).get("grade"):
                kinds = [o["output_type"] for o in cell["outputs"]]
                assert "execute_result" not in kinds, f"{path}: {nbs.nbgrader_meta(cell)}"
                checked += 1
    assert checked


# Fast checks of the pieces, without nbgrader.


def test_sizes_parse():
    assert limits.parse_size("2G") == 2 * 2**30
    assert limits.parse_size("512m") == 512 * 2**20
    assert limits.parse_size("1.5GiB") == int(1.5 * 2**30)
    assert limits.parse_size("0") == 0
    with pytest.raises(ValueError):
        limits.parse_size("lots")


def test_configure_adds_to_other_settings_and_twice_changes_nothing():
    from traitlets.config import Config

    c = Config()
    c.Execute.extra_arguments = ["--Other.flag=1"]
    safety.configure(c, environ={})
    once = list(c.Execute.extra_arguments)
    safety.configure(c, environ={})
    assert c.Execute.extra_arguments == once and once[0] == "--Other.flag=1"
    names = [p.__name__ for p in c.Autograde.autograde_preprocessors]
    assert names.count("LimitOutputSize") == 1
    assert names.index("LimitOutputSize") == names.index("LimitOutput") + 1
    assert c.OverwriteCells.add_missing_cells is True
    assert c.IgnorePattern.enabled is True
    # nbgrader loads nbgrader_config.py twice and merges: nothing may end up twice
    loaded = Config()
    for _ in range(2):
        fresh = safety.configure(Config(), environ={})
        fresh.Execute.extra_arguments = fresh.Execute.extra_arguments + ["--Other.flag=1"]
        loaded.merge(fresh)
    assert loaded.Execute.extra_arguments == [*limits.kernel_arguments(2 * 2**30), "--Other.flag=1"]


def test_kernel_startup_code_compiles_and_warning_pattern_matches():
    code = limits.kernel_startup_code(2**31)
    compile(code, "<kernel startup>", "exec")
    import re

    stderr = "/tmp/ipykernel_1/2.py:3: RuntimeWarning: overflow encountered in exp\n  x = 1\n"
    assert re.search(safety.WARNING_PATTERN, stderr)
    assert not re.search(safety.WARNING_PATTERN, "Traceback (most recent call last):\n")


def test_limit_output_size_cuts_text():
    import nbformat

    cell = nbformat.v4.new_code_cell("print()")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="x" * 500),
        nbformat.v4.new_output("stream", name="stdout", text="y" * 500),
    ]
    limiter = LimitOutputSize(max_chars=600)
    cell, _ = limiter.preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].text == "x" * 500
    assert cell.outputs[1].text.startswith("y" * 100 + limits.TRUNCATED)


def test_inspect_names_each_problem(tmp_path):
    course = copy_course(tmp_path)
    folder = submissions.submission_dir(course, CH, "s")
    folder.mkdir(parents=True)
    assert submissions.inspect(course, CH, "s")[0].kind == "missing"
    (folder / f"{CH}.ipynb").write_text("")
    assert "is empty" in str(submissions.inspect(course, CH, "s")[0])
    (folder / f"{CH}.ipynb").write_text('{"a": 1}')
    assert "not a Jupyter notebook" in str(submissions.inspect(course, CH, "s")[0])
    correct = examples.filled(CH)
    nbs.save(correct, folder / f"{CH}.ipynb")
    nbs.save(correct, folder / "notes.ipynb")
    (problem,) = submissions.inspect(course, CH, "s")
    assert problem.kind == "extra" and problem.gradable
    (folder / f"{CH}.ipynb").unlink()
    nbs.save(correct, folder / "copy.ipynb")
    (problem,) = submissions.inspect(course, CH, "s")
    assert problem.kind == "ambiguous" and not problem.gradable
    assert sorted(p.name for p in folder.iterdir()) == ["copy.ipynb", "notes.ipynb"]
