"""`python -m autograder settings`: the grading settings this course adds, with their values.

`nbgrader autograde --help-all` lists only nbgrader's own classes: it prints before
nbgrader_config.py is read. The course's settings (each kernel's limits, its sandbox, warm
kernels) are listed here instead: each setting's help, then the value grading will use, from
nbgrader_config.py, the environment variables that are their defaults, or the built-in default.
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Configurable
from traitlets.config.loader import PyFileConfigLoader


def configurables() -> list[type[Configurable]]:
    from autograder.limits import GradingLimits
    from autograder.sandbox.settings import Sandbox
    from autograder.warm import WarmKernels

    return [GradingLimits, Sandbox, WarmKernels]


def describe(root: Path) -> str:
    """Every course setting's help and its value under the course at `root`."""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    parts = []
    for cls in configurables():
        instance = cls(config=config)
        parts.append(cls.class_get_help().rstrip())
        values = [
            f"    {name} = {getattr(instance, name)!r}"
            for name in sorted(cls.class_trait_names(config=True))
        ]
        parts.append(f"  In use for {cls.__name__}:\n" + "\n".join(values) + "\n")
    return "\n".join(parts)
