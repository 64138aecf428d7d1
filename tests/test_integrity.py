"""Integrity: a cheating submission earns nothing for the exercise it cheats on, and says why.

Every trick is a realistic submission built from chapter 1's release notebook, solved, with
the cheat in batch_output's solution cell and a wrong batch_output (the biases are not
added), so that only the cheat could earn test_batch_output's points. Tricks that need a
real grading kernel and nbgrader's scoring are students of one scratch course, graded by
one `nbgrader autograde` run configured by nbgrader_config.py (kernel guard and seals):
each must score 0 on test_batch_output, full marks on every other test, and its autograded
notebook must say why. Tricks on the values a check receives run in-process, in a fresh
Python with the guard installed as in a grading kernel (tests/fixtures/integrity_runner.py).
"""

import ast
import json
import re
import shutil
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, nbgrader_env, run

from autograder import examples, seal
from autograder import notebooks as nbs

CHAPTER = "01_dense_layers"
EXERCISE, TEST = "batch_output", "test_batch_output"
WRONG = "def batch_output(inputs, weights, biases):\n    return inputs @ weights\n"
RUNNER = ROOT / "tests" / "fixtures" / "integrity_runner.py"


def cheat(code, wrong=WRONG):
    return textwrap.dedent(code).lstrip() + "\n" + wrong


FAKE_PASS = (
    "Hidden tests passed: batch_output matches the reference on fresh random shapes, "
    "including one sample."
)

# student: (solution cell of batch_output, message the autograded notebook must show)
GRADED = {
    "cheat_numpy_patched": (
        cheat("""
            import numpy as np
            np.allclose = lambda *args, **kwargs: True
            np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
            np.testing.assert_allclose = lambda *args, **kwargs: None
            np.abs = np.absolute = lambda x: np.zeros(np.shape(x))
            np.all = lambda *args, **kwargs: True
        """),
        r"numpy\.allclose was replaced",
    ),
    "cheat_builtins_patched": (
        cheat("""
            import builtins
            builtins.abs = lambda x: 0
            builtins.max = builtins.min = lambda *args, **kwargs: 0
            builtins.all = lambda *args: True
            builtins.any = lambda *args: False
        """),
        r"builtins\.(abs|max|min|all|any) was replaced",
    ),
    "cheat_builtins_breaking_the_kernel": (
        # the kernel's own threads call isinstance too: the guard puts it back after the cell
        cheat("import builtins\nbuiltins.isinstance = lambda obj, cls: True\n"),
        r"builtins\.isinstance was replaced",
    ),
    "cheat_fake_grader_module": (
        cheat(f"""
            import sys, types
            fake = types.ModuleType("autograder.hidden.dense_layers")
            fake.check_batch_output = lambda fn: print({FAKE_PASS!r})
            sys.modules["autograder.hidden.dense_layers"] = fake
        """),
        r"put its own autograder\.hidden\.dense_layers into sys\.modules",
    ),
    "cheat_meta_path_finder": (
        cheat(f"""
            import importlib.machinery, sys

            class FakeGrader:
                def find_spec(self, name, path=None, target=None):
                    if name == "autograder" or name.startswith("autograder."):
                        return importlib.machinery.ModuleSpec(name, self, is_package=True)

                def create_module(self, spec):
                    return None

                def exec_module(self, module):
                    module.__path__ = []
                    module.check_batch_output = lambda fn: print({FAKE_PASS!r})

            sys.meta_path.insert(0, FakeGrader())
        """),
        r"sys\.meta_path was changed",
    ),
    "cheat_shadow_files": (
        # with autograder/ and numpy.py submitted next to the notebook (see EXTRA_FILES)
        cheat("""
            import importlib, os, sys
            sys.path.insert(0, os.getcwd())
            importlib.invalidate_caches()
        """),
        r"batch_output is wrong[\s\S]*Likely cause: the biases are not added",
    ),
    "cheat_silenced_errors": (
        cheat("""
            import sys
            ip = get_ipython()
            ip.set_custom_exc((BaseException,), lambda *args, **kwargs: None)
            ip.showtraceback = lambda *args, **kwargs: None
            ip._showtraceback = lambda *args, **kwargs: None
            sys.excepthook = lambda *args: None
        """),
        r"IPython's (\w+\.)?(showtraceback|_showtraceback|custom_exceptions|CustomTB) was",
    ),
    "cheat_hijacked_kernel": (
        # test cells run a printed imitation of a pass, with a forged seal, instead (and the
        # guard's after-cell check is unregistered first, so only the seal stands in the way)
        cheat(f"""
            ip = get_ipython()
            ip.events.callbacks["post_execute"].clear()
            run_cell_async = ip.run_cell_async
            FAKE = "print(" + repr({FAKE_PASS!r} + " [seal check_batch_output:" + "0" * 32 + "]") + ")"

            async def skip_tests(raw_cell, *args, **kwargs):
                if "autograder.hidden" in raw_cell:
                    raw_cell = kwargs["transformed_cell"] = FAKE
                return await run_cell_async(raw_cell, *args, **kwargs)

            ip.run_cell_async = skip_tests
        """),
        r"did not report a pass \(check_batch_output\)",
    ),
    "cheat_displayhook_score": (
        # nbgrader reads an execute_result before the error as partial credit (2 = full)
        "import sys\n\n\ndef batch_output(inputs, weights, biases):\n"
        "    sys.displayhook(2)\n    return inputs @ weights\n",
        r"its displayed value is not a score",
    ),
    "cheat_os_exit": (
        "import os\n\n\ndef batch_output(inputs, weights, biases):\n    os._exit(0)\n",
        r"os\._exit\(\)",
    ),
    "cheat_exit_calls": (
        # sys.exit() when graded, and exit() in the cell (it would end the kernel)
        "import sys\n\n\ndef batch_output(inputs, weights, biases):\n    sys.exit(0)\n\n\nexit()\n",
        r"raised SystemExit",
    ),
    "cheat_reference_import": (
        "from autograder.reference.dense import batch_output\n",
        r"imported the grader \(autograder\.reference\.dense\)",
    ),
    "cheat_reference_source": (
        cheat(
            """
            import os
            root = os.environ["PYTHONPATH"].split(os.pathsep)[0]
            with open(os.path.join(root, "autograder", "reference", "dense.py")) as f:
                source = f.read()
            namespace = {}
            exec(source, namespace)
            batch_output = namespace["batch_output"]
            """,
            wrong="",
        ),
        r"read the grader's files \(autograder/reference/dense\.py\)",
    ),
    "cheat_edited_test_cell": (
        # and the test cell replaced by `pass` (see EDITED_TESTS)
        WRONG,
        r"batch_output is wrong",
    ),
}
EXTRA_FILES = {
    "cheat_shadow_files": {
        "autograder/__init__.py": "",
        "autograder/hidden/__init__.py": "",
        "autograder/hidden/dense_layers.py": (
            "def check_batch_output(fn):\n    print('Hidden tests passed.')\n"
        ),
        "numpy.py": "raise SystemExit('a fake numpy was imported')\n",
    }
}
EDITED_TESTS = {"cheat_edited_test_cell": {TEST: "pass\n"}}


