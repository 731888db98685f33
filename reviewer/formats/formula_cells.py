"""Spreadsheet formula injection in CSV/TSV exports (OWASP "CSV Injection").

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula. Exports prefix such cells with ``'`` so it shows them as text. To keep
the change reversible, a cell that already starts with quotes before such a character gets
one more. Reading a reviewer export back removes exactly one quote from those cells, so the
text round-trips; other programs see the quote.
"""

from __future__ import annotations

import re

from reviewer.formats.columns import is_export
from reviewer.formats.tableparse import Table

_RISKY = re.compile(r"'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(cell: object) -> object:
    """``cell`` made safe to open in a spreadsheet (non-text values are left alone)."""
    if isinstance(cell, str) and _RISKY.match(cell):
        return "'" + cell
    return cell


def restore(cell: str | None) -> str | None:
    """A cell of a reviewer export as it was before :func:`neutralise`."""
    if cell is not None and _NEUTRALISED.match(cell):
        return cell[1:]
    return cell


def restored_table(table: Table) -> Table:
    """``table`` with its cells restored, if it is a CSV/TSV file reviewer exported."""
    header = [restore(h) or "" for h in table.header]
    if not is_export(header):
        return table
    rows = [(where, [restore(c) for c in cells]) for where, cells in table.rows]
    return Table(header, rows, by_line=table.by_line)
