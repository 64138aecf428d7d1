"""A term as an instructor runs it: due dates, late work, the exchange, written answers, the LMS.

The end-to-end test runs nbgrader's own commands as subprocesses, as the README's instructor
cycle does, on one machine: an exchange folder under a temporary directory, and three students
with their own home folders. alice answers the written question, bob edits a test cell, carol
submits after the due date. Then: collect, autograde, one written answer graded by hand (through
nbgrader's gradebook API; tests/e2e/test_formgrader.py does it in the formgrader), feedback
released and fetched by each student, export, summary and the LMS export, which must agree.
"""

import csv
import re
import sys
import time
import zipfile
from datetime import UTC, datetime

import pytest

from autograder import examples, feedback, lms, term
from autograder import notebooks as nbs
from autograder.pipeline import collect
from tests.helpers import copy_course, run

CHAPTER = "04_single_neuron_backprop"
COURSE_ID = "backprop-from-scratch"
ROSTER = [
    # id, first_name, last_name, email, lms_user_id
    ("alice", "Alice", "Liddell", "alice@example.org", "1001"),
    ("bob", "Bob", "Builder", "bob@example.org", "1002"),
    ("carol", "Carol", "Danvers", "carol@example.org", "1003"),
]


def test_late_penalty_rule():
    plugin = term.LatePenalty(per_day=0.1, max_fraction=0.5, grace_minutes=15)
    assert plugin.late_submission_penalty("s", 10.0, 10 * 60) == 0  # within the grace period
    assert plugin.late_submission_penalty("s", 10.0, 16 * 60) == 1.0  # first started day
    assert plugin.late_submission_penalty("s", 10.0, 86400 + 1) == 2.0
    assert plugin.late_submission_penalty("s", 10.0, 30 * 86400) == 5.0  # capped
    assert "10% of the points earned per started day late" in plugin.rule()


def test_term_file_due_dates(tmp_path):
    path = tmp_path / "term.toml"
    path.write_text(
        "[late]\nper_day = 0.2\n[due]\n"
        '01_dense_layers = 2027-01-22T23:59:00Z\n02_activations = "2027-01-29T10:00:00+01:00"\n'
        "03_loss = 2027-02-05\n"
    )
    loaded = term.load(path)
    assert loaded["late"] == {"per_day": 0.2}
    assert loaded["due"] == {
        "01_dense_layers": datetime(2027, 1, 22, 23, 59, tzinfo=UTC),
        "02_activations": datetime(2027, 1, 29, 9, 0, tzinfo=UTC),
        "03_loss": datetime(2027, 2, 5, 23, 59, 59, tzinfo=UTC),
    }
    assert term.load(tmp_path / "absent.toml") == {"due": {}, "late": {}}


def test_canvas_late_flag_and_archive_times_are_kept(tmp_path):
    archive = tmp_path / "canvas.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(
            zipfile.ZipInfo("doejane_12345_678901_01_dense_layers.ipynb", (2027, 1, 22, 20, 0, 0)),
            "{}",
        )
        z.writestr(
            zipfile.ZipInfo(
                "smithbob_LATE_12346_678902_01_dense_layers-1.ipynb", (2027, 1, 23, 9, 30, 0)
            ),
            "{}",
        )
    times = collect.archive_times(archive)
    assert times == {
        "12345": (datetime(2027, 1, 22, 20, 0), False),
        "12346": (datetime(2027, 1, 23, 9, 30), True),
    }
    (tmp_path / "submitted" / "12346" / "01_dense_layers").mkdir(parents=True)
    collect.write_timestamps(times, "01_dense_layers", tmp_path / "submitted")
    stamp = (tmp_path / "submitted" / "12346" / "01_dense_layers" / "timestamp.txt").read_text()
    from nbgrader.utils import parse_utc

    assert parse_utc(stamp) == datetime(2027, 1, 23, 9, 30)


def student_run(args, home, exchange, student=None):
    """An nbgrader command as a student runs it: in their home folder, their own cache."""
    command = ["nbgrader", *args, f"--course={COURSE_ID}", f"--Exchange.root={exchange}"]
    command += [f"--Exchange.cache={home / '.nbgrader-cache'}", "--log-level=INFO"]
    if student:
        command.append(f"--student={student}")
    return run(command, home)


