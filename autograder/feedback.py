"""The feedback students receive: each failure's message, never the hidden tests or the grader.

nbgrader's `generate_feedback` renders the autograded notebook, whose test cells hold the hidden
tests (autograde restores them from the gradebook), and whose tracebacks show the source lines
of every frame they pass through: the hidden test's cell and `autograder/` (hidden checks,
references). nbgrader_config.py adds `HideGraderCode` (autograder/preprocessors/
hide_grader_code.py, with this module's functions) to GenerateFeedback's preprocessors, so
plain `nbgrader generate_feedback` is safe:

- a hidden-test region (`### BEGIN HIDDEN TESTS` ... `### END HIDDEN TESTS`) becomes one
  comment line;
- an error's traceback keeps the student's own frames and the final `Error: message` line,
  and drops the test cell's frame and every frame in `autograder/`;
- stream output that names a file of `autograder/` (a warning's source line) is dropped.

`generate(course_root, chapter)` runs nbgrader's generate_feedback, writes a page explaining
why for each submission that could not be graded (autograder/submissions.py), and refuses
(deletes, raises FeedbackLeak) any page in which `leaks` still finds grader code.
"""

import html
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from traitlets.config import Config

from autograder import notebooks as nbs
from autograder import submissions

BEGIN = "BEGIN HIDDEN TESTS"
END = "END HIDDEN TESTS"
HIDDEN_NOTE = "# (hidden tests ran here: their messages are in the output below)"
GRADER_DIR = str(Path(__file__).resolve().parent)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_FRAME = re.compile(r"^\s*(Cell In ?\[(\d*)\]|Input In ?\[(\d*)\]|File |\s*File \")")
_GRADER_IMPORT = re.compile(r"\b(from\s+autograder\b|import\s+autograder\b)")
_GRADER_PATH = re.compile(r"[/\\]autograder[/\\]")  # a grader file, wherever the course is


class FeedbackLeak(RuntimeError):
    """A feedback page still contains grader code; it was deleted rather than released."""


def strip_hidden(source):
    """(source without its hidden-test regions, whether it had any)."""
    lines, kept, inside, found = source.split("\n"), [], False, False
    for line in lines:
        if BEGIN in line:
            inside, found = True, True
            kept.append(line[: len(line) - len(line.lstrip())] + HIDDEN_NOTE)
        elif END in line and inside:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept), found


def grader_text(text: str) -> bool:
    """Whether `text` shows grader code: a hidden-test marker, an import of or a path in
    autograder/."""
    return bool(
        GRADER_DIR in text
        or BEGIN in text
        or END in text
        or _GRADER_IMPORT.search(text)
        or _GRADER_PATH.search(text)
    )


def clean_traceback(traceback, execution_count, drop_own_cell):
    """The traceback entries a student may see (see the module docstring)."""
    kept, dropped = [], False
    own = f"[{execution_count}]" if execution_count is not None else None
    for entry in traceback:
        plain = ANSI.sub("", entry)
        frame = _FRAME.match(plain)
        if (
            frame
            and drop_own_cell
            and own
            and plain.lstrip().startswith(("Cell In" + own, "Input In" + own))
        ):
            dropped = True
        elif frame and grader_text(plain):
            dropped = True
        elif not frame and grader_text(plain):
            # not a frame (the final "Error: message" line) but naming grader files: keep
            # only its first line, the message, when that line is clean
            first = plain.split("\n", 1)[0]
            if not grader_text(first):
                kept.append(first)
            dropped = True
        else:
            kept.append(entry)
    if dropped and kept:
        kept.insert(min(2, len(kept)), "(frames of the grader's code are not shown)")
    return kept


def configure(c: Config) -> Config:
    """Make an nbgrader Config's GenerateFeedback leave grader code out; returns `c`."""
    from nbgrader.converters.generate_feedback import GenerateFeedback

    from autograder.preprocessors import chain
    from autograder.preprocessors.hide_grader_code import HideGraderCode

    chain.place(c, GenerateFeedback, "preprocessors", HideGraderCode, after=("GetGrades",))
    return c


class _PageReader(HTMLParser):
    """The text a reader sees on a page (no scripts or styles), and where <body> opens."""

    HIDDEN = ("script", "style")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.body_at, self._hidden = [], None, 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        elif tag == "body" and self.body_at is None:
            self.body_at = (self.getpos(), len(self.get_starttag_text()))

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)


def _read_page(html_text):
    reader = _PageReader()
    reader.feed(html_text)
    reader.close()
    return reader


def page_text(html_text: str) -> str:
    """What a reader sees on an HTML page: tags, scripts and styles removed, entities decoded."""
    return "".join(_read_page(html_text).text)


