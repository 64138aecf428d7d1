"""`python -m autograder grade`: parallel autograde on SQLite, resume after a kill, LMS archives.

Each test grades a scratch course (chapter 1 only, to keep the suite fast) in subprocesses, as
an instructor would run it, and reads the results back from nbgrader's gradebook.
"""

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from autograder import examples
from autograder import notebooks as nbs
from autograder.pipeline import collect, db, state, summary
from tests.autograder.pipeline_class import (
    CHAPTER,
    assert_graded,
    expected_scores,
    exported,
    grade,
    grade_cmd,
    gradebook_scores,
    make_course,
    markers,
    sqlite_url,
    submission,
    tree_hashes,
    write_class,
    write_roster,
)
from tests.helpers import ROOT, nbgrader_env

# ---- reading back what only these tests need -------------------------------------------


def all_logs(course):
    return "\n".join(
        p.read_text(errors="replace") for p in (course / ".grading" / "logs").rglob("*.log")
    )


def kill_orphan_kernels(course):
    """Kill kernels whose grading worker is gone (PIDs in .grading/logs/worker-PID.log).

    A kernel polls its parent and exits when it dies (and a sandboxed one dies with it): none
    should be left. Returns the PIDs killed.
    """
    workers = {p.stem.split("-", 1)[1] for p in (course / ".grading" / "logs").glob("worker-*")}
    killed = []
    for proc in Path("/proc").iterdir():
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        parent = [e[15:].decode() for e in environ if e.startswith(b"JPY_PARENT_PID=")]
        if parent and parent[0] in workers and not Path(f"/proc/{parent[0]}").exists():
            os.kill(int(proc.name), signal.SIGKILL)
            killed.append(int(proc.name))
    return killed


# ---- fast unit tests -------------------------------------------------------------------------


def test_sqlite_urls_get_a_busy_timeout_and_postgres_urls_a_driver():
    assert db.normalize("sqlite:////c/gradebook.db") == "sqlite:////c/gradebook.db?timeout=300"
    assert db.normalize("sqlite:////c/g.db?timeout=9") == "sqlite:////c/g.db?timeout=9"
    pg = "postgresql+psycopg2://grader:secret@db.example:5432/backprop"
    assert db.normalize(pg) == pg
    # psycopg 3, the pinned driver, is SQLAlchemy's default: nothing to spell out
    assert db.normalize(pg.replace("+psycopg2", "")) == pg.replace("+psycopg2", "")
    assert db.identity(pg) == "postgresql+psycopg2://grader:***@db.example:5432/backprop"
    assert db.identity("sqlite:////c/g.db?timeout=300") == "sqlite:////c/g.db"


@pytest.mark.parametrize(
    "name, student, notebook",
    [
        ("doejane_12345_678901_01_dense_layers.ipynb", "12345", "01_dense_layers"),
        ("smithbob_LATE_12346_678902_01_dense_layers-1.ipynb", "12346", "01_dense_layers"),
        ("leeann_12347_678903_my homework.ipynb", "12347", "my homework"),
        ("sub/dir/doejane_12345_678901_02_activations-12.ipynb", "12345", "02_activations"),
    ],
)
def test_canvas_file_names_give_student_and_notebook(name, student, notebook):
    assert collect.match(f"/downloads/extracted/{name}") == {
        "student_id": student,
        "file_id": notebook,
    }


@pytest.mark.parametrize("name", ["01_dense_layers.ipynb", "doejane_x_1_nb.ipynb", "a_1_2_n.py"])
def test_names_outside_the_canvas_scheme_are_not_collected(name):
    assert collect.match(f"/downloads/extracted/{name}") is None


def test_summary_histogram_and_most_failed():
    from collections import Counter

    stats = {
        "chapter": "01_x",
        "max_score": 10.0,
        "scores": {"a": 10.0, "b": 5.0, "c": 0.0, "d": 9.5},
        "failed": Counter({"test_forward": 3, "test_init": 1}),
        "attempted": Counter({"test_forward": 4, "test_init": 4}),
        "ungraded": [],
    }
    assert summary.histogram(stats["scores"].values(), 10.0) == [1, 0, 0, 0, 0, 1, 0, 0, 0, 2]
    text = summary.format_stats(stats, {"test_forward": "Exercise 1.2 forward"})
    assert "mean 6.12 (61%)" in text
    lines = text.splitlines()
    failed = lines.index("  most often failed:")
    assert "test_forward" in lines[failed + 1] and "3/4" in lines[failed + 1]
    assert "Exercise 1.2 forward" in lines[failed + 1]
    assert "test_init" in lines[failed + 2]


# ---- the pipeline end to end -----------------------------------------------------------------


