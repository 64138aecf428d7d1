"""One grading worker process: nbgrader's own converters, in-process, one student at a time.

`nbgrader autograde CHAPTER --student ID` spends about 3 s importing nbgrader (nbformat's schema
validation alone pulls in a grammar compiler) and reading its configuration before it starts the
student's kernel. A worker pays that once: it loads the course's nbgrader configuration the way
the command line does (`AutogradeApp.initialize`, so nbgrader_config.py and its limits apply),
then runs nbgrader's `Autograde` converter for each submission it is given, exactly what
`AutogradeApp.start` does. Every submission still gets its own fresh kernel.

The worker writes the submission's marker (see state.py) only after autograde, and its feedback,
succeeded; each submission's nbgrader log goes to `.grading/logs/<chapter>/<student>.log`.
"""

import logging
import os
import re
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from autograder import feedback, notes, submissions
from autograder import notebooks as nbs
from autograder.pipeline import db, state

# Retries when SQLite still reports a lock after its busy timeout (see db.py); never expected.
LOCK_ATTEMPTS = 3


@dataclass(frozen=True)
class Settings:
    """What every worker needs: picklable, passed once to each worker process."""

    root: str
    db_url: str
    state: str
    # what nbgrader grades: checked copies of the submissions (see stage())
    staged_dir: str
    feedback: bool = True
    extra_argv: tuple = field(default_factory=tuple)

    def nbgrader_argv(self, log_level="INFO"):
        """Command-line options for nbgrader apps: take priority over nbgrader_config.py."""
        return [
            f"--CourseDirectory.db_url={self.db_url}",
            f"--log-level={log_level}",
            *self.extra_argv,
        ]


@dataclass(frozen=True)
class Task:
    chapter: str
    student: str
    kind: str  # "grade": autograde then feedback; "feedback": feedback only
    submission_hash: str


_app = None
_settings = None


def start(settings, redirect=True):
    """Process initializer: load nbgrader and the course configuration once."""
    global _app, _settings
    _settings = settings
    if redirect:
        # Kernels and nbgrader print warnings to stderr; keep them off the progress bar.
        log = Path(settings.state) / "logs" / f"worker-{os.getpid()}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    from sqlalchemy.exc import SAWarning

    # nbgrader 0.9 triggers harmless autoflush warnings on every submission
    warnings.filterwarnings("ignore", category=SAWarning)
    os.chdir(settings.root)
    _app = make_app(settings, kernel_sockets())
    share_compiled_templates()


class _TemplateCache:
    """Jinja's compiled templates, kept in memory for the worker's life (a jinja2
    BytecodeCache: a template whose source changed has another checksum and is compiled anew).

    nbgrader's GenerateFeedback makes a new HTML exporter, so a new Jinja environment, for each
    notebook, and compiling nbconvert's templates again cost more CPU than rendering them."""

    def __init__(self):
        self.store = {}

    def load_bytecode(self, bucket):
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()

    def clear(self):
        self.store.clear()


def share_compiled_templates():
    """Every nbconvert exporter in this process shares one _TemplateCache."""
    import jinja2
    from nbconvert.exporters.templateexporter import TemplateExporter

    create = TemplateExporter._create_environment
    if getattr(create, "shares_templates", False):
        return
    cache = type("SharedTemplates", (_TemplateCache, jinja2.BytecodeCache), {})()

    def create_environment(self):
        environment = create(self)
        environment.bytecode_cache = cache
        return environment

    create_environment.shares_templates = True
    TemplateExporter._create_environment = create_environment


def kernel_sockets():
    """Kernel options: Unix sockets of this worker's own, and no graceful shutdown.

    With TCP, jupyter_client picks free ports by binding and releasing them, then the kernel
    binds them: kernels starting at the same moment in other workers can take the same port
    ("Address already in use", the kernel dies). A socket path per worker cannot collide.
    """
    import multiprocessing.util
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="grading-kernels-")
    multiprocessing.util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=0)
    return [
        "--KernelManager.transport=ipc",
        f"--KernelManager.ip={folder}/kernel",
        # Once the last cell ran, waiting for the kernel's orderly exit (about 0.4 s each,
        # most of it idle) grades nothing: stop it at once.
        "--Execute.shutdown_kernel=immediate",
    ]


def make_app(settings, extra_argv=()):
    """An AutogradeApp initialised as `nbgrader autograde` initialises itself."""
    from nbgrader.apps.autogradeapp import AutogradeApp

    extra_argv = [f"--CourseDirectory.submitted_directory={settings.staged_dir}", *extra_argv]
    app = AutogradeApp()
    # nbgrader_config.py brings the grading limits, hidden tests run in this process and the
    # feedback filter (autograder/safety.py, execute.py, feedback.py): nothing is added here
    app.initialize([*settings.nbgrader_argv(), *extra_argv])
    for handler in app.log.handlers:
        handler.setLevel(logging.ERROR)  # the full log of each submission has its own file
    return app


# nbgrader reads a student id as a glob pattern over the submission folders: the task of a
# folder named `*` would autograde (with --force: first deleting their graded notebooks) and
# give feedback to every student staged, under their ids, while their own workers restage them
PATTERN = re.compile(r"[*?[]")
PATTERN_ID = (
    "the folder name {!r} has *, ? or [, which nbgrader reads as a glob pattern over the other "
    "students' folders: not graded (rename the folder to the student's id)"
)


