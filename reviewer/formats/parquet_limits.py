"""How much a Parquet file decodes to, measured before it is decoded.

A Parquet file of a few kilobytes can hold one long string and a million references to it
(dictionary encoding), and decode to gigabytes. Before pandas reads a table, the file is
streamed once with its text columns kept dictionary-encoded, so that the size of what it
would decode to is counted without building it. Files over the limits of
:mod:`reviewer.core.limits` are refused, naming the row where the limit is passed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reviewer.core.errors import InputError
from reviewer.core.limits import MAX_CELL_CHARS, MIB, PARQUET_MAX_RATIO, PARQUET_MIN_DECODED

_BATCH_ROWS = 256


def decoded_budget(file_size: int) -> int:
    """The most bytes a Parquet file of ``file_size`` bytes may decode to."""
    return max(PARQUET_MIN_DECODED, PARQUET_MAX_RATIO * file_size)


def check_parquet(path: Path, rows: int | None = None) -> None:
    """Refuse ``path`` if it decodes to more than :func:`decoded_budget` or holds a text cell
    longer than ``MAX_CELL_CHARS``; raises :class:`InputError` naming the row.

    ``rows``: only the batches that hold the first ``rows`` rows are measured (a preview).
    """
    import pyarrow.parquet as pq

    try:
        size = path.stat().st_size
        leaves = pq.ParquetFile(path).schema
        text = [c.path for c in leaves if c.physical_type == "BYTE_ARRAY"]
        parquet = pq.ParquetFile(path, read_dictionary=text)
        # One row group at a time: a batch spanning two row groups of a list-of-strings
        # column read as dictionaries is a "chunked array output" pyarrow cannot make.
        batches = (batch for group in range(parquet.num_row_groups)
                   for batch in parquet.iter_batches(_BATCH_ROWS, row_groups=[group]))
    except Exception as exc:  # pyarrow raises many types for a bad file
        raise InputError(path, f"cannot read the Parquet file: {exc}") from None
    budget = decoded_budget(size)
    total = row = 0
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except Exception as exc:
            raise InputError(path, f"row {row + 1} on: cannot read the Parquet file: "
                             f"{exc}") from None
        for name, column in zip(batch.schema.names, batch.columns, strict=True):
            _check_cells(path, name, column, row)
            total += decoded_bytes(column)
        row += batch.num_rows
        if total > budget:
            raise InputError(path, f"by row {row:,} it decodes to more than {budget // MIB:,} MB "
                             f"(the file has {_size(size)}); reviewer reads Parquet files that "
                             f"decode to at most {PARQUET_MAX_RATIO} times their size or "
                             f"{PARQUET_MIN_DECODED // MIB} MB")
        if rows is not None and row >= rows:
            return


def _size(n: int) -> str:
    return f"{n / MIB:,.1f} MB" if n >= MIB else f"{n:,} bytes"


def _check_cells(path: Path, name: str, column: Any, first_row: int) -> None:
    """Refuse a text cell longer than ``MAX_CELL_CHARS`` characters in a top-level column."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return
    if pa.types.is_dictionary(column.type):
        lengths = pc.utf8_length(column.dictionary).take(column.indices)
    else:
        lengths = pc.utf8_length(column)
    longest = pc.max(lengths).as_py()
    if longest is not None and longest > MAX_CELL_CHARS:
        at = first_row + 1 + int(pc.index(lengths, longest).as_py())
        raise InputError(path, f"row {at}: the cell of column {name!r} holds {longest:,} "
                         f"characters, more than the limit of {MAX_CELL_CHARS:,}")


def decoded_bytes(array: Any) -> int:
    """Bytes ``array`` takes once its dictionaries are expanded (lists and structs included)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = array.type
    if pa.types.is_dictionary(kind):
        value = kind.value_type
        if pa.types.is_string(value) or pa.types.is_large_string(value) \
                or pa.types.is_binary(value) or pa.types.is_large_binary(value):
            lengths = pc.binary_length(array.dictionary).take(array.indices)
            return int(pc.sum(lengths).as_py() or 0) + 8 * len(array)
        width = getattr(value, "bit_width", 64) // 8 or 1
        return width * len(array)
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) \
            or pa.types.is_fixed_size_list(kind) or pa.types.is_map(kind):
        return decoded_bytes(array.flatten()) + 8 * len(array)
    if pa.types.is_struct(kind):
        return sum(decoded_bytes(field) for field in array.flatten()) + len(array)
    return int(array.nbytes)
