"""The score table `make` prints: one row per student, one column per chapter."""

import csv
import sys
from collections import defaultdict

from autograder import notebooks as nbs


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


def format_table(table, chapters):
    header = ["student"] + list(chapters) + ["total"]
    rows = []
    for student in sorted(table):
        cells, total, total_max = [student], 0.0, 0.0
        for chapter in chapters:
            if chapter in table[student]:
                score, max_score = table[student][chapter]
                cells.append(f"{score:g}/{max_score:g}")
                total, total_max = total + score, total_max + max_score
            else:
                cells.append("-")
        cells.append(f"{total:g}/{total_max:g}")
        rows.append(cells)
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in [header] + rows]
    return "\n".join(lines)


def main(csv_path):
    table = read_grades(csv_path)
    if not table:
        print(f"No grades in {csv_path}.", file=sys.stderr)
        return 1
    print(format_table(table, nbs.chapters()))
    print(f"\nGrades written to {csv_path}")
    return 0
