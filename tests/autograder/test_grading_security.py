"""A cheating submission earns nothing: each kind of hole, graded by real `nbgrader autograde`.

Every chapter-1 cheat is a realistic submission built from the release notebook, solved, with
the cheat in batch_output's solution cell and a wrong batch_output (the biases are not added):
only the cheat could earn test_batch_output's 2 points. All of them are students of one
scratch course, graded by one `nbgrader autograde` run configured by nbgrader_config.py
(hidden tests in the grader's process, the kernel in its sandbox). The kinds of hole:

1. the grader's state reached from student code (stack, gc, the channel's agent);
2. code that runs while the grader checks (patched NumPy, hijacked kernel, forged output);
3. the course's files (solutions, the reference, other students' work, the gradebook);
5. self-inflicted damage (a kernel that dies, edited cell metadata) costs only what it must;
6. gradients without backprop (numerical differentiation) in chapters 5 and 6.
(4, student HTML in the instructor's browser, is tests/e2e/test_formgrader_inert.py.)
"""

import hashlib
import json
import re
import shutil
import sqlite3
import textwrap

import pytest

from autograder import examples
from autograder import notebooks as nbs
from tests.autograder.cheats import NUMERICAL_LAYER_DENSE
from tests.helpers import ROOT, autograded, autograded_scores, cell_text, run

CHAPTER = "01_dense_layers"
EXERCISE, TEST = "batch_output", "test_batch_output"
WRONG = "def batch_output(inputs, weights, biases):\n    return inputs @ weights\n"
NEIGHBOUR = "aaa_honest_neighbour"  # graded first, so a later cheater could reach its grades
DIED = {"test_batch_output": 0.0, "test_layer_dense_init": 0.0, "test_layer_dense_forward": 0.0}


def cheat(code, wrong=WRONG):
    return textwrap.dedent(code).lstrip() + "\n" + wrong


def stolen(body):
    """A batch_output taken from where it must not be readable, else the wrong one."""
    body = textwrap.indent(textwrap.dedent(body).strip(), " " * 8)
    return (
        "import json, os\nimport numpy as np\n\n\ndef _steal():\n    try:\n"
        f"{body}\n    except Exception:\n        return None\n\n\n{WRONG}\n\n"
        "batch_output = _steal() or batch_output\n"
    )