def grade_one(task):
    """Grade one submission; returns a result dict (the marker's content, or the failure)."""
    started = time.time()
    timings = {}
    logfile = state.log_path(_settings.state, task.chapter, task.student)
    logfile.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(logfile, mode="w", encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    _app.log.addHandler(handler)
    result = {
        "chapter": task.chapter,
        "student": task.student,
        "kind": task.kind,
        "submission_sha256": task.submission_hash,
        "gradebook": _db_identity(),
        "worker_pid": os.getpid(),
        "attempts": 0,
    }
    try:
        if PATTERN.search(task.student):
            return _failed(result, PATTERN_ID.format(task.student), timings, started)
        if task.kind == "grade":
            t = time.perf_counter()
            problems = stage(task.chapter, task.student)
            if problems:
                result["problems"] = [str(p) for p in problems]
            if not submissions.gradable(problems):
                if _settings.feedback:
                    write_problem_page(task.chapter, task.student, problems)
                return _failed(result, "; ".join(map(str, problems)), timings, started)
            ok, error = False, ""
            while not ok and result["attempts"] < LOCK_ATTEMPTS:
                result["attempts"] += 1
                ok, error = autograde(task.chapter, task.student)
                if not ok and "database is locked" in _read(logfile):
                    time.sleep(result["attempts"])
                    continue
                break
            timings["autograde"] = time.perf_counter() - t
            if not ok:
                return _failed(result, error or _last_error(logfile), timings, started)
            # what the grader noted in the notebook (a dead kernel, restored metadata)
            graded = nbs.notebook_path(task.chapter, f"autograded/{task.student}", _settings.root)
            noted = notes.read(nbs.load(graded))
            if noted:
                result["problems"] = [*result.get("problems", []), *noted]
        else:
            problems = submissions.inspect(_settings.root, task.chapter, task.student)
        result["score"], result["max_score"] = db.submission_score(
            _settings.db_url, _app.coursedir.course_id, task.chapter, task.student
        )
        if _settings.feedback:
            t = time.perf_counter()
            ok, error = write_feedback(task.chapter, task.student, problems)
            timings["feedback"] = time.perf_counter() - t
            if not ok:
                return _failed(result, "feedback: " + error, timings, started)
        result.update(ok=True, seconds=timings, finished=time.time(), started=started)
        result["feedback"] = _settings.feedback
        state.write_json(state.marker_path(_settings.state, task.chapter, task.student), result)
        state.failure_path(_settings.state, task.chapter, task.student).unlink(missing_ok=True)
        return result
    except Exception:
        return _failed(result, traceback.format_exc(), timings, started)
    finally:
        _app.log.removeHandler(handler)
        handler.close()


def autograde(chapter, student):
    """nbgrader's Autograde converter for one student, as `nbgrader autograde --force`."""
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import NbGraderException
    from nbgrader.utils import temp_attrs

    with temp_attrs(_app.coursedir, assignment_id=chapter, student_id=student):
        converter = Autograde(coursedir=_app.coursedir, parent=_app)
        converter.force = True
        converter.create_student = True
        try:
            converter.start()
        except NbGraderException as error:
            return False, str(error)
    return True, ""


def stage(chapter, student):
    """Problems with a submission (autograder/submissions.py: invalid JSON, renamed, another
    chapter's notebook, missing...), after copying what nbgrader should grade into the staging
    folder (a renamed notebook under its right name): nbgrader never opens submitted files."""
    found = submissions.stage(_settings.root, chapter, _settings.staged_dir, students_=[student])
    return found.get(student, [])


def write_feedback(chapter, student, problems):
    """The student's feedback page: nbgrader's GenerateFeedback, in-process, as configured by
    nbgrader_config.py (autograder/feedback.py's filter leaves hidden tests and grader frames
    out); then, as `feedback.generate` does for a whole chapter, a note on problems that did
    not stop grading, and its leak check (a page that still shows grader code is deleted)."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.utils import temp_attrs
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.template_name = "feedback"  # as nbgrader's own API sets it
    with temp_attrs(_app.coursedir, assignment_id=chapter, student_id=student):
        converter = GenerateFeedback(coursedir=_app.coursedir, parent=_app)
        converter.update_config(config)
        converter.force = True
        ok, error = _call(converter.start)
    if not ok:
        return ok, error
    path = feedback.feedback_path(_settings.root, chapter, student)
    page = path.read_text(encoding="utf-8")
    if problems:
        page = feedback.note_problems(page, problems)
        path.write_text(page, encoding="utf-8")
    found = feedback.leaks(page, _settings.root, chapter)
    if found:
        path.unlink()
        return False, f"withheld, it shows grader code: {', '.join(found)}"
    return True, ""


def write_problem_page(chapter, student, problems):
    """For a submission that cannot be graded: a feedback page that says why."""
    path = feedback.feedback_path(_settings.root, chapter, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(feedback.problem_page(chapter, student, problems), encoding="utf-8")


def _call(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except Exception as error:  # reported per student; the batch goes on
        _app.log.error(traceback.format_exc())
        return False, f"{type(error).__name__}: {error}"
    return True, ""


def _failed(result, error, timings, started):
    result.update(ok=False, error=error.strip(), seconds=timings, finished=time.time())
    result["started"] = started
    chapter, student = result["chapter"], result["student"]
    state.write_json(state.failure_path(_settings.state, chapter, student), result)
    # an earlier grade of this student no longer stands for what was submitted
    state.marker_path(_settings.state, chapter, student).unlink(missing_ok=True)
    return result


def _db_identity():
    return db.identity(_settings.db_url)


def _read(path):
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _last_error(logfile):
    """The most useful lines of an nbgrader log: its errors."""
    lines = [line for line in _read(logfile).splitlines() if line.startswith("[ERROR]")]
    return "\n".join(lines[-5:]) or "nbgrader autograde failed (see the log)"
