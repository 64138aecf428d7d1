"""Red team of the pipeline's intake: what one student can put in an LMS download or a drop
folder must cost only that student, never the batch or another student. Each test failed before
its fix (autograder/pipeline/intake.py, collect.py).

A Canvas download is a flat zip of `<name>_<user id>_<submission id>_<uploaded name>` files; the
only parts a student controls are the uploaded name (no `/`) and the file's bytes, which may
themselves be an archive. nbgrader's zip_collect opened such inner archives too (recursively),
so a student's own zip could hold files named as another student's submission, entries that
stop the whole extraction (`../x`, `a\\b`, a damaged zip), or a zip bomb.
"""

import io
import zipfile

import pytest

from autograder.pipeline import collect
from tests.autograder.pipeline_class import CHAPTER, grade, make_course, submission, write_roster

GOOD = submission("correct")
OTHER = submission("blank")


def zip_bytes(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


def collect_archive(tmp_path, entries):
    """`grade CHAPTER --zip ARCHIVE --prepare-only` on a scratch course (it must succeed):
    (result, course)."""
    course = make_course(tmp_path)
    archive = tmp_path / "canvas.zip"
    archive.write_bytes(zip_bytes(entries))
    write_roster(tmp_path / "roster.csv", ["101", "102", "103"])
    roster = str(tmp_path / "roster.csv")
    return grade(course, "--zip", str(archive), "--roster", roster, "--prepare-only"), course


def notebook(course, student, name=f"{CHAPTER}.ipynb"):
    path = course / "submitted" / student / CHAPTER / name
    return path.read_text(encoding="utf-8") if path.exists() else None


@pytest.mark.slow
def test_a_zip_in_the_download_cannot_submit_for_another_student(tmp_path):
    """Student 101 uploads work.zip holding `smithbob_102_9002_<chapter>.ipynb`: it was
    collected as student 102's submission (102 had submitted nothing)."""
    inner = zip_bytes({f"smithbob_102_9002_{CHAPTER}.ipynb": OTHER})
    result, course = collect_archive(
        tmp_path,
        {f"doejane_101_9001_{CHAPTER}.ipynb": GOOD, "doejane_101_9001_work.zip": inner},
    )
    assert notebook(course, "101") == GOOD
    assert not (course / "submitted" / "102").exists()
    assert "doejane_101_9001_work.zip" in result.stdout  # listed as not collected


# Each entry of a student's inner zip below stopped the whole collection with a traceback
# (setuptools' UnsafeMember or UnrecognizedFormat), or nbgrader's "Duplicate submission file".
BATCH_BREAKERS = {
    "zip-slip": {"doejane_101_9001_work.zip": zip_bytes({"../../../../evil.txt": "x"})},
    "backslash": {"doejane_101_9001_work.zip": zip_bytes({"work\\nb.ipynb": "x"})},
    "damaged zip": {"doejane_101_9001_work.zip": b"PK\x03\x04 not really a zip"},
    "not gzip": {"doejane_101_9001_notes.gz": b"not gzip"},
    "claims 103": {
        "doejane_101_9001_work.zip": zip_bytes({f"leeann_103_9003_{CHAPTER}.ipynb": OTHER})
    },
    "backslash in an upload": {"doejane_101_9001_a\\b.ipynb": GOOD},
}


@pytest.mark.slow
@pytest.mark.parametrize("attack", BATCH_BREAKERS, ids=list(BATCH_BREAKERS))
def test_one_students_upload_does_not_stop_the_collection(tmp_path, attack):
    entries = {f"leeann_103_9003_{CHAPTER}.ipynb": GOOD, **BATCH_BREAKERS[attack]}
    result, course = collect_archive(tmp_path, entries)
    assert notebook(course, "103") == GOOD  # the other student is collected, untouched
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_two_uploads_of_one_notebook_are_both_kept(tmp_path):
    """Canvas names a second upload of the same file `<chapter>-1.ipynb`; nbgrader stopped the
    whole collection ("Duplicate submission file. No timestamps for comparison")."""
    result, course = collect_archive(
        tmp_path,
        {
            f"doejane_101_9001_{CHAPTER}.ipynb": OTHER,
            f"doejane_101_9001_{CHAPTER}-1.ipynb": GOOD,
            f"doejane_101_9001_{CHAPTER}.v2.ipynb": GOOD,  # nbgrader's name: <chapter>.ipynb too
            f"leeann_103_9003_{CHAPTER}.ipynb": GOOD,
        },
    )
    assert notebook(course, "103") == GOOD
    files = sorted(p.name for p in (course / "submitted" / "101" / CHAPTER).glob("*.ipynb"))
    assert len(files) == 3 and f"{CHAPTER}.ipynb" in files, files


@pytest.mark.slow
def test_a_zip_bomb_in_the_download_is_not_opened(tmp_path):
    """A 300 KB zip of 300 MB of zeros inside the download was extracted in full (in memory,
    then to disk), and inner zips were opened recursively: 42.zip would fill the disk."""
    bomb = zip_bytes({"zeros.bin": b"\0" * (300 << 20)})
    result, course = collect_archive(
        tmp_path,
        {f"leeann_103_9003_{CHAPTER}.ipynb": GOOD, "doejane_101_9001_bomb.zip": bomb},
    )
    extracted = course / ".grading" / "downloaded"
    written = sum(p.stat().st_size for p in extracted.rglob("*") if p.is_file())
    assert written < 4 * (len(bomb) + len(GOOD)) + (1 << 20), written
    assert notebook(course, "103") == GOOD


def test_an_oversized_entry_is_refused_with_a_reason(tmp_path):
    from autograder.pipeline import intake

    archive = tmp_path / "canvas.zip"
    big = "x" * (intake.MAX_ENTRY_BYTES + 1)
    archive.write_bytes(zip_bytes({f"doejane_101_9001_{CHAPTER}.ipynb": big, "ok.txt": "ok"}))
    out = tmp_path / "out"
    refused = intake.extract_zip(archive, out)
    assert [name for name, _ in refused] == [f"doejane_101_9001_{CHAPTER}.ipynb"]
    assert "larger than" in refused[0][1]
    assert (out / "ok.txt").read_text() == "ok"
    assert not (out / f"doejane_101_9001_{CHAPTER}.ipynb").exists()


def test_a_symlinked_submission_folder_is_not_copied(tmp_path):
    """copy_folders leaves out links inside a submission, but followed a submission folder that
    is itself a link: `drop/mallory/<chapter> -> <course>/source/<chapter>` copied the
    reference solutions as mallory's submission; `drop/eve -> drop/alice` copied alice's."""
    course = tmp_path / "course"
    source = course / "source" / CHAPTER
    source.mkdir(parents=True)
    (source / f"{CHAPTER}.ipynb").write_text("the reference solutions")
    drop = tmp_path / "drop"
    (drop / "alice" / CHAPTER).mkdir(parents=True)
    (drop / "alice" / CHAPTER / f"{CHAPTER}.ipynb").write_text("alice's work")
    (drop / "mallory").mkdir()
    (drop / "mallory" / CHAPTER).symlink_to(source)
    (drop / "eve").symlink_to(drop / "alice")
    submitted = course / "submitted"
    collect.copy_folders(drop, [CHAPTER], submitted)
    assert (submitted / "alice" / CHAPTER / f"{CHAPTER}.ipynb").read_text() == "alice's work"
    assert not (submitted / "mallory").exists()
    assert not (submitted / "eve").exists()


def test_a_named_pipe_in_a_drop_folder_does_not_stop_the_copy(tmp_path):
    """A FIFO in mallory's folder made shutil.copytree raise shutil.Error out of copy_folders:
    the whole run stopped, and the students after mallory were never copied."""
    import os

    drop = tmp_path / "drop"
    for student in ("mallory", "zed"):
        (drop / student / CHAPTER).mkdir(parents=True)
        (drop / student / CHAPTER / "notes.txt").write_text(f"{student}'s notes")
    (drop / "zed" / CHAPTER / f"{CHAPTER}.ipynb").write_text("zed's work")
    os.mkfifo(drop / "mallory" / CHAPTER / f"{CHAPTER}.ipynb")
    submitted = tmp_path / "submitted"
    collect.copy_folders(drop, [CHAPTER], submitted)
    assert (submitted / "zed" / CHAPTER / f"{CHAPTER}.ipynb").read_text() == "zed's work"
    assert not (submitted / "mallory" / CHAPTER / f"{CHAPTER}.ipynb").exists()


@pytest.mark.slow
def test_a_student_folder_named_like_a_pattern_grades_only_itself(tmp_path):
    """nbgrader reads the student id as a glob pattern: a drop folder named `*` had its task's
    autograde (and feedback) run over every student already staged, writing their grades from
    those copies while their own workers restaged them, and deleting their graded notebook."""
    course = make_course(tmp_path)
    drop = tmp_path / "drop"
    for student in ("101", "*"):
        path = drop / student / CHAPTER / f"{CHAPTER}.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(GOOD if student == "101" else OTHER, encoding="utf-8")
    star = drop / "*"
    star.rename(tmp_path / "later")  # first run: 101 alone
    grade(course, "--submissions", str(drop))
    graded = course / "autograded" / "101" / CHAPTER / f"{CHAPTER}.ipynb"
    before = graded.stat().st_mtime_ns
    (tmp_path / "later").rename(star)
    second = grade(course, "--submissions", str(drop))
    # `*`'s autograde took 101's staged copy too, and its --force deleted 101's graded notebook
    assert graded.exists() and graded.stat().st_mtime_ns == before
    assert "glob pattern" in second.stdout


def test_an_oversized_notebook_costs_its_owner_with_a_reason(tmp_path):
    """inspect read a submitted notebook whole (then decoded and parsed it: several times its
    size in memory) in a grading worker, whatever its size: a multi-GB file sent that worker
    to the OOM killer, with the kernels of the other submissions it held."""
    from autograder import submissions

    folder = tmp_path / "submitted" / "mallory" / CHAPTER
    folder.mkdir(parents=True)
    with open(folder / f"{CHAPTER}.ipynb", "wb") as f:
        f.truncate(submissions.MAX_NOTEBOOK_BYTES + 1)  # sparse: costs no disk
    problems = submissions.inspect(tmp_path, CHAPTER, "mallory")
    assert [p.kind for p in problems] == ["invalid"]
    assert "MB" in problems[0].message and "outputs" in problems[0].message
