"""Finding a table's columns by name: the one lookup every table reader uses.

A column is *called* ``name`` when its header is ``name`` exactly, else when it is the
only header equal to ``name`` ignoring case. Errors name the file, the option that chose
the column (``--ref-col``, ...) and the columns the table has.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from reviewer.core.errors import InputError


def find_column(header: Sequence[str], name: str) -> int | None:
    """The index of the column called ``name`` (``None``: no such column, or several)."""
    if name in header:
        return list(header).index(name)
    lower = name.lower()
    matches = [i for i, h in enumerate(header) if h.lower() == lower]
    return matches[0] if len(matches) == 1 else None


def require_column(path: Path, header: Sequence[str], name: str, flag: str) -> int:
    """The index of the column called ``name``, which the option ``flag`` chose.

    Raises :class:`InputError` when the table has no such column.
    """
    index = find_column(header, name)
    if index is None:
        raise InputError(path, f"no column {name!r} (from {flag}); columns: {listing(header)}")
    return index


def unique_column(path: Path, header: Sequence[str], override: str | None,
                  names: Collection[str], role: str, flag: str) -> int | None:
    """The column ``override`` names if given, else the one column whose name is in ``names``.

    ``names`` are lower case; ``None`` when no column has one of them. Two such columns
    are an :class:`InputError` asking to choose the ``role`` column with ``flag``.
    """
    if override:
        return require_column(path, header, override, flag)
    found = [i for i, h in enumerate(header) if h.lower() in names]
    if len(found) > 1:
        raise InputError(path, f"more than one column could hold the {role}: "
                         + listing([header[i] for i in found]) + f"; choose one with {flag}")
    return found[0] if found else None


def first_free_column(header: Sequence[str], names: Sequence[str],
                      taken: Collection[int] = ()) -> int | None:
    """The column called by the first of ``names`` (in their order) that is not ``taken``."""
    for name in names:
        found = find_column(header, name)
        if found is not None and found not in taken:
            return found
    return None


def listing(names: Sequence[str]) -> str:
    """Column names quoted and joined for a message (``(none)`` for an empty header)."""
    return ", ".join(repr(n) for n in names) or "(none)"