def hidden_lines(course_root, chapter):
    """Lines of the chapter's hidden tests (from its source notebook) worth looking for."""
    found = set()
    nb = nbs.load(nbs.notebook_path(chapter, "source", course_root))
    for cell in nb["cells"]:
        inside = False
        for line in nbs.source_text(cell).splitlines():
            if BEGIN in line:
                inside = True
            elif END in line:
                inside = False
            elif inside and len(line.strip()) >= 12:
                # one argument of a call split over lines (`Layer_Dense,`) names what the
                # visible code names too: not grader code
                if not line.strip().rstrip(",() ").isidentifier():
                    found.add(line.strip())
    return found


def leaks(html_text, course_root=nbs.ROOT, chapter=None):
    """Reasons this feedback page shows grader code (empty: none found)."""
    text = page_text(html_text)
    found = []
    for marker in (BEGIN, END):
        if marker in text:
            found.append(f"the marker {marker!r}")
    match = _GRADER_IMPORT.search(text)
    if match:
        found.append(f"an import of the grader ({match.group(0)!r})")
    if GRADER_DIR in text or _GRADER_PATH.search(text):
        found.append("a path inside autograder/")
    for line in sorted(hidden_lines(course_root, chapter)) if chapter else []:
        if line in text:
            found.append(f"a hidden-test line ({line!r})")
    return found


def problem_page(chapter, student, problems):
    """A feedback page for a submission that could not be graded: why, and what to do."""
    items = "\n".join(f"<li>{html.escape(p.message)}</li>" for p in problems)
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{html.escape(chapter)}: not graded</title></head><body>\n"
        f"<h1>{html.escape(chapter)}: your submission could not be graded</h1>\n"
        f"<p>Student: {html.escape(student)}</p>\n<ul>\n{items}\n</ul>\n"
        f"<p>Fix this and submit <code>{html.escape(chapter)}.ipynb</code> again; "
        "nothing was scored yet.</p>\n</body></html>\n"
    )


def note_problems(html_text: str, problems: list[submissions.Problem]) -> str:
    """The feedback page with a note naming problems that did not stop grading (renamed...)."""
    items = "".join(f"<li>{html.escape(p.message)}</li>" for p in problems)
    note = f"<div class='alert alert-warning'><b>About your submission:</b><ul>{items}</ul></div>"
    body = _read_page(html_text).body_at
    if body is None:
        return html_text
    (line, column), length = body
    # the parser counts lines by "\n" alone, as split() does here
    at = sum(len(text) + 1 for text in html_text.split("\n")[: line - 1]) + column + length
    return html_text[:at] + note + html_text[at:]


def feedback_path(course_root, chapter, student):
    return Path(course_root) / "feedback" / student / chapter / f"{chapter}.html"


def generate(course_root, chapter, students=None, nbgrader=None):
    """Feedback for `chapter` ("*": every chapter, in one nbgrader run) for all autograded
    students, or only `students`; returns the pages written.

    Runs `nbgrader generate_feedback` (configured by nbgrader_config.py), writes a page for
    each submission that could not be graded, notes gradable problems on the others, then
    checks every page with `leaks`: a leaking page is deleted and FeedbackLeak raised.
    """
    root = Path(course_root)
    chapters = nbs.chapters(root) if chapter == "*" else [chapter]
    everyone = students or submissions.students(root)
    graded = [
        s
        for s in everyone
        if any((root / "autograded" / s / c / f"{c}.ipynb").exists() for c in chapters)
    ]
    from autograder.pipeline.db import nbgrader_env

    env = nbgrader_env()
    for student in graded if students else ([None] if graded else []):
        command = [*(nbgrader or [sys.executable, "-m", "nbgrader"]), "generate_feedback"]
        command += [chapter, "--force", "--log-level=ERROR"]
        if student:
            command.append(f"--student={student}")
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    pages, leaking = [], {}
    for chapter_id in chapters:
        for student in everyone:
            path = feedback_path(root, chapter_id, student)
            if (
                not submissions.submission_dir(root, chapter_id, student).is_dir()
                and not path.exists()
            ):
                continue
            problems = submissions.inspect(root, chapter_id, student)
            if not submissions.gradable(problems):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(problem_page(chapter_id, student, problems), encoding="utf-8")
            elif problems and path.exists():
                page = note_problems(path.read_text(encoding="utf-8"), problems)
                path.write_text(page, encoding="utf-8")
            if not path.exists():
                continue
            found = leaks(path.read_text(encoding="utf-8"), root, chapter_id)
            if found:
                leaking[path] = found
                path.unlink()
            else:
                pages.append(path)
    if leaking:
        details = "; ".join(f"{p}: {', '.join(r)}" for p, r in leaking.items())
        raise FeedbackLeak(f"feedback withheld, it shows grader code: {details}")
    return pages
