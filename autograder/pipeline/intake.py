"""nbgrader zip_collect plugins for an LMS download that students' uploads cannot turn against
the batch or each other (pipeline/collect.py uses them).

nbgrader's own extractor opens every archive inside the download too, recursively, with
setuptools: a student's uploaded zip then adds files under any name (one named as another
student's submission is collected as theirs), a `../x` or `a\\b` entry or a damaged inner zip
stops the whole collection with a traceback, and a zip bomb is read whole into memory and
written to disk. `SafeExtractor` extracts the download itself and nothing inside it: an inner
archive stays one uploaded file (not a notebook, so not collected, and listed); an entry with
an unsafe or unwritable name, or larger than MAX_ENTRY_BYTES, is left out and listed with why.

nbgrader stops the whole collection when one student has two files that it would collect under
the same name (Canvas's `01_x-1.ipynb`, a second upload of `01_x.ipynb`; or `01_x.v2.ipynb`, as
nbgrader strips one more extension). `UniqueNameCollector` keeps both, the second under a
numbered name: the student's submission then says which one was graded.
"""

import ntpath
import os
import shutil
import zipfile
from pathlib import Path

from nbgrader.plugins.zipcollect import ExtractorPlugin, FileNameCollectorPlugin

from autograder.submissions import MAX_NOTEBOOK_BYTES

# no larger than a notebook may be (a larger one would only be refused when graded)
MAX_ENTRY_BYTES = MAX_NOTEBOOK_BYTES


def unsafe_name(name):
    """Why an archive entry's name cannot be extracted as given (None: it can)."""
    if name.startswith("/") or ntpath.splitdrive(name)[0]:
        return "an absolute path"
    if "\\" in name:
        return "a backslash in the name"
    if ".." in name.split("/"):
        return "'..' in the path"
    return None


def extract_zip(archive, dest):
    """Extract the entries of `archive` into `dest` as plain files, none of them opened as an
    archive; returns [(entry name, why it was left out)]."""
    refused = []
    with zipfile.ZipFile(archive) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            why = unsafe_name(info.filename)
            if why is None and info.file_size > MAX_ENTRY_BYTES:
                why = f"larger than {MAX_ENTRY_BYTES >> 20} MB ({info.file_size} bytes)"
            if why is None:
                why = _write_entry(z, info, Path(dest) / info.filename)
            if why is not None:
                refused.append((info.filename, why))
    return refused


def _write_entry(z, info, target):
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # zipfile stops reading at the size the entry declares, checked above
        with z.open(info) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
    except (OSError, zipfile.BadZipFile, EOFError) as error:  # one damaged entry, not the batch
        if target.is_file():
            target.unlink()
        return f"cannot be extracted ({error})"
    return None


class SafeExtractor(ExtractorPlugin):
    """Extract each downloaded zip into `<extracted>/<archive name>/`, and nothing inside it."""

    refused: list

    def extract(self, archive_path, extracted_path):
        self.refused = []
        for archive in sorted(Path(archive_path).iterdir()):
            if not zipfile.is_zipfile(archive):
                raise ValueError(f"{archive.name} is not a zip archive (an LMS download is)")
            found = extract_zip(archive, Path(extracted_path) / archive.stem)
            self.refused.extend(found)


class UniqueNameCollector(FileNameCollectorPlugin):
    """nbgrader's collector, but one student's files never share a collected name."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.taken = {}  # {student: names collected so far}

    def collect(self, submitted_file):
        info = super().collect(submitted_file)
        if not info:
            return info
        # nbgrader collects `splitext(file_id)[0] + extension`: make that name unique
        taken = self.taken.setdefault(info["student_id"], set())
        stem, ext = os.path.splitext(info["file_id"])[0], os.path.splitext(submitted_file)[1]
        name, n = stem, 1
        while name in taken:
            name, n = f"{stem} ({n})", n + 1
        taken.add(name)
        return {**info, "file_id": name + ext}
