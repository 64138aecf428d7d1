"""RestoreCellMetadata: nbgrader metadata a submission changed comes back from the gradebook."""

import copy

from autograder import notes
from autograder.preprocessors.restore_cell_metadata import RestoreCellMetadata
from tests.autograder.preprocessors.chapter import graded_cell, source_notebook


def test_edited_roles_are_put_back_and_noted(resources):
    nb = source_notebook()
    intro, solution, test = nb.cells
    test.metadata.nbgrader.update(grade=False, solution=True, points=99)  # made a solution cell
    intro.cell_type = "code"  # a locked markdown cell turned into code
    copied = graded_cell(grade_id="test_relu")  # the test cell copied: its grade_id twice
    stranger = graded_cell(grade_id="test_mine")  # an id the gradebook does not know
    nb.cells += [copied, stranger]
    done, _ = RestoreCellMetadata().preprocess(nb, resources)
    cells = [c for c in done.cells if not notes.is_note(c)]
    roles = [c.metadata.get("nbgrader") for c in cells]
    assert roles[2]["grade"] and not roles[2]["solution"] and roles[2]["points"] == 2.0
    assert cells[0].cell_type == "markdown" and roles[0]["locked"]
    assert roles[1]["solution"] and not roles[1]["grade"]
    assert roles[3] is None and roles[4] is None
    (note,) = notes.read(done)
    assert "`test_relu`: grade, solution, points restored" in note
    assert "`intro`: type restored" in note
    assert "`test_relu`: a second cell with that id" in note
    assert "`test_mine`: an unknown id" in note


def test_an_untouched_notebook_is_unchanged(resources):
    nb = source_notebook()
    done, _ = RestoreCellMetadata().preprocess(copy.deepcopy(nb), resources)
    assert done == nb
