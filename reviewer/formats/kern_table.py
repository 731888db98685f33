"""Kern tables (CSV, JSONL, Parquet): one score per row, as the Sheet Music Benchmark ships.

The reference is the ``kern`` column (or ``--ref-col``); ``image`` is the page; other
columns (``regions`` boxes, ``ekern``, sizes) are kept as item metadata; images embedded
in a Parquet file are written beside it by the Parquet reader. A prediction
table's kern is its ``prediction`` column, else its ``kern`` column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from reviewer.formats.column_lookup import find_column, first_free_column
from reviewer.formats.columns import MEDIA_NAMES, PRED_NAMES
from reviewer.formats.kern_folders import check_reference, marked_warning
from reviewer.formats.registry import Loaded, ReadOptions, register_kind_table
from reviewer.formats.tableparse import Table

KERN_COLUMN = "kern"


@register_kind_table("kern")
def build_table(path: Path, table: Table, options: ReadOptions) -> Loaded:
    """Items (with their kern checked) or one system's kern predictions from ``table``."""
    from reviewer.formats.table import build

    header = table.header
    kern = _name(header, find_column(header, KERN_COLUMN))
    if options.role == "prediction":
        system = options.system or "pred"
        if system not in options.pred_cols and kern is not None and not any(
                h.lower() in PRED_NAMES for h in header):
            options = replace(options, pred_cols={**options.pred_cols, system: kern})
        return build(path, table, replace(options, kind="text"))
    media_col = options.media_col or _name(header, first_free_column(header, MEDIA_NAMES))
    loaded = build(path, table, replace(options, kind="text",
                                        ref_col=options.ref_col or kern, media_col=media_col))
    loaded.items = [
        replace(item, meta=item.meta + check_reference(path, item.reference, loaded.warnings,
                                                       item.id, options.unreadable))
        for item in loaded.items]
    marked_warning(path, loaded.items, loaded.warnings)
    return loaded


def _name(header: Sequence[str], column: int | None) -> str | None:
    return None if column is None else header[column]
