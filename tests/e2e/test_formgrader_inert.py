"""A submission carrying scripts, graded by real `nbgrader autograde`, is inert in the
formgrader (opened in Chromium with the instructor's login) and in its feedback page.

The attacker submits chapter 1, solved, with a markdown cell whose `<script>` changes the
page's title and body and calls the formgrader's student API, a heading named like a grade
cell (the formgrader finds a cell's score input by that id) with made-up nbgrader metadata
whose grade_id breaks out of an attribute, and a code cell whose outputs are an
`<img onerror>` and JavaScript doing the same. Every request the page makes is
watched for the attack's marker. A control shows the same notebook, rendered by plain
nbconvert, does all of that in the same browser.
"""

import re

import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output

from autograder import examples, feedback, submissions
from autograder import notebooks as nbs
from tests.helpers import copy_course, run

from .lab import VIEWPORT, screenshot, start_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CH = "01_dense_layers"
STUDENT = "attacker"
MARKER = "pwned-7f3a"
TEST_ID = "test_batch_output"  # a test cell of chapter 1, graded in the formgrader by its id
PAYLOAD = (
    f"document.title='{MARKER}';"
    f"document.body.insertAdjacentHTML('beforeend','<p id={MARKER}>{MARKER}</p>');"
    f"fetch('/formgrader/api/students?attack={MARKER}')"
)
MARKDOWN = f"My answers are below.\n\n<script>{PAYLOAD}</script>\n"
HEADING = f"# {TEST_ID}\n"  # plain markdown: kept, its anchor id dropped by the exporter
IMG = f'<img src="/formgrader/api/students?attack={MARKER}-src" onerror="{PAYLOAD}">'
CODE = (
    "from IPython.display import HTML, Javascript, display\n"
    f"display(HTML({IMG!r}))\n"
    f"display(Javascript({PAYLOAD!r}))\n"
)


def attack_notebook(course):
    """Chapter 1 solved, with the attack cells after the introduction; the code cell carries
    the outputs it had on the student's machine (autograde runs it again)."""
    nb = examples.filled(CH, root=course)
    outputs = [
        new_output("display_data", data={"text/html": IMG, "text/plain": "<HTML>"}),
        new_output("display_data", data={"application/javascript": PAYLOAD, "text/plain": ""}),
    ]
    # nbgrader metadata the student made up: the formgrader writes a grade_id into attributes
    made_up = {"grade_id": f'x"><img src=x onerror="{PAYLOAD}">', "solution": False}
    made_up.update(grade=False, locked=False, schema_version=3)
    attack = [
        new_markdown_cell(MARKDOWN),
        new_markdown_cell(HEADING, metadata={"nbgrader": made_up}),
    ]
    nb["cells"][1:1] = [*attack, new_code_cell(CODE, outputs=outputs)]
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("inert"))
    run(["nbgrader", "generate_assignment", CH, "--force", "--log-level=ERROR"], course)
    nbs.save(attack_notebook(course), course / "submitted" / STUDENT / CH / f"{CH}.ipynb")
    # as the course grades (README, "Grading safety"): made-up nbgrader metadata is a
    # "foreign" cell, staged as an ordinary cell (plain nbgrader autograde fails on it)
    staged = tmp_path_factory.mktemp("inert-staged")
    problems = submissions.stage(course, CH, staged)
    assert [p.kind for p in problems[STUDENT]] == ["foreign"], problems
    run(
        ["nbgrader", "autograde", CH, "--force", "--log-level=ERROR"]
        + [f"--CourseDirectory.submitted_directory={staged}"],
        course,
    )
    return course


@pytest.fixture(scope="module")
def lab(course, tmp_path_factory):
    server = start_lab(course, tmp_path_factory.mktemp("inert-lab"))
    yield server
    server.stop()


def submission_id(course):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        return gb.find_submission_notebook(CH, CH, STUDENT).id


def watch(page):
    """URLs the page requests, as they happen."""
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def attacked(page, requests):
    """What the attack managed in this page (empty: nothing)."""
    found = [url for url in requests if MARKER in url]
    if MARKER in page.title():
        found.append(f"title {page.title()!r}")
    if page.locator(f"[id='{MARKER}']").count():
        found.append("marker element in the body")
    return found