def build_submissions(course):
    """submitted/<student>/01_dense_layers/ for every trick in GRADED."""
    for student, (code, _) in GRADED.items():
        nb = examples.filled(CHAPTER, {EXERCISE: code}, root=course)
        for grade_id, source in EDITED_TESTS.get(student, {}).items():
            nbs.cell_by_id(nb, grade_id)["source"] = source
        folder = course / "submitted" / student / CHAPTER
        nbs.save(nb, folder / f"{CHAPTER}.ipynb")
        for relative, text in EXTRA_FILES.get(student, {}).items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)


@pytest.fixture(scope="module")
def cheat_course(graded_course, tmp_path_factory):
    """A copy of the graded course (its release and gradebook) whose students are the
    tricks above, all autograded by one nbgrader run."""
    course = tmp_path_factory.mktemp("integrity")
    for name in ("nbgrader_config.py", "gradebook.db"):
        shutil.copy(graded_course / name, course / name)
    for folder in ("source", "release", "autograder", "course"):
        shutil.copytree(graded_course / folder, course / folder)
    build_submissions(course)
    run(["nbgrader", "autograde", CHAPTER, "--force", "--log-level=ERROR"], course)
    return course


def scores(course, student):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        submission = gb.find_submission_notebook(CHAPTER, CHAPTER, student)
        return {grade.name: grade.auto_score for grade in submission.grades}


def cell_text(course, student, grade_id):
    """Everything the autograded cell shows: outputs, error messages, tracebacks."""
    nb = nbs.load(nbs.notebook_path(CHAPTER, f"autograded/{student}", course))
    parts = []
    for output in nbs.cell_by_id(nb, grade_id).get("outputs", []):
        text = output.get("text") or output.get("data", {}).get("text/plain") or ""
        parts.append(text if isinstance(text, str) else "".join(text))
        parts.append(output.get("evalue", ""))
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(parts))


