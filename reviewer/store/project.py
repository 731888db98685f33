"""The one interface to a project: everything above the store reads and writes through it.

SQL lives in ``reviewer.store`` only (a test checks): the layers above read through
:class:`Project`'s methods and the store's modules (``decisions``, ``scores``, ``summaries``,
``omr_ned``, ...), and write through the store's functions, which commit their own
transactions (:func:`~reviewer.store.db.write_transaction`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from reviewer.core.align import Alignment
from reviewer.core.codec import decode_counts
from reviewer.core.counts import PairCounts, ScoreOptions
from reviewer.core.errors import ProjectError
from reviewer.core.items import Item, Kind, check_kind
from reviewer.core.pair_text import alignment_of
from reviewer.core.tokenize import CharMode
from reviewer.store.db import connect
from reviewer.store.open_errors import damaged, read_only_reason


def now() -> str:
    """UTC timestamp with microseconds, as stored in the history."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class AlignmentRow:
    """A cached alignment with its counts."""

    system: str
    item_id: str
    variant: str
    counts: PairCounts

    def categories(self) -> dict[str, int]:
        """Errors per category of this alignment (``{}`` when it has none)."""
        return decode_counts(self.counts.categories)


COUNT_COLUMNS: tuple[str, ...] = PairCounts._fields


@dataclass(frozen=True, slots=True)
class Source:
    """A file a project was imported from: its path as given, its SHA-256 and its role."""

    path: str
    sha256: str
    role: str


def decode_json(path: Path, where: str, text: str) -> Any:
    """The JSON ``text`` of a stored record; a :class:`ProjectError` naming the file and the
    record (``where``) when a damaged or hand-edited file holds something else."""
    try:
        return json.loads(text)
    except (TypeError, ValueError) as exc:
        raise ProjectError(damaged(path, f"{where} is not valid JSON: {exc}")) from None


def _is_project_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


