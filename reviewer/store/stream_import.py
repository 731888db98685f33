"""Import a benchmark that streams (:class:`~reviewer.core.items.BenchmarkStream`): memory
stays bounded whatever its size.

Each chunk of items is written, its pairs scored and their counts written before the
next chunk is read; what needs every item at once is checked in SQLite: ids given twice
(the items' UNIQUE id), ids that differ only in their Unicode form, and, adding systems to
a project, the same items and references as the project's (SQL comparisons of the staged
items with the project's). As in :mod:`.importer`, a new project is built under a hidden
temporary name and linked when committed, and systems added to a project are staged in
SQLite's private temporary database, the project's write lock held only for the copy.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from reviewer.core.cluster import Workers
from reviewer.core.counts import ScoreOptions
from reviewer.core.errors import InputError, ProjectError
from reviewer.core.evaluate import score_chunks, score_pair
from reviewer.core.items import BenchmarkStream, StreamRow
from reviewer.core.progress import NullProgress, Progress
from reviewer.core.tokenize import CharMode
from reviewer.formats.registry import ReadOptions
from reviewer.formats.stream_table import Unstreamable, kept_systems, stream_benchmark
from reviewer.formats.tableparse import duplicate_id
from reviewer.store.answer_options import keep_choices
from reviewer.store.db import write_transaction
from reviewer.store.first_import import first_import_transaction
from reviewer.store.importer import (
    STAGING,
    Key,
    _corrected,
    _digest,
    finish_import,
    import_with,
    list_stage,
    score_settings,
)
from reviewer.store.meta_json import meta_json
from reviewer.store.project import COUNT_COLUMNS, Project, now

_ALIGNMENT_COLUMNS = ", ".join(("system", "item_id", "variant", *COUNT_COLUMNS))


def import_stream_into(path: str | Path, stream: BenchmarkStream, **options: Any
                       ) -> dict[str, int]:
    """:func:`~reviewer.store.importer.import_into` for a stream: creates the project at
    ``path`` (appearing only once complete) or adds the stream's systems to it."""
    return import_with(path, import_stream, stream, **options)


def import_stream(
    project: Project,
    stream: BenchmarkStream,
    *,
    name: str | None = None,
    replace: bool = False,
    char_mode: CharMode | None = None,
    normalize: str | None = None,
    extract: str | None = None,
    matcher: str | None = None,
    progress: Progress | None = None,
    workers: Workers = None,
) -> dict[str, int]:
    """Add ``stream`` to ``project`` as :func:`~reviewer.store.importer.import_benchmark`
    adds a benchmark (same checks, same rows); returns the items and pairs scored."""
    progress = progress or NullProgress()
    existing = project.item_count()
    mode, preset, options = score_settings(project, stream.kind, existing, char_mode=char_mode,
                                           normalize=normalize, extract=extract,
                                           matcher=matcher)
    _check_clash(project, stream.systems, replace)
    corrected = _corrected(project) if existing else {}
    total = len(stream.systems) * (stream.total + len(corrected))
    progress.status(f"Aligning {total:,} pairs")
    if existing:
        return _add_systems(project, stream, corrected, options, replace, progress, workers,
                            total)
    # Every row the stream writes names an item and a system it wrote before.
    with first_import_transaction(project.db, unpublished=project.unpublished):
        _write_new_meta(project, stream, mode, preset, name)
        keep_choices(project, options)
        sink = _Sink(project, stream, "main")
        counted = _score_into(sink, corrected, options, progress, workers, total)
        _check_forms(sink)
        _write_sources(project, stream)
        list_stage(project, progress)
    finish_import(project, progress)
    return counted