@pytest.mark.slow
def test_many_workers_on_sqlite_grade_everyone_without_lock_errors(tmp_path):
    course = make_course(tmp_path)
    kinds = {f"s{i:02d}": k for i, k in enumerate(["correct", "buggy", "blank", "correct"] * 4)}
    kinds["s15"] = "invalid_json"
    incoming = tmp_path / "incoming"  # plain folders, as downloaded: copied, only read
    write_class(incoming, kinds, folder=".")
    write_roster(tmp_path / "roster.csv", [*kinds, "absent1", "absent2"])
    before = tree_hashes(incoming)

    result = grade(
        course,
        *("--submissions", str(incoming), "--roster", str(tmp_path / "roster.csv")),
        *("--workers", "8", "--progress", "always"),
    )

    assert tree_hashes(course / "submitted") == before
    assert f"{CHAPTER}: 16 submissions, 0 already graded, 16 to grade" in result.stdout
    assert "graded 15 of 16" in result.stdout
    assert_graded(course, kinds)
    # parallel writers waited for SQLite's lock instead of failing
    assert "database is locked" not in all_logs(course)
    done = markers(course)
    assert sorted(done) == sorted(s for s, k in kinds.items() if k != "invalid_json")
    assert {m["attempts"] for m in done.values()} == {1}
    assert len({m["worker_pid"] for m in done.values()}) > 1, "graded by one process only"
    # the broken submission is named, with the reason and where to read more
    assert "1 submissions could not be graded" in result.stdout
    assert f"{CHAPTER} s15: {CHAPTER}.ipynb is not valid JSON (line 1" in result.stdout
    assert (course / ".grading/failed" / CHAPTER / "s15.json").exists()
    # feedback for every graded student, export with the roster, summary from per-cell grades
    for student in done:
        assert list((course / "feedback" / student / CHAPTER).glob("*.html")), student
    grades = exported(course / "grades.csv")
    assert set(grades) == {*kinds, "absent1", "absent2"}
    assert grades["s00"] == sum(expected_scores("correct").values())
    assert grades["absent1"] == 0.0
    assert "most often failed" in result.stdout
    for test_id in examples.expected_failures(CHAPTER):
        assert test_id in result.stdout
    # the class's mistakes, as the make report shows them: 4 buggy students of the 15 graded
    assert "Mistakes the hidden tests named" in result.stdout
    assert "(4/15)" in result.stdout
    assert "The class's mistakes" in (course / "mistakes.html").read_text()
    assert "no submission (2, 0 points): absent1, absent2" in result.stdout
    # a progress bar with counts and an ETA (not log lines)
    assert "16/16" in result.stderr and "<" in result.stderr
    # submitted files were only read
    assert tree_hashes(incoming) == before
    assert tree_hashes(course / "submitted") == before

    # a rerun grades nothing that is done (the broken submission is looked at again)
    again = grade(course, "--submissions", str(incoming), "--workers", "8")
    assert "0 submissions copied" in again.stdout and "16 unchanged" in again.stdout
    assert f"{CHAPTER}: 16 submissions, 15 already graded, 1 to grade" in again.stdout
    assert markers(course) == done
    # a resubmission is graded again, and only it
    write_class(course, {"s02": "correct"})
    third = grade(course, "--workers", "2", "--student", "s02", "--no-report")
    assert "1 submissions, 0 already graded, 1 to grade" in third.stdout
    assert gradebook_scores(sqlite_url(course))["s02"] == expected_scores("correct")


@pytest.mark.slow
def test_killed_run_resumes_where_it_stopped(tmp_path):
    course = make_course(tmp_path)
    kinds = {f"k{i}": k for i, k in enumerate(["correct", "buggy", "blank"] * 2)}
    write_class(course, kinds)
    before = tree_hashes(course / "submitted")

    run = subprocess.Popen(
        grade_cmd("--workers", "2"),
        cwd=course,
        env=nbgrader_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill reaches every worker
    )
    deadline = time.monotonic() + 300
    while len(markers(course)) < 2 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    done_before = markers(course)
    assert 2 <= len(done_before) < len(kinds), "kill it mid-run, after some students finished"

    try:
        result = grade(course, "--workers", "2")
    finally:
        orphans = kill_orphan_kernels(course)
    assert not orphans, f"{len(orphans)} kernels outlived their killed grading worker"
    n = len(done_before)
    assert f"6 submissions, {n} already graded, {6 - n} to grade" in result.stdout
    after = markers(course)
    # completed students were not graded again; every other one was, once
    assert {s: after[s] for s in done_before} == done_before
    assert sorted(after) == sorted(kinds)
    assert_graded(course, kinds)
    with db.gradebook(sqlite_url(course), "backprop-from-scratch") as gb:
        submissions = gb.find_assignment(CHAPTER).submissions
        assert sorted(s.student.id for s in submissions) == sorted(kinds)
    assert exported(course / "grades.csv") == {
        s: sum(expected_scores(k).values()) for s, k in kinds.items()
    }
    assert tree_hashes(course / "submitted") == before


