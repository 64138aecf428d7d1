"""Editing nbgrader's preprocessor lists (Autograde.sanitize_preprocessors, ...) in a Config.

Every `configure` of the course places its preprocessor with `place`: by class name, so an
entry given as a dotted string counts too, and idempotently, because nbgrader loads
nbgrader_config.py twice (from the course root and the working directory) and merges the two.
"""

from __future__ import annotations

from collections.abc import Sequence

FIRST, LAST = "first", "last"


def name_of(entry) -> str:
    """The class name of a list entry: a class, or its dotted import path."""
    return getattr(entry, "__name__", str(entry)).rsplit(".", 1)[-1]


def insert(
    chain: Sequence,
    preprocessor: type,
    *,
    after: Sequence[str] = (),
    replace: str | None = None,
    otherwise: str | None = FIRST,
) -> list:
    """`chain` with `preprocessor` in it once; unchanged when it is already there.

    replace: the name of the entry it takes the place of (unchanged when that is absent);
    after: names of entries to follow, the first one present wins; otherwise (none of them
    present, or no `after`): FIRST, LAST, or None to leave the chain unchanged.
    """
    names = [name_of(p) for p in chain]
    chain = list(chain)
    if preprocessor.__name__ in names:
        return chain
    if replace is not None:
        if replace in names:
            chain[names.index(replace)] = preprocessor
        return chain
    found = [name for name in after if name in names]
    if found:
        position = names.index(found[0]) + 1
    elif otherwise in (FIRST, LAST):
        position = 0 if otherwise == FIRST else len(chain)
    else:
        return chain
    return [*chain[:position], preprocessor, *chain[position:]]


def current(config, owner: type, name: str) -> list:
    """The list setting `owner.name` as `config` holds it (the owner's default when unset)."""
    from traitlets.config.loader import LazyConfigValue

    section = config[owner.__name__]
    default = list(getattr(owner, name).default())
    if name not in section:
        return default
    value = section[name]
    if isinstance(value, LazyConfigValue):
        return list(value.get_value(default))
    return list(value)


def place(config, owner: type, name: str, preprocessor: type, **where) -> list:
    """Put `preprocessor` into the list setting `owner.name` of `config` (see `insert` for
    `where`); returns the new list. The list is set whole: configure the config that holds the
    course's settings, never a fresh Config() merged into an app later."""
    chain = insert(current(config, owner, name), preprocessor, **where)
    config[owner.__name__][name] = chain
    return chain
