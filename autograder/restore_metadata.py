"""Autograde's sanitize step starts by putting back cell metadata a submission changed.

`configure` puts RestoreCellMetadata (autograder/preprocessors/restore_cell_metadata.py) first
in the sanitize chain: nbgrader would otherwise stop grading a notebook whose nbgrader metadata
no longer validates (a test cell made a solution cell, a duplicated grade_id).
"""

from traitlets.config import Config

from autograder.preprocessors import chain
from autograder.preprocessors.restore_cell_metadata import RestoreCellMetadata

__all__ = ["RestoreCellMetadata", "configure"]


def configure(c: Config) -> Config:
    """RestoreCellMetadata first in an nbgrader Config's autograde sanitize step; returns `c`."""
    from nbgrader.converters.autograde import Autograde

    chain.place(c, Autograde, "sanitize_preprocessors", RestoreCellMetadata, otherwise=chain.FIRST)
    return c
