"""The grading pipeline behind `python -m autograder grade` (see autograder/grade.py).

- `state`: what a run leaves in `<course>/.grading/` so that the next run resumes.
- `db`: the gradebook URL (SQLite busy timeout, PostgreSQL) and gradebook queries.
- `worker`: one grading process: nbgrader's own converters, in-process, one student at a time.
- `collect`: an LMS download archive into `submitted/` through nbgrader's `zip_collect`.
- `summary`: mean, distribution and most often failed exercises, from the gradebook.
"""
