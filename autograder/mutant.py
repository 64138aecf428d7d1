"""How a chapter's mutants (autograder/chapters/<topic>/mutants.py) are written: as real code.

A variant is the code of one exercise's solution cell (the cell's nbgrader grade_id), written
one of two ways, never as a third copy of the solution:
- `catalogue.edit(exercise, name, (old, new), ..., **spec)`: the solution cell as a student
  would type it (the source notebook's cell without its ### BEGIN/END SOLUTION lines), with each
  `old` replaced by `new`. Each `old` must occur exactly once (ValueError otherwise), so a
  changed notebook cannot silently turn a mutant into the solution.
- `@catalogue.mutant(exercise, **spec)` on a function or class: its source replaces the cell,
  renamed to the exercise's definition. Its own name is its name in the catalogue, unless
  `name=` gives it (two exercises' variants of one name cannot both be module functions). The
  names it uses are the module's (the reference's, for earlier exercises), so it is linted like
  any code; when it runs, they are the notebook's.
- `@catalogue.correct(exercise, name=None)`: the same, for another right way to write the
  exercise; `catalogue.correct_edit(exercise, name, (old, new), ...)`, one that is a small edit
  of the solution (as `edit` makes it).
- A function decorated for an exercise whose cell defines a class (the given `__init__` and
  `forward` around the student's `backward`) is that method's body: it replaces the cell's
  solution, between its ### BEGIN/END SOLUTION lines, and its parameters must be the method's
  (`def numerical(self, dvalues)`). The given methods stay the notebook's, written once.

spec (see autograder/mutation.py and tests/chapters/test_mutants.py):
- diagnosis: a regular expression the failure message must match;
- mistake: the id of the catalogued core.Mistake it must be recorded as;
- fails: [test grade_ids] when not all the exercise's tests fail;
- keeps: {test grade_id: regular expression}: later tests that keep their points;
- costs_later: {test grade_id: why} later points it may cost;
- ignores: [test grade_ids] whose outcome depends on rounding for this mistake.

`catalogue.MUTANTS` and `catalogue.CORRECT` are the tables the rest reads:
{exercise: {name: spec with "code"}} and {exercise: {name: code}}.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable
from functools import cached_property

from autograder import chapters
from autograder import notebooks as nbs

Definition = Callable | type


class Catalogue:
    """The variants of one chapter's exercises, in the order they are written."""

    def __init__(self, module_name: str, root=nbs.ROOT):
        """module_name: the mutants module's __name__, autograder.chapters.<topic>.mutants."""
        self.chapter = chapters.named(module_name.split(".")[-2], root)
        self.root = root
        self.MUTANTS: dict[str, dict[str, dict]] = {}
        self.CORRECT: dict[str, dict[str, str]] = {}

    @cached_property
    def _notebook(self) -> dict:
        return nbs.load(nbs.notebook_path(self.chapter, "source", self.root))

    def solution(self, exercise: str) -> str:
        """The exercise's solution cell, as the source notebook has it."""
        return nbs.source_text(nbs.cell_by_id(self._notebook, exercise))

    def edit(self, exercise: str, name: str, *replacements: tuple[str, str], **spec) -> None:
        """A mutant: the solution cell, markers removed, with each (old, new) replacement made."""
        self._add_mutant(exercise, name, self._edited(exercise, name, replacements), spec)

    def correct_edit(self, exercise: str, name: str, *replacements: tuple[str, str]) -> None:
        """Another right solution: the solution cell, markers removed, with each (old, new)
        replacement made."""
        self._add_correct(exercise, name, self._edited(exercise, name, replacements))

    def mutant(
        self, exercise: str, *, name: str | None = None, **spec
    ) -> Callable[[Definition], Definition]:
        """Decorator: the function or class is a mutant named after itself (or `name`)."""

        def register(definition: Definition) -> Definition:
            code = self._as_exercise(exercise, definition)
            self._add_mutant(exercise, name or definition.__name__, code, spec)
            return definition

        return register

    def correct(
        self, exercise: str, *, name: str | None = None
    ) -> Callable[[Definition], Definition]:
        """Decorator: the function or class is another right solution, named after itself (or
        `name`)."""

        def register(definition: Definition) -> Definition:
            code = self._as_exercise(exercise, definition)
            self._add_correct(exercise, name or definition.__name__, code)
            return definition

        return register

    def _edited(self, exercise: str, name: str, replacements: tuple[tuple[str, str], ...]) -> str:
        """The solution cell without its markers, each (old, new) replacement made; each old
        must occur once."""
        code = nbs.strip_solution_markers(self.solution(exercise))
        for old, new in replacements:
            if code.count(old) != 1:
                raise ValueError(
                    f"{self.chapter} {exercise}/{name}: {old!r} occurs {code.count(old)} times "
                    "in the solution cell, not once"
                )
            code = code.replace(old, new)
        return code

    def _add_correct(self, exercise: str, name: str, code: str) -> None:
        variants = self.CORRECT.setdefault(exercise, {})
        if name in variants:
            raise ValueError(f"{exercise}/{name} is written twice")
        variants[name] = code

    def _add_mutant(self, exercise: str, name: str, code: str, spec: dict) -> None:
        variants = self.MUTANTS.setdefault(exercise, {})
        if name in variants:
            raise ValueError(f"{exercise}/{name} is written twice")
        if "diagnosis" not in spec:
            raise ValueError(f"{exercise}/{name} needs a diagnosis")
        variants[name] = {"code": code, **spec}

    def _as_exercise(self, exercise: str, definition: Definition) -> str:
        """The definition's source without its decorators, renamed to the solution cell's one
        definition (the name the notebook's other cells call); a function for a class's cell:
        the cell with the function's body as the solution method's."""
        cell = self.solution(exercise)
        source = textwrap.dedent(inspect.getsource(definition))
        node = ast.parse(source).body[0]
        target = _definition(cell)
        if isinstance(target, ast.ClassDef) and isinstance(node, ast.FunctionDef):
            return _with_method_body(cell, source, node, f"{exercise}/{definition.__name__}")
        lines = source.splitlines()[node.lineno - 1 :]
        keyword = "class" if isinstance(node, ast.ClassDef) else "def"
        own = f"{keyword} {definition.__name__}"
        if not lines[0].startswith(own):
            raise ValueError(f"{exercise}/{definition.__name__}: cannot find {own!r}")
        lines[0] = f"{keyword} {target.name}" + lines[0][len(own) :]
        return "\n".join(lines) + "\n"


