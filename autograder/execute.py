"""Autograde's execution step: hidden tests in nbgrader's process, the notebook in its kernel.

`configure` puts GradeInGrader (autograder/preprocessors/grade_in_grader.py) in place of
nbgrader's Execute and SaveGraderScores (save_grader_scores.py) in place of SaveAutoGrades: the
hidden block of a test cell never reaches the student's kernel, its checks run in the grader
and their verdict alone scores the cell (README, "Grading security").
"""

from traitlets.config import Config

from autograder.preprocessors import chain
from autograder.preprocessors.grade_in_grader import GradeInGrader
from autograder.preprocessors.save_grader_scores import DIAGNOSIS, SaveGraderScores

__all__ = ["DIAGNOSIS", "GradeInGrader", "SaveGraderScores", "configure"]


def configure(c: Config) -> Config:
    """Make an nbgrader Config's autograde run hidden tests in the grader; returns `c`."""
    from nbgrader.converters.autograde import Autograde

    for ours, theirs in ((GradeInGrader, "Execute"), (SaveGraderScores, "SaveAutoGrades")):
        chain.place(c, Autograde, "autograde_preprocessors", ours, replace=theirs)
    return c