@pytest.mark.slow
def test_a_term_from_release_to_returned_feedback(tmp_path):
    (tmp_path / "course").mkdir()
    course = copy_course(tmp_path / "course")
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    homes = {student: tmp_path / "home" / student for student, *_ in ROSTER}
    for home in homes.values():
        home.mkdir(parents=True)
    ex = f"--Exchange.root={exchange}"
    (course / "term.toml").write_text("[late]\ngrace_minutes = 0\n[due]\n")

    # the instructor: roster, then release
    with open(course / "roster.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "first_name", "last_name", "email", "lms_user_id"])
        writer.writerows(ROSTER)
    run(["nbgrader", "db", "student", "import", "roster.csv"], course)
    run(["nbgrader", "generate_assignment", CHAPTER, "--force"], course)
    run(["nbgrader", "release_assignment", CHAPTER, ex], course)

    # the students fetch, work, submit; carol after the due date
    solved = examples.filled(CHAPTER, root=course)
    edited = examples.filled(CHAPTER, root=course, written=False)
    cell = nbs.cell_by_id(edited, "test_relu_derivative")
    cell["source"] = nbs.source_text(cell) + "\nprint('I changed the test')\n"
    work = {"alice": solved, "bob": edited, "carol": examples.filled(CHAPTER, written=False)}
    for student in ("alice", "bob", "carol"):
        student_run(["fetch_assignment", CHAPTER], homes[student], exchange)
        fetched = homes[student] / CHAPTER / f"{CHAPTER}.ipynb"
        assert "YOUR ANSWER HERE" in fetched.read_text()
        nbs.save(work[student], fetched)
        if student == "carol":
            due = datetime.now(UTC).replace(microsecond=0)
            (course / "term.toml").write_text(
                f"[late]\ngrace_minutes = 0\n[due]\n{CHAPTER} = {due:%Y-%m-%dT%H:%M:%S}Z\n"
            )
            time.sleep(2)
        student_run(["submit", CHAPTER], homes[student], exchange, student)

    # the instructor: collect, autograde, grade alice's written answer by hand, feedback
    run(["nbgrader", "collect", CHAPTER, ex], course)
    for student in ("alice", "bob", "carol"):
        assert (course / "submitted" / student / CHAPTER / "timestamp.txt").exists()
    graded = run(["nbgrader", "autograde", CHAPTER], course)
    log = graded.stdout + graded.stderr
    assert "Attribute 'checksum'" not in log, log[-3000:]
    assert len(re.findall(r"Test cell \w+ was edited", log)) == 1, log[-3000:]
    assert "Test cell test_relu_derivative was edited" in log
    assert "carol is late by" in log and "(rule: 100% of the points" not in log
    assert "alice is late" not in log and "bob is late" not in log

    from nbgrader.api import Gradebook

    written = next(iter(nbs.written_answers(nbs.load(nbs.notebook_path(CHAPTER)))))
    with Gradebook(f"sqlite:///{course}/gradebook.db", COURSE_ID) as gb:
        assert gb.find_assignment(CHAPTER).duedate == term.naive_utc(due)
        grade = gb.find_grade(written, CHAPTER, CHAPTER, "alice")
        assert grade.needs_manual_grade and grade.auto_score is None
        grade.manual_score = 1.5  # as the formgrader stores a grade
        gb.db.commit()
        for student in ("bob", "carol"):  # blank answers: 0 without waiting for anyone
            blank = gb.find_grade(written, CHAPTER, CHAPTER, student)
            assert blank.auto_score == 0 and not blank.needs_manual_grade
        carol = gb.find_submission(CHAPTER, "carol")
        assert carol.total_seconds_late > 0
        penalty = float(carol.late_submission_penalty)
        assert penalty == round(0.1 * float(carol.score), 2) > 0

    run(["nbgrader", "generate_feedback", CHAPTER], course)
    run(["nbgrader", "release_feedback", CHAPTER, ex], course)
    for student, home in homes.items():
        student_run(["fetch_feedback", CHAPTER], home, exchange, student)
        pages = list((home / CHAPTER / "feedback").glob(f"*/{CHAPTER}.html"))
        assert len(pages) == 1, pages
        page = pages[0].read_text(encoding="utf-8")
        assert feedback.leaks(page, course, CHAPTER) == [], student
        assert feedback.HIDDEN_NOTE in feedback.page_text(page)

    # the summary, grades.csv and the LMS export agree
    summary = run([sys.executable, "-m", "autograder", "grade", CHAPTER, "--report-only"], course)
    text = summary.stdout
    assert re.search(r"late: carol, .* late, penalty [\d.]+ points", text), text
    assert "example_" not in text
    run([sys.executable, "-m", "autograder", "lms", CHAPTER, "--out", "lms"], course)
    with open(course / "grades.csv", newline="") as f:
        exported = {r["student_id"]: r for r in csv.DictReader(f)}
    assert set(exported) == {"alice", "bob", "carol"}
    assert float(exported["carol"]["late_submission_penalty"]) == penalty
    with open(course / "lms" / "canvas_grades.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == lms.FIXED_COLUMNS + [CHAPTER]
    assert rows[1][0] == "Points Possible"
    canvas = {row[1]: float(row[5]) for row in rows[2:]}
    ids = {student: lms_id for student, *_, lms_id in ROSTER}
    for student, row in exported.items():
        assert canvas[ids[student]] == pytest.approx(float(row["score"]))
    mean = re.search(r"mean ([\d.]+)", text).group(1)
    assert float(mean) == pytest.approx(
        sum(float(r["score"]) for r in exported.values()) / 3, abs=0.01
    )
    alice = float(exported["alice"]["raw_score"])
    assert alice == float(exported["carol"]["raw_score"]) + 1.5  # the hand-graded points
    with zipfile.ZipFile(course / "lms" / f"feedback_{CHAPTER}.zip") as z:
        assert sorted(z.namelist()) == sorted(f"{s}_{CHAPTER}.html" for s in homes)
