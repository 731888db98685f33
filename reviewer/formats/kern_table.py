"""Kern tables (CSV, JSONL, Parquet): one score per row, as the Sheet Music Benchmark ships.

The reference is the ``kern`` column (or ``--ref-col``); ``image`` is the page; other
columns (``regions`` boxes, ``ekern``, sizes) are kept as item metadata. Parquet files
from dataset hubs embed each image as a struct of bytes: those are written once to a
folder beside the table (``<table>_images/``) so the window can show them. A prediction
table's kern is its ``prediction`` column, else its ``kern`` column.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reviewer.core.errors import InputError
from reviewer.formats.columns import MEDIA_NAMES, PRED_NAMES
from reviewer.formats.kern_folders import check_reference
from reviewer.formats.registry import Loaded, ReadOptions
from reviewer.formats.tableparse import Table

KERN_COLUMN = "kern"


def build_table(path: Path, table: Table, options: ReadOptions) -> Loaded:
    """Items (with their kern checked) or one system's kern predictions from ``table``."""
    from reviewer.formats.table import build

    lower = [h.lower() for h in table.header]
    kern = table.header[lower.index(KERN_COLUMN)] if KERN_COLUMN in lower else None
    if options.role == "prediction":
        system = options.system or "pred"
        if system not in options.pred_cols and kern is not None and not any(
                h in PRED_NAMES for h in lower):
            options = replace(options, pred_cols={**options.pred_cols, system: kern})
        return build(path, table, replace(options, kind="text"))
    media_col = options.media_col or next(
        (table.header[lower.index(n)] for n in MEDIA_NAMES if n in lower), None)
    if media_col is not None and path.suffix.lower() == ".parquet":
        table = _with_extracted_images(path, table, media_col)
    loaded = build(path, table, replace(options, kind="text",
                                        ref_col=options.ref_col or kern, media_col=media_col))
    for item in loaded.items:
        check_reference(path, item.reference, loaded.warnings, record=item.id)
    return loaded


def _with_extracted_images(path: Path, table: Table, column: str) -> Table:
    """``table`` with embedded image structs replaced by paths of files written from them."""
    col = table.header.index(column)
    if not any((cells[col] or "").startswith('{"bytes"') for _, cells in table.rows):
        return table
    import pandas as pd

    try:
        values = pd.read_parquet(path, columns=[column])[column].tolist()
    except Exception as exc:
        raise InputError(path, f"cannot read the image column {column!r}: {exc}") from None
    folder = path.with_name(f"{path.stem}_images")
    rows = []
    for (number, cells), value in zip(table.rows, values, strict=True):
        image = value.get("bytes") if isinstance(value, dict) else None
        if isinstance(image, bytes | bytearray) and image:
            name = Path(str(value.get("path") or "")).name or f"row_{number}.png"
            target = folder / f"{number:06d}_{name}"
            try:
                folder.mkdir(exist_ok=True)
                if not target.exists() or target.stat().st_size != len(image):
                    target.write_bytes(image)
            except OSError as exc:
                raise InputError(folder, f"cannot write the table's embedded images: "
                                 f"{exc.strerror or exc}") from None
            cells = [*cells[:col], str(target), *cells[col + 1:]]
        elif isinstance(value, dict):
            cells = [*cells[:col], str(value["path"]) if value.get("path") else None,
                     *cells[col + 1:]]
        rows.append((number, cells))
    return Table(table.header, rows, by_line=table.by_line)
