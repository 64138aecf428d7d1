"""autograder/hidden_tests.py: which hidden blocks run, and what they import."""

import pytest

from autograder import hidden_tests
from autograder.chapters.capstone import spiral
from autograder.chapters.dense_layers import checks


def test_a_block_of_the_old_layout_imports_the_same_checks():
    """A gradebook made before the chapters had one folder each still stores
    `from autograder.hidden.<topic> import ...`: those blocks grade with the same checks."""
    old = "from autograder.hidden.dense_layers import check_batch_output\ncheck_batch_output(f)\n"
    new = old.replace("autograder.hidden.dense_layers", "autograder.chapters.dense_layers.checks")
    assert hidden_tests.parse(old) == hidden_tests.parse(new)
    assert hidden_tests.parse(old) == [(checks.check_batch_output, ["f"])]
    spiral_block = "from autograder.hidden.spiral import check_spiral_accuracy\n"
    hidden_tests.parse(spiral_block)  # imports without error
    assert hidden_tests.checks_module("autograder.hidden.spiral") == spiral.__name__


@pytest.mark.parametrize(
    "block",
    [
        "import os\n",
        "from os import system\nsystem('x')\n",
        "from autograder.hiddenx.dense_layers import check_batch_output\n",
        "from autograder.chapters.dense_layers.checks import check_batch_output\n"
        "check_batch_output(f, g=1)\n",
    ],
)
def test_any_other_statement_is_refused(block):
    with pytest.raises(ValueError):
        hidden_tests.parse(block)
