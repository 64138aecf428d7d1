"""The term: each chapter's due date and the late rule, from one file, `term.toml`.

`term.toml` (in the course root; `BACKPROP_TERM` names another file) lists the chapters assigned
this term with their due dates, and the late-work rule. nbgrader_config.py calls `configure(c)`,
which makes every nbgrader command apply it:

- `nbgrader generate_assignment` and `nbgrader autograde` write the chapter's due date into the
  gradebook (`ApplyDueDate`, autograder/preprocessors/apply_due_date.py, first of their
  preprocessors), so nbgrader knows how late each submission is (from its `timestamp.txt`:
  written by `nbgrader submit`, kept by `collect`, or by `python -m autograder grade --zip`
  from the LMS);
- autograde's late penalty is `LatePenalty` (nbgrader's AssignLatePenalties plugin): a fraction
  of the points earned per started day late, capped, after a grace period, each penalty logged
  with the rule that gave it. nbgrader's export then has `late_submission_penalty` and `score`
  net of it.

The penalty is computed when a submission is autograded, on the points it earned then: points
given later by hand (written answers) are not reduced.
"""

import math
import os
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float
from traitlets.config import Config

TERM_ENV = "BACKPROP_TERM"
FILE_NAME = "term.toml"


def term_path(course_root):
    return Path(os.environ.get(TERM_ENV) or Path(course_root) / FILE_NAME)


def load(path):
    """{"due": {chapter: aware UTC datetime}, "late": {...}} from a term file (empty if absent)."""
    path = Path(path)
    if not path.exists():
        return {"due": {}, "late": {}}
    with open(path, "rb") as f:
        data = tomllib.load(f)
    due = {str(k): parse_due(v, k) for k, v in (data.get("due") or {}).items()}
    return {"due": due, "late": dict(data.get("late") or {})}


def parse_due(value, chapter="?"):
    """A due date as an aware UTC datetime: a TOML datetime or an ISO string; no offset = UTC;
    a date alone is the end of that day (23:59:59 UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, 23, 59, 59)
    if not isinstance(value, datetime):
        raise ValueError(f"{FILE_NAME}: due date of {chapter} is not a date: {value!r}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def naive_utc(moment):
    """How nbgrader's gradebook stores times: naive datetimes in UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def set_due_date(db_url, course_id, chapter, due, log=None):
    """Set an assignment's due date in the gradebook, if it has that assignment."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gb:
        try:
            assignment = gb.find_assignment(chapter)
        except MissingEntry:
            return False
        if assignment.duedate != naive_utc(due):
            assignment.duedate = naive_utc(due)
            gb.db.commit()
            if log:
                log.info("%s: due %s UTC (term.toml)", chapter, naive_utc(due))
    return True


class LatePenalty(LateSubmissionPlugin):
    """Late work loses `per_day` of the points it earned per started day late, at most
    `max_fraction`; within `grace_minutes` of the due date it counts as on time."""

    per_day = Float(0.1, help="fraction of the points earned lost per started day late").tag(
        config=True
    )
    max_fraction = Float(0.5, help="largest fraction lost").tag(config=True)
    grace_minutes = Float(15, help="minutes after the due date that still count as on time").tag(
        config=True
    )

    def rule(self):
        return (
            f"{self.per_day:.0%} of the points earned per started day late, at most "
            f"{self.max_fraction:.0%}; {self.grace_minutes:g} minutes' grace"
        )

    def days_late(self, seconds_late):
        if seconds_late <= self.grace_minutes * 60:
            return 0
        return math.ceil(seconds_late / 86400)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        days = self.days_late(total_seconds_late)
        fraction = min(self.per_day * days, self.max_fraction)
        penalty = round(score * fraction, 2)
        self.log.warning(
            "%s is late by %s: %d started day(s), %.0f%% of %g points = %g points off (rule: %s)",
            student_id,
            format_delay(total_seconds_late),
            days,
            100 * fraction,
            score,
            penalty,
            self.rule(),
        )
        return penalty


def format_delay(seconds):
    """'1 d 2 h 5 min' from seconds."""
    minutes = round(seconds / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return " ".join([f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"])


def configure(c: Config, course_root: str | Path) -> Config:
    """Due dates and the late rule of the course's term.toml, for an nbgrader Config `c`."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.converters.generate_assignment import GenerateAssignment

    from autograder.preprocessors import chain
    from autograder.preprocessors.apply_due_date import ApplyDueDate

    term = load(term_path(course_root))
    c.ApplyDueDate.term_file = str(term_path(course_root))
    c.ApplyDueDate.course_id = c.CourseDirectory.get("course_id", "") or ""
    chain.place(c, GenerateAssignment, "preprocessors", ApplyDueDate, otherwise=chain.FIRST)
    chain.place(c, Autograde, "sanitize_preprocessors", ApplyDueDate, otherwise=chain.FIRST)
    c.AssignLatePenalties.plugin_class = LatePenalty
    for name in ("per_day", "max_fraction", "grace_minutes"):
        if name in term["late"]:
            setattr(c.LatePenalty, name, float(term["late"][name]))
    return c


def main(course_root, db_url, course_id):
    """`python -m autograder term`: the schedule, and each listed chapter's due date written
    into the gradebook (for a gradebook made before the date was set)."""
    path = term_path(course_root)
    term = load(path)
    rule = LatePenalty(**{k: float(v) for k, v in term["late"].items()}).rule()
    print(f"{path}: late rule: {rule}")
    if not term["due"]:
        print("no chapter assigned yet: add due dates under [due]")
    from autograder.pipeline import db

    database = db_url.split("sqlite:///", 1)[-1].split("?")[0]
    exists = not db.is_sqlite(db_url) or Path(database).exists()
    for chapter, due in sorted(term["due"].items()):
        known = exists and set_due_date(db_url, course_id, chapter, due)
        state = "" if known else "  (not in the gradebook yet: nbgrader generate_assignment)"
        print(f"  {chapter}: due {naive_utc(due):%Y-%m-%d %H:%M} UTC{state}")
    return 0
