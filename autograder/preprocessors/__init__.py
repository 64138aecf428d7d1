"""The course's nbgrader preprocessors, one per module, as nbgrader's own are.

Autograde, sanitize step (Autograde.sanitize_preprocessors):
- apply_due_date.ApplyDueDate: the due date from term.toml into the gradebook (first);
- restore_cell_metadata.RestoreCellMetadata: edited nbgrader metadata put back;
- overwrite_test_cells.OverwriteTestCells: in place of OverwriteCells;
- restore_missing_cells.RestoreMissingCells: a deleted test cell graded, with a note.

Autograde, grading step (Autograde.autograde_preprocessors):
- grade_in_grader.GradeInGrader: in place of Execute, hidden tests run in the grader;
- limit_output_size.LimitOutputSize: output cut to a size, after LimitOutput;
- save_grader_scores.SaveGraderScores: in place of SaveAutoGrades;
- make_inert.MakeInert: no live student HTML (last; also in GenerateFeedback).

GenerateFeedback: hide_grader_code.HideGraderCode. GenerateAssignment: ApplyDueDate.

Each module's `configure` (safety, execute, restore_metadata, sanitize, inert, feedback, term)
places them with chain.place. Nothing is imported here, so that importing one module does not
import the others (and the grader's whole chain).
"""
