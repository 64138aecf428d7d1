"""Before grading: collect submissions, import the roster, put each chapter in the gradebook
(`prepare`), then decide which submissions to grade or give feedback to (`plan`)."""

from __future__ import annotations

import tempfile
from argparse import Namespace
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.pipeline import state

if TYPE_CHECKING:
    from nbgrader.coursedir import CourseDirectory

    from autograder.pipeline.worker import Settings, Task


class GradingError(Exception):
    """A problem with the run itself (not with one submission): reported, exit status 1."""


def course_config() -> CourseDirectory:
    """nbgrader's CourseDirectory, configured as the command line configures it."""
    from nbgrader.apps.baseapp import NbGrader

    app = NbGrader()
    app.initialize(["--log-level=WARN"])
    return app.coursedir


def nbgrader_app(app_class, argv: list[str], settings: Settings) -> None:
    """Run an nbgrader command in this process, as its command line would."""
    app = app_class()
    app.initialize([*argv, *settings.nbgrader_argv(log_level="WARN")])
    try:
        app.start()
    except SystemExit as exit_:
        if exit_.code:
            raise GradingError(f"{app.name} {' '.join(argv)} failed") from None


def prepare(args: Namespace, settings: Settings, course: CourseDirectory, submitted: Path) -> None:
    """Collect submissions, import the roster, put each chapter in the gradebook."""
    from autograder.pipeline import collect, db

    if args.submissions:
        copied, same, refused = collect.copy_folders(args.submissions, args.chapters, submitted)
        print(f"{args.submissions}: {copied} submissions copied into {submitted}, {same} unchanged")
        for name, why in refused:
            print(f"  not copied: {name}: {why}")
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
        for name in record.get("refused", []):
            print(f"  not collected: {name}")
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


def plan(
    args: Namespace,
    settings: Settings,
    course: CourseDirectory,
    submitted: Path,
    shard: tuple[int, int] | None,
) -> list[Task]:
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
