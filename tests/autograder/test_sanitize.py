"""Autograde's sanitize step (autograder/sanitize.py) and how nbgrader_config.py registers it.

That no checksum warning is logged for an untouched submission, and that a real edit is
reported in words, is checked on real `nbgrader autograde` runs in tests/autograder/test_term.py.
"""

from autograder import sanitize

SOURCE = (
    '"""Check f."""\nassert f(1) == 2\n### BEGIN HIDDEN TESTS\ncheck_f(f)\n### END HIDDEN TESTS\n'
)


def test_released_source_is_the_source_without_hidden_tests():
    assert sanitize.released_source(SOURCE) == '"""Check f."""\nassert f(1) == 2\n'


def test_overwrite_cells_replaced_once_and_the_rest_kept():
    from nbgrader.converters.autograde import Autograde

    default = list(Autograde.sanitize_preprocessors.default())
    once = sanitize.sanitize_preprocessors(default)
    names = [p.__name__ for p in once]
    assert "OverwriteCells" not in names and names.count("OverwriteTestCells") == 1
    assert len(once) == len(default)
    assert sanitize.sanitize_preprocessors(once) == once


def test_the_course_config_lists_each_preprocessor_once():
    """nbgrader loads nbgrader_config.py twice: nothing may be added twice."""
    from nbgrader.apps.autogradeapp import AutogradeApp

    app = AutogradeApp()
    app.initialize(["--log-level=WARN"])
    names = [p.__name__ for p in app.config.Autograde.sanitize_preprocessors]
    assert len(names) == len(set(names)), names
    assert names.index("ApplyDueDate") == 0
    assert names.index("OverwriteTestCells") + 1 == names.index("RestoreMissingCells")
    assert app.config.AssignLatePenalties.plugin_class.__name__ == "LatePenalty"
