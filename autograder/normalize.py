"""Committed notebooks carry no outputs, no execution counts and a fixed kernelspec."""

from pathlib import Path

from autograder import notebooks as nbs

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
NOTEBOOK_METADATA = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}


def normalized(nb):
    """A copy of `nb` as it should be committed (cell ids and nbgrader metadata kept)."""
    nb = dict(nb)
    cells = []
    for cell in nb["cells"]:
        cell = dict(cell)
        metadata = {
            k: v
            for k, v in cell.get("metadata", {}).items()
            if k in ("nbgrader", "deletable", "editable")
        }
        cell["metadata"] = metadata
        cell["source"] = nbs.source_text(cell)  # nbs.save writes it as a list of lines
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cells.append(cell)
    nb["cells"] = cells
    nb["metadata"] = NOTEBOOK_METADATA
    return nb


def committed_notebooks(root):
    root = Path(root)
    return sorted(p for step in ("source", "release") for p in (root / step).glob("*/*.ipynb"))


def normalize_tree(root):
    """Rewrite every source/ and release/ notebook that is not normalized; returns those paths."""
    changed = []
    for path in committed_notebooks(root):
        nb = nbs.load(path)
        if normalized(nb) != nb:
            nbs.save(normalized(nb), path)
            changed.append(path)
    return changed
