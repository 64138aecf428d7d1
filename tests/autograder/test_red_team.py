"""Attacks a red-team pass found against the new grader, kept as regression tests: each grades a
cheating submission with real `nbgrader autograde` (or runs the copying code) and asserts that
it earns nothing, leaks nothing and costs only its owner. Each failed before its fix."""

import os

import pytest

from autograder import examples
from autograder import notebooks as nbs
from tests.autograder.cheats import FAST_NUMERICAL_LAYER_DENSE, NUMERICAL_LAYER_DENSE
from tests.helpers import autograded_scores, copy_course, run

LAYER_CHAPTER = "05_layer_backprop"

DENSE_TESTS = (
    "test_layer_dense_backward_dweights",
    "test_layer_dense_backward_dbiases",
    "test_layer_dense_backward_dinputs",
)


# backprop.expect_backprop_cost times the call on the large case and RETURNS its result; no
# check looked at it (layer_backprop's _check_dense_cost and check_layer_gradients, and the
# capstone's backward checks discarded it; the large layer's dweights/dinputs were never read).
# So a numerical backward that simply does nothing when the layer is large passes the cost
# check in no time, and its numerical gradients on the small, linear cases are exact enough.
NUMERICAL_SKIPS_LARGE = NUMERICAL_LAYER_DENSE.replace(
    '        """No chain rule: the gradient of sum(dvalues * output), numerically."""\n',
    "        if self.weights.size > 10_000:  # the grader's timing case: nobody reads its result\n"
    "            return\n",
)
assert NUMERICAL_SKIPS_LARGE != NUMERICAL_LAYER_DENSE


@pytest.mark.slow
def test_numerical_backward_that_skips_the_timed_case_earns_nothing(grade_submissions):
    course = grade_submissions(
        LAYER_CHAPTER, {"numerical_skips_large": {"layer_dense": NUMERICAL_SKIPS_LARGE}}
    )
    got = autograded_scores(course, "numerical_skips_large", LAYER_CHAPTER)
    assert {t: got[t] for t in DENSE_TESTS} == dict.fromkeys(DENSE_TESTS, 0.0), got


@pytest.mark.slow
def test_numerical_backward_earns_nothing_whatever_the_kernel_answers(grade_submissions):
    """The cost budget is computed in the grader (the reference's time, the data's size):
    no answer of the student's kernel can widen it, so a numerical backward earns nothing."""

    course = grade_submissions(
        LAYER_CHAPTER, {"numerical_plain": {"layer_dense": FAST_NUMERICAL_LAYER_DENSE}}
    )
    got = autograded_scores(course, "numerical_plain", LAYER_CHAPTER)
    assert {t: got[t] for t in DENSE_TESTS} == dict.fromkeys(DENSE_TESTS, 0.0), got


DENSE = "01_dense_layers"
# A display output's image metadata survives MakeInert (autograder/inert.py keeps "width" /
# "height" strings under 200 characters), and nbconvert's templates (classic and lab, used by
# generate_feedback and the formgrader) write them as an UNQUOTED attribute,
# `width={{ width | escape_html }}`: escape_html leaves spaces alone, so the width below adds
# an onerror handler to the <img>, whose data is no PNG, so it fires.
IMG_ONERROR = """
from IPython.display import publish_display_data

publish_display_data(
    {"image/png": "bm90IGEgcG5n", "text/plain": "a plot"},
    metadata={"image/png": {"width": "1 onerror=document.title=document.domain"}},
)


def batch_output(inputs, weights, biases):
    return inputs @ weights + biases
"""


@pytest.mark.slow
def test_image_width_metadata_adds_no_event_handler_to_feedback(grade_submissions):
    import re

    course = grade_submissions(DENSE, {"img_width_xss": {"batch_output": IMG_ONERROR}})
    run(["nbgrader", "generate_feedback", DENSE, "--force", "--log-level=ERROR"], course)
    page = (course / "feedback" / "img_width_xss" / DENSE / f"{DENSE}.html").read_text()
    handlers = re.findall(r"<img[^>]*\son\w+=[^>]*>", page)
    assert not handlers, handlers


