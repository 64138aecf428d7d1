"""Grading safety: one bad submission costs its own points, never the batch or the machine.

nbgrader_config.py applies these settings (`configure`) to every kernel nbgrader starts
(autograde and validate). What each one does (README, "Grading safety"); the limits are
`GradingLimits` settings (autograder/limits.py), by default from the environment:

- time: `Execute.timeout` is `GradingLimits.cell_timeout` seconds per cell
  (BACKPROP_CELL_TIMEOUT, default 30), then the kernel is interrupted and the cell fails with
  `limits.timeout_error`'s message;
- memory: the grading kernel's data is capped at `GradingLimits.memory`
  (BACKPROP_KERNEL_MEMORY, default 2G, "0" for no cap) by autograder/kernel_startup.py, so a
  memory bomb raises MemoryError in its cell; the memory the failed cell's traceback holds is
  then released, so later cells can still run;
- output: a cell's printed text is cut at `GradingLimits.max_output_chars` inside the kernel
  (printing 50 MB then costs no time), and again in the notebook by `LimitOutputSize`
  (nbgrader's LimitOutput counts lines: one 50 MB line is one);
- warnings: nbgrader scores any stderr in a test cell as zero, so stderr outputs that are
  Python warnings (a NumPy RuntimeWarning from a correct solution) are dropped before scoring;
- deleted test cells: put back from the gradebook and graded (`RestoreMissingCells`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

from traitlets.config import Application, Config

from autograder.limits import MARK, GradingLimits
from autograder.preprocessors import chain
from autograder.preprocessors.limit_output_size import LimitOutputSize
from autograder.preprocessors.restore_missing_cells import (
    MISSING_CELL_NOTICE,
    RestoreMissingCells,
)

# A line as warnings.showwarning prints it: "<file>:<line>: RuntimeWarning: <message>".
WARNING_PATTERN = r"(?m)^.*:\d+: \w*Warning: "


def configure(c: Config, environ: Mapping[str, str] | None = None) -> Config:
    """Apply every limit above to an nbgrader (traitlets) Config `c`; returns `c`.

    The limits are `c.GradingLimits`' settings as `c` holds them now, each defaulting to its
    environment variable in `environ` (default: os.environ). Adds to what `c` already holds:
    other kernel arguments (Execute.extra_arguments) and preprocessors are kept, and applying
    it twice changes nothing. The lists are set whole, so configure the config that holds the
    course's settings (nbgrader_config.py calls this; for an initialised app, `configure_app`),
    never a fresh Config() merged into an app later: that would replace the lists
    nbgrader_config.py built.
    """
    from nbgrader.converters.autograde import Autograde
    from nbgrader.preprocessors import Execute

    limits = GradingLimits(environ=environ, config=c)
    c.Execute.timeout = limits.cell_timeout
    c.Execute.error_on_timeout = limits.timeout_error()
    # a plain list, not .extend(): nbgrader loads nbgrader_config.py twice (from the course
    # root and the working directory) and merges lazy extensions, which would then start
    # everything twice in each kernel
    ours = limits.kernel_arguments()
    kept = [a for a in chain.current(c, Execute, "extra_arguments") if MARK not in a]
    c.Execute.extra_arguments = [a for a in kept if a not in ours] + ours
    c.IgnorePattern.enabled = True
    c.IgnorePattern.pattern = WARNING_PATTERN
    c.LimitOutput.max_lines = 1000
    c.LimitOutput.max_traceback = 100
    # GradeInGrader, when execute.configure ran first, stands where Execute stood
    chain.place(
        c,
        Autograde,
        "autograde_preprocessors",
        LimitOutputSize,
        after=("LimitOutput", "Execute", "GradeInGrader"),
        otherwise=None,
    )
    # A test cell a student deleted comes back from the gradebook and is graded as if present.
    c.OverwriteCells.add_missing_cells = True
    c.OverwriteCells.missing_cell_notification = MISSING_CELL_NOTICE
    chain.place(
        c,
        Autograde,
        "sanitize_preprocessors",
        RestoreMissingCells,
        after=("OverwriteCells", "OverwriteTestCells"),
        otherwise=None,
    )
    return c


def configure_app(app: Application, environ: Mapping[str, str] | None = None) -> Application:
    """`configure` an initialised nbgrader app (its config includes nbgrader_config.py's)."""
    app.update_config(configure(copy.deepcopy(app.config), environ))
    return app