def test_the_submission_carries_the_attack(course):
    """Control: the attack reached grading, and plain nbconvert would keep it live."""
    submitted = (course / "submitted" / STUDENT / CH / f"{CH}.ipynb").read_text(encoding="utf-8")
    assert "<script>" in submitted and "onerror" in submitted and "fetch(" in submitted
    html, _ = HTMLExporter(template_name="basic").from_filename(
        str(course / "submitted" / STUDENT / CH / f"{CH}.ipynb")
    )
    soup = BeautifulSoup(html, "html.parser")
    assert any(MARKER in (s.string or "") for s in soup.find_all("script"))
    assert soup.find("img", onerror=True)


def test_control_plain_nbconvert_page_runs_the_attack(course, lab, browser):
    """The checks below see the attack when it runs: the submitted notebook rendered by
    nbconvert (no MakeInert, no sanitizing), loaded into a page of the same server."""
    html, _ = HTMLExporter(template_name="basic").from_filename(
        str(course / "submitted" / STUDENT / CH / f"{CH}.ipynb")
    )
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(lab.lab_url())  # logs in: the attack's fetch carries the login cookie
        # JupyterLab started: its own start-up no longer sets the title over the attack's
        page.locator(".jp-LabShell").wait_for(timeout=60_000)
        requests = watch(page)
        page.set_content(f"<html><head><title>control</title></head><body>{html}</body></html>")
        # both markers: the script's and the <img onerror>'s (the title is JupyterLab's too)
        page.wait_for_function(
            f"document.querySelectorAll(\"[id='{MARKER}']\").length >= 2", timeout=30_000
        )
        page.wait_for_load_state("networkidle")
        found = attacked(page, requests)
        assert any("/formgrader/api/students?attack=" in f for f in found), found
        assert "marker element in the body" in found
        assert any(f.endswith(f"attack={MARKER}-src") for f in found), found  # the <img>
        assert page.locator(f"[id='{MARKER}']").count() >= 2, "the script and the onerror"
    finally:
        context.close()


def test_formgrader_page_is_untouched(course, lab, page):
    """The graded submission in the formgrader: rendered, and nothing of the attack ran."""
    graded = nbs.load(course / "autograded" / STUDENT / CH / f"{CH}.ipynb")
    markdown = [nbs.source_text(c) for c in graded["cells"] if c["cell_type"] == "markdown"]
    assert "My answers are below." in markdown[1] and "<script" not in markdown[1]
    [attack] = [
        c for c in graded["cells"] if c["cell_type"] == "code" and MARKER in nbs.source_text(c)
    ]
    kept = [["text/html", "text/plain"], ["text/plain"]]  # the JavaScript is gone
    assert [sorted(o["data"]) for o in attack["outputs"]] == kept
    assert "onerror" not in attack["outputs"][0]["data"]["text/html"]
    page.goto(lab.lab_url())  # logs in, as the instructor
    page.locator(".jp-LabShell").wait_for()
    requests = watch(page)
    page.goto(f"{lab.url}/formgrader/submissions/{submission_id(course)}/")
    page.wait_for_load_state("networkidle")
    page.locator(".nbgrader_cell").first.wait_for()
    assert page.get_by_text("My answers are below.").count() == 1  # the cell is shown
    screenshot(page, "formgrader-inert-submission")
    assert attacked(page, requests) == []
    assert not [url for url in requests if "/api/students" in url]
    # the grade cell's score input is what the formgrader finds by its id, not the heading
    tag = page.evaluate(f"document.getElementById('{TEST_ID}').tagName")
    assert tag == "INPUT"
    live = page.evaluate(
        """() => [...document.querySelectorAll('#notebook-container *')].flatMap(e =>
            [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ':' + a.name))"""
    )
    assert live == []
    scripts = page.evaluate(
        "[...document.querySelectorAll('#notebook-container script')].map(s => s.outerHTML)"
    )
    assert scripts == []


def test_feedback_page_is_inert(course, browser):
    """The student's feedback page (autograder.feedback, nbgrader's generate_feedback as
    configured here): no live script, handler or javascript: URL, in the parser and in
    Chromium."""
    [path] = feedback.generate(course, CH, students=[STUDENT])
    text = path.read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "html.parser")
    assert "My answers are below." in soup.get_text()
    assert not [s for s in soup.find_all("script") if MARKER in (s.string or "")]
    handlers = [(t.name, a) for t in soup.find_all(True) for a in t.attrs if a.startswith("on")]
    assert handlers == []
    urls = [v for t in soup.find_all(True) for a, v in t.attrs.items() if a in ("href", "src")]
    assert not [u for u in urls if re.sub(r"\s", "", str(u)).lower().startswith("javascript:")]
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        requests = watch(page)
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert attacked(page, requests) == []
    finally:
        context.close()
