"""The grader stays readable in small pieces (issue 15): no module of autograder/ over about
400 lines, no function over 80. A chapter's grader that grows splits into modules in its own
folder (autograder/chapters/capstone/ shows how)."""

import ast

import pytest

from tests.helpers import ROOT

MAX_FILE_LINES = 420  # "about 400"
MAX_FUNCTION_LINES = 80
MODULES = sorted((ROOT / "autograder").rglob("*.py"))


def test_there_are_modules_to_measure():
    assert len(MODULES) > 40


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_are_small(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_FILE_LINES
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"split these: {long}"
