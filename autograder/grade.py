"""`python -m autograder grade CHAPTER...`: grade a class, resumably, on every core.

One run:
1. collects submissions into the course's `submitted/` (plain folders with `--submissions`, an
   LMS download archive with `--zip`, through nbgrader's zip_collect; pipeline/collect.py) and
   imports the roster into the gradebook (`--roster`, as `nbgrader db student import`);
2. makes sure the gradebook knows each chapter (as `nbgrader generate_assignment`, into a
   scratch release folder so that the committed `release/` is left alone; pipeline/plan.py);
3. autogrades every submission not graded yet, `--workers` processes at a time (default: one
   per core), each running nbgrader's own Autograde converter for one student at a time on a
   copy of the submission that autograder/submissions.py checked (a submission it cannot grade
   is reported with the reason), then writes that student's feedback (pipeline/worker.py); a
   progress bar shows counts and ETA (pipeline/run.py);
4. exports the gradebook to CSV (as `nbgrader export`) and prints, per chapter, the mean, the
   distribution and the exercises most often failed (pipeline/reporting.py, summary.py).

Rerunning after a crash or a kill resumes: a submission graded by an earlier run (pipeline/
state.py says what that means) is not graded again unless `--regrade` is given or its files
changed. Submitted files are only read. The gradebook is nbgrader's, SQLite by default (with a
long busy timeout so that parallel workers wait for each other instead of failing; pipeline/
db.py), or PostgreSQL with `--db-url`. `--shard K/N` grades one slice of the class, for one pod
of a Kubernetes Job each (docs/scaling.md).
"""

import argparse
import os
import sys
import time
from pathlib import Path

from autograder import notebooks as nbs
from autograder.pipeline import state
from autograder.pipeline.plan import GradingError, course_config, plan, prepare
from autograder.pipeline.reporting import report, report_failures, report_notes
from autograder.pipeline.run import run_tasks

__all__ = ["GradingError", "add_arguments", "cli", "main", "parse_shard"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("chapters", nargs="+", metavar="CHAPTER", help="chapters to grade")
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--submissions",
        metavar="DIR",
        help="folder of <student>/<chapter>/ to copy into the course's submitted/ first",
    )
    source.add_argument(
        "--zip",
        metavar="ARCHIVE",
        help="an LMS download archive (Canvas naming by default) to collect first; one chapter",
    )
    parser.add_argument(
        "--lms-regexp",
        metavar="REGEXP",
        help="zip_collect's FileNameCollectorPlugin.named_regexp (default: Canvas file names)",
    )
    parser.add_argument(
        "--roster",
        metavar="CSV",
        help="students to import into the gradebook (columns: id, first_name, last_name, email)",
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="parallel graders (default: cores)"
    )
    parser.add_argument(
        "--regrade", action="store_true", help="grade again submissions already graded"
    )
    parser.add_argument(
        "--db-url", metavar="URL", help="gradebook (default: nbgrader_config.py's db_url)"
    )
    parser.add_argument(
        "--student", action="append", metavar="ID", help="grade only this student (repeatable)"
    )
    parser.add_argument(
        "--shard",
        metavar="K/N",
        help="grade the K-th of N slices of the class (0 <= K < N): one per pod or machine; "
        "skips collection, roster and report (run those once, before and after)",
    )
    parser.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    phase = parser.add_mutually_exclusive_group()
    phase.add_argument(
        "--prepare-only", action="store_true", help="collect, import the roster, stop"
    )
    phase.add_argument(
        "--report-only", action="store_true", help="export and summarise, grade nothing"
    )
    parser.add_argument("--no-report", action="store_true", help="skip export and summary")
    parser.add_argument(
        "--csv", metavar="PATH", help="where to export grades (default: grades.csv in the course)"
    )
    parser.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress bar: auto shows it on a terminal",
    )


def main(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    root = nbs.ROOT
    os.chdir(root)
    from autograder.pipeline.db import nbgrader_env

    os.environ["PATH"] = nbgrader_env()["PATH"]
    try:
        return _run(args, root, started)
    except GradingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _run(args, root, started):
    known = nbs.chapters(root)
    unknown = [c for c in args.chapters if c not in known]
    if unknown:
        raise GradingError(f"no such chapter: {', '.join(unknown)} (chapters: {', '.join(known)})")
    if args.zip and len(args.chapters) != 1:
        raise GradingError("--zip collects one chapter's archive: name exactly one chapter")
    shard = parse_shard(args.shard) if args.shard else None
    if args.workers < 1:
        raise GradingError("--workers must be at least 1")
    from autograder.pipeline import db
    from autograder.pipeline.worker import Settings

    course = course_config()
    state_dir = state.state_dir(root)
    settings = Settings(
        root=str(root),
        db_url=db.normalize(args.db_url or course.db_url),
        state=str(state_dir),
        staged_dir=str(state_dir / "staged"),
        feedback=not args.no_feedback,
    )
    submitted = Path(course.format_path(course.submitted_directory, ".", ".")).resolve()
    print(f"gradebook: {db.identity(settings.db_url)}")

    if not args.report_only:
        if shard is None:
            prepare(args, settings, course, submitted)
        for chapter in args.chapters:
            if not db.assignment_ready(settings.db_url, course.course_id, chapter):
                raise GradingError(
                    f"{chapter} is not in the gradebook: run without --shard (or --prepare-only)"
                )
        if args.prepare_only:
            return 0
        tasks = plan(args, settings, course, submitted, shard)
        results = run_tasks(tasks, settings, args.workers, args.progress)
        failures = [r for r in results if not r.get("ok")]
        report_notes([r for r in results if r.get("ok") and r.get("problems")])
        report_failures(failures, settings)
        if tasks:
            workers = min(args.workers, len(tasks))
            print(
                f"graded {len(results) - len(failures)} of {len(tasks)}, "
                f"done in {time.perf_counter() - started:.1f} s with {workers} worker processes"
            )
    if shard is None and not args.no_report:
        report(args, settings, course, submitted)
    return 0


def parse_shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise GradingError(f"--shard expects K/N, e.g. 0/4, got {text!r}") from None
    if not 0 <= k < n:
        raise GradingError(f"--shard {text}: need 0 <= K < N")
    return k, n


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder grade")
    add_arguments(parser)
    return main(parser.parse_args(argv))
