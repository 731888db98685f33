"""Table writers (CSV, TSV, JSONL, Parquet), atomic: a failed export leaves no file.

CSV and TSV cells that a spreadsheet would run as a formula are neutralised unless
``raw_cells`` is given (see :mod:`reviewer.formats.formula_cells`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reviewer.core.atomic import atomic_path
from reviewer.core.errors import InputError
from reviewer.formats.formula_cells import neutralise

Rows = Sequence[dict[str, Any]]
# A table writer: (path, columns, rows keyed by the columns, raw_cells) -> the file written
TableWriter = Callable[[Path, Sequence[str], Rows, bool], None]


@dataclass(frozen=True, slots=True)
class TableFormat:
    """A table format reviewer writes: its name, the suffixes naming it, and its writer."""

    name: str
    suffixes: tuple[str, ...]
    write: TableWriter


def _write_delimited(delimiter: str) -> TableWriter:
    def write(path: Path, columns: Sequence[str], rows: Rows, raw_cells: bool) -> None:
        safe = (lambda cell: cell) if raw_cells else neutralise
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter=delimiter)
            writer.writerow([safe(c) for c in columns])
            for row in rows:
                writer.writerow([safe(row.get(c)) for c in columns])

    return write


def _write_jsonl(path: Path, columns: Sequence[str], rows: Rows, raw_cells: bool) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False))
            fh.write("\n")


def _write_parquet(path: Path, columns: Sequence[str], rows: Rows, raw_cells: bool) -> None:
    import pandas as pd

    pd.DataFrame(list(rows), columns=list(columns)).to_parquet(path, index=False)


TABLE_WRITERS: Mapping[str, TableFormat] = MappingProxyType({t.name: t for t in (
    TableFormat("csv", (".csv",), _write_delimited(",")),
    TableFormat("tsv", (".tsv", ".tab"), _write_delimited("\t")),
    TableFormat("jsonl", (".jsonl", ".ndjson"), _write_jsonl),
    TableFormat("parquet", (".parquet",), _write_parquet),
)})
# Suffix -> name of the table format it names
TABLE_SUFFIXES: Mapping[str, str] = MappingProxyType(
    {suffix: t.name for t in TABLE_WRITERS.values() for suffix in t.suffixes})


def table_format(path: Path) -> str:
    """The table format named by ``path``'s suffix."""
    try:
        return TABLE_SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise InputError(path, "cannot tell the output format from the suffix; use one of "
                         + ", ".join(sorted(TABLE_SUFFIXES))) from None


def write_table(path: Path, columns: Sequence[str], rows: Sequence[dict[str, Any]], *,
                raw_cells: bool = False) -> None:
    """Write ``rows`` (dicts keyed by ``columns``) to ``path`` in the suffix's format."""
    fmt = table_format(path)
    with atomic_path(path) as tmp:
        write_rows(tmp, fmt, columns, rows, raw_cells=raw_cells)


def write_rows(path: Path, fmt: str, columns: Sequence[str], rows: Rows, *,
               raw_cells: bool = False) -> None:
    """Write ``rows`` to ``path`` (not atomically) as the table format ``fmt``."""
    TABLE_WRITERS[fmt].write(path, columns, rows, raw_cells)
