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

Late work: Canvas's names carry no time, only the `LATE_` flag. The time the archive records for
each file (taken as UTC) becomes the submission's `timestamp.txt`, which nbgrader's autograde
compares with the due date (term.toml) to apply the late penalty; the students Canvas flagged
`LATE_` are kept in the collection's record and listed by the summary, so that the two can be
compared.
"""

import os
import re
import shutil
import zipfile
from pathlib import Path

from autograder import submissions
from autograder.pipeline import state

CANVAS_REGEXP = r".*/[^/_]+_(?:LATE_)?(?P<student_id>\d+)_\d+_(?P<file_id>[^/]+?)(?:-\d+)?\.ipynb$"


def match(filename, regexp=CANVAS_REGEXP):
    """{student_id, file_id} for one extracted file, as nbgrader's collector reads it (None
    when the name does not match)."""
    m = re.match(regexp, os.path.abspath(filename))
    return None if m is None else {k: m.group(k) for k in ("student_id", "file_id")}


LATE_FLAG = re.compile(r"(?:^|/)[^/_]+_LATE_\d+_\d+_[^/]+$")


def archive_times(archive, regexp=CANVAS_REGEXP):
    """{student_id: (latest time the archive records for their files, flagged LATE_)}."""
    from datetime import datetime

    found = {}
    with zipfile.ZipFile(archive) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            matched = match("/" + info.filename, regexp)
            if matched is None:
                continue
            when = datetime(*info.date_time)
            late = bool(LATE_FLAG.search(info.filename))
            old = found.get(matched["student_id"])
            if old is None or when > old[0]:
                found[matched["student_id"]] = (when, late or (old is not None and old[1]))
    return found


def write_timestamps(times, chapter, submitted):
    """timestamp.txt (nbgrader's format, UTC) in each collected submission's folder."""
    for student, (when, _) in times.items():
        folder = Path(submitted) / student / chapter
        if folder.is_dir():
            (folder / "timestamp.txt").write_text(
                f"{when:%Y-%m-%d %H:%M:%S.%f} UTC", encoding="utf-8"
            )


def collect(archive, chapter, settings, regexp=CANVAS_REGEXP, submitted=None):
    """Collect `archive` for `chapter` with nbgrader's ZipCollectApp; returns the record of the
    collection ({"sha256", "students", "skipped", "refused"}).

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

    from autograder.pipeline import intake
    from autograder.pipeline.plan import GradingError

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
    # what one student uploaded must not reach the batch or another student (intake.py)
    app.extractor_plugin = intake.SafeExtractor
    app.collector_plugin = intake.UniqueNameCollector
    try:
        app.start()
    except ValueError as error:
        raise GradingError(str(error)) from None
    except SystemExit as exit_:
        if exit_.code:
            raise GradingError(
                f"nbgrader zip_collect {chapter} failed (its log is above)"
            ) from None

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
    record["refused"] = [
        f"{name}: {why}" for name, why in getattr(app.extractor_plugin_inst, "refused", [])
    ]
    if zipfile.is_zipfile(archive):
        times = archive_times(archive, regexp)
        write_timestamps(times, chapter, submitted or Path(settings.root) / "submitted")
        record["times"] = {s: f"{t:%Y-%m-%d %H:%M:%S} UTC" for s, (t, _) in sorted(times.items())}
        record["flagged_late"] = sorted(s for s, (_, late) in times.items() if late)
    state.write_json(record_path, record)
    return record


def copy_folders(source, chapters, submitted):
    """Copy `source/<student>/<chapter>/` into `submitted/` (the course's), for `chapters`.

    `source` is only read. A submission already in `submitted/` with the same files is left as
    it is (so it is not graded again); one that differs is replaced. A student's folder or a
    submission folder that is a link is not copied: it could point into the course (solutions)
    or at another student's folder; nor is one that cannot be read. Returns (copied, same,
    [(folder, why it was not copied)]).
    """
    source, submitted = Path(source).resolve(), Path(submitted).resolve()
    if source == submitted:
        return 0, 0, []
    copied = same = 0
    refused = []
    for student in sorted(p for p in source.iterdir() if p.is_dir()):
        for chapter in chapters:
            folder = student / chapter
            name = str(folder.relative_to(source))
            if student.is_symlink() or folder.is_symlink():
                refused.append((name, "a link, not a folder"))
                continue
            if not folder.is_dir():
                continue
            target = submitted / student.name / chapter
            try:
                if state.folder_hashes(folder) == state.folder_hashes(target):
                    same += 1
                    continue
                if target.exists():
                    shutil.rmtree(target)
                submissions.copy_submission(folder, target)
            except OSError as error:  # shutil.Error too: this student's folder, not the class
                shutil.rmtree(target, ignore_errors=True)
                refused.append((name, f"cannot be copied ({error})"))
                continue
            copied += 1
    return copied, same, refused
