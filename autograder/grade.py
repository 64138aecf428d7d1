"""`python -m autograder grade CHAPTER...`: grade a class, resumably, on every core.

One run:
1. collects submissions into the course's `submitted/` (plain folders with `--submissions`, an
   LMS download archive with `--zip`, through nbgrader's zip_collect; pipeline/collect.py) and
   imports the roster into the gradebook (`--roster`, as `nbgrader db student import`);
2. makes sure the gradebook knows each chapter (as `nbgrader generate_assignment`, into a
   scratch release folder so that the committed `release/` is left alone);
3. autogrades every submission not graded yet, `--workers` processes at a time (default: one
   per core), each running nbgrader's own Autograde converter for one student at a time on a
   copy of the submission that autograder/submissions.py checked (a submission it cannot grade
   is reported with the reason), then writes that student's feedback (pipeline/worker.py); a
   progress bar shows counts and ETA;
4. exports the gradebook to CSV (as `nbgrader export`) and prints, per chapter, the mean, the
   distribution and the exercises most often failed (pipeline/summary.py).

Rerunning after a crash or a kill resumes: a submission graded by an earlier run (pipeline/
state.py says what that means) is not graded again unless `--regrade` is given or its files
changed. Submitted files are only read. The gradebook is nbgrader's, SQLite by default (with a
long busy timeout so that parallel workers wait for each other instead of failing; pipeline/
db.py), or PostgreSQL with `--db-url`. `--shard K/N` grades one slice of the class, for one pod
of a Kubernetes Job each (docs/scaling.md).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import notebooks as nbs
from autograder.pipeline import state


def add_arguments(parser):
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


class GradingError(Exception):
    """A problem with the run itself (not with one submission): reported, exit status 1."""


def main(args):
    started = time.perf_counter()
    # nbformat's jsonschema imports rfc3987_syntax if it can, which builds a parser for IRIs
    # at import time: 1 to 3 s per process here, for a format no notebook schema uses.
    sys.modules.setdefault("rfc3987_syntax", None)
    root = nbs.ROOT
    os.chdir(root)
    # nbgrader runs `alembic` (from its own environment) when it creates a gradebook
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
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


def parse_shard(text):
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise GradingError(f"--shard expects K/N, e.g. 0/4, got {text!r}") from None
    if not 0 <= k < n:
        raise GradingError(f"--shard {text}: need 0 <= K < N")
    return k, n


def course_config():
    """nbgrader's CourseDirectory, configured as the command line configures it."""
    from nbgrader.apps.baseapp import NbGrader

    app = NbGrader()
    app.initialize(["--log-level=WARN"])
    return app.coursedir


def nbgrader_app(app_class, argv, settings):
    """Run an nbgrader command in this process, as its command line would."""
    app = app_class()
    app.initialize([*argv, *settings.nbgrader_argv(log_level="WARN")])
    try:
        app.start()
    except SystemExit as exit_:
        if exit_.code:
            raise GradingError(f"{app.name} {' '.join(argv)} failed") from None


def prepare(args, settings, course, submitted):
    """Collect submissions, import the roster, put each chapter in the gradebook."""
    from autograder.pipeline import collect, db

    if args.submissions:
        copied, same = collect.copy_folders(args.submissions, args.chapters, submitted)
        print(f"{args.submissions}: {copied} submissions copied into {submitted}, {same} unchanged")
    if args.zip:
        record = collect.collect(
            args.zip,
            args.chapters[0],
            settings,
            args.lms_regexp or collect.CANVAS_REGEXP,
            submitted=submitted,
        )
        if record.get("already"):
            print(f"{args.zip}: collected before (same archive), submissions left as they are")
        else:
            print(f"{args.zip}: collected {len(record['students'])} students")
        for name in record.get("skipped", []):
            print(f"  not collected (name does not match the LMS scheme): {name}")
    if args.roster:
        from nbgrader.apps.dbapp import DbStudentImportApp

        nbgrader_app(DbStudentImportApp, [str(Path(args.roster).resolve())], settings)
    for chapter in args.chapters:
        if not db.assignment_ready(settings.db_url, course.course_id, chapter):
            from nbgrader.apps.generateassignmentapp import GenerateAssignmentApp

            with tempfile.TemporaryDirectory() as scratch:
                nbgrader_app(
                    GenerateAssignmentApp,
                    [chapter, "--force", f"--CourseDirectory.release_directory={scratch}"],
                    settings,
                )