class _Sink:
    """Where a stream's items, predictions and alignments go: the project itself (``main``,
    a new project) or the staging database (systems added to a project)."""

    def __init__(self, project: Project, stream: BenchmarkStream, schema: str) -> None:
        self.project, self.stream, self.schema = project, stream, schema
        self.conn = project.db.conn
        self.items = 0
        self.odd_forms: list[tuple[int, str]] = []  # (pos, id) of ids not in NFC

    def add(self, chunk: list[StreamRow]) -> None:
        """Write the items and predictions of ``chunk``; an id given before is refused,
        naming the line (or row) of both."""
        first = self.items
        rows = [(first + k, r.item.id, r.item.reference, r.item.media,
                 meta_json(r.item.meta)) for k, r in enumerate(chunk)]
        try:
            self.conn.executemany(f"INSERT INTO {self.schema}.items (pos, id, reference, "
                                  "media, meta) VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.IntegrityError:
            raise self._duplicate(chunk, first) from None
        self.conn.executemany(
            f"INSERT INTO {self.schema}.predictions (system, item_id, text, meta) "
            "VALUES (?, ?, ?, '{}')",
            ((system, r.item.id, text) for k, system in enumerate(self.stream.systems)
             for r in chunk if (text := r.predictions[k]) is not None))
        self.odd_forms.extend((first + k, r.item.id) for k, r in enumerate(chunk)
                              if not unicodedata.is_normalized("NFC", r.item.id))
        self.items += len(chunk)

    def position(self, item_id: str) -> int | None:
        """The position of the item ``item_id`` written so far."""
        row = self.conn.execute(f"SELECT pos FROM {self.schema}.items WHERE id = ?",
                                [item_id]).fetchone()
        return None if row is None else int(row[0])

    def _duplicate(self, chunk: list[StreamRow], first: int) -> InputError:
        seen: dict[str, int] = {}
        for row in chunk:
            item_id = row.item.id
            earlier = seen.get(item_id)
            if earlier is None and (pos := self.position(item_id)) is not None and pos < first:
                earlier = self._where(pos)
            if earlier is not None:
                return duplicate_id(self.stream.source, self.stream.by_line, row.where,
                                    earlier, item_id)
            seen[item_id] = row.where
        raise AssertionError("a UNIQUE failure without a repeated id")

    def _where(self, pos: int) -> int:
        """The line (or row) of the item at ``pos``, read again from the source."""
        seen = 0
        for chunk in self.stream.chunks():
            if pos < seen + len(chunk):
                return chunk[pos - seen].where
            seen += len(chunk)
        raise AssertionError("the source holds fewer items than were written")


def _score_into(sink: _Sink, corrected: dict[str, str], options: ScoreOptions,
                progress: Progress, workers: Workers, total: int) -> dict[str, int]:
    """Read the stream into ``sink`` and write the counts of its pairs (each item against
    each system's prediction, and against its corrected reference) there as they come."""
    keys: deque[Key] = deque()
    pairs_made = 0

    def pairs() -> Iterator[tuple[str, str]]:
        nonlocal pairs_made
        for chunk in sink.stream.chunks():
            sink.add(chunk)
            for k, system in enumerate(sink.stream.systems):
                for row in chunk:
                    hyp = row.predictions[k] or ""
                    keys.append((system, row.item.id, "original"))
                    pairs_made += 1
                    yield row.item.reference, hyp
                    if (fixed := corrected.get(row.item.id)) is not None:
                        keys.append((system, row.item.id, "cleaned"))
                        pairs_made += 1
                        yield fixed, hyp

    marks = ", ".join("?" * (3 + len(COUNT_COLUMNS)))
    insert = (f"INSERT OR REPLACE INTO {sink.schema}.alignments ({_ALIGNMENT_COLUMNS}) "
              f"VALUES ({marks})")
    chunks = score_chunks(pairs(), kind=sink.stream.kind, progress=progress, workers=workers,
                          options=options, total=max(total, 1))
    for scored in chunks:  # the scoring reads the whole stream, pairs or none
        sink.conn.executemany(insert, [(*keys.popleft(), *c) for c in scored])
    return {"items": sink.items, "pairs": pairs_made}


def _check_forms(sink: _Sink) -> None:
    """Refuse ids that differ only in their Unicode form, as
    :func:`~reviewer.store.importer.check_distinct_ids` does, from the ids not in NFC
    (few) and lookups of their NFC forms."""
    forms: dict[str, tuple[int, str]] = {}
    for pos, item_id in sink.odd_forms:
        form = unicodedata.normalize("NFC", item_id)
        other_pos = sink.position(form)
        other = (other_pos, form) if other_pos is not None else forms.get(form)
        if other is not None and other[0] != pos:
            (a_pos, a), (b_pos, b) = sorted([(pos, item_id), other])
            raise InputError(
                sink.stream.source,
                f"item ids {a!a} (item {a_pos + 1}) and {b!a} (item {b_pos + 1}) are the "
                "same text in different Unicode forms (NFC/NFD) and would print "
                "identically; make them distinct", record=b)
        forms[form] = (pos, item_id)


def _add_systems(project: Project, stream: BenchmarkStream, corrected: dict[str, str],
                 options: ScoreOptions, replace: bool, progress: Progress, workers: Workers,
                 total: int) -> dict[str, int]:
    """Stage the stream in SQLite's private temporary database, check that it brings the
    project's items, then copy it in under the write lock."""
    conn = project.db.conn
    conn.execute(f"ATTACH DATABASE '' AS {STAGING}")
    try:
        for table in ("items", "predictions", "alignments"):
            conn.execute(f"CREATE TABLE {STAGING}.{table} AS SELECT * FROM main.{table} "
                         "WHERE 0")
        conn.execute(f"CREATE UNIQUE INDEX {STAGING}.staged_ids ON items (id)")
        conn.execute(f"CREATE UNIQUE INDEX {STAGING}.staged_pairs ON alignments "
                     "(system, item_id, variant)")
        sink = _Sink(project, stream, STAGING)
        conn.execute("BEGIN")
        try:
            counted = _score_into(sink, corrected, options, progress, workers, total)
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        _check_forms(sink)
        _check_same_items(project)
        progress.status("Saving")
        with write_transaction(project.db):
            _check_clash(project, stream.systems, replace)  # another import may have run
            _write_systems(project, stream.systems)
            conn.execute(f"INSERT INTO predictions (system, item_id, text, meta) "
                         f"SELECT system, item_id, text, meta FROM {STAGING}.predictions")
            _write_sources(project, stream)
            _copy_alignments(project, stream, corrected, options)
            list_stage(project, progress)
    finally:
        conn.execute(f"DETACH DATABASE {STAGING}")
    finish_import(project, progress)
    return counted


def _check_same_items(project: Project) -> None:
    """The staged items are the project's, with the same references (as
    :func:`~reviewer.store.importer._check_same_items` checks a whole benchmark)."""
    db = project.db
    missing = [r[0] for r in db.execute(
        f"SELECT id FROM main.items WHERE id NOT IN (SELECT id FROM {STAGING}.items) "
        "ORDER BY id LIMIT 3").fetchall()]
    extra = [r[0] for r in db.execute(
        f"SELECT id FROM {STAGING}.items WHERE id NOT IN (SELECT id FROM main.items) "
        "ORDER BY id LIMIT 3").fetchall()]
    if missing or extra:
        raise ProjectError(
            f"{project.path}: holds another benchmark (ids differ: missing {missing}, "
            f"new {extra}); import into a new project file")
    changed = db.execute(
        f"SELECT count(*), min(s.pos) FROM {STAGING}.items s JOIN main.items m USING (id) "
        "WHERE s.reference != m.reference").fetchone()
    if changed[0]:
        first = db.execute(f"SELECT id FROM {STAGING}.items WHERE pos = ?",
                           [changed[1]]).fetchone()[0]
        raise ProjectError(
            f"{project.path}: the references of {changed[0]} item(s) differ from the "
            f"project's (first: {first!r}); import into a new project file")


def _copy_alignments(project: Project, stream: BenchmarkStream, scored: dict[str, str],
                     options: ScoreOptions) -> None:
    """Move the staged alignments into the project (caller's transaction), re-scoring the
    'cleaned' pairs of items whose corrected reference changed while they were scored."""
    conn = project.db.conn
    conn.execute(f"INSERT OR REPLACE INTO alignments ({_ALIGNMENT_COLUMNS}) "
                 f"SELECT {_ALIGNMENT_COLUMNS} FROM {STAGING}.alignments")
    now_corrected = _corrected(project)
    changed = sorted(i for i in scored.keys() | now_corrected.keys()
                     if scored.get(i) != now_corrected.get(i))
    systems = stream.systems
    rows = []
    for item_id in changed:
        conn.execute("DELETE FROM alignments WHERE item_id = ? AND variant = 'cleaned' AND "
                     f"system IN ({', '.join('?' * len(systems))})", [item_id, *systems])
        reference = now_corrected.get(item_id)
        if reference is None:
            continue
        for system in systems:
            hyp = conn.execute(f"SELECT text FROM {STAGING}.predictions WHERE system = ? "
                               "AND item_id = ?", [system, item_id]).fetchone()
            counts = score_pair(reference, hyp[0] if hyp else "", kind=stream.kind,
                                options=options)
            rows.append((system, item_id, "cleaned", *counts))
    project.write_alignments(rows)


def _check_clash(project: Project, systems: Iterable[str], replace: bool) -> None:
    clash = sorted(set(systems) & set(project.systems()))
    if clash and not replace:
        raise ProjectError(
            f"{project.path}: already has system(s) {', '.join(clash)}; "
            "pass --replace to replace them")


def _write_new_meta(project: Project, stream: BenchmarkStream, mode: str, preset: str,
                    name: str | None) -> None:
    project.set_meta("kind", stream.kind)
    project.set_meta("char_mode", mode)
    project.set_meta("normalize", preset)
    project.set_meta("name", name or project.path.stem)
    project.set_meta("created_at", now())
    if stream.source_format:
        project.set_meta("source_format", stream.source_format)
    _write_systems(project, stream.systems)


def _write_systems(project: Project, systems: list[str]) -> None:
    """The systems' rows, after the project's (a replaced system's rows are deleted)."""
    conn = project.db.conn
    for system in sorted(set(systems) & set(project.systems())):
        conn.execute("DELETE FROM systems WHERE name = ?", [system])
    first = conn.execute("SELECT coalesce(max(pos) + 1, 0) FROM systems").fetchone()[0]
    stamp = now()
    conn.executemany(
        "INSERT INTO systems (name, pos, source, imported_at) VALUES (?, ?, ?, ?)",
        [(s, first + k, None, stamp) for k, s in enumerate(systems)])


def _write_sources(project: Project, stream: BenchmarkStream) -> None:
    stamp = now()
    project.db.conn.executemany(
        "INSERT INTO sources (path, sha256, role, system, imported_at) VALUES (?, ?, ?, ?, ?)",
        [(src, _digest(Path(src)), "benchmark", None, stamp) for src in stream.sources])


def import_streamed(project_path: str | Path, reference: Path,
                    predictions: list[tuple[str, Path]], options: ReadOptions,
                    format_name: str | None = None, *,
                    keep_systems: frozenset[str] | None = None, **import_options: Any
                    ) -> tuple[dict[str, int], BenchmarkStream] | None:
    """Import ``reference`` into ``project_path`` a chunk at a time when its format streams
    (see :mod:`reviewer.formats.stream_table`): the result and the stream (its systems and
    warnings); ``None``, with nothing written, when it must be read whole.
    ``keep_systems``: only these of the table's systems."""
    stream = stream_benchmark(reference, predictions, options, format_name)
    if stream is None:
        return None
    if keep_systems is not None:
        stream = kept_systems(stream, keep_systems)
    try:
        return import_stream_into(project_path, stream, **import_options), stream
    except Unstreamable:
        return None
