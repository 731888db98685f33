"""Files embedded in Parquet tables: dataset hubs store each image as a struct of bytes.

Such cells are written once to a folder beside the table (``<table>_images/``) and replaced
by the path of the file, so every kind's reader and the window see an ordinary media path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reviewer.core.errors import InputError
from reviewer.formats.tableparse import Table

_STRUCT_START = '{"bytes"'


def with_embedded_files(path: Path, table: Table) -> Table:
    """``table`` with every embedded-file cell replaced by the path of the file written."""
    columns = [k for k in range(len(table.header))
               if any((cells[k] or "").startswith(_STRUCT_START) for _, cells in table.rows)]
    if not columns:
        return table
    import pandas as pd

    names = [table.header[k] for k in columns]
    try:
        frame = pd.read_parquet(path, columns=names)
    except Exception as exc:
        raise InputError(path, f"cannot read the columns {', '.join(names)}: {exc}") from None
    folder = path.with_name(f"{path.stem}_images")
    rows = [(number, list(cells)) for number, cells in table.rows]
    for k, name in zip(columns, names, strict=True):
        for (number, cells), value in zip(rows, frame[name].tolist(), strict=True):
            cells[k] = _file_for(value, folder, number, cells[k])
    return Table(table.header, [(n, c) for n, c in rows], by_line=table.by_line)


def _file_for(value: Any, folder: Path, number: int, cell: str | None) -> str | None:
    """The path standing for one cell: the written file, the struct's own path, or the cell."""
    if not isinstance(value, dict):
        return cell
    data = value.get("bytes")
    if isinstance(data, bytes | bytearray) and data:
        name = Path(str(value.get("path") or "")).name or f"row_{number}.png"
        target = folder / f"{number:06d}_{name}"
        try:
            folder.mkdir(exist_ok=True)
            if not target.exists() or target.stat().st_size != len(data):
                target.write_bytes(data)
        except OSError as exc:
            raise InputError(folder, f"cannot write the table's embedded files: "
                             f"{exc.strerror or exc}") from None
        return str(target)
    return str(value["path"]) if value.get("path") else None