# The output caps (100 000 characters per cell, cut in the kernel and by LimitOutputSize) only
# count text: image/png, image/jpeg, image/gif and application/json outputs are kept whole by
# LimitOutputSize and MakeInert. Each display below is 40 MB; the kernel's memory cap does not
# limit their total (each is sent and forgotten), so the graded notebook, the grader's memory
# while it holds it, and the feedback / formgrader pages grow without bound.
HUGE_IMAGES = """
from IPython.display import publish_display_data

_blob = "A" * 40_000_000
for _ in range(4):
    publish_display_data({"image/png": _blob, "text/plain": "a plot"})
del _blob


def batch_output(inputs, weights, biases):
    return inputs @ weights + biases
"""


@pytest.mark.slow
def test_image_outputs_are_capped_like_text(grade_submissions):
    course = grade_submissions(DENSE, {"huge_images": {"batch_output": HUGE_IMAGES}})
    graded = nbs.notebook_path(DENSE, "autograded/huge_images", course)
    size_mb = graded.stat().st_size / 1e6
    assert size_mb < 10, f"the autograded notebook is {size_mb:.0f} MB"


# The kernel's connection folder (sandbox.py: a mkdtemp on the GRADER's /tmp, owned by the
# kernel's uid, bound read-write into the sandbox so the kernel can create its ipc sockets) is
# not one of the size-capped tmpfs: RLIMIT_FSIZE caps each file at 512 MB, not their number,
# so a kernel can fill the grader's disk (here 3 x 400 MB, held while the cell sleeps); with
# `--workers` > 1 the other notebooks graded meanwhile, and the gradebook, share that disk.
FILLS_HOST_TMP = """
import os, sys, time

_folder = os.path.dirname(sys.argv[sys.argv.index("-f") + 1])
_chunk = b"x" * 50_000_000
for _i in range(3):
    with open(os.path.join(_folder, f"fill{_i}"), "wb") as _f:
        for _ in range(8):
            _f.write(_chunk)
del _chunk
time.sleep(15)


def batch_output(inputs, weights, biases):
    return inputs @ weights + biases
"""


def _tree_size(folder):
    total = 0
    for parent, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(parent, name)).st_size
            except OSError:
                pass
    return total


