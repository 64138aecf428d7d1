"""The grading pipeline behind `python -m autograder grade` (see autograder/grade.py).

- `plan`: collect submissions, import the roster, put chapters in the gradebook; what to grade.
- `run`: the planned tasks on a pool of worker processes, with a progress bar.
- `reporting`: what a run prints at the end (failures, notes, the CSV export and summaries).
- `state`: what a run leaves in `<course>/.grading/` so that the next run resumes.
- `db`: the gradebook URL (SQLite busy timeout, PostgreSQL), gradebook queries, and the
  environment nbgrader runs in (`nbgrader_env`: its `alembic` on PATH).
- `worker`: one grading process: nbgrader's own converters, in-process, one student at a time.
- `collect`: an LMS download archive into `submitted/` through nbgrader's `zip_collect`.
- `summary`: mean, distribution and most often failed exercises, from the gradebook.
"""
