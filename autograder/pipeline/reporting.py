"""What a grading run prints at the end: submissions graded despite a problem, those that
could not be graded, and (`report`) the CSV export with each chapter's summary."""

from __future__ import annotations

import os
from argparse import Namespace
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.pipeline import state
from autograder.pipeline.plan import nbgrader_app

if TYPE_CHECKING:
    from nbgrader.coursedir import CourseDirectory

    from autograder.pipeline.worker import Settings


def report_notes(graded: list[dict]) -> None:
    if graded:
        print(f"{len(graded)} submissions graded despite a problem (the student should know):")
    for result in sorted(graded, key=lambda r: (r["chapter"], r["student"])):
        print(f"  {result['chapter']} {result['student']}: {'; '.join(result['problems'])}")


def report_failures(failures: list[dict], settings: Settings) -> None:
    if not failures:
        return
    print(f"{len(failures)} submissions could not be graded:")
    for result in sorted(failures, key=lambda r: (r["chapter"], r["student"])):
        first = (result.get("error") or "").strip().splitlines() or ["?"]
        log = state.log_path(settings.state, result["chapter"], result["student"])
        print(f"  {result['chapter']} {result['student']}: {first[-1][:200]}")
        print(f"    log: {os.path.relpath(log)}")


def report(args: Namespace, settings: Settings, course: CourseDirectory, submitted: Path) -> None:
    """Export the gradebook to CSV and print each chapter's summary."""
    from nbgrader.apps.exportapp import ExportApp

    from autograder import report as report_module
    from autograder.pipeline import db, summary

    csv_path = Path(args.csv or Path(course.root) / "grades.csv").resolve()
    nbgrader_app(ExportApp, [f"--ExportPlugin.to={csv_path}"], settings)
    with db.gradebook(settings.db_url, course.course_id) as gb:
        roster = {s.id for s in gb.students}
        for chapter in args.chapters:
            stats = summary.chapter_stats(gb, chapter)
            print()
            print(summary.format_stats(stats, summary.exercise_labels(chapter, course.root)))
            handed_in = (
                {p.name for p in submitted.iterdir() if (p / chapter).is_dir()}
                if submitted.is_dir()
                else set()
            )
            absent = sorted(roster - handed_in)
            if absent:
                print(
                    f"  no submission ({len(absent)}, 0 points): {', '.join(absent[:20])}"
                    + (" ..." if len(absent) > 20 else "")
                )
            if stats["ungraded"]:
                print(f"  not graded ({len(stats['ungraded'])}): {', '.join(stats['ungraded'])}")
            flagged = (
                state.read_json(Path(settings.state) / "collected" / f"{chapter}.json") or {}
            ).get("flagged_late", [])
            if flagged:
                print(f"  marked LATE_ by the LMS ({len(flagged)}): {', '.join(flagged)}")
            if stats["duedate"] is None:
                print("  no due date (term.toml): late work is not penalised")
    report_module.print_mistakes(course.root, args.chapters, csv_path)
    print(f"\ngrades exported to {csv_path}")
    print(f"one row per student, with reasons: python -m autograder report --csv {csv_path}")
