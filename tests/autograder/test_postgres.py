"""The grading pipeline on a PostgreSQL gradebook, as a class too big for one machine runs it.

The tests start their own PostgreSQL server (Debian's `postgresql` package: initdb and pg_ctl,
in a temporary folder, on a free loopback port, as the `postgres` user when run as root, since
the server refuses to run as root) and stop it afterwards. They are skipped only when the server
binaries are not installed; .ci/run installs them.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from autograder.pipeline import db
from tests.autograder import pipeline_class
from tests.helpers import nbgrader_env

pytestmark = pytest.mark.slow


def server_binaries():
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    bindir = server_binaries()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) are not installed: "
            "apt-get install postgresql (.ci/run does)"
        )
    base = Path(tempfile.mkdtemp(prefix="backprop-pg-"))
    as_user = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        try:
            user = pwd.getpwnam("postgres")  # made by Debian's package
        except KeyError:
            user = pwd.getpwnam("nobody")
        os.chown(base, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", user.pw_name, "--"]
    data, port = base / "data", free_port()

    def run(*cmd):
        subprocess.run([*as_user, *map(str, cmd)], check=True, capture_output=True, timeout=120)

    run(bindir / "initdb", "-D", data, "-U", "grader", "--auth=trust", "-E", "UTF8", "--no-sync")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off"
    run(bindir / "pg_ctl", "-D", data, "-l", base / "server.log", "-w", "-o", options, "start")
    try:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=port, user="grader", dbname="postgres", autocommit=True
        ) as admin:
            admin.execute("CREATE DATABASE backprop")
        yield f"postgresql://grader@127.0.0.1:{port}/backprop"
    finally:
        run(bindir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


def test_separate_grading_processes_share_only_postgres_and_the_course(tmp_path, postgres_url):
    course = pipeline_class.make_course(tmp_path)
    kinds = {f"p{i}": k for i, k in enumerate(["correct", "buggy", "blank"] * 2)}
    pipeline_class.write_class(course, kinds)
    pipeline_class.write_roster(tmp_path / "roster.csv", [*kinds, "absent"])
    before = pipeline_class.tree_hashes(course / "submitted")
    on_postgres = ["--db-url", postgres_url]

    # 1. once: the roster and the chapter into the gradebook
    prepared = pipeline_class.grade(
        course, "--prepare-only", "--roster", str(tmp_path / "roster.csv"), *on_postgres
    )
    assert "gradebook: postgresql://grader@127.0.0.1" in prepared.stdout
    # 2. the shards, as the pods of a Kubernetes Indexed Job: independent processes
    shards = [
        subprocess.Popen(
            pipeline_class.grade_cmd("--shard", f"{k}/2", "--workers", "2", *on_postgres),
            cwd=course,
            env=nbgrader_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for k in range(2)
    ]
    outputs = [shard.communicate(timeout=600)[0] for shard in shards]
    assert [shard.returncode for shard in shards] == [0, 0], outputs
    assert "3 submissions, 0 already graded, 3 to grade" in outputs[0]
    assert "3 submissions, 0 already graded, 3 to grade" in outputs[1]
    assert all("graded 3 of 3" in output for output in outputs), outputs
    # 3. once: nothing left to grade; export and summary
    final = pipeline_class.grade(course, *on_postgres)
    assert "6 submissions, 6 already graded, 0 to grade" in final.stdout, (outputs, final.stdout)

    pipeline_class.assert_graded(course, kinds, postgres_url)
    assert set(pipeline_class.gradebook_scores(postgres_url)) == set(kinds)
    assert not (course / "gradebook.db").exists(), "graded into SQLite instead"
    done = pipeline_class.markers(course)
    assert sorted(done) == sorted(kinds)
    assert {m["gradebook"] for m in done.values()} == {db.identity(db.normalize(postgres_url))}
    assert len({m["worker_pid"] for m in done.values()}) >= 3
    assert pipeline_class.exported(course / "grades.csv") == {
        **{s: sum(pipeline_class.expected_scores(k).values()) for s, k in kinds.items()},
        "absent": 0.0,
    }
    assert "most often failed" in final.stdout
    assert pipeline_class.tree_hashes(course / "submitted") == before
