"""ApplyDueDate: the chapter's due date from term.toml written into the gradebook.

First of generate_assignment's and autograde's preprocessors (autograder/term.py), so nbgrader
knows how late each submission is; a chapter term.toml does not list is left as it is.
"""

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from autograder import term


class ApplyDueDate(NbGraderPreprocessor):
    """Writes the chapter's due date from term.toml into the gradebook (no-op if unlisted)."""

    term_file = Unicode("", help="the term file (term.toml)").tag(config=True)
    course_id = Unicode("", help="the gradebook's course id").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader") or {}
        chapter, db_url = info.get("assignment"), info.get("db_url")
        due = term.load(self.term_file)["due"].get(chapter) if self.term_file else None
        if due is not None and db_url:
            term.set_due_date(db_url, self.course_id or "default_course", chapter, due, self.log)
        return nb, resources
