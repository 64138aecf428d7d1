"""The score table `make` prints: one row per student, one column per chapter.

nbgrader exports 0.0 for a submission it could not grade (invalid JSON, a renamed notebook,
another chapter's notebook, nothing submitted) and for one whose grading failed. The table
shows those with their reason instead (autograder/submissions.py), marked `*`, and lists the
problems under it for the instructor.

Columns are the chapters the gradebook knows (those assigned: `make release` and the demo use
gradebooks of their own), rows the students in the export. Written answers that still wait for
the instructor show as `(+N by hand)`: those points are pending, not lost; a late submission's
cell shows the penalty taken off (`late -N`).

Under the table, the class's mistakes: for each test cell, the share of graded students whose
hidden checks named each mistake (recorded by autograde in the graded notebook, see
autograder/execute.py SaveGraderScores), printed and written as a page for the instructor
(`mistakes.html` beside the export), so the next lecture can address the common ones.
"""

import csv
import html
import sys
from collections import defaultdict
from pathlib import Path

from autograder import notebooks as nbs
from autograder import submissions

COURSE_ID = "backprop-from-scratch"  # as nbgrader_config.py sets it


def read_grades(csv_path):
    """{student: {chapter: (score, max_score)}} from nbgrader's export CSV."""
    table = defaultdict(dict)
    with open(csv_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            table[row["student_id"]][row["assignment"]] = (
                float(row["score"]),
                float(row["max_score"]),
            )
    return table


def read_penalties(csv_path):
    """{(student, chapter): late penalty in points} for the late submissions in the export."""
    found = {}
    with open(csv_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            penalty = float(row.get("late_submission_penalty") or 0)
            if penalty:
                found[(row["student_id"], row["assignment"])] = penalty
    return found


def format_table(table, chapters, problems=None, pending=None, penalties=None):
    """The table as text. problems: {(student, chapter): [Problem]} (see collect_problems);
    pending: {(student, chapter): points of written answers not graded yet};
    penalties: {(student, chapter): late penalty}."""
    problems, pending, penalties = problems or {}, pending or {}, penalties or {}
    header = ["student"] + list(chapters) + ["total"]
    rows = []
    for student in sorted(set(table) | {s for s, _ in problems}):
        cells, total, total_max = [student], 0.0, 0.0
        for chapter in chapters:
            found = problems.get((student, chapter), [])
            score, max_score = table.get(student, {}).get(chapter, (None, None))
            if score is not None:
                total, total_max = total + score, total_max + max_score
            if found and not submissions.gradable(found):
                cells.append(submissions.SHORT.get(found[0].kind, found[0].kind) + " *")
            elif score is not None:
                text = f"{score:g}/{max_score:g}"
                if (student, chapter) in penalties:
                    text += f" late -{penalties[student, chapter]:g}"
                if (student, chapter) in pending:
                    text += f" (+{pending[student, chapter]:g} by hand)"
                cells.append(text + (" *" if found else ""))
            else:
                cells.append("-")
        cells.append(f"{total:g}/{total_max:g}")
        rows.append(cells)
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in [header] + rows]
    return "\n".join(line.rstrip() for line in lines)


def collect_problems(course_root, table, chapters):
    """{(student, chapter): [Problem]} for every graded or submitted pair with a problem.

    Besides the submission's own problems, a gradable submission without an autograded
    notebook is reported: nbgrader failed on it (a dead kernel...) or it was not graded.
    """
    root = Path(course_root)
    pairs = {(s, c) for s in table for c in table[s] if c in chapters}
    for student in submissions.students(root):
        for chapter in chapters:
            if submissions.submission_dir(root, chapter, student).is_dir():
                pairs.add((student, chapter))
    found = {}
    for student, chapter in sorted(pairs):
        problems = submissions.inspect(root, chapter, student)
        graded = root / "autograded" / student / chapter / f"{chapter}.ipynb"
        if submissions.gradable(problems) and not graded.exists():
            problems.append(
                submissions.Problem(
                    "not-graded",
                    "not graded: autograde failed on this submission or has not run yet "
                    "(see nbgrader's log for this student)",
                )
            )
        if problems:
            found[(student, chapter)] = problems
    return found


def format_problems(problems):
    """One line per problem, for the instructor."""
    return "\n".join(
        f"  {student} / {chapter}: {problem.message}"
        for (student, chapter), found in sorted(problems.items())
        for problem in found
    )


def assigned_chapters(table, course_root=nbs.ROOT):
    """The chapters in the export (the gradebook's assignments), in course order; without an
    export, those with submissions."""
    seen = {c for chapters in table.values() for c in chapters}
    if not seen:
        seen = {
            c
            for c in nbs.chapters(course_root)
            for s in submissions.students(course_root)
            if submissions.submission_dir(course_root, c, s).is_dir()
        }
    return [c for c in nbs.chapters(course_root) if c in seen]


def pending_hand_grading(course_root=nbs.ROOT, db_url=None):
    """{(student, chapter): points of written answers not graded yet}, from the gradebook."""
    from autograder.pipeline import db

    url = db_url or f"sqlite:///{Path(course_root).resolve()}/gradebook.db"
    if db.is_sqlite(url) and not Path(url.split("sqlite:///", 1)[-1].split("?")[0]).exists():
        return {}
    with db.gradebook(url, COURSE_ID) as gb:
        return db.pending_points(gb)


# -- the class's mistakes --------------------------------------------------------------------------

DIAGNOSIS = "backprop_diagnosis"  # the cell metadata key autograder/execute.py writes
MISTAKES_PAGE = "mistakes.html"
UNRECOGNISED = "unrecognised"


def read_diagnoses(course_root, chapters):
    """{chapter: {test grade_id: {"graded": [students], "mistakes": {title: [students]}}}}
    from the autograded notebooks: which mistake each failed test cell's checks named."""
    root = Path(course_root) / "autograded"
    found = {}
    for chapter in chapters:
        for path in sorted(root.glob(f"*/{chapter}/{chapter}.ipynb")):
            student = path.parent.parent.name
            try:
                nb = nbs.load(path)
            except (OSError, ValueError):
                continue
            for cell in nb.get("cells", []):
                meta = nbs.nbgrader_meta(cell)
                if cell.get("cell_type") != "code" or not meta.get("grade") or meta.get("solution"):
                    continue
                entry = found.setdefault(chapter, {}).setdefault(
                    meta["grade_id"], {"graded": [], "mistakes": {}}
                )
                entry["graded"].append(student)
                diagnosis = cell.get("metadata", {}).get(DIAGNOSIS)
                if isinstance(diagnosis, dict):
                    title = str(diagnosis.get("title") or UNRECOGNISED)
                    entry["mistakes"].setdefault(title, []).append(student)
    return found


def _ranked(mistakes):
    """(title, students) by how many made it; "unrecognised" last."""
    return sorted(mistakes.items(), key=lambda item: (item[0] == UNRECOGNISED, -len(item[1])))


def format_mistakes(diagnoses):
    """One line per test cell that some student failed: each mistake's share of the class."""
    lines = []
    for chapter, tests in diagnoses.items():
        for test_id, entry in tests.items():
            graded = len(entry["graded"])
            if not entry["mistakes"] or not graded:
                continue
            shares = ", ".join(
                f"{title}: {len(students) / graded:.0%} ({len(students)}/{graded})"
                for title, students in _ranked(entry["mistakes"])
            )
            lines.append(f"  {chapter} / {test_id}: {shares}")
    return "\n".join(lines)


def mistakes_page(diagnoses):
    """An HTML page: per chapter and test cell, a bar per mistake with its share of the class."""
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>The class's mistakes</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "td{padding:2px 8px}.bar{background:#c0392b;height:1em}</style></head><body>",
        "<h1>The class's mistakes</h1><p>For each test, the share of the students graded whose "
        "hidden tests named each mistake.</p>",
    ]
    for chapter, tests in diagnoses.items():
        parts.append(f"<h2>{html.escape(chapter)}</h2>")
        for test_id, entry in tests.items():
            graded = len(entry["graded"])
            if not entry["mistakes"] or not graded:
                continue
            parts.append(f"<h3>{html.escape(test_id)} ({graded} graded)</h3><table>")
            for title, students in _ranked(entry["mistakes"]):
                share = len(students) / graded
                parts.append(
                    f"<tr><td>{html.escape(title)}</td><td>{share:.0%} ({len(students)})</td>"
                    f"<td style='width:20em'><div class='bar' style='width:{share:.0%}'></div>"
                    f"</td><td>{html.escape(', '.join(sorted(students)))}</td></tr>"
                )
            parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def print_mistakes(course_root, chapters, csv_path):
    """Print the class's mistakes and write their page beside `csv_path` (when there are any)."""
    diagnoses = read_diagnoses(course_root, chapters)
    if format_mistakes(diagnoses):
        page = Path(csv_path).with_name(MISTAKES_PAGE)
        page.write_text(mistakes_page(diagnoses), encoding="utf-8")
        print("\nMistakes the hidden tests named (share of the students graded):")
        print(format_mistakes(diagnoses))
        print(f"As a page: {page}")


def main(csv_path, course_root=nbs.ROOT, db_url=None):
    table = read_grades(csv_path) if Path(csv_path).exists() else {}
    chapters = assigned_chapters(table, course_root)
    problems = collect_problems(course_root, table, chapters)
    if not table and not problems:
        print(f"No grades in {csv_path}.", file=sys.stderr)
        return 1
    pending = pending_hand_grading(course_root, db_url)
    penalties = read_penalties(csv_path) if Path(csv_path).exists() else {}
    print(format_table(table, chapters, problems, pending, penalties))
    if pending:
        print(
            "\n(+N by hand): written answers to grade in the formgrader (nbgrader formgrader, "
            "or JupyterLab's Nbgrader menu); their points count once graded."
        )
    if problems:
        print("\n* Submissions with problems (graded ones show their score):")
        print(format_problems(problems))
    print_mistakes(course_root, chapters, csv_path)
    print(f"\nGrades written to {csv_path}")
    return 0
