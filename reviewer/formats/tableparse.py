"""Table parsing: CSV/TSV, JSON Lines and Parquet into a header and rows of text cells.

A cell is ``None`` where a JSONL key or a Parquet value is missing; CSV cells are never
``None`` (an empty cell is an empty string).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.core.errors import InputError
from reviewer.core.limits import MAX_CELL_CHARS
from reviewer.formats.columns import check_header
from reviewer.formats.parse_messages import csv_problem, json_problem
from reviewer.formats.safe_read import open_regular
from reviewer.formats.textio import decode_utf8, read_bytes

Cell = str | None
# JSON's \uD800 to \uDFFF escapes spell half a surrogate pair, which is not text.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_HEAD_BYTES = 1 << 16  # the first beginning of a file a preview parses; then 4 times more
_NO_SIZE_LIMIT = 1 << 50  # tables are read whole: only what is no regular file is refused
_PARQUET_MAGIC = b"PAR1"


@dataclass
class Table:
    """A parsed table: header, rows as ``(position, cells)``; position is a line or a row."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]]
    by_line: bool = True  # positions are file lines (CSV, JSONL) or row numbers (Parquet)


def parse_delimited(path: Path, delimiter: str, limit: int | None = None) -> Table:
    """Parse CSV (``","``) or TSV (``"\\t"``) with quoting as the CSV writers use it.

    With ``limit``, only the header and the first ``limit`` rows are parsed, from as much
    of the beginning of the file as they take (a preview): the same rows and the same
    errors as parsing the whole file gives for them.
    """
    for text, whole in _texts(path, limit):
        table = _delimited(path, text, delimiter, limit, whole)
        if table is not None:
            return table
    raise AssertionError("not reached: the whole file always gives a table or an error")


def _delimited(path: Path, text: str, delimiter: str, limit: int | None,
               whole: bool) -> Table | None:
    """The table ``text`` holds; ``None`` when ``text`` is a beginning of the file that
    ends before the ``limit`` rows do."""
    # One cell may hold a whole page or book; the csv module's default limit is 128 KiB.
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[Cell]]] = []
    start = 1
    while limit is None or len(rows) < limit:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if not whole and reader.line_num >= text.count("\n"):
                return None  # a quoted cell goes on past this beginning of the file
            raise InputError(path, csv_problem(exc, delimiter), line=start) from None
        if header is None:
            if cells:
                header = [c.strip() for c in cells]
                check_header(path, header)
        elif any(cells):
            if len(cells) != len(header):
                raise InputError(
                    path, f"{len(cells)} fields where the header has {len(header)}", line=start
                )
            rows.append((start, list(cells)))
        start = reader.line_num + 1
    if not whole and (header is None or len(rows) < (limit or 0)):
        return None
    if header is None:
        raise InputError(path, "the file is empty; a table needs a header row")
    return Table(header, rows)


def parse_jsonl(path: Path, limit: int | None = None) -> Table:
    """Parse JSON Lines: every non-blank line one JSON object; keys are the columns.

    With ``limit``, only the first ``limit`` objects are parsed (a preview; see
    :func:`parse_delimited`), and the columns are the keys they have.
    """
    for text, whole in _texts(path, limit):
        table = _jsonl(path, text, limit, whole)
        if table is not None:
            return table
    raise AssertionError("not reached: the whole file always gives a table or an error")


def _jsonl(path: Path, text: str, limit: int | None, whole: bool) -> Table | None:
    """The table ``text`` holds; ``None`` when ``text`` is a beginning of the file that
    ends before the ``limit`` objects do."""
    records: list[tuple[int, dict[str, Any]]] = []
    escapes = _SURROGATE_ESCAPE.search(text) is not None
    # str.splitlines would also split at U+2028 and U+0085, which JSON strings may hold raw.
    for number, line in enumerate(text.split("\n"), 1):
        if limit is not None and len(records) >= limit:
            break
        if not line.strip():
            continue
        records.append((number, json_record(path, line, number, escapes)))
    header: dict[str, None] = {}
    for _, record in records:
        header.update(dict.fromkeys(record))
    columns = list(header)
    if not whole and (not columns or len(records) < (limit or 0)):
        return None
    rows = [(n, [_cell(r.get(c)) for c in columns]) for n, r in records]
    if not columns:
        raise InputError(path, "the file holds no JSON objects")
    return Table(columns, rows)