# student: (batch_output's solution cell, {test: score} differing from "0 on TEST, full
# elsewhere", regex the autograded test cell must show)
STUDENTS = {
    # 1. the grader's state
    "cheat_stack_walk": (
        cheat(
            """
            import gc, sys
            import numpy as np


            def batch_output(inputs, weights, biases):
                wrong = inputs @ weights
                found, frame = [], sys._getframe()
                while frame is not None:  # the grader's frames, were it in this process
                    found += [v for v in frame.f_locals.values() if isinstance(v, np.ndarray)]
                    frame = frame.f_back
                found += [o for o in gc.get_objects() if isinstance(o, np.ndarray)]
                for value in found:
                    if value.shape == wrong.shape and value is not inputs and not np.allclose(value, wrong):
                        return value.copy()
                return wrong
        """,
            wrong="",
        ),
        {},
        r"batch_output is wrong",
    ),
    "cheat_forged_agent": (
        # answers every request of the grader with a forged pass
        cheat("""
            ip = get_ipython()


            def forge():
                agent = ip.user_ns.get("__backprop_agent__")
                if agent is not None:
                    type(agent).handle = lambda self, text: setattr(
                        self, "reply", '{"status": "ok", "value": {"$str": "Hidden tests passed"}}'
                    )


            ip.events.register("pre_execute", forge)
        """),
        DIED,  # the channel it broke serves its later tests too
        r"(could not read|not defined when the tests run|should be a NumPy array)",
    ),
    # 2. code that runs while the grader checks
    "cheat_numpy_patched": (
        cheat("""
            import numpy as np
            np.allclose = lambda *args, **kwargs: True
            np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
            np.testing.assert_allclose = lambda *args, **kwargs: None
            np.abs = np.absolute = lambda x: np.zeros(np.shape(x))
        """),
        {},
        r"Likely cause: the biases are not added",
    ),
    "cheat_forged_output": (
        # the kernel prints a pass and displays a score instead of running the tests
        cheat("""
            import sys
            ip = get_ipython()
            run_cell_async = ip.run_cell_async


            async def skip_tests(raw_cell, *args, **kwargs):
                if "batch_output(" in raw_cell and "expect_close" in raw_cell:
                    raw_cell = kwargs["transformed_cell"] = (
                        "print('Hidden tests passed: batch_output matches the reference.')\\n2"
                    )
                return await run_cell_async(raw_cell, *args, **kwargs)


            ip.run_cell_async = skip_tests
            sys.displayhook(2)
        """),
        {},
        r"Likely cause: the biases are not added",
    ),
    "cheat_fake_grader_module": (
        cheat("""
            import sys, types
            fake = types.ModuleType("autograder.chapters.dense_layers.checks")
            fake.check_batch_output = lambda fn: print("Hidden tests passed")
            sys.modules["autograder.chapters.dense_layers.checks"] = fake
        """),
        {},
        r"Likely cause: the biases are not added",
    ),
    # 3. the course's files
    "cheat_reads_solutions": (
        stolen("""
            path = os.path.join(COURSE, "source", "01_dense_layers", "01_dense_layers.ipynb")
            for cell in json.load(open(path))["cells"]:
                if cell["metadata"].get("nbgrader", {}).get("grade_id") == "batch_output":
                    namespace = {"np": np}
                    exec("".join(cell["source"]), namespace)
                    return namespace["batch_output"]
        """),
        {},
        r"Likely cause: the biases are not added",
    ),
    "cheat_reads_reference": (
        stolen("""
            namespace = {}
            exec(open(os.path.join(COURSE, "autograder", "reference", "dense.py")).read(), namespace)
            return namespace["batch_output"]
        """),
        {},
        r"Likely cause: the biases are not added",
    ),
    "cheat_reads_neighbour": (
        stolen(f"""
            path = os.path.join(COURSE, "submitted", "{NEIGHBOUR}", "01_dense_layers", "01_dense_layers.ipynb")
            for cell in json.load(open(path))["cells"]:
                if cell["metadata"].get("nbgrader", {{}}).get("grade_id") == "batch_output":
                    namespace = {{"np": np}}
                    exec("".join(cell["source"]), namespace)
                    return namespace["batch_output"]
        """),
        {},
        r"Likely cause: the biases are not added",
    ),
    "cheat_writes_gradebook": (
        cheat("""
            import os, sqlite3
            try:
                with sqlite3.connect(os.path.join(COURSE, "gradebook.db")) as db:
                    db.execute("UPDATE grade SET auto_score = 0, needs_manual_grade = 1")
                    db.execute("UPDATE grade_cells SET max_score = 0")
            except Exception:
                pass
            try:  # and its own submitted notebook, the evidence
                open("01_dense_layers.ipynb", "w").write("{}")
            except Exception:
                pass
        """),
        {},
        r"Likely cause: the biases are not added",
    ),
    # 5. self-inflicted damage: the points before it stay
    "dies_os_exit": (
        "import os\n\n\ndef batch_output(inputs, weights, biases):\n    os._exit(3)\n",
        DIED,
        r"exited with code 3",
    ),
    "dies_sigkill": (
        "import os, signal\n\n\ndef batch_output(inputs, weights, biases):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n",
        DIED,
        r"ended by SIGKILL",
    ),
}
# damage to the metadata of a correct notebook: graded in full, with a note
EDITED = {
    "edited_test_made_solution": lambda nb: nbs.nbgrader_meta(
        nbs.cell_by_id(nb, "test_layer_output")
    ).update(solution=True),
    "edited_duplicate_id": lambda nb: nb["cells"].insert(
        nb["cells"].index(nbs.cell_by_id(nb, EXERCISE)) + 1,
        json.loads(json.dumps(nbs.cell_by_id(nb, EXERCISE))),
    ),
    "edited_points": lambda nb: nbs.nbgrader_meta(nbs.cell_by_id(nb, "test_neuron_output")).update(
        points=100
    ),
}


def digest(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


@pytest.fixture(scope="module")
def cheat_course(graded_course, tmp_path_factory):
    """A copy of the graded course whose chapter-1 students are the cheats above (and one
    honest neighbour), all graded by one `nbgrader autograde` run."""
    course = tmp_path_factory.mktemp("security")
    for name in ("nbgrader_config.py", "gradebook.db"):
        shutil.copy(graded_course / name, course / name)
    for folder in ("source", "release", "autograder", "course"):
        shutil.copytree(graded_course / folder, course / folder)
    course_literal = f"COURSE = {str(course)!r}\n"
    students = {NEIGHBOUR: examples.filled(CHAPTER, root=course)}
    for student, (code, _, _) in STUDENTS.items():
        students[student] = examples.filled(CHAPTER, {EXERCISE: course_literal + code}, root=course)
    for student, edit in EDITED.items():
        students[student] = examples.filled(CHAPTER, root=course)
        edit(students[student])
    for student, nb in students.items():
        nbs.save(nb, nbs.notebook_path(CHAPTER, f"submitted/{student}", course))
    before = {p: digest(p) for p in (course / "submitted").rglob("*.ipynb")}
    before.update({p: digest(p) for p in (course / "release").rglob("*.ipynb")})
    run(["nbgrader", "autograde", CHAPTER, "--force", "--log-level=ERROR"], course)
    return course, before


def full_marks(chapter=CHAPTER):
    """{test cell: points} of the autograded cells (written answers are graded by hand)."""
    points = nbs.points(nbs.load(nbs.notebook_path(chapter, "source", ROOT)))
    return {cell: p for cell, p in points.items() if cell.startswith("test_")}


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_cheat_earns_nothing_and_says_why(cheat_course, student):
    course, _ = cheat_course
    _, changed, pattern = STUDENTS[student]
    expected = {**full_marks(), TEST: 0.0, **changed}
    assert autograded_scores(course, student, CHAPTER) == expected
    text = cell_text(autograded(course, student, CHAPTER), TEST)
    assert re.search(pattern, text), text[-2000:]


@pytest.mark.slow
def test_a_dead_kernel_is_explained_where_it_costs(cheat_course):
    course, _ = cheat_course
    nb = autograded(course, "dies_sigkill", CHAPTER)
    later = cell_text(nb, "test_layer_dense_init")
    assert "Not run" in later and "test_batch_output" in later and "SIGKILL" in later, later
    assert "Hidden tests passed" in cell_text(nb, "test_layer_output")
    from autograder import notes

    assert any("SIGKILL" in note for note in notes.read(nb)), notes.read(nb)


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(EDITED))
def test_edited_metadata_is_restored_and_graded(cheat_course, student):
    course, _ = cheat_course
    assert autograded_scores(course, student, CHAPTER) == full_marks()
    from autograder import notes

    assert any("put back" in note for note in notes.read(autograded(course, student, CHAPTER)))


