"""A table's first rows, read and checked exactly as an import reads and checks them.

The import dialog previews a reference table with these functions, so that it accepts
the first rows exactly when the import would, and refuses them with the import's own
message. Nothing is written (files embedded in a Parquet table stay in their cells).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reviewer.formats.load import check_reference
from reviewer.formats.registry import ReadOptions, detect
from reviewer.formats.table import build, parse_table
from reviewer.formats.tableparse import Table

SAMPLE_ROWS = 20


def read_sample(path: Path, rows: int = SAMPLE_ROWS) -> Table:
    """The header and first ``rows`` rows of the table ``path``, parsed as the import parses
    them; raises the import's :class:`~reviewer.core.errors.InputError` for them."""
    return parse_table(path, limit=rows, fmt=detect(path).name)


def check_sample(path: Path, sample: Table, options: ReadOptions) -> list[str]:
    """Import the rows of ``sample`` with ``options`` as far as reading goes, keeping nothing.

    Raises the :class:`~reviewer.core.errors.InputError` an import of these rows raises;
    returns its warnings about the items' media (a kind their files do not suit).
    """
    loaded = build(path, sample, replace(options, role="reference"))
    return check_reference(path, loaded, options.kind)
