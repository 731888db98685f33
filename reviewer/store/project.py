"""The one interface to a project: everything above the store reads and writes through it."""

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
from reviewer.core.errors import ProjectError
from reviewer.core.evaluate import PairCounts, ScoreOptions, alignment_of
from reviewer.core.items import Item
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
        return decode_counts(self.counts.categories)


COUNT_COLUMNS: tuple[str, ...] = PairCounts._fields


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
    """A reviewer project database.

    A project whose file or folder cannot be written (a colleague's file on a read-only
    share) opens read-only, or when ``read_only`` is given: it can be scored, shown,
    exported and merged from, and :attr:`read_only` says why it cannot be written.
    """

    def __init__(self, path: str | Path, *, create: bool = False,
                 read_only: bool = False) -> None:
        self.path = Path(path)
        reason = read_only_reason(self.path) if _is_project_file(self.path) else None
        #: Why the project cannot be written (``None`` when it can).
        self.read_only: str | None = reason or ("opened read-only" if read_only else None)
        self.db: Database = connect(self.path, create=create, read_only=self.read_only)

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- metadata ---------------------------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_busy_timeout(self, milliseconds: int) -> None:
        """How long a write waits for another process's lock before it fails as locked."""
        self.db.conn.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])

    @property
    def kind(self) -> str:
        return self.meta("kind") or "text"

    @property
    def name(self) -> str:
        return self.meta("name") or self.path.stem

    @property
    def char_mode(self) -> CharMode:
        return "codepoint" if self.meta("char_mode") == "codepoint" else "grapheme"

    @property
    def normalize(self) -> str:
        """The normalisation preset pairs are scored with (asr; ``none`` elsewhere)."""
        return self.meta("normalize") or "none"

    @property
    def score_options(self) -> ScoreOptions:
        return ScoreOptions(self.char_mode, self.normalize)

    # -- items and systems -----------------------------------------------------------
    def item_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM items").fetchone()[0])

    def item_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM items ORDER BY pos")]

    def first_item_id(self) -> str | None:
        row = self.db.execute("SELECT id FROM items ORDER BY pos LIMIT 1").fetchone()
        return row[0] if row else None

    def has_item(self, item_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM items WHERE id = ?", [item_id]).fetchone() is not None

    def item(self, item_id: str) -> Item:
        row = self.db.execute(
            "SELECT id, reference, media, meta FROM items WHERE id = ?", [item_id]
        ).fetchone()
        if row is None:
            raise ProjectError(self.unknown_item_message(item_id))
        meta = decode_json(self.path, f"the metadata of item {row[0]!r}", row[3])
        if not isinstance(meta, dict):
            raise ProjectError(damaged(self.path, f"the metadata of item {row[0]!r} is not "
                                                  "a JSON object"))
        return Item(row[0], row[1], row[2], tuple(meta.items()))

    def unknown_item_message(self, item_id: str) -> str:
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
        return [r[0] for r in self.db.execute("SELECT name FROM systems ORDER BY pos, name")]

    def prediction(self, system: str, item_id: str) -> str | None:
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
        return {r[0]: r[1] for r in self.db.execute(
            "SELECT system, count(*) FROM predictions GROUP BY system")}

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
        from reviewer.store.labels import get_label

        label = get_label(self, item_id)
        if variant is None:
            variant = "cleaned" if label.corrected_reference is not None else "original"
        reference = (label.corrected_reference if variant == "cleaned"
                     and label.corrected_reference is not None else self.item(item_id).reference)
        hyp = self.prediction(system, item_id) or ""
        row = self.alignment_row(system, item_id, variant)
        from reviewer.core.kinds import spec

        return alignment_of(reference, hyp, row.counts, self.char_mode,
                            spec(self.kind).item_level)

    def write_alignments(self, rows: list[tuple[Any, ...]]) -> None:
        """Insert or replace ``(system, item_id, variant, *counts)`` rows (caller's transaction)."""
        marks = ", ".join("?" * (3 + len(COUNT_COLUMNS)))
        self.db.conn.executemany(
            f"INSERT OR REPLACE INTO alignments (system, item_id, variant, "
            f"{', '.join(COUNT_COLUMNS)}) VALUES ({marks})", rows)