def _definition(code: str) -> ast.FunctionDef | ast.ClassDef:
    """The one function or class a solution cell defines."""
    nodes = [
        node for node in ast.parse(code).body if isinstance(node, ast.FunctionDef | ast.ClassDef)
    ]
    if len(nodes) != 1:
        names = [node.name for node in nodes]
        raise ValueError(f"a solution cell that defines {names}, not one definition")
    return nodes[0]


def _with_method_body(cell: str, source: str, function: ast.FunctionDef, label: str) -> str:
    """`cell` (a class) with its solution, the lines between its solution markers, replaced by
    the body of `function` (parsed from `source`) indented as the markers are; the markers'
    lines go, as in a student's submission."""
    lines = cell.splitlines()
    marked = [i for i, line in enumerate(lines) if line.strip() == nbs.SOLUTION_BEGIN]
    if len(marked) != 1:
        raise ValueError(f"{label}: the class's cell has {len(marked)} solution markers, not one")
    begin = marked[0]
    end = next(i for i in range(begin, len(lines)) if lines[i].strip() == nbs.SOLUTION_END)
    method = next(
        node
        for node in ast.walk(ast.parse(cell))
        if isinstance(node, ast.FunctionDef) and node.lineno <= begin + 1 <= node.end_lineno
    )
    if _parameters(method) != _parameters(function):
        raise ValueError(
            f"{label}: parameters {_parameters(function)}, but {method.name} takes "
            f"{_parameters(method)}"
        )
    own = source.splitlines()
    first = function.body[0].lineno - 1
    while first > function.lineno and own[first - 1].strip().startswith("#"):
        first -= 1  # comments before the first statement belong to the body
    body = textwrap.dedent("\n".join(own[first : function.end_lineno]))
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    body_lines = [indent + line if line else line for line in body.splitlines()]
    return "\n".join([*lines[:begin], *body_lines, *lines[end + 1 :]]) + "\n"


def _parameters(function: ast.FunctionDef) -> list[str]:
    return [argument.arg for argument in function.args.args]