@pytest.mark.slow
def test_kernel_cannot_write_past_its_scratch_cap_on_the_grader_disk(tmp_path):
    import subprocess
    import time

    from tests.helpers import nbgrader_env

    (tmp_path / "course_root").mkdir()
    course = copy_course(tmp_path / "course_root")
    run(["nbgrader", "generate_assignment", DENSE, "--force", "--log-level=WARN"], course)
    nb = examples.filled(DENSE, {"batch_output": FILLS_HOST_TMP.lstrip()}, root=course)
    nbs.save(nb, nbs.notebook_path(DENSE, "submitted/fills_host_tmp", course))
    host_tmp = tmp_path / "grader_tmp"
    host_tmp.mkdir()
    env = {**nbgrader_env(), "TMPDIR": str(host_tmp)}
    grading = subprocess.Popen(
        ["nbgrader", "autograde", DENSE, "--force", "--log-level=ERROR"],
        cwd=course,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = 0
    while grading.poll() is None:
        peak = max(peak, _tree_size(host_tmp))
        time.sleep(0.5)
    # the kernel may write 512 MB to /submission and to /tmp (tmpfs inside the sandbox);
    # nothing on the grader's own disk
    assert peak < 100_000_000, f"{peak / 1e6:.0f} MB written under the grader's TMPDIR"


LOSS_CHAPTER = "03_loss"
# check_loss_calculate replaces the student's self.forward with a unittest.mock.Mock (a
# stand-in in the kernel) that returns the same per-sample losses whatever it is called with,
# and only checks that it was called and not as forward(y, output). So a calculate that never
# passes y on (forward(output, output), forward(output), forward(y, y)...) earns the 2 points.
WRONG_CALCULATES = {
    "calculate_ignores_y": """
class Loss:
    def calculate(self, output, y):
        return np.mean(self.forward(output, output))  # y never reaches forward
""",
}


@pytest.mark.slow
def test_loss_calculate_must_pass_output_and_y_to_forward(grade_submissions):
    students = {student: {"loss": code} for student, code in WRONG_CALCULATES.items()}
    course = grade_submissions(LOSS_CHAPTER, students)
    got = {
        s: autograded_scores(course, s, LOSS_CHAPTER)["test_loss_calculate"]
        for s in WRONG_CALCULATES
    }
    assert got == dict.fromkeys(WRONG_CALCULATES, 0.0), got


def test_collected_folders_do_not_follow_symlinks_into_the_course(tmp_path):
    """pipeline.collect.copy_folders copies `source/<student>/<chapter>/` with shutil.copytree,
    which follows symlinks (as the grader's user, root): a student who can place a folder in
    `source` (a shared drop folder, a home directory the instructor collects from) submits
    `notes.txt -> <course>/source/06_capstone/06_capstone.ipynb`; submitted/ then holds the
    solutions as a regular file, which the sandbox copies into /submission for the kernel."""
    from autograder.pipeline import collect

    course = tmp_path / "course"
    secret = course / "source" / "06_capstone" / "06_capstone.ipynb"
    secret.parent.mkdir(parents=True)
    secret.write_text("the reference solutions")
    drop = tmp_path / "drop" / "mallory" / "06_capstone"
    drop.mkdir(parents=True)
    (drop / "06_capstone.ipynb").write_text("{}")
    (drop / "notes.txt").symlink_to(secret)
    submitted = course / "submitted"
    collect.copy_folders(tmp_path / "drop", ["06_capstone"], submitted)
    copied = submitted / "mallory" / "06_capstone" / "notes.txt"
    assert not (copied.exists() and copied.read_text() == "the reference solutions")


def test_staged_submission_does_not_follow_symlinks_into_the_course(tmp_path):
    """submissions.stage copies submitted/<student>/<chapter>/ to the folder autograde grades
    with shutil.copytree (symlinks followed, as root): the sandbox leaves symlinks out of
    /submission, but by then the staged copy holds the target's bytes as a regular file."""
    from autograder import submissions

    (tmp_path / "course").mkdir()
    course = copy_course(tmp_path / "course")
    path = nbs.notebook_path(DENSE, "submitted/mallory", course)
    nbs.save(nbs.load(nbs.notebook_path(DENSE, "source", course)), path)
    secret = course / "source" / DENSE / f"{DENSE}.ipynb"
    (path.parent / "notes.txt").symlink_to(secret)
    staging = tmp_path / "staging"
    submissions.stage(course, DENSE, staging, ["mallory"])
    staged = staging / "mallory" / DENSE / "notes.txt"
    assert not (staged.exists() and staged.read_bytes() == secret.read_bytes())


# A value the channel carries but float64 cannot hold (an int above 1.8e308; the channel
# allows 400 digits) makes core.as_plain_array raise OverflowError, which hidden_tests.run
# reports as "The grader's check ... failed on its own (not your code): tell your instructor;
# this cell needs grading by hand." A wrong answer is blamed on the grader and sent to an
# instructor for manual grading (a lever for a student arguing for the points).
OVERFLOW = """
def batch_output(inputs, weights, biases):
    return 10 ** 399
"""


@pytest.mark.slow
def test_a_huge_int_is_the_students_failure_not_the_graders(grade_submissions):
    import json

    course = grade_submissions(DENSE, {"huge_int": {"batch_output": OVERFLOW}})
    assert autograded_scores(course, "huge_int", DENSE)["test_batch_output"] == 0.0
    nb = json.loads(nbs.notebook_path(DENSE, "autograded/huge_int", course).read_text())
    cell = next(
        c
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade_id") == "test_batch_output"
    )
    text = json.dumps(cell["outputs"])
    assert "failed on its own" not in text, text[:500]