class Project:
    """A reviewer project database: one SQLite file (DESIGN §3, Store).

    ``Project(path)`` opens an existing project, migrated to the current schema;
    ``create=True`` makes an empty one when ``path`` does not exist. Opening raises
    :class:`ProjectError`, naming the file and the cause, for a file that is not a
    reviewer project, is damaged, or was made by a newer reviewer. Use it as a context
    manager (``with Project(path) as project:``) or call :meth:`close`.

    A project whose file or folder cannot be written (a colleague's file on a read-only
    share) opens read-only, or when ``read_only`` is given: it can be scored, shown,
    exported and merged from, and :attr:`read_only` says why it cannot be written.

    A ``Project`` is one SQLite connection, usable only in the thread that opened it
    (SQLite raises ``ProgrammingError`` elsewhere). Background tasks open their own
    ``Project``; the window sends every write to its one writer thread, which holds a
    ``Project`` of its own (DESIGN §7.9).

    Methods that return rows return them in item order (the order of the import) and,
    for systems, in the order systems were added, unless they say otherwise. An unknown
    item raises :class:`ProjectError` where the method says so; a record that a damaged
    or hand-edited file holds in the wrong form raises :class:`ProjectError` naming it.

    The review decisions (verdict, corrected reference, note, tags) live in the tables
    ``labels`` and ``label_events``: those names are the file format, kept from before
    decisions were called so, because renaming them would need a migration and break
    merging with older files (docs/vocabulary.md).
    """

    def __init__(self, path: str | Path, *, create: bool = False,
                 read_only: bool = False) -> None:
        self.path = Path(path)
        reason = read_only_reason(self.path) if _is_project_file(self.path) else None
        #: Why the project cannot be written (``None`` when it can).
        self.read_only: str | None = reason or ("opened read-only" if read_only else None)
        #: The sqlite-utils database, for the store's modules (and tests) only: code
        #: outside ``reviewer.store`` reads and writes through methods.
        self.db: Database = connect(self.path, create=create, read_only=self.read_only)
        #: Whether the project is being built under a hidden name that no one else opens
        #: (:func:`~reviewer.store.new_project.build_new`): a crash leaves a file to delete.
        self.unpublished = False

    def close(self) -> None:
        """Close the connection; the project cannot be used afterwards."""
        self.db.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- metadata ---------------------------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        """The project setting ``key`` (kind, name, annotator, ...), or ``default``."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_busy_timeout(self, milliseconds: int) -> None:
        """How long a write waits for another process's lock before it fails as locked."""
        self.db.conn.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    def set_meta(self, key: str, value: str) -> None:
        """Store the project setting ``key`` (committed at once, or with the caller's
        transaction when one is open)."""
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    @property
    def kind(self) -> Kind:
        """The task kind (DESIGN §2); raises :class:`ProjectError` when the file names a
        kind this version does not know."""
        kind = self.meta("kind") or "text"
        try:
            return check_kind(kind)
        except ValueError:
            raise ProjectError(damaged(self.path, f"its task kind {kind!r} is not one reviewer "
                                                  "knows")) from None

    @property
    def name(self) -> str:
        """The project's display name (its file name without suffix unless one was given)."""
        return self.meta("name") or self.path.stem

    @property
    def char_mode(self) -> CharMode:
        """How characters are counted: ``grapheme`` clusters (default) or ``codepoint``."""
        return "codepoint" if self.meta("char_mode") == "codepoint" else "grapheme"

    @property
    def normalize(self) -> str:
        """The normalisation preset pairs are scored with (asr; ``none`` elsewhere)."""
        return self.meta("normalize") or "none"

    @property
    def extract(self) -> str:
        """The extraction preset finding an answer's final answer (``auto`` by default)."""
        return self.meta("extract") or "auto"

    @property
    def matcher(self) -> str:
        """The answer matcher (``""``: by each item's gold answers, the default)."""
        return self.meta("matcher") or ""

    @property
    def score_options(self) -> ScoreOptions:
        """The options every pair of this project is scored with."""
        return ScoreOptions(self.char_mode, self.normalize, self.extract, self.matcher)

    # -- items and systems -----------------------------------------------------------
    def item_count(self) -> int:
        """How many items the project holds."""
        return int(self.db.execute("SELECT count(*) FROM items").fetchone()[0])

    def item_ids(self) -> list[str]:
        """Every item id, in item order."""
        return [r[0] for r in self.db.execute("SELECT id FROM items ORDER BY pos")]

    def first_item_id(self) -> str | None:
        """The first item's id (``None`` for a project without items)."""
        row = self.db.execute("SELECT id FROM items ORDER BY pos LIMIT 1").fetchone()
        return row[0] if row else None

    def has_item(self, item_id: str) -> bool:
        """Whether the project holds an item ``item_id``."""
        return self.db.execute("SELECT 1 FROM items WHERE id = ?", [item_id]).fetchone() is not None

    def item(self, item_id: str) -> Item:
        """The item ``item_id`` with its original reference; :class:`ProjectError` (with
        the nearest ids) when there is none."""
        row = self.db.execute(
            "SELECT id, reference, media, meta FROM items WHERE id = ?", [item_id]
        ).fetchone()
        if row is None:
            raise ProjectError(self.unknown_item_message(item_id))
        return self._item(*row)

    def items(self) -> Iterator[Item]:
        """Every item with its original reference, in item order (read as it goes)."""
        for row in self.db.execute("SELECT id, reference, media, meta FROM items ORDER BY pos"):
            yield self._item(*row)

    def item_texts(self) -> Iterator[tuple[str, str, str | None]]:
        """``(id, original reference, media)`` of every item, in item order: :meth:`items`
        without the metadata, for reading every item fast."""
        return iter(self.db.execute("SELECT id, reference, media FROM items ORDER BY pos"))

    def _item(self, item_id: str, reference: str, media: str | None, meta_text: str) -> Item:
        if meta_text == "{}":  # most items: nothing to decode
            return Item(item_id, reference, media, ())
        meta = decode_json(self.path, f"the metadata of item {item_id!r}", meta_text)
        if not isinstance(meta, dict):
            raise ProjectError(damaged(self.path, f"the metadata of item {item_id!r} is not "
                                                  "a JSON object"))
        return Item(item_id, reference, media, tuple(meta.items()))

    def unknown_item_message(self, item_id: str) -> str:
        """"no item X" naming the project, with the closest ids it does hold."""
        import difflib

        near = difflib.get_close_matches(item_id, self.item_ids(), n=5, cutoff=0.5)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        return f"{self.path}: no item {item_id!r}{hint}"

    def has_media(self) -> bool:
        """Whether any item has an image or audio file."""
        return self.db.execute(
            "SELECT 1 FROM items WHERE media IS NOT NULL AND media != '' LIMIT 1"
        ).fetchone() is not None

    def systems(self) -> list[str]:
        """The systems' names, in the order they were added."""
        return [r[0] for r in self.db.execute("SELECT name FROM systems ORDER BY pos, name")]

    def prediction(self, system: str, item_id: str) -> str | None:
        """``system``'s prediction of ``item_id`` (``None``: it has none)."""
        row = self.db.execute(
            "SELECT text FROM predictions WHERE system = ? AND item_id = ?", [system, item_id]
        ).fetchone()
        return row[0] if row else None

    def prediction_meta(self, system: str, item_id: str) -> dict[str, Any]:
        """What the reader kept of a prediction beyond its text (``{}`` when nothing)."""
        row = self.db.execute(
            "SELECT meta FROM predictions WHERE system = ? AND item_id = ?", [system, item_id]
        ).fetchone()
        if not row:
            return {}
        meta = decode_json(self.path, f"the metadata of {system!r}'s prediction of "
                                      f"{item_id!r}", row[0])
        return dict(meta) if isinstance(meta, dict) else {}

    def prediction_counts(self) -> dict[str, int]:
        """How many predictions each system has (systems without any are left out)."""
        return {r[0]: r[1] for r in self.db.execute(
            "SELECT system, count(*) FROM predictions GROUP BY system")}

    def predictions_by_system(self) -> dict[str, dict[str, str]]:
        """Every prediction: system (in system order) -> item id -> text."""
        out: dict[str, dict[str, str]] = {s: {} for s in self.systems()}
        for system, item_id, text in self.db.execute(
                "SELECT system, item_id, text FROM predictions"):
            out.setdefault(system, {})[item_id] = text
        return out

    def prediction_rows(self) -> Iterator[tuple[str, str, str]]:
        """``(item id, system, text)`` of every prediction, in item order (read as it goes)."""
        return iter(self.db.execute(
            "SELECT p.item_id, p.system, p.text FROM predictions p "
            "JOIN items i ON i.id = p.item_id ORDER BY i.pos"))

    # -- sources ----------------------------------------------------------------------
    def sources(self) -> list[Source]:
        """The files the project was imported from, in the order they were added."""
        return [Source(*row) for row in self.db.execute(
            "SELECT path, sha256, role FROM sources ORDER BY id")]

    # -- alignments -------------------------------------------------------------------
    def alignment_rows(self, variant: str | None = None) -> Iterator[AlignmentRow]:
        """Every cached alignment (of one variant, or all), in item order."""
        cols = ", ".join(f"a.{c}" for c in COUNT_COLUMNS)
        where = "WHERE a.variant = ?" if variant else ""
        sql = (f"SELECT a.system, a.item_id, a.variant, {cols} FROM alignments a "
               f"JOIN items i ON i.id = a.item_id {where} ORDER BY i.pos")
        for row in self.db.execute(sql, [variant] if variant else []):
            yield AlignmentRow(row[0], row[1], row[2], PairCounts(*row[3:]))

    def category_rows(self) -> Iterator[tuple[str, str, str, str, int]]:
        """``(system, item_id, variant, category, errors)`` for every non-zero category."""
        return iter(self.db.execute(
            "SELECT a.system, a.item_id, a.variant, j.key, j.value "
            "FROM alignments a, json_each(a.categories) j"))

    def alignment_row(self, system: str, item_id: str, variant: str = "original") -> AlignmentRow:
        """The cached alignment of ``system`` on ``item_id`` against the ``original`` or the
        ``cleaned`` reference; :class:`ProjectError` when there is none."""
        cols = ", ".join(COUNT_COLUMNS)
        row = self.db.execute(
            f"SELECT {cols} FROM alignments WHERE system = ? AND item_id = ? AND variant = ?",
            [system, item_id, variant],
        ).fetchone()
        if row is None:
            raise ProjectError(f"{self.path}: no alignment of {system!r} on {item_id!r}")
        return AlignmentRow(system, item_id, variant, PairCounts(*row))

    def alignment(self, system: str, item_id: str, variant: str | None = None) -> Alignment:
        """The edits of ``system`` on ``item_id`` against the current (or given) reference."""
        from reviewer.store.decisions import get_decision

        decision = get_decision(self, item_id)
        if variant is None:
            variant = "cleaned" if decision.corrected_reference is not None else "original"
        reference = (decision.corrected_reference if variant == "cleaned"
                     and decision.corrected_reference is not None else self.item(item_id).reference)
        hyp = self.prediction(system, item_id) or ""
        row = self.alignment_row(system, item_id, variant)
        return alignment_of(reference, hyp, row.counts, self.char_mode)

    def write_alignments(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert or replace ``(system, item_id, variant, *counts)`` rows (caller's transaction)."""
        marks = ", ".join("?" * (3 + len(COUNT_COLUMNS)))
        self.db.conn.executemany(
            f"INSERT OR REPLACE INTO alignments (system, item_id, variant, "
            f"{', '.join(COUNT_COLUMNS)}) VALUES ({marks})", rows)
