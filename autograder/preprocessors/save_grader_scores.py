"""SaveGraderScores (in place of nbgrader's SaveAutoGrades): test cells scored by the grader.

A test cell's score comes from the verdict of its hidden checks, which GradeInGrader
(grade_in_grader.py) ran in the grader's process and left in `resources["backprop"]["hidden"]`:
full points when they passed, else 0. Nothing the kernel printed or raised changes it. Cells
without a verdict are scored as nbgrader does.
"""

from nbgrader.preprocessors import SaveAutoGrades

from autograder import core, report

# cell metadata key of the mistake a failed test cell's hidden checks diagnosed (the class's
# statistics: autograder/report.py reads it); written by the grader, never kept from a submission
DIAGNOSIS = report.DIAGNOSIS


class SaveGraderScores(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, scoring test cells from the grader's own verdicts.

    It also records, in each failed test cell's metadata (DIAGNOSIS), which mistake its hidden
    checks named: {"id", "title"} of a catalogued Mistake, a wrong answer's label, or
    "unrecognised".
    """

    def preprocess(self, nb, resources):
        self._verdicts = resources.get("backprop", {}).get("hidden", {})
        for cell in nb.cells:  # a submission's own copy of the key means nothing
            cell.metadata.pop(DIAGNOSIS, None)
        return super().preprocess(nb, resources)

    def _add_score(self, cell, resources):
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        verdict = self._verdicts.get(grade_id)
        if verdict is None:
            return super()._add_score(cell, resources)
        if not verdict.passed:
            cell.metadata[DIAGNOSIS] = verdict.diagnosis or {
                "id": core.UNRECOGNISED,
                "title": core.UNRECOGNISED,
            }
        grade = self.gradebook.find_grade(
            grade_id, self.notebook_id, self.assignment_id, self.student_id
        )
        points = float(cell.metadata["nbgrader"]["points"])
        grade.auto_score = points if verdict.passed else 0.0
        grade.needs_manual_grade = grade.manual_score is not None
        self.gradebook.db.commit()
