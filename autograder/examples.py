"""The bundled example submissions: what `make` grades to show the pipeline end to end.

For every chapter, three students submit the release (student) version of the notebook:
- `example_correct`: every exercise filled in with the solution, every written answer with
  the model answer (autograde leaves it for the instructor to grade by hand);
- `example_blank`: untouched, every stub still raises NotImplementedError;
- `example_buggy`: the solution with the realistic mistakes named in that chapter's
  `autograder.chapters.<topic>.mutants.BUGGY_EXAMPLE`, so it loses exactly those exercises' points;
  its written answers are left blank.

`make` grades them in a scratch course (`DEMO`, git-ignored), never in the class's gradebook.
"""

import copy
import shutil
from pathlib import Path

from autograder import chapters
from autograder import notebooks as nbs

STUDENTS = ("example_correct", "example_blank", "example_buggy")


def mutants(chapter):
    """The chapter's mutant module (autograder/chapters/<topic>/mutants.py)."""
    return chapters.get(chapter).mutants


def filled(chapter, replacements=None, root=nbs.ROOT, written=True):
    """The release notebook with its solution cells filled in.

    replacements: {solution grade_id: code} overriding the reference solution for those cells.
    written: also answer the written questions (with the source notebook's model answers).
    """
    solution_nb = nbs.load(nbs.notebook_path(chapter, "source", root))
    nb = copy.deepcopy(nbs.load(nbs.notebook_path(chapter, "release", root)))
    for grade_id in nbs.solution_cells(nb):
        code = (replacements or {}).get(grade_id)
        if code is None:
            code = nbs.strip_solution_markers(
                nbs.source_text(nbs.cell_by_id(solution_nb, grade_id))
            )
        nbs.cell_by_id(nb, grade_id)["source"] = code
    for grade_id in nbs.written_answers(nb) if written else ():
        model = nbs.source_text(nbs.cell_by_id(solution_nb, grade_id))
        nbs.cell_by_id(nb, grade_id)["source"] = nbs.model_answer(model)
    return nb


def buggy_replacements(chapter):
    """{solution grade_id: mutant code} for the chapter's bundled buggy submission."""
    module = mutants(chapter)
    return {cell: module.MUTANTS[cell][name]["code"] for cell, name in module.BUGGY_EXAMPLE.items()}


def expected_failures(chapter):
    """Test grade_ids the buggy example must fail (and only those)."""
    module = mutants(chapter)
    nb = nbs.load(nbs.notebook_path(chapter, "source"))
    tests = nbs.exercises(nb)
    failing = []
    for cell, name in module.BUGGY_EXAMPLE.items():
        failing += module.MUTANTS[cell][name].get("fails", tests[cell])
    return sorted(failing)


def write_submissions(root=nbs.ROOT, chapters=None):
    """Write submitted/<student>/<chapter>/<chapter>.ipynb for the three example students."""
    root = Path(root)
    for chapter in chapters or nbs.chapters(root):
        versions = {
            "example_correct": filled(chapter, root=root),
            "example_blank": nbs.load(nbs.notebook_path(chapter, "release", root)),
            "example_buggy": filled(chapter, buggy_replacements(chapter), root=root, written=False),
        }
        for student, nb in versions.items():
            folder = root / "submitted" / student / chapter
            if folder.exists():
                shutil.rmtree(folder)
            nbs.save(nb, folder / f"{chapter}.ipynb")
