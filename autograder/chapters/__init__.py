"""One folder per chapter: all the grader knows about `source/NN_topic/NN_topic.ipynb`.

`autograder/chapters/<topic>/` holds
- `__init__.py`: the chapter's metadata, as module constants (see `Chapter` for each one's
  meaning); the tests read them instead of keeping per-chapter tables of their own;
- `reference.py`: float64 reference implementations of the graded exercises. They use `@` and
  explicit dtypes rather than np.dot / np.zeros, so nnfs.init()'s float32 patches cannot
  change them;
- `checks.py` (and more modules where one would be too long): the checks the notebook's hidden
  tests call, `from autograder.chapters.<topic>.checks import check_...`;
- `mutants.py`: the mistake catalogue's examples and the other right solutions
  (autograder/mutant.py says how they are written).

The folder is named by topic, without the number: the hidden tests import from it, and Python
cannot import a module whose name starts with a digit. A chapter is found from its source
folder: `source/04_single_neuron_backprop` -> `autograder/chapters/single_neuron_backprop`.
Adding a chapter means a source notebook plus one folder here; nothing else lists chapters.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

from autograder import notebooks as nbs


@dataclass(frozen=True)
class Chapter:
    """What the grader and the tests know about one chapter.

    name: the source folder's name, e.g. "04_single_neuron_backprop".
    package: its grader folder as a module, `autograder.chapters.<topic>`.
    worked_example: how the original material's output of the chapter's worked example begins
        (the notebook's example must print it digit for digit), or None.
    earlier_classes: {earlier chapter: (class names)} the notebook loads from the student's own
        earlier notebooks (course.earlier), never pasting them.
    """

    name: str
    package: ModuleType
    worked_example: str | None
    earlier_classes: dict[str, tuple[str, ...]]

    @property
    def mutants(self) -> ModuleType:
        return importlib.import_module(f"{self.package.__name__}.mutants")

    @property
    def reference(self) -> ModuleType:
        return importlib.import_module(f"{self.package.__name__}.reference")


def package_name(chapter: str) -> str:
    """'04_single_neuron_backprop' -> 'autograder.chapters.single_neuron_backprop'."""
    return f"{__name__}.{nbs.topic(chapter)}"


def named(topic: str, root=nbs.ROOT) -> str:
    """'single_neuron_backprop' -> '04_single_neuron_backprop': the source folder of a grader
    folder's topic; LookupError unless there is exactly one."""
    matches = [chapter for chapter in nbs.chapters(root) if nbs.topic(chapter) == topic]
    if len(matches) != 1:
        raise LookupError(f"no single source/NN_{topic} folder under {root}")
    return matches[0]


def get(chapter: str) -> Chapter:
    """The grader's folder of `chapter` (a source folder's name); ModuleNotFoundError if none."""
    package = importlib.import_module(package_name(chapter))
    return Chapter(
        name=chapter,
        package=package,
        worked_example=getattr(package, "WORKED_EXAMPLE", None),
        earlier_classes=dict(getattr(package, "EARLIER_CLASSES", {})),
    )


def every(root=nbs.ROOT) -> list[Chapter]:
    """Every chapter of source/ under `root`, in course order."""
    return [get(chapter) for chapter in nbs.chapters(root)]
