"""OverwriteTestCells: a test cell as released (without its hidden tests) is no edit."""

import logging

from nbgrader.preprocessors import OverwriteCells

from autograder.preprocessors.overwrite_test_cells import OverwriteTestCells
from tests.autograder.preprocessors.chapter import HIDDEN, VISIBLE, source_notebook

WARNING = "was edited in this submission"


def submission(test_source):
    nb = source_notebook()
    nb.cells[2].source = test_source
    return nb


def run(preprocessor, nb, resources, caplog):
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        done, _ = preprocessor.preprocess(nb, resources)
    return done.cells[2].source, caplog.text


def test_the_released_cell_gets_its_hidden_tests_back_in_silence(resources, caplog):
    source, log = run(OverwriteTestCells(), submission(VISIBLE), resources, caplog)
    assert source == VISIBLE + HIDDEN
    assert WARNING not in log and "checksum" not in log
    # control: nbgrader's own OverwriteCells takes the released cell for an edit
    _, log = run(OverwriteCells(), submission(VISIBLE), resources, caplog)
    assert "checksum" in log


def test_an_edited_test_cell_is_restored_and_reported_in_words(resources, caplog):
    edited = VISIBLE.replace("== 0.0", "== relu(-1.0)")
    source, log = run(OverwriteTestCells(), submission(edited), resources, caplog)
    assert source == VISIBLE + HIDDEN
    assert "Test cell test_relu " + WARNING in log