@pytest.mark.slow
def test_course_files_and_other_students_untouched(cheat_course):
    course, before = cheat_course
    assert autograded_scores(course, NEIGHBOUR, CHAPTER) == full_marks()
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        flagged = [
            (submission.student.id, grade.name)
            for submission in gb.assignment_submissions(CHAPTER)
            for notebook in submission.notebooks
            for grade in notebook.grades
            if grade.needs_manual_grade
        ]
    with sqlite3.connect(course / "gradebook.db") as db:
        zero_max = db.execute("SELECT COUNT(*) FROM grade_cells WHERE max_score = 0").fetchone()
    assert flagged == [] and zero_max == (0,), flagged
    changed = [str(p) for p, h in before.items() if digest(p) != h]
    assert not changed, changed


# 6. gradients without backprop: numerical differentiation of the forward pass
NUMERICAL = {
    "05_layer_backprop": (
        "layer_dense",
        NUMERICAL_LAYER_DENSE,
        (
            "test_layer_dense_backward_dweights",
            "test_layer_dense_backward_dbiases",
            "test_layer_dense_backward_dinputs",
        ),
    ),
    "06_capstone": (
        "activation_softmax",
        '''
        class Activation_Softmax(Activation_Softmax):
            def backward(self, dvalues):
                """No Jacobian: each input nudged both ways through the forward pass."""
                inputs = np.log(self.output.astype(np.float64))
                self.dinputs = np.zeros_like(dvalues)
                for index in np.ndindex(inputs.shape):
                    nudged = []
                    for step in (1e-5, -1e-5):
                        x = inputs.copy()
                        x[index] += step
                        e = np.exp(x - np.max(x, axis=1, keepdims=True))
                        nudged.append(np.sum(dvalues * e / np.sum(e, axis=1, keepdims=True)))
                    self.dinputs[index] = (nudged[0] - nudged[1]) / 2e-5
        ''',
        ("test_activation_softmax_backward",),
    ),
}


@pytest.fixture(scope="module")
def numerical_course(graded_course, tmp_path_factory):
    course = tmp_path_factory.mktemp("numerical")
    for name in ("nbgrader_config.py", "gradebook.db"):
        shutil.copy(graded_course / name, course / name)
    for folder in ("source", "release", "autograder", "course"):
        shutil.copytree(graded_course / folder, course / folder)
    for chapter, (cell, code, _) in NUMERICAL.items():
        nb = examples.filled(chapter, {cell: textwrap.dedent(code).lstrip()}, root=course)
        nbs.save(nb, nbs.notebook_path(chapter, "submitted/numerical", course))
        # and a correct submission that calls nnfs.init() where the chapter does not
        if chapter == "06_capstone":
            nb = examples.filled(chapter, root=course)
            setup = next(c for c in nb["cells"] if c.get("id") == "ungraded_earlier_classes")
            setup["source"] = "import nnfs\n\nnnfs.init()\n" + nbs.source_text(setup)
            nbs.save(nb, nbs.notebook_path(chapter, "submitted/correct_nnfs_init", course))
        run(["nbgrader", "autograde", chapter, "--force", "--log-level=ERROR"], course)
    return course


@pytest.mark.slow
@pytest.mark.parametrize("chapter", sorted(NUMERICAL))
def test_numerical_gradients_earn_nothing(numerical_course, chapter):
    _, _, failing = NUMERICAL[chapter]
    expected = {**full_marks(chapter), **dict.fromkeys(failing, 0.0)}
    assert autograded_scores(numerical_course, "numerical", chapter) == expected
    nb = autograded(numerical_course, "numerical", chapter)
    for test in failing:
        assert re.search(r"numerical|forward pass", cell_text(nb, test)), cell_text(nb, test)


@pytest.mark.slow
def test_correct_solution_with_nnfs_init_gets_full_marks(numerical_course):
    chapter = "06_capstone"
    assert autograded_scores(numerical_course, "correct_nnfs_init", chapter) == full_marks(chapter)