@pytest.mark.slow
def test_lms_archive_is_collected_with_zip_collect_and_graded(tmp_path):
    course = make_course(tmp_path)
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(f"doejane_101_9001_{CHAPTER}.ipynb", submission("correct"))
        z.writestr(f"smithbob_LATE_102_9002_{CHAPTER}-1.ipynb", submission("buggy"))
        z.writestr("leeann_103_9003_my work.ipynb", submission("correct"))
        z.writestr("readme.txt", "not a submission")
    write_roster(tmp_path / "roster.csv", ["101", "102", "103", "104"])

    first = grade(
        course, "--zip", str(archive), "--roster", str(tmp_path / "roster.csv"), "--workers", "2"
    )

    submitted = course / "submitted"
    assert (submitted / "101" / CHAPTER / f"{CHAPTER}.ipynb").exists()
    assert (submitted / "102" / CHAPTER / f"{CHAPTER}.ipynb").exists()
    assert (submitted / "103" / CHAPTER / "my work.ipynb").exists()  # renamed: kept as is
    assert "not collected (name does not match the LMS scheme): " in first.stdout
    assert "readme.txt" in first.stdout
    # the renamed notebook is graded under its right name, and the student is told
    assert_graded(course, {"101": "correct", "102": "buggy", "103": "correct"})
    assert f"{CHAPTER} 103: found my work.ipynb instead of {CHAPTER}.ipynb" in first.stdout
    grades = exported(course / "grades.csv")
    assert set(grades) == {"101", "102", "103", "104"}
    before = tree_hashes(submitted)

    again = grade(course, "--zip", str(archive), "--workers", "2")
    assert "collected before (same archive)" in again.stdout
    assert "3 submissions, 3 already graded, 0 to grade" in again.stdout
    assert tree_hashes(submitted) == before


def test_grade_refuses_unknown_chapters_and_bad_shards(tmp_path):
    env = nbgrader_env()
    bad = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "99_nothing"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "no such chapter: 99_nothing" in bad.stderr
    from autograder.grade import GradingError, parse_shard

    assert parse_shard("1/4") == (1, 4)
    for text in ("4/4", "x", "-1/2"):
        with pytest.raises(GradingError):
            parse_shard(text)


def test_submission_hash_sees_contents_and_names(tmp_path):
    folder = tmp_path / "student" / "chapter"
    folder.mkdir(parents=True)
    (folder / "nb.ipynb").write_text("{}")
    first = state.submission_hash(folder)
    assert state.submission_hash(folder) == first
    (folder / "nb.ipynb").write_text("{ }")
    second = state.submission_hash(folder)
    (folder / "nb.ipynb").rename(folder / "other.ipynb")
    third = state.submission_hash(folder)
    (folder / "timestamp.txt").write_text("2025-01-01 00:00:00")
    assert len({first, second, third, state.submission_hash(folder)}) == 4


def test_kubernetes_job_runs_one_valid_shard_per_pod():
    """deploy/grade-job.yaml runs this command line, with N shards for its N completions."""
    import argparse
    import shlex

    import yaml

    from autograder import grade as grade_module

    job = yaml.safe_load((ROOT / "deploy" / "grade-job.yaml").read_text())
    spec = job["spec"]
    assert job["kind"] == "Job" and spec["completionMode"] == "Indexed"
    pod = spec["template"]["spec"]
    container = pod["containers"][0]
    assert container["command"][:2] == ["sh", "-c"]
    for index in range(spec["completions"]):
        script = container["command"][2].replace("${JOB_COMPLETION_INDEX}", str(index))
        argv = shlex.split(script)
        assert argv[:5] == ["exec", "python", "-m", "autograder", "grade"]
        parser = argparse.ArgumentParser()
        grade_module.add_arguments(parser)
        args = parser.parse_args(argv[5:])
        assert grade_module.parse_shard(args.shard) == (index, spec["completions"])
        assert set(args.chapters) <= set(nbs.chapters(ROOT))
    # the gradebook URL reaches nbgrader_config.py; the course is the working directory
    assert "BACKPROP_DB_URL" in {e["name"] for e in container["env"]}
    assert 'os.environ.get("BACKPROP_DB_URL"' in (ROOT / "nbgrader_config.py").read_text()
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert container["workingDir"] in mounts


def test_z2jh_values_mount_the_exchange_nbgrader_is_told_about():
    import yaml

    values = yaml.safe_load((ROOT / "deploy" / "z2jh-values.yaml").read_text())["singleuser"]
    config = values["extraFiles"]["nbgrader-exchange"]["stringData"]
    root = config.split('c.Exchange.root = "')[1].split('"')[0]
    assert root in {m["mountPath"] for m in values["storage"]["extraVolumeMounts"]}
    instructor = values["profileList"][1]["kubespawner_override"]
    assert root in {m["mountPath"] for m in instructor["volume_mounts"]}
    # students never mount the course (it holds the reference solutions)
    assert "course" not in {v["name"] for v in values["storage"]["extraVolumes"]}