def json_record(path: Path, line: str, number: int, escapes: bool = True) -> dict[str, Any]:
    """The JSON object on line ``number`` of a JSON Lines file; ``escapes``: whether the
    file may hold ``\\u`` escapes of surrogates at all (a quick look at the whole text)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(path, json_problem(exc), line=number) from None
    except RecursionError:
        raise InputError(path, "malformed JSON: nested too deeply", line=number) from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise InputError(path, "a number has more digits than reviewer reads "
                         f"({sys.get_int_max_str_digits():,})", line=number) from None
    if len(line) > MAX_CELL_CHARS:
        _check_lengths(path, record, number)
    if not isinstance(record, dict):
        raise InputError(path, "each line must hold a JSON object", line=number)
    if escapes and _SURROGATE_ESCAPE.search(line) and not _is_text(record):
        raise InputError(path, "a \\u escape names half a UTF-16 surrogate pair, "
                         "which is not a character", line=number)
    return record


def parse_parquet(path: Path, limit: int | None = None) -> Table:
    """Parse a Parquet file with pandas; every value becomes text, nulls stay ``None``.

    The file is measured first (:func:`~reviewer.formats.parquet_limits.check_parquet`): one
    that would decode to far more than its size, or holds an over-long cell, is refused.
    With ``limit``, only the first ``limit`` rows become text (a preview).
    """
    import pandas as pd

    from reviewer.formats.parquet_limits import check_parquet

    _check_parquet_magic(path)
    check_parquet(path, rows=limit)
    # pyarrow raises many unrelated types for a bad file, some only when a column is
    # converted (a string column holding bytes that are not UTF-8, say).
    try:
        frame = pd.read_parquet(path if limit is None else _parquet_head(path, limit))
        header = [str(c) for c in frame.columns]
        columns = [frame[c].tolist() for c in frame.columns]
    except Exception as exc:
        raise InputError(path, f"cannot read the Parquet file: {exc}") from None
    check_header(path, header)
    rows = [(n + 1, [_cell(col[n]) for col in columns]) for n in range(len(frame))]
    return Table(header, rows, by_line=False)


def _parquet_head(path: Path, limit: int) -> io.BytesIO:
    """The first ``limit`` rows of a Parquet file as a Parquet file of their own (its schema
    and pandas metadata kept), so that pandas converts them exactly as it does the whole."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = pq.ParquetFile(path)
    batches, count = [], 0
    for batch in source.iter_batches(batch_size=limit):  # a batch ends with its row group
        batches.append(batch)
        count += batch.num_rows
        if count >= limit:
            break
    head = pa.Table.from_batches(batches, schema=source.schema_arrow).slice(0, limit)
    out = io.BytesIO()
    pq.write_table(head, out)
    out.seek(0)
    return out


def _check_parquet_magic(path: Path) -> None:
    """Refuse a file that is no Parquet file at all, in words rather than pyarrow's."""
    try:
        with open_regular(path, _NO_SIZE_LIMIT) as fh:
            first = fh.read(4)
            size = os.fstat(fh.fileno()).st_size
            fh.seek(max(size - 4, 0))
            last = fh.read(4)
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from None
    if size < 12 or first != _PARQUET_MAGIC or last != _PARQUET_MAGIC:
        raise InputError(path, "cannot read the Parquet file: it does not begin and end "
                         "with the bytes PAR1 that every Parquet file has (another kind of "
                         "table named .parquet, or a file cut short?)")


def _texts(path: Path, limit: int | None) -> Iterator[tuple[str, bool]]:
    """The text of ``path`` and ``True``; with ``limit``, growing beginnings of it first,
    each cut after a line break (and ``False``), until one holds enough rows."""
    if limit is None:
        yield decode_utf8(read_bytes(path), path), True
        return
    size = _HEAD_BYTES
    while True:
        try:
            with open_regular(path, _NO_SIZE_LIMIT) as fh:
                data = fh.read(size + 1)
        except OSError as exc:
            raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from None
        if len(data) <= size:
            yield decode_utf8(data, path), True
            return
        # A line break byte is never part of a longer UTF-8 sequence: the cut decodes.
        yield decode_utf8(data[:data.rfind(b"\n") + 1], path), False
        size *= 4


def _check_lengths(path: Path, record: Any, number: int) -> None:
    """Refuse a JSON line with a string longer than ``MAX_CELL_CHARS`` characters."""
    values = record.values() if isinstance(record, dict) else [record]
    for value in values:
        size = len(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        if size > MAX_CELL_CHARS:
            raise InputError(path, f"a cell holds {size:,} characters, more than the "
                             f"limit of {MAX_CELL_CHARS:,}", line=number)


def _is_text(record: dict[str, Any]) -> bool:
    """Whether every key and string in ``record`` can be stored (no lone surrogates)."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _plain(value: Any) -> Any:
    """A value nested in a Parquet list or struct, as something JSON can write."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _cell(value: Any) -> Cell:
    """A JSON or Parquet value as text; ``None`` for a missing value."""
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()  # numpy scalars and arrays to plain Python
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=_plain)
    if str(value) == "<NA>":  # pandas.NA, without importing pandas here
        return None
    return str(value)


cell_text = _cell  # for the streaming reader (:mod:`.stream_table`)


def row_error(path: Path, table: Table, where: int, message: str,
              record: str | None = None) -> InputError:
    """An error about the row at ``where`` (a line number, or a row number for Parquet)."""
    if table.by_line:
        return InputError(path, message, line=where, record=record)
    return InputError(path, f"row {where}: {message}", record=record)


def table_ids(path: Path, table: Table, col: int | None) -> list[str]:
    """Every row's id (``row_<n>`` without an id column); empty or repeated ids are refused."""
    if col is None:
        return [f"row_{n}" for n in range(1, len(table.rows) + 1)]
    ids = [(cells[col] or "").strip() for _, cells in table.rows]
    if len(set(ids)) == len(ids) and "" not in ids:
        return ids
    seen: dict[str, int] = {}
    for item_id, (where, _) in zip(ids, table.rows, strict=True):
        if not item_id:
            raise row_error(path, table, where, "empty id")
        if item_id in seen:
            raise duplicate_id(path, table.by_line, where, seen[item_id], item_id)
        seen[item_id] = where
    return ids  # not reached: the set comparison above found a problem


def duplicate_id(path: Path | str, by_line: bool, where: int, first: int,
                 item_id: str) -> InputError:
    """The error for ``item_id`` given again at ``where`` (a line, or a row without
    ``by_line``), first given at ``first``."""
    place = ("line " if by_line else "row ") + str(first)
    message = f"duplicate id {item_id!r} (first on {place})"
    if by_line:
        return InputError(path, message, line=where, record=item_id)
    return InputError(path, f"row {where}: {message}", record=item_id)