@pytest.mark.slow
@pytest.mark.parametrize("student", sorted(GRADED))
def test_trick_earns_nothing_and_says_why(cheat_course, student):
    points = nbs.points(nbs.load(nbs.notebook_path(CHAPTER, "source", ROOT)))
    expected = {test: (0.0 if test == TEST else p) for test, p in points.items()}
    assert scores(cheat_course, student) == expected
    text = cell_text(cheat_course, student, TEST)
    assert re.search(GRADED[student][1], text), text[-2000:]


@pytest.mark.slow
def test_edited_test_cell_is_restored(cheat_course):
    text = cell_text(cheat_course, "cheat_edited_test_cell", TEST)
    assert "check_batch_output(batch_output)" in nbs.source_text(
        nbs.cell_by_id(
            nbs.load(nbs.notebook_path(CHAPTER, "autograded/cheat_edited_test_cell", cheat_course)),
            TEST,
        )
    )
    assert "Likely cause: the biases are not added" in text


@pytest.mark.slow
def test_valid_seals_are_not_shown_to_students(cheat_course):
    text = cell_text(cheat_course, "cheat_numpy_patched", "test_layer_output")
    assert "Hidden tests passed: layer_output" in text
    assert "[seal" not in text


# -- in-process: the values a check receives --------------------------------------------------

IN_PROCESS = {
    "hardcoded_visible_answer": (
        "import numpy as np\n\n\ndef batch_output(inputs, weights, biases):\n"
        "    return np.array([[4.8, 1.21, 2.385], [8.9, -1.81, 0.2], [1.41, 1.051, 0.026]])\n",
        r"batch_output is wrong",
    ),
    "always_equal": (
        textwrap.dedent("""
            class AlwaysEqual:
                shape = ndim = size = property(lambda self: self)
                __eq__ = __le__ = __ge__ = lambda self, other: True
                __ne__ = __lt__ = __gt__ = lambda self, other: False
                __abs__ = __neg__ = __sub__ = __rsub__ = __getitem__ = lambda self, *a: self
                __float__ = lambda self: 0.0
                __bool__ = lambda self: True
                __len__ = lambda self: 1
                __iter__ = lambda self: iter([self])


            def batch_output(inputs, weights, biases):
                return AlwaysEqual()
        """),
        r"batch_output should be a NumPy array or a number, got AlwaysEqual",
    ),
    "lying_array_subclass": (
        # memory holds the wrong answer; every method and protocol reports the right one
        textwrap.dedent("""
            import numpy as np


            class Liar(np.ndarray):
                def __array_finalize__(self, obj):
                    self.truth = getattr(obj, "truth", None)

                def __array__(self, dtype=None, copy=None):
                    return np.asarray(self.truth, dtype=dtype)

                def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
                    inputs = [x.truth if isinstance(x, Liar) else x for x in inputs]
                    return getattr(ufunc, method)(*inputs, **kwargs)

                def __array_function__(self, func, types, args, kwargs):
                    args = [x.truth if isinstance(x, Liar) else x for x in args]
                    return func(*args, **kwargs)

                def view(self, *args, **kwargs):
                    return self.truth.view(*args, **kwargs)

                def astype(self, *args, **kwargs):
                    return self.truth.astype(*args, **kwargs)

                def tolist(self):
                    return self.truth.tolist()

                def tobytes(self, *args):
                    return self.truth.tobytes(*args)

                def __float__(self):
                    return float(self.truth)

                def __eq__(self, other):
                    return np.ones(self.shape, dtype=bool)

                def __getitem__(self, index):
                    return self.truth[index]


            def batch_output(inputs, weights, biases):
                wrong = np.asarray(inputs @ weights, dtype=np.float64)
                liar = wrong.view(Liar)
                liar.truth = inputs @ weights + biases
                return liar
        """),
        r"batch_output is wrong",
    ),
    "lying_dtype": (
        textwrap.dedent("""
            import numpy as np


            class Anything:
                __eq__ = lambda self, other: True
                __float__ = lambda self: 0.0


            class FloatLooking(np.ndarray):
                dtype = np.dtype("float64")


            def batch_output(inputs, weights, biases):
                out = np.empty((len(inputs), weights.shape[1]), dtype=object)
                out[...] = Anything()
                return out.view(FloatLooking)
        """),
        r"should hold numbers, got an array of dtype object",
    ),
    "keyboard_interrupt": (
        "def batch_output(inputs, weights, biases):\n    raise KeyboardInterrupt\n",
        r"raised KeyboardInterrupt",
    ),
    "reference_through_importlib": (
        "import importlib\n\n\ndef batch_output(inputs, weights, biases):\n"
        "    ref = importlib.import_module('autograder.reference.dense')\n"
        "    return ref.batch_output(inputs, weights, biases)\n",
        r"called the grader's own code \(autograder\.reference\.dense\.batch_output\)",
    ),
    "reference_in_a_thread": (
        "import importlib, threading\n\n\ndef batch_output(inputs, weights, biases):\n"
        "    result = []\n"
        "    ref = importlib.import_module('autograder.reference.dense')\n"
        "    worker = threading.Thread(\n"
        "        target=lambda: result.append(ref.batch_output(inputs, weights, biases))\n"
        "    )\n"
        "    worker.start()\n    worker.join()\n    return result[0]\n",
        r"called the grader's own code",
    ),
    "patch_reference_during_the_call": (
        # climb to the check's frame and make the reference agree with the wrong answer
        "import sys\n\n\ndef batch_output(inputs, weights, biases):\n"
        "    frame = sys._getframe(1)\n"
        "    while 'ref' not in frame.f_globals:\n        frame = frame.f_back\n"
        "    frame.f_globals['ref'].batch_output = lambda i, w, b: i @ w\n"
        "    return inputs @ weights\n",
        r"grader's own modules were modified",
    ),
    "write_outside_own_folder": (
        cheat("""
            import os
            root = os.environ["PYTHONPATH"].split(os.pathsep)[0]
            with open(os.path.join(root, "integrity_probe.txt"), "w") as f:
                f.write("grades")
        """),
        r"wrote to integrity_probe\.txt, outside its own folder",
    ),
    "ctypes_memory": (
        cheat("""
            import ctypes
            ctypes.memmove(ctypes.create_string_buffer(8), b"12345678", 8)
        """),
        r"used ctypes",
    ),
}


