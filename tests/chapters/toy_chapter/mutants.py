"""Toy chapter mutants (autograder/mutant.py): two catalogued mistakes as edits of the
solution cell, one as a function, and another right solution."""

from autograder.mutant import Catalogue

catalogue = Catalogue(__name__)

catalogue.edit(
    "squared_error",
    "not_squared",
    ("(y_pred - y_true) ** 2", "y_pred - y_true"),
    diagnosis="not squared",
    mistake="not_squared",
)
catalogue.edit(
    "squared_error",
    "absolute",
    ("(y_pred - y_true) ** 2", "abs(y_pred - y_true)"),
    diagnosis="absolute error",
    mistake="absolute_error",
)


@catalogue.mutant("squared_error", diagnosis=r"has shape \(\)")
def mean_of_squares(y_pred, y_true):
    return ((y_pred - y_true) ** 2).mean()


@catalogue.correct("squared_error")
def product(y_pred, y_true):
    error = y_pred - y_true
    return error * error


MUTANTS, CORRECT = catalogue.MUTANTS, catalogue.CORRECT

BUGGY_EXAMPLE = {"squared_error": "not_squared"}
