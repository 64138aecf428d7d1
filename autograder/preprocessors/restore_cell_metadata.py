"""RestoreCellMetadata: cell metadata a submission changed comes back from the gradebook.

nbgrader stops grading a notebook whose nbgrader metadata no longer validates: a test cell
turned into a solution cell, a grade_id used twice (a copied cell), points or flags edited. The
gradebook holds each cell's original role, so this preprocessor, first in the sanitize chain,
puts back what the gradebook knows (grade, solution, locked, points), turns duplicates and
unknown ids into plain cells, and leaves a note (autograder/notes.py) saying what it changed.
The rest of nbgrader's chain (OverwriteCells restores locked sources) then grades the notebook.
"""

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import notes

ROLE_KEYS = ("grade", "solution", "locked", "points", "task")


class RestoreCellMetadata(NbGraderPreprocessor):
    """Put back each cell's nbgrader role from the gradebook; see the module docstring."""

    def preprocess(self, nb, resources):
        meta = resources["nbgrader"]
        notes.drop_forged(nb)
        changes = []
        with Gradebook(meta["db_url"]) as gradebook:
            known = self._known_cells(gradebook, meta["notebook"], meta["assignment"])
            seen = set()
            for cell in nb.cells:
                role = cell.get("metadata", {}).get("nbgrader")
                if not role or "grade_id" not in role:
                    continue
                grade_id = role["grade_id"]
                if grade_id in seen or grade_id not in known:
                    why = "a second cell with that id" if grade_id in seen else "an unknown id"
                    del cell.metadata["nbgrader"]
                    changes.append(f"cell `{grade_id}`: {why}, graded as an ordinary cell")
                    continue
                seen.add(grade_id)
                original, cell_type = known[grade_id]
                edited = [k for k in ROLE_KEYS if role.get(k, False) != original.get(k, False)]
                if edited or cell.cell_type != cell_type:
                    # nbgrader's schema wants grade, solution and locked on every cell
                    role.update(
                        {k: original.get(k, False) for k in ("grade", "solution", "locked")}
                    )
                    if "points" in original:
                        role["points"] = original["points"]
                    else:
                        role.pop("points", None)
                    if "task" in role or "task" in original:
                        role["task"] = original.get("task", False)
                    cell.cell_type = cell_type
                    changes.append(f"cell `{grade_id}`: {', '.join(edited or ['type'])} restored")
        if changes:
            self.log.warning("nbgrader metadata edited in the submission: %s", "; ".join(changes))
            notes.add(
                nb,
                "the nbgrader metadata of some cells had been changed in this notebook; the "
                "grader put back their original roles and graded them: " + "; ".join(changes) + ".",
            )
        return nb, resources

    @staticmethod
    def _known_cells(gradebook, notebook_id, assignment_id):
        """{grade_id: ({role key: value}, cell type)} from the gradebook."""
        try:
            notebook = gradebook.find_notebook(notebook_id, assignment_id)
        except MissingEntry:
            return {}
        cells = {}
        for source in notebook.source_cells:
            cells[source.name] = ({"locked": bool(source.locked)}, source.cell_type)
        for graded in notebook.grade_cells:
            role, cell_type = cells.setdefault(graded.name, ({}, graded.cell_type))
            role.update(grade=True, points=float(graded.max_score))
        for solution in notebook.solution_cells:
            cells.setdefault(solution.name, ({}, "code"))[0]["solution"] = True
        for task in getattr(notebook, "task_cells", []):
            role, _ = cells.setdefault(task.name, ({}, "markdown"))
            role.update(task=True, points=float(task.max_score))
        return cells
