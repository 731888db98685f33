"""Read a large reference table (JSON Lines, CSV, TSV) a chunk of rows at a time.

The whole-file readers (:mod:`.table`) hold every row, item and prediction at once; a
table of ten million lines does not fit a laptop that way. :func:`stream_benchmark` gives
the same items and predictions, with the same checks and messages, as a
:class:`~reviewer.core.items.BenchmarkStream` that reads the file a line at a time. What
needs every row (ids given once) is left to the importer, which checks it in SQLite.

Tables that need more (predictions in other files, a media column whose files are
judged together, the kinds that read their own columns, NLP options) are read whole:
:func:`stream_benchmark` returns ``None`` for them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reviewer.core.errors import InputError
from reviewer.core.items import BenchmarkStream, Item, StreamRow, check_kind
from reviewer.core.limits import MAX_CELL_CHARS
from reviewer.formats.columns import Columns, check_header, is_export, meta_key, reference_columns
from reviewer.formats.formula_cells import restore
from reviewer.formats.parse_messages import csv_problem
from reviewer.formats.registry import ReadOptions, detect, get, kind_table
from reviewer.formats.safe_read import open_regular
from reviewer.formats.tableparse import cell_text, json_record
from reviewer.formats.textio import BOM

STREAMED_FORMATS = ("jsonl", "csv", "tsv")
CHUNK_ROWS = 5_000  # items per chunk a stream yields
_HEAD_ROWS = 1_000  # JSON Lines records whose keys make the columns before streaming
_BLOCK = 1 << 20
_NO_SIZE_LIMIT = 1 << 50


class Unstreamable(Exception):
    """The table turned out, part way through, to need reading whole (a JSON Lines key
    first seen late changes which columns hold what)."""


def stream_benchmark(
    reference: Path,
    predictions: Sequence[tuple[str, Path]],
    options: ReadOptions,
    format_name: str | None = None,
    chunk_rows: int | None = None,
) -> BenchmarkStream | None:
    """``reference`` as a stream of chunks of ``chunk_rows`` items (default
    :data:`CHUNK_ROWS`), or ``None`` when it is read whole (see the module's docstring)."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    if predictions or not reference.is_file() or kind_table(options.kind) is not None:
        return None
    if (options.normalizations or options.wer_tags or options.synonyms
            or not options.compound_hyphens):
        return None
    fmt = get(format_name) if format_name else detect(reference)
    if fmt.name not in STREAMED_FORMATS:
        return None
    if fmt.name == "jsonl":
        header = _jsonl_head(reference)
    else:
        if _bare_carriage_returns(reference):
            return None  # old Mac line ends: the csv module splits those lines itself
        header = _delimited_head(reference, _DELIMITERS[fmt.name])
    restoring = fmt.name != "jsonl" and is_export([restore(h) or "" for h in header])
    if restoring:
        header = [restore(h) or "" for h in header]
    cols = reference_columns(reference, header, options)
    if cols.media is not None:
        return None
    layout = _Layout(reference, fmt.name, header, cols, restoring)
    warnings: list[str] = []
    return BenchmarkStream(check_kind(options.kind), str(reference), list(cols.preds),
                           lambda: _chunks(layout, options, warnings, chunk_rows),
                           total=_count_rows(reference, fmt.name != "jsonl"),
                           sources=[str(reference)], warnings=warnings,
                           source_format=fmt.name)


_DELIMITERS = {"csv": ",", "tsv": "\t"}


@dataclass
class _Layout:
    """What the head of the table told: its format, header and the columns' roles."""

    path: Path
    fmt: str
    header: list[str]
    cols: Columns
    restoring: bool  # a CSV/TSV file reviewer exported: formula quotes are removed


def _chunks(layout: _Layout, options: ReadOptions, warnings: list[str],
            chunk_rows: int) -> Iterator[list[StreamRow]]:
    """The items and predictions of ``layout.path`` in chunks; at the end, the warnings the
    whole-file reader gives go to ``warnings``."""
    path = layout.path
    warnings.clear()
    header = list(layout.header)
    known = set(header)
    named = [(i, meta_key(header, i)) for i in layout.cols.meta]
    systems = list(layout.cols.preds.values())
    missing = [0] * len(systems)
    count = 0
    chunk: list[StreamRow] = []
    rows = (_jsonl_rows(path) if layout.fmt == "jsonl"
            else _delimited_rows(path, _DELIMITERS[layout.fmt], layout.restoring))
    for where, cells in rows:
        if isinstance(cells, dict):
            if not known.issuperset(cells):
                named = _grown(layout, options, header, cells, named, where)
                known = set(header)
            values: list[str | None] = [cell_text(cells.get(c)) for c in header]
        else:
            values = cells
        count += 1
        cols = layout.cols
        if cols.id is None:
            item_id = f"row_{count}"
        else:
            item_id = (values[cols.id] or "").strip()
            if not item_id:
                if chunk:
                    yield chunk  # the rows before are checked first, as when read whole
                raise InputError(path, "empty id", line=where)
        reference = (values[cols.ref] or "") if cols.ref is not None else ""
        meta = tuple((name, c) for i, name in named if (c := values[i]) is not None)
        preds = tuple(values[i] for i in systems)
        for k, text in enumerate(preds):
            if text is None:
                missing[k] += 1
        chunk.append(StreamRow(Item(item_id, reference, None, meta), where, preds))
        if len(chunk) >= chunk_rows:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
    if not count:
        raise InputError(path, "the table has no rows")
    if layout.cols.id is None:
        warnings.append(f"{path}: no id column; items are numbered row_1 to row_{count}")
    for system, gaps in zip(layout.cols.preds, missing, strict=True):
        if gaps:
            warnings.append(f"system {system}: {gaps} items have no prediction "
                                   "(scored as empty predictions)")


def _grown(layout: _Layout, options: ReadOptions, header: list[str], record: dict[str, Any],
           named: list[tuple[int, str]], where: int) -> list[tuple[int, str]]:
    """Take the keys ``record`` adds to ``header`` as metadata, which the whole-file reader
    would also do; raise :class:`Unstreamable` when they change any column's role."""
    new = [key for key in record if key not in header]
    if not new:
        return named
    grown = header + new
    cols = reference_columns(layout.path, grown, options)
    old = layout.cols
    if (cols.id, cols.ref, cols.media, cols.preds) != (old.id, old.ref, old.media, old.preds) \
            or is_export(grown) != is_export(header):
        raise Unstreamable(f"{layout.path}: line {where} adds the column(s) {new}")
    header.extend(new)
    layout.cols = cols
    return [(i, meta_key(header, i)) for i in cols.meta]


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each line (its line break kept), decoded as strict UTF-8
    with the same error the whole-file readers give; a leading byte-order mark dropped."""
    offset = 0
    with _opened(path) as fh:
        for number, raw in enumerate(fh, 1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = offset + exc.start
                raise InputError(path, f"not valid UTF-8 at byte {bad} (0x{raw[exc.start]:02x}); "
                                 "save the file as UTF-8", line=number) from None
            if number == 1 and text.startswith(BOM):
                text = text[1:]
            offset += len(raw)
            yield number, text


def _opened(path: Path) -> Any:
    try:
        return open_regular(path, _NO_SIZE_LIMIT)
    except OSError as exc:
        raise InputError(path, f"cannot read the file: {exc.strerror or exc}") from None


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each JSON object with its line; blank lines are skipped."""
    for number, text in _lines(path):
        line = text.removesuffix("\n")
        if line.strip():
            yield number, json_record(path, line, number)


def _jsonl_head(path: Path) -> list[str]:
    """The columns the first records name, in the order they first appear."""
    header: dict[str, None] = {}
    for k, (_, record) in enumerate(_jsonl_rows(path)):
        header.update(dict.fromkeys(record))
        if k + 1 >= _HEAD_ROWS:
            break
    if not header:
        raise InputError(path, "the file holds no JSON objects")
    return list(header)


def _delimited_rows(path: Path, delimiter: str, restoring: bool
                    ) -> Iterator[tuple[int, list[str | None]]]:
    """Each data row of a CSV/TSV file with the line it starts on (the header is checked
    and skipped), refused as :func:`~.tableparse.parse_delimited` refuses it."""
    csv.field_size_limit(MAX_CELL_CHARS)
    texts = (text for _, text in _lines(path))
    reader = csv.reader(texts, delimiter=delimiter, strict=True)
    width: int | None = None
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(path, csv_problem(exc, delimiter), line=start) from None
        if width is None:
            if cells:
                width = len(cells)
                check_header(path, [c.strip() for c in cells])
        elif any(cells):
            if len(cells) != width:
                raise InputError(path, f"{len(cells)} fields where the header has {width}",
                                 line=start)
            yield start, [restore(c) for c in cells] if restoring else list(cells)
        start = reader.line_num + 1
    if width is None:
        raise InputError(path, "the file is empty; a table needs a header row")


def _delimited_head(path: Path, delimiter: str) -> list[str]:
    """The header row of a CSV/TSV file."""
    texts = (text for _, text in _lines(path))
    reader = csv.reader(texts, delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            if cells:
                return [c.strip() for c in cells]
    except csv.Error as exc:
        raise InputError(path, csv_problem(exc, delimiter), line=reader.line_num) from None
    raise InputError(path, "the file is empty; a table needs a header row")


def _bare_carriage_returns(path: Path) -> bool:
    """Whether the file's beginning ends lines with a carriage return alone."""
    with _opened(path) as fh:
        head = fh.read(_BLOCK)
    return head.replace(b"\r\n", b"").find(b"\r") >= 0


def _count_rows(path: Path, has_header: bool) -> int:
    """The lines of ``path`` (minus a header): the number of rows, unless blank lines or
    cells spanning lines make it more."""
    lines, last = 0, b"\n"
    with _opened(path) as fh:
        while block := fh.read(_BLOCK):
            lines += block.count(b"\n")
            last = block[-1:]
    lines += last != b"\n"
    return max(lines - has_header, 0)


def kept_systems(stream: BenchmarkStream, names: frozenset[str]) -> BenchmarkStream:
    """``stream`` with only the systems ``names`` (in its order); its warnings are the
    same list."""
    keep = [k for k, system in enumerate(stream.systems) if system in names]
    source = stream.chunks

    def chunks() -> Iterator[list[StreamRow]]:
        for chunk in source():
            yield [StreamRow(r.item, r.where, tuple(r.predictions[k] for k in keep))
                   for r in chunk]

    return replace(stream, systems=[stream.systems[k] for k in keep], chunks=chunks)
