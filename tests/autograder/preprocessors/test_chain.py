"""chain: the one helper that edits nbgrader's preprocessor lists."""

import pytest
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import Execute, LimitOutput, OverwriteCells
from traitlets.config import Config

from autograder.preprocessors import chain


class Ours:
    pass


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"after": ("LimitOutput",)}, ["Execute", "LimitOutput", "Ours", "OverwriteCells"]),
        ({"after": ("Missing", "Execute")}, ["Execute", "Ours", "LimitOutput", "OverwriteCells"]),
        ({"after": ("Missing",)}, ["Ours", "Execute", "LimitOutput", "OverwriteCells"]),
        (
            {"after": ("Missing",), "otherwise": chain.LAST},
            ["Execute", "LimitOutput", "OverwriteCells", "Ours"],
        ),
        ({"after": ("Missing",), "otherwise": None}, ["Execute", "LimitOutput", "OverwriteCells"]),
        ({"replace": "LimitOutput"}, ["Execute", "Ours", "OverwriteCells"]),
        ({"replace": "Missing"}, ["Execute", "LimitOutput", "OverwriteCells"]),
    ],
)
def test_insert_places_once(where, expected):
    start = [Execute, "nbgrader.preprocessors.LimitOutput", OverwriteCells]
    once = chain.insert(start, Ours, **where)
    names = [chain.name_of(p) for p in once]
    assert names == expected
    assert chain.insert(once, Ours, **where) == once
    assert start == [Execute, "nbgrader.preprocessors.LimitOutput", OverwriteCells]


def test_place_edits_the_config_list_and_keeps_lazy_edits():
    c = Config()
    c.Autograde.autograde_preprocessors.append(LimitOutput)  # a lazy edit, as in config files
    default = list(Autograde.autograde_preprocessors.default())
    placed = chain.place(c, Autograde, "autograde_preprocessors", Ours, otherwise=chain.LAST)
    assert placed == [*default, LimitOutput, Ours]
    assert c.Autograde.autograde_preprocessors == placed
    chain.place(c, Autograde, "autograde_preprocessors", Ours, otherwise=chain.LAST)
    assert c.Autograde.autograde_preprocessors == placed


def test_current_is_the_default_when_unset():
    assert chain.current(Config(), Execute, "extra_arguments") == []
    default = list(Autograde.sanitize_preprocessors.default())
    assert chain.current(Config(), Autograde, "sanitize_preprocessors") == default
