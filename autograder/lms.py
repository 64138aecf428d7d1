"""Grades and feedback out to the LMS: a Canvas gradebook CSV, and feedback pages to upload.

`python -m autograder lms CHAPTER... [--out DIR]` writes, from nbgrader's gradebook:

- `canvas_grades.csv`, for Canvas's Grades > Import: the columns Canvas's own export has
  (`Student`, `ID`, `SIS User ID`, `SIS Login ID`, `Section`), a `Points Possible` row, and one
  column per chapter holding the score nbgrader's export calls `score` (late penalty taken off;
  written answers count once graded by hand). `ID` is the student's LMS id: the gradebook's
  `lms_user_id` (the roster's `lms_user_id` column) or else the student id (a Canvas download
  collected with `grade --zip` uses Canvas user ids as student ids). A student without a
  submission gets 0, as in nbgrader's export.
- `feedback_<chapter>.zip`, for Canvas's "Re-Upload Submissions" (the assignment's menu in
  the gradebook), which attaches each file to the student named in its file name, in the
  scheme of Canvas's download: `<name>_<user id>_<submission id>_<chapter>.html` when the
  chapter was collected from a Canvas archive (the names it had are reused), else
  `<student id>_<chapter>.html`. With nbgrader's exchange, `nbgrader release_feedback` returns
  the same pages instead.
"""

import csv
import re
import zipfile
from pathlib import Path

from autograder import feedback
from autograder import notebooks as nbs

FIXED_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def gradebook_rows(gb, chapters):
    """[(student, {chapter: score}, {chapter: max_score})] for every student in the gradebook."""
    rows = []
    maxima = {c: float(gb.find_assignment(c).max_score) for c in chapters}
    for student in sorted(gb.students, key=lambda s: s.id):
        scores = {}
        for chapter in chapters:
            try:
                submission = gb.find_submission(chapter, student.id)
            except Exception:  # MissingEntry: nothing submitted
                scores[chapter] = 0.0
                continue
            penalty = float(submission.late_submission_penalty or 0)
            scores[chapter] = round(float(submission.score) - penalty, 2)
        rows.append((student, scores, maxima))
    return rows


def canvas_csv(gb, chapters, path):
    """Write the Canvas import CSV for `chapters`; returns the rows written (without header)."""
    rows = gradebook_rows(gb, chapters)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(FIXED_COLUMNS + list(chapters))
        writer.writerow(
            ["Points Possible", "", "", "", ""]
            + [f"{rows[0][2][c]:g}" if rows else "" for c in chapters]
        )
        written = []
        for student, scores, _ in rows:
            name = ", ".join(n for n in (student.last_name, student.first_name) if n) or student.id
            lms_id = student.lms_user_id or student.id
            row = [name, lms_id, "", "", ""] + [f"{scores[c]:g}" for c in chapters]
            writer.writerow(row)
            written.append(row)
    return written


def canvas_names(course_root, chapter):
    """{student id: Canvas file-name prefix `<name>_[LATE_]<user id>_<submission id>_`} for a
    chapter collected from a Canvas archive (python -m autograder grade --zip)."""
    extracted = Path(course_root) / ".grading" / "downloaded" / chapter / "extracted"
    found = {}
    pattern = re.compile(r"^([^/_]+_(?:LATE_)?(\d+)_\d+_)")
    for path in sorted(extracted.rglob("*")) if extracted.is_dir() else []:
        m = pattern.match(path.name)
        if m and path.is_file():
            found.setdefault(m.group(2), m.group(1))
    return found


def feedback_archive(course_root, chapter, path):
    """Zip the chapter's feedback pages for the LMS's bulk upload; returns the names inside."""
    root = Path(course_root)
    prefixes = canvas_names(root, chapter)
    names = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for page in sorted((root / "feedback").glob(f"*/{chapter}/{chapter}.html")):
            student = page.parent.parent.name
            found = feedback.leaks(page.read_text(encoding="utf-8"), root, chapter)
            if found:  # never ship a page that shows grader code
                raise feedback.FeedbackLeak(f"{page}: {', '.join(found)}")
            name = prefixes.get(student, f"{student}_") + f"{chapter}.html"
            archive.write(page, name)
            names.append(name)
    return names


def main(chapters, course_root=nbs.ROOT, db_url=None, course_id="backprop-from-scratch", out=None):
    from autograder.pipeline import db

    root = Path(course_root)
    out = Path(out or root)
    out.mkdir(parents=True, exist_ok=True)
    url = db_url or f"sqlite:///{root.resolve()}/gradebook.db"
    with db.gradebook(url, course_id) as gb:
        rows = canvas_csv(gb, chapters, out / "canvas_grades.csv")
    print(f"{out / 'canvas_grades.csv'}: {len(rows)} students, {len(chapters)} chapters")
    for chapter in chapters:
        names = feedback_archive(root, chapter, out / f"feedback_{chapter}.zip")
        print(f"{out / f'feedback_{chapter}.zip'}: {len(names)} feedback pages")
    return 0
