"""Hidden tests for the toy chapter."""

import numpy as np

from autograder import core

from . import reference as ref

NOT_SQUARED = core.Mistake("not_squared", "error not squared", "the error is not squared")
ABSOLUTE = core.Mistake("absolute_error", "absolute error", "this is the absolute error, |error|")


def check_squared_error(squared_error):
    rng = core.fresh_rng()
    for n_samples in (2, int(rng.integers(3, 9))):
        y_true = rng.normal(size=n_samples)
        # errors of both signs, none near 0 or 1: a missing square or |error| always shows
        signs = np.where(np.arange(n_samples) % 2 == 0, 1.0, -1.0)
        y_pred = y_true + signs * rng.uniform(1.5, 3.0, size=n_samples)
        got = core.call_student(
            squared_error, y_pred, y_true, label="squared_error", names=("y_pred", "y_true")
        )
        core.expect_close(
            "squared_error",
            got,
            ref.squared_error(y_pred, y_true),
            context=core.describe(y_pred=y_pred, y_true=y_true),
            wrong_answers={NOT_SQUARED: y_pred - y_true, ABSOLUTE: abs(y_pred - y_true)},
        )
    core.passed("squared_error matches the reference on fresh random inputs")
