"""Submissions into the course's `submitted/<student>/<chapter>/`: plain folders, or an LMS
download archive through nbgrader's zip_collect.

nbgrader's ZipCollectApp extracts every archive in `{downloaded}/{chapter}/archive/` into
`.../extracted/`, then asks its FileNameCollectorPlugin for the student and the notebook of each
extracted file: the plugin matches `named_regexp` against the file's absolute path (from its
start) and needs the named groups `student_id` and `file_id`.

The default regexp reads Canvas's naming scheme ("Download Submissions" on an assignment). Canvas
names each file `<sortable name>_[LATE_]<user id>_<submission id>_<file name as uploaded>` and
appends `-1`, `-2`... to a resubmitted file's name (`01_dense_layers-1.ipynb`), e.g.

    doejane_12345_678901_01_dense_layers.ipynb
    smithbob_LATE_12346_678902_01_dense_layers-1.ipynb

The student id is Canvas's numeric user id (the `ID` column of Canvas's gradebook export: use
it as the roster's `id`); the notebook is the uploaded name without the resubmission suffix.
A notebook uploaded under another name is collected under that name, not dropped, so that the
grading run can say what is wrong with it. Other LMSs: pass `--lms-regexp`.
"""

import os
import re
import shutil
from pathlib import Path

from autograder.pipeline import state

CANVAS_REGEXP = r".*/[^/_]+_(?:LATE_)?(?P<student_id>\d+)_\d+_(?P<file_id>[^/]+?)(?:-\d+)?\.ipynb$"


def match(filename, regexp=CANVAS_REGEXP):
    """{student_id, file_id} for one extracted file, as nbgrader's collector reads it (None
    when the name does not match)."""
    m = re.match(regexp, os.path.abspath(filename))
    return None if m is None else {k: m.group(k) for k in ("student_id", "file_id")}


def collect(archive, chapter, settings, regexp=CANVAS_REGEXP):
    """Collect `archive` for `chapter` with nbgrader's ZipCollectApp; returns the record of the
    collection ({"sha256", "students", "skipped"}).

    The same archive (by hash) is collected once: a rerun leaves `submitted/` alone. A new
    archive replaces the submissions of the students it contains (zip_collect --force).
    """
    archive = Path(archive).resolve()
    digest = state.file_hash(archive)
    record_path = Path(settings.state) / "collected" / f"{chapter}.json"
    record = state.read_json(record_path)
    if record and record.get("sha256") == digest:
        record["already"] = True
        return record

    downloaded = Path(settings.state) / "downloaded"
    folder = downloaded / chapter / "archive"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(archive, folder / archive.name)

    from nbgrader.apps.zipcollectapp import ZipCollectApp

    app = ZipCollectApp()
    app.initialize(
        [
            chapter,
            "--force",
            "--log-level=WARN",
            # relative: zip_collect joins it to the course root before formatting the path
            f"--ZipCollectApp.downloaded_directory={os.path.relpath(downloaded, settings.root)}",
            f"--FileNameCollectorPlugin.named_regexp={regexp}",
        ]
    )
    app.start()

    extracted = downloaded / chapter / "extracted"
    students, skipped = set(), []
    for path in sorted(p for p in extracted.rglob("*") if p.is_file()):
        info = match(path, regexp)
        if info is None:
            skipped.append(str(path.relative_to(extracted)))
        else:
            students.add(info["student_id"])
    record = {"archive": str(archive), "sha256": digest, "students": sorted(students)}
    record["skipped"] = skipped
    state.write_json(record_path, record)
    return record


def copy_folders(source, chapters, submitted):
    """Copy `source/<student>/<chapter>/` into `submitted/` (the course's), for `chapters`.

    `source` is only read. A submission already in `submitted/` with the same files is left as
    it is (so it is not graded again); one that differs is replaced. Returns (copied, same).
    """
    source, submitted = Path(source).resolve(), Path(submitted).resolve()
    if source == submitted:
        return 0, 0
    copied = same = 0
    for student in sorted(p for p in source.iterdir() if p.is_dir()):
        for chapter in chapters:
            folder = student / chapter
            if not folder.is_dir():
                continue
            target = submitted / student.name / chapter
            if state.folder_hashes(folder) == state.folder_hashes(target):
                same += 1
                continue
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(folder, target)
            copied += 1
    return copied, same
