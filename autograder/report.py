"""The score table `make` prints: one row per student, one column per chapter.

nbgrader exports 0.0 for a submission it could not grade (invalid JSON, a renamed notebook,
another chapter's notebook, nothing submitted) and for one whose grading failed. The table
shows those with their reason instead (autograder/submissions.py), marked `*`, and lists the
problems under it for the instructor.
"""

import csv
import sys
from collections import defaultdict
from pathlib import Path

from autograder import notebooks as nbs
from autograder import submissions


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


def format_table(table, chapters, problems=None):
    """The table as text. problems: {(student, chapter): [Problem]} (see collect_problems)."""
    problems = problems or {}
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
                cells.append(f"{score:g}/{max_score:g}" + (" *" if found else ""))
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


def main(csv_path, course_root=nbs.ROOT):
    table = read_grades(csv_path) if Path(csv_path).exists() else {}
    chapters = nbs.chapters(course_root)
    problems = collect_problems(course_root, table, chapters)
    if not table and not problems:
        print(f"No grades in {csv_path}.", file=sys.stderr)
        return 1
    print(format_table(table, chapters, problems))
    if problems:
        print("\n* Submissions with problems (graded ones show their score):")
        print(format_problems(problems))
    print(f"\nGrades written to {csv_path}")
    return 0