def run_in_process(variants, mode):
    """{name: {test_id: (passed, message)}}; variants: {name: (code, _, [exercise])}."""
    request = {
        name: {"exercise": EXERCISE if len(v) < 3 else v[2], "code": v[0]}
        for name, v in variants.items()
    }
    result = subprocess.run(
        [sys.executable, str(RUNNER), CHAPTER, mode],
        input=json.dumps(request),
        cwd=ROOT,
        env={**nbgrader_env(), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def guarded():
    probe = ROOT / "integrity_probe.txt"
    try:
        return run_in_process(
            {**IN_PROCESS, "property_liar": (PROPERTY_LIAR, "", "layer_dense")}, "guard"
        )
    finally:
        written = probe.exists()
        probe.unlink(missing_ok=True)
        assert not written, "the guard let the notebook write into the course root"


def test_guard_keeps_correct_solutions_passing(guarded):
    assert guarded["__baseline__"] == {}


@pytest.mark.parametrize("trick", sorted(IN_PROCESS))
def test_in_process_trick_fails_with_reason(guarded, trick):
    ((passed, message),) = guarded[trick].values()
    assert not passed
    assert re.search(IN_PROCESS[trick][1], message), message


PROPERTY_LIAR = """
import numpy as np


class Layer_Dense:
    def __init__(self, n_inputs, n_neurons):
        self._weights = 0.01 * np.random.randn(n_inputs, n_neurons)
        self.biases = np.zeros((1, n_neurons))

    @property
    def weights(self):  # once forward ran, the weights read back are zeros
        return np.zeros_like(self._weights) if hasattr(self, "output") else self._weights

    @weights.setter
    def weights(self, value):
        self._weights = value

    def forward(self, inputs):
        self.output = np.zeros((len(inputs), self._weights.shape[1])) + self.biases
"""


def test_check_does_not_trust_attributes_read_back_from_student_objects(guarded):
    passed, message = guarded["property_liar"]["test_layer_dense_forward"]
    assert "Hidden tests passed: Layer_Dense.forward" not in message


# Without the guard (e.g. an instructor's JupyterLab), core's own checks still refuse these.
WITHOUT_GUARD = {
    **{k: IN_PROCESS[k] for k in ("always_equal", "lying_array_subclass", "lying_dtype")},
    "reference_imported": (
        "from autograder.reference.dense import batch_output\n",
        r"is the grader's own code \(autograder\.reference\.dense\.batch_output\)",
    ),
    "reference_wrapped": (
        "from autograder.reference import dense\n\n\ndef batch_output(inputs, weights, biases):\n"
        "    return dense.batch_output(inputs, weights, biases)\n",
        r"called the grader's own code \(autograder\.reference\.dense\.batch_output\)",
    ),
    "numpy_patched": (
        cheat("import numpy as np\nnp.allclose = lambda *args, **kwargs: True\n"),
        r"numpy\.allclose was replaced",
    ),
    "builtins_patched": (
        cheat("import builtins\nbuiltins.abs = lambda x: 0\n"),
        r"builtins\.abs was replaced",
    ),  # the last two stay patched (nothing restores them without the guard): keep them last
}


def test_without_the_guard_core_still_refuses():
    results = run_in_process(WITHOUT_GUARD, "noguard")
    assert results.pop("__baseline__") == {}
    for trick, outcome in results.items():
        ((passed, message),) = outcome.values()
        assert not passed, trick
        assert re.search(WITHOUT_GUARD[trick][1], message), (trick, message)


# -- the seal ---------------------------------------------------------------------------------


def test_seal_depends_on_key_check_and_cell():
    key, other = b"k" * 32, b"o" * 32
    cell = "from autograder.hidden.x import check_a\n\ncheck_a(a)\n"
    token = seal.seal(key, "check_a", cell)
    assert token == seal.seal(key, "check_a", cell + "   \n")  # trailing spaces ignored
    assert token != seal.seal(other, "check_a", cell)
    assert token != seal.seal(key, "check_b", cell)
    assert token != seal.seal(key, "check_a", cell.replace("(a)", "(b)"))


def test_every_test_cell_calls_checks_the_seal_can_name():
    """Each hidden-test cell of every chapter calls at least one check_* (what its seals
    name), and every check_* reaches core.passed, which prints the seal."""
    for chapter in nbs.chapters(ROOT):
        nb = nbs.load(nbs.notebook_path(chapter, "source", ROOT))
        for tests in nbs.exercises(nb).values():
            for test_id in tests:
                source = nbs.source_text(nbs.cell_by_id(nb, test_id))
                if "autograder.hidden" in source:
                    assert seal.required_checks(source), f"{chapter}/{test_id} calls no check_*"
    for path in sorted((ROOT / "autograder" / "hidden").glob("*.py")):
        functions = {
            node.name: node
            for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.FunctionDef)
        }
        for name in functions:
            if name.startswith("check_"):
                assert _reaches_passed(functions, name, set()), f"{path.name}: {name}"


def _reaches_passed(functions, name, seen):
    """Whether module-level function `name` calls *.passed(), directly or through others."""
    seen.add(name)
    for node in ast.walk(functions[name]):
        if isinstance(node, ast.Call):
            callee = node.func
            if isinstance(callee, ast.Attribute) and callee.attr == "passed":
                return True
            if isinstance(callee, ast.Name) and callee.id in functions and callee.id not in seen:
                if _reaches_passed(functions, callee.id, seen):
                    return True
    return False


# -- nnfs.init() or not: core never relies on what it patches -----------------------------------

NNFS_SCRIPT = """
import sys
import numpy as np
import nnfs
from autograder import core

if sys.argv[1] == "nnfs":
    nnfs.init()
    assert np.zeros(2).dtype == np.float32  # the patches are active
rng = core.fresh_rng()
inputs, weights = rng.normal(size=(5, 3)), rng.normal(size=(3, 4))
biases = rng.normal(size=(1, 4))
assert inputs.dtype == np.float64
expected = inputs @ weights + biases
float32 = lambda i, w, b: (i.astype(np.float32) @ w.astype(np.float32) + b).astype(np.float32)
with_dot = lambda i, w, b: np.dot(i, w) + b  # float32 under nnfs.init()
for solution in (float32, with_dot):
    got = core.call_student(solution, inputs, weights, biases, label="batch_output")
    core.expect_close("batch_output", got, expected)  # float32 rounding is accepted
try:
    core.expect_close("batch_output", got[:, ::-1], expected)
except core.GradingError as error:
    assert "batch_output is wrong" in str(error)
else:
    raise AssertionError("a wrong answer passed")
assert core.as_plain_array("x", np.float32(2)).dtype == np.float64
core.passed("nnfs check")
"""


def test_core_never_calls_what_nnfs_patches():
    """np.dot, np.zeros, np.eye and np.random.randn are float32 after nnfs.init()."""
    patched = {("np", "dot"), ("np", "zeros"), ("np", "eye"), ("random", "randn")}
    for path in (ROOT / "autograder" / "core.py", ROOT / "autograder" / "guard.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name | ast.Attribute):
                owner = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
                assert (owner, node.attr) not in patched, f"{path.name}:{node.lineno}"


@pytest.mark.parametrize("state", ["nnfs", "plain"])
def test_core_with_and_without_nnfs_init(state):
    result = subprocess.run(
        [sys.executable, "-c", NNFS_SCRIPT, state],
        cwd=ROOT,
        env={**nbgrader_env(), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Hidden tests passed: nnfs check." in result.stdout
