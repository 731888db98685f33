"""Table readers: CSV, TSV, JSONL and Parquet, one row per item, every value read as text.

:mod:`reviewer.formats.tableparse` parses each format into a header and rows of cells;
:func:`build` turns the rows into items or predictions using the columns
:mod:`reviewer.formats.columns` chose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reviewer.core.errors import InputError
from reviewer.core.items import Item
from reviewer.formats.columns import meta_key, prediction_columns, reference_columns
from reviewer.formats.formula_cells import restored_table
from reviewer.formats.registry import Loaded, ReadOptions, kind_table, register
from reviewer.formats.tableparse import (
    Cell,
    Table,
    parse_delimited,
    parse_jsonl,
    parse_parquet,
    table_ids,
)
from reviewer.formats.textio import absolute_media, missing_media_warning
from reviewer.formats.writers import TABLE_SUFFIXES


def _suffix_detector(fmt: str) -> Any:
    def detect(path: Path) -> bool:
        return path.is_file() and TABLE_SUFFIXES.get(path.suffix.lower()) == fmt

    return detect


@register("csv", priority=40, detect=_suffix_detector("csv"),
          description="comma-separated table (.csv) with a header row")
def read_csv(path: Path, options: ReadOptions) -> Loaded:
    """Read a CSV table."""
    return build(path, parse_table(path, fmt="csv"), options)


@register("tsv", priority=40, detect=_suffix_detector("tsv"),
          description="tab-separated table (.tsv, .tab) with a header row")
def read_tsv(path: Path, options: ReadOptions) -> Loaded:
    """Read a TSV table."""
    return build(path, parse_table(path, fmt="tsv"), options)


@register("jsonl", priority=40, detect=_suffix_detector("jsonl"),
          description="one JSON object per line (.jsonl, .ndjson)")
def read_jsonl(path: Path, options: ReadOptions) -> Loaded:
    """Read a JSON Lines table."""
    return build(path, parse_table(path, fmt="jsonl"), options)


@register("parquet", priority=40, detect=_suffix_detector("parquet"),
          description="Parquet table (.parquet)")
def read_parquet(path: Path, options: ReadOptions) -> Loaded:
    """Read a Parquet table (embedded images are written beside it, see :mod:`.embedded`)."""
    from reviewer.formats.embedded import removed_on_failure, with_embedded_files

    with removed_on_failure([]) as created:
        table = with_embedded_files(path, parse_table(path, fmt="parquet"), created)
        loaded = build(path, table, options)
    loaded.extracted.extend(created)
    return loaded


def parse_table(path: Path, limit: int | None = None, fmt: str | None = None) -> Table:
    """The header and rows of the table ``path`` as every table reader sees them; ``fmt``
    (csv, tsv, jsonl, parquet) defaults to the one its suffix names; ``limit``: only the
    first rows, as the import dialog shows them.

    Files embedded in a Parquet table are not written here (see :func:`read_parquet`).
    """
    fmt = fmt or TABLE_SUFFIXES.get(path.suffix.lower())
    if fmt in ("csv", "tsv"):
        return restored_table(parse_delimited(path, "," if fmt == "csv" else "\t", limit))
    if fmt == "jsonl":
        return parse_jsonl(path, limit)
    if fmt == "parquet":
        return parse_parquet(path, limit)
    raise InputError(path, "not a table (.csv, .tsv, .tab, .jsonl, .ndjson or .parquet)")


def build(path: Path, table: Table, options: ReadOptions) -> Loaded:
    """Items (reference role) or one system's predictions (prediction role) from ``table``;
    a kind whose tables need more than a reference and predictions reads them itself."""
    if not table.rows:
        raise InputError(path, "the table has no rows")
    if (build_kind_table := kind_table(options.kind)) is not None:
        return build_kind_table(path, table, options)
    if options.role == "prediction":
        return _build_predictions(path, table, options)
    cols = reference_columns(path, table.header, options)
    warnings: list[str] = []
    if cols.id is None:
        warnings.append(f"{path}: no id column; items are numbered row_1 to row_{len(table.rows)}")
    ids = table_ids(path, table, cols.id)
    rows = [cells for _, cells in table.rows]
    refs = [cells[cols.ref] or "" for cells in rows] if cols.ref is not None else [""] * len(rows)
    media: list[str | None] = [None] * len(rows)
    if cols.media is not None:
        media = [absolute_media(path.parent, m) if (m := cells[cols.media]) else None
                 for cells in rows]
    named = [(i, meta_key(table.header, i)) for i in cols.meta]
    items = [
        Item(item_id, ref, item_media,
             tuple((name, c) for i, name in named if (c := cells[i]) is not None))
        for item_id, ref, item_media, cells in zip(ids, refs, media, rows, strict=True)
    ]
    preds = {system: _column(ids, rows, col) for system, col in cols.preds.items()}
    if (warning := missing_media_warning(path, [m for m in media if m])) is not None:
        warnings.append(warning)
    media_column = None if cols.media is None else table.header[cols.media]
    return Loaded(items=items, predictions=preds, warnings=warnings, sources=[path],
                  media_column=media_column)


def _build_predictions(path: Path, table: Table, options: ReadOptions) -> Loaded:
    cols = prediction_columns(path, table.header, options)
    ((system, col),) = cols.preds.items()
    ids = table_ids(path, table, cols.id)
    return Loaded(predictions={system: _column(ids, [c for _, c in table.rows], col)},
                  sources=[path])


def _column(ids: list[str], rows: list[list[Cell]], col: int) -> dict[str, str]:
    """``id -> text`` for one column; a missing (``None``) value is no entry."""
    return {item_id: text for item_id, cells in zip(ids, rows, strict=True)
            if (text := cells[col]) is not None}
