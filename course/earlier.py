"""Your own classes from an earlier chapter, loaded from your notebook: no copying and pasting.

    from course.earlier import load

    (Layer_Dense,) = load("01_dense_layers", "Layer_Dense")

`load` reads the earlier chapter's notebook where the course puts it, beside this chapter's
folder (`../01_dense_layers/01_dense_layers.ipynb`, as released or fetched), runs its exercise
cells (the cells you filled in, nothing else) in a namespace of their own, and returns the
classes you named, in that order.

When that notebook is missing, or a class is not there, you get a stand-in instead, and a note
saying why: the stand-in can be created and subclassed, so this chapter's own exercises still
run (and are graded as usual), but any method it should have had raises an error that says
what to fix. A method you have not written yet (it still raises NotImplementedError) says so too.
"""

import ast
import json
from pathlib import Path

import numpy as np

from course.checks import show_tracebacks_from_student_line

STUB = "NotImplementedError"


class EarlierChapterMissing(AttributeError):
    """A method of a class that could not be loaded from an earlier chapter's notebook.

    An AttributeError: the stand-in has no such method, and hasattr() says so.
    """


class NotWrittenYet(NotImplementedError):
    """A method of an earlier chapter's class that the student has not written yet."""


show_tracebacks_from_student_line(EarlierChapterMissing, NotWrittenYet)


def notebook_path(chapter, here=None):
    """../<chapter>/<chapter>.ipynb, seen from `here` (default: the working directory, which
    Jupyter sets to the notebook's folder)."""
    return Path(here or Path.cwd()).resolve().parent / chapter / f"{chapter}.ipynb"


def load(chapter, *names, here=None, quiet=False):
    """The classes `names` as your notebook of `chapter` defines them (see the module docstring).

    chapter: the earlier chapter's folder name, e.g. "01_dense_layers"
    names:   class names, e.g. "Layer_Dense", "Activation_ReLU"
    Returns a tuple of classes, one per name (stand-ins for those that could not be loaded).
    """
    path = notebook_path(chapter, here)
    try:
        cells = _exercise_cells(path)
    except (OSError, ValueError) as error:
        problem = _unreadable(path, error)
        _note(quiet, f"{problem} Using stand-ins for {', '.join(names)}: {_ONLY_DEMOS}")
        return tuple(_stand_in(name, problem) for name in names)
    namespace, failed = _run(cells, path)
    found = []
    for name in names:
        value = namespace.get(name)
        if isinstance(value, type):
            _mark_unfinished(value, cells, chapter)
            found.append(value)
            continue
        problem = f"{path.name} does not define the class {name}."
        if name in failed:
            problem = f"The cell of {path.name} that defines {name} raised {failed[name]}."
        _note(quiet, f"{problem} Using a stand-in: {_ONLY_DEMOS}")
        found.append(_stand_in(name, problem))
    return tuple(found)


_ONLY_DEMOS = "this chapter's exercises still run, the cells that use it will fail."


def _note(quiet, text):
    if not quiet:
        print(text)


def _unreadable(path, error):
    if isinstance(error, FileNotFoundError):
        return (
            f"No notebook at {path}: keep each chapter's folder beside the others, as released, "
            "and save the earlier chapter there."
        )
    return f"{path} could not be read as a notebook ({error})."


def _exercise_cells(path):
    """[(source, the names it defines at top level)] of the notebook's exercise cells."""
    with open(path, encoding="utf-8") as f:
        nb = json.load(f)
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("no list of cells")
    cells = []
    for cell in nb["cells"]:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata")
        meta = meta.get("nbgrader") if isinstance(meta, dict) else None
        if not (isinstance(meta, dict) and meta.get("solution")):
            continue
        source = cell.get("source", "")
        cells.append(source if isinstance(source, str) else "".join(map(str, source)))
    return cells


def _defined(tree):
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def _run(cells, path):
    """Run each cell in one fresh namespace (numpy as np); a failing cell is skipped.

    Returns (namespace, {name a failing cell defines: the error, in a few words}).
    """
    namespace = {"np": np, "__name__": f"earlier_{path.stem}"}
    failed = {}
    for index, source in enumerate(cells):
        try:
            tree = ast.parse(source)
        except SyntaxError as error:
            failed.update(dict.fromkeys(_names_in(source), f"SyntaxError ({error.msg})"))
            continue
        try:
            # named after the notebook, so a traceback through this code says where it lives
            exec(compile(tree, f"{path.name}, exercise cell {index + 1}", "exec"), namespace)
        except Exception as error:  # the student's own code: anything may go wrong in it
            failed.update(dict.fromkeys(_defined(tree), f"{type(error).__name__}: {error}"))
    return namespace, failed


def _names_in(source):
    """Class and function names a cell that does not parse seems to define."""
    words = []
    for line in source.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("class", "def"):
            words.append(parts[1].split("(")[0].split(":")[0])
    return words


def _mark_unfinished(cls, cells, chapter):
    """Replace the methods of `cls` that still raise NotImplementedError with ones that say
    which notebook to finish."""
    for source in cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if not (isinstance(node, ast.ClassDef) and node.name == cls.__name__):
                continue
            for method in node.body:
                if isinstance(method, ast.FunctionDef) and _is_stub(method):
                    setattr(cls, method.name, _unfinished(cls.__name__, method.name, chapter))


def _is_stub(function):
    for node in ast.walk(function):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name) and target.id == STUB:
                return True
    return False


def _unfinished(class_name, method, chapter):
    message = (
        f"{class_name}.{method} is not written yet in your notebook {chapter}.ipynb (it still "
        f"raises NotImplementedError): finish it there, save it, and run the cell that loads "
        "it here again."
    )

    def not_written(self, *args, **kwargs):
        __tracebackhide__ = True
        raise NotWrittenYet(message)

    not_written.__name__ = method
    return not_written


def _stand_in(name, problem):
    """A class called `name` that can be created and subclassed; any other attribute raises
    EarlierChapterMissing saying `problem`."""

    def __init__(self, *args, **kwargs):
        pass

    def __getattr__(self, attribute):
        __tracebackhide__ = True
        if attribute.startswith("_"):  # Python's and IPython's probes, not the student's
            raise AttributeError(attribute)
        raise EarlierChapterMissing(
            f"{name}.{attribute} is not available: {problem} (This {name} is a stand-in.)"
        )

    return type(name, (), {"__init__": __init__, "__getattr__": __getattr__, "__doc__": problem})
