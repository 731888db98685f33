"""Table writers (CSV, TSV, JSONL, Parquet), atomic: a failed export leaves no file.

CSV and TSV cells that a spreadsheet would run as a formula are neutralised unless
``raw_cells`` is given (see :mod:`reviewer.formats.formula_cells`).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reviewer.core.atomic import atomic_path
from reviewer.core.errors import InputError
from reviewer.formats.formula_cells import neutralise

TABLE_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl",
                  ".ndjson": "jsonl", ".parquet": "parquet"}


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


def write_rows(path: Path, fmt: str, columns: Sequence[str], rows: Sequence[dict[str, Any]],
               *, raw_cells: bool = False) -> None:
    """Write ``rows`` to ``path`` (not atomically) as the table format ``fmt``."""
    if fmt in ("csv", "tsv"):
        safe = (lambda cell: cell) if raw_cells else neutralise
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, delimiter="\t" if fmt == "tsv" else ",")
            writer.writerow([safe(c) for c in columns])
            for row in rows:
                writer.writerow([safe(row.get(c)) for c in columns])
    elif fmt == "jsonl":
        with open(path, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False))
                fh.write("\n")
    else:
        import pandas as pd

        pd.DataFrame(list(rows), columns=list(columns)).to_parquet(path, index=False)