def plan(args, settings, course, submitted, shard):
    """The submissions to grade (or to write feedback for) now; prints one line per chapter."""
    from autograder.pipeline import db
    from autograder.pipeline.worker import Task

    tasks = []
    for chapter in args.chapters:
        students = (
            sorted(
                p.name
                for p in submitted.iterdir()
                if (p / chapter).is_dir() and not p.name.startswith(".")
            )
            if submitted.is_dir()
            else []
        )
        if args.student:
            missing = sorted(set(args.student) - set(students))
            if missing:
                raise GradingError(f"no submission of {chapter} for: {', '.join(missing)}")
            students = [s for s in students if s in args.student]
        if shard is not None:
            students = students[shard[0] :: shard[1]]
        graded = (
            set()
            if args.regrade
            else db.graded_students(settings.db_url, course.course_id, chapter)
        )
        identity = db.identity(settings.db_url)
        done = feedback_only = 0
        for student in students:
            digest = state.submission_hash(submitted / student / chapter)
            marker = state.read_json(state.marker_path(settings.state, chapter, student))
            complete = (
                student in graded
                and marker is not None
                and marker.get("submission_sha256") == digest
                and marker.get("gradebook") == identity
                and any(Path(course.format_path("autograded", student, chapter)).glob("*.ipynb"))
            )
            if not complete:
                tasks.append(Task(chapter, student, "grade", digest))
            elif settings.feedback and not any(
                Path(course.format_path("feedback", student, chapter)).glob("*.html")
            ):
                tasks.append(Task(chapter, student, "feedback", digest))
                feedback_only += 1
            else:
                done += 1
        line = f"{chapter}: {len(students)} submissions, {done} already graded"
        line += f", {len(students) - done - feedback_only} to grade"
        if feedback_only:
            line += f", {feedback_only} need feedback only"
        print(line)
    return tasks


def preload():
    """Import what workers use before forking them: each worker then starts in milliseconds
    instead of importing nbgrader (about 3 s) itself."""
    import compileall

    import nbclient  # noqa: F401
    import nbgrader.apps.autogradeapp  # noqa: F401
    import nbgrader.converters  # noqa: F401

    warm_matplotlib()
    # Every kernel imports the course's modules; with PYTHONDONTWRITEBYTECODE set (as in some
    # environments) none of them would ever be cached: compile them once, here.
    for package in ("autograder", "course"):
        compileall.compile_dir(nbs.ROOT / package, quiet=1)


def warm_matplotlib():
    """Build matplotlib's font cache once, rather than in every kernel of the first batch."""
    import matplotlib

    if not list(Path(matplotlib.get_cachedir()).glob("fontlist-*.json")):
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=False)


def run_tasks(tasks, settings, workers, progress="auto"):
    """Grade `tasks` on `workers` processes; returns one result per task.

    A worker that dies (the OOM killer, a segfault) breaks the whole process pool: the tasks
    still pending go to a fresh pool, at most three times.
    """
    if not tasks:
        return []
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from tqdm import tqdm

    from autograder.pipeline import worker

    preload()
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    tqdm.monitor_interval = 0  # no monitor thread: the pool forks after the bar exists
    bar = tqdm(
        total=len(tasks),
        unit="nb",
        desc="grading",
        dynamic_ncols=True,
        disable={"auto": None, "always": False, "never": True}[progress],
        file=sys.stderr,
    )
    results, pending, broken = [], list(tasks), 0
    try:
        while pending:
            pool = ProcessPoolExecutor(
                min(workers, len(pending)),
                mp_context=context,
                initializer=worker.start,
                initargs=(settings,),
            )
            futures = {pool.submit(worker.grade_one, task): task for task in pending}
            pending = []
            try:
                for future in as_completed(futures):
                    result = future.result()
                    results.append(result)
                    bar.update(1)
                    failed = sum(not r.get("ok") for r in results)
                    if failed:
                        bar.set_postfix(failed=failed, refresh=False)
            except BrokenProcessPool:
                broken += 1
                finished = {(r["chapter"], r["student"]) for r in results}
                pending = [t for t in futures.values() if (t.chapter, t.student) not in finished]
                if broken >= 3:
                    for task in pending:
                        results.append(_crashed(task))
                        bar.update(1)
                    pending = []
            except KeyboardInterrupt:
                pool.shutdown(wait=False, cancel_futures=True)
                bar.close()
                print("\ninterrupted: run the same command again to resume", file=sys.stderr)
                raise
            pool.shutdown(wait=True)
    finally:
        bar.close()
    return results


def _crashed(task):
    return {
        "chapter": task.chapter,
        "student": task.student,
        "ok": False,
        "error": "the grading process died three times (out of memory?)",
    }


def report_notes(graded):
    if graded:
        print(f"{len(graded)} submissions graded despite a problem (the student should know):")
    for result in sorted(graded, key=lambda r: (r["chapter"], r["student"])):
        print(f"  {result['chapter']} {result['student']}: {'; '.join(result['problems'])}")


def report_failures(failures, settings):
    if not failures:
        return
    print(f"{len(failures)} submissions could not be graded:")
    for result in sorted(failures, key=lambda r: (r["chapter"], r["student"])):
        first = (result.get("error") or "").strip().splitlines() or ["?"]
        log = state.log_path(settings.state, result["chapter"], result["student"])
        print(f"  {result['chapter']} {result['student']}: {first[-1][:200]}")
        print(f"    log: {os.path.relpath(log)}")


def report(args, settings, course, submitted):
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


def cli(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder grade")
    add_arguments(parser)
    return main(parser.parse_args(argv))
