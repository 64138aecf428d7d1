"""The feedback HTML students receive shows each failure's message and no grader code.

Feedback is generated (autograder/feedback.py, through nbgrader's generate_feedback as
configured by nbgrader_config.py) for the example submissions `make` grades. As a control,
nbgrader's own feedback for the buggy example must show what ours leaves out.
"""

import re
from pathlib import Path

import pytest

from autograder import examples, feedback
from autograder import notebooks as nbs
from tests.helpers import ROOT, run

pytestmark = pytest.mark.slow
CHAPTERS = nbs.chapters(ROOT)


@pytest.fixture(scope="module")
def pages(graded_course):
    found = {}
    for path in feedback.generate(graded_course, "*"):
        found[(path.parent.parent.name, path.parent.name)] = path.read_text(encoding="utf-8")
    return found


# the modules beside autograder/core.py that the chapters' checks are built on
GRADER_HELPERS = ("core", "checking", "training", "backprop")


def grader_lines(chapter):
    """Distinctive lines of the code the chapter's hidden tests run: its grader folder (but
    the mutants), every chapter's reference, autograder/core.py and the helpers beside it."""
    folder = ROOT / "autograder" / "chapters"
    own = [p for p in (folder / nbs.topic(chapter)).glob("*.py") if "mutants" not in p.name]
    helpers = [ROOT / "autograder" / f"{name}.py" for name in GRADER_HELPERS]
    files = [*sorted(own), *sorted(folder.glob("*/reference.py")), *helpers]
    lines = set()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) >= 25 and not line.startswith(("#", '"', "'", "f'", 'f"')):
                lines.add(line)
    return lines


def failure_messages(course, student, chapter):
    """First line of each error a test cell raised while grading."""
    nb = nbs.load(course / "autograded" / student / chapter / f"{chapter}.ipynb")
    messages = []
    for cell in nb["cells"]:
        if nbs.nbgrader_meta(cell).get("grade"):
            for output in cell.get("outputs", []):
                if output["output_type"] == "error" and output["evalue"].strip():
                    messages.append(output["evalue"].strip().splitlines()[0])
    return messages


def test_every_example_gets_feedback(pages):
    assert set(pages) == {(s, c) for s in examples.STUDENTS for c in CHAPTERS}


@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("student", examples.STUDENTS)
def test_feedback_shows_no_grader_code(pages, graded_course, student, chapter):
    page = pages[(student, chapter)]
    text = feedback.page_text(page)
    assert "BEGIN HIDDEN TESTS" not in text and "END HIDDEN TESTS" not in text
    assert not re.search(r"\b(from|import)\s+autograder\b", text)
    assert "autograder/" not in text
    assert feedback.leaks(page, graded_course, chapter) == []
    nb = nbs.load(graded_course / "submitted" / student / chapter / f"{chapter}.ipynb")
    submitted = "\n".join(nbs.source_text(cell) for cell in nb["cells"])
    shown = [line for line in grader_lines(chapter) if line in text and line not in submitted]
    assert shown == [], f"grader code in the feedback: {shown[:3]}"


@pytest.mark.parametrize("chapter", CHAPTERS)
@pytest.mark.parametrize("student", ["example_blank", "example_buggy"])
def test_feedback_shows_each_failure_message(pages, graded_course, student, chapter):
    messages = failure_messages(graded_course, student, chapter)
    assert messages, "the example should fail some tests"
    text = feedback.page_text(pages[(student, chapter)])
    missing = [m for m in messages if m not in text]
    assert missing == []


def test_nbgrader_alone_would_leak(graded_course, tmp_path):
    """Control: without HideGraderCode, nbgrader's feedback shows the hidden tests, and the
    checks above see it."""
    chapter = CHAPTERS[0]
    raw = Path(tmp_path) / "raw_feedback"
    run(
        [
            "nbgrader",
            "generate_feedback",
            chapter,
            "--student=example_buggy",
            "--force",
            "--log-level=ERROR",
            f"--CourseDirectory.feedback_directory={raw}",
            "--GenerateFeedback.preprocessors=nbgrader.preprocessors.GetGrades",
            "--GenerateFeedback.preprocessors=nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
        ],
        graded_course,
    )
    page = (raw / "example_buggy" / chapter / f"{chapter}.html").read_text(encoding="utf-8")
    found = feedback.leaks(page, graded_course, chapter)
    assert any("BEGIN HIDDEN TESTS" in f for f in found), found
    assert any("import of the grader" in f for f in found), found


def test_ungradable_submission_gets_a_page_saying_why(tmp_path):
    from autograder import submissions

    problem = submissions.Problem("invalid", "01_dense_layers.ipynb is not valid JSON (line 3)")
    page = feedback.problem_page("01_dense_layers", "s", [problem])
    assert "could not be graded" in page and "not valid JSON (line 3)" in page
    assert feedback.leaks(page) == []


def test_strip_hidden_and_clean_traceback():
    source = '"""Check."""\n### BEGIN HIDDEN TESTS\nfrom autograder.x import c\nc(f)\n### END HIDDEN TESTS\nf()'
    stripped, found = feedback.strip_hidden(source)
    assert found and "autograder" not in stripped and stripped.endswith("f()")
    traceback = [
        "\x1b[31m----\x1b[39m",
        "\x1b[31mGradingError\x1b[39m   Traceback (most recent call last)",
        "\x1b[36mCell\x1b[39m \x1b[32mIn[7]\x1b[39m, line 5\n   3 from autograder.chapters.x.checks import c",
        f"\x1b[36mFile \x1b[39m{feedback.GRADER_DIR}/core.py:73, in call_student\n  ref = 1",
        "Cell In[3], line 2, in f()\n----> 2 return 1 / 0",
        "\x1b[31mGradingError\x1b[39m: f is wrong.",
    ]
    kept = [feedback.ANSI.sub("", e) for e in feedback.clean_traceback(traceback, 7, True)]
    assert not any("autograder" in e or "ref = 1" in e for e in kept)
    assert kept[-1] == "GradingError: f is wrong." and any("In[3]" in e for e in kept)
