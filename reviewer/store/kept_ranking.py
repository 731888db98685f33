"""The last suspicion ranking of a large project, kept in it: opened again, the project
shows its queue, the scores' reasons and the marked spans at once instead of ranking for
minutes (13 at 10,000,000 items) every time it opens.

What is kept is what :func:`reviewer.store.suspects.rank_in_passes` returns: the most
suspicious items with their scores, spans and notes (every item's score is in the item
facts already). It is valid while nothing it was computed from changes: the systems'
alignments against the items' current references. Two places every such change passes
see to that:

* a refresh of every item's facts (an import, a rescore, a merge;
  :func:`reviewer.store.list_facts.rebuild_list_facts`) forgets the kept ranking;
* an item re-aligned to a new corrected reference (a decision, undo, a team pull, a merge;
  :func:`reviewer.store.decisions.realign`) loses its spans, which point into the old
  reference, and the ranking is marked as changed: a reviewer who asks for the queue
  again then gets a new ranking. A verdict alone changes nothing the ranking reads.

A ranking kept by another version of reviewer is not used. Spans are kept as JSON, never
pickled: a project file may come from anyone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from sqlite_utils import Database

from reviewer import __version__
from reviewer.core.suspicion import SuspectSpan
from reviewer.store.db import write_transaction

TABLE = "kept_suspects"
STATE = "kept_suspects"  # meta key: JSON {"method", "version", "changed"}; absent: none kept
ROWS_PER_WRITE = 2_000  # rows per write transaction, so that a decision waits briefly


@dataclass(frozen=True, slots=True)
class KeptItem:
    """One kept item of a ranking, most suspicious first."""

    item_id: str
    score: float
    spans: list[SuspectSpan]
    note: str


def create_table(db: Database) -> None:
    """Make the table of kept rankings (the migration's step)."""
    db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (rank INTEGER PRIMARY KEY, "
               "item_id TEXT NOT NULL, score REAL NOT NULL, spans TEXT NOT NULL, "
               "note TEXT NOT NULL)")
    # A decision drops its item's spans: a lookup, not a scan of 50,000 rows per verdict.
    db.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_item ON {TABLE}(item_id)")


def forget(db: Database) -> None:
    """No ranking is kept any more (inside the caller's transaction)."""
    if _state(db) is None:
        return
    db.execute("DELETE FROM meta WHERE key = ?", [STATE])
    db.execute(f"DELETE FROM {TABLE}")


def forget_spans(db: Database, item_id: str) -> None:
    """The kept ranking loses the spans of ``item_id`` (its reference changed) and is
    marked as changed (inside the caller's transaction)."""
    state = _state(db)
    if state is None:
        return
    db.execute(f"UPDATE {TABLE} SET spans = '[]' WHERE item_id = ? AND spans != '[]'",
               [item_id])
    if not state.get("changed"):
        db.execute("UPDATE meta SET value = ? WHERE key = ?",
                   [json.dumps({**state, "changed": True}), STATE])


def keep(db: Database, method: str, items: Iterable[KeptItem]) -> None:
    """Keep ``items`` (most suspicious first) as the ranking by ``method``, replacing the
    one kept before; written a part at a time, valid only once whole."""
    with write_transaction(db):
        db.execute("DELETE FROM meta WHERE key = ?", [STATE])
        db.execute(f"DELETE FROM {TABLE}")  # with the rows of a keep that did not finish
    rows = ((rank, k.item_id, k.score, spans_json(k.spans), k.note)
            for rank, k in enumerate(items))
    while batch := list(islice(rows, ROWS_PER_WRITE)):
        with write_transaction(db):
            db.conn.executemany(f"INSERT INTO {TABLE} (rank, item_id, score, spans, note) "
                                "VALUES (?, ?, ?, ?, ?)", batch)
    with write_transaction(db):
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                   [STATE, json.dumps({"method": method, "version": __version__,
                                       "changed": False})])


class KeptSpans(Mapping[str, list[SuspectSpan]]):
    """The kept spans of each item, read from their JSON when first asked for: the window
    shows one item's at a time, and reading all 50,000 at once took 0.6 s of the window's
    time (the window reads the ranking in one of its threads)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = texts
        self._read: dict[str, list[SuspectSpan]] = {}

    def __getitem__(self, item_id: str) -> list[SuspectSpan]:
        found = self._read.get(item_id)
        if found is None:
            found = self._read[item_id] = spans_of(self._texts[item_id])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


@dataclass(frozen=True, slots=True)
class KeptRanking:
    """A kept ranking: the items most suspicious first, their scores, notes and spans."""

    order: list[str]
    scores: dict[str, float]
    notes: dict[str, str]
    spans: KeptSpans


def kept(db: Database, method: str, *, unchanged: bool = False) -> KeptRanking | None:
    """The kept ranking by ``method``; ``None`` when none is kept (or one by another method
    or version, or, with ``unchanged``, one with a reference corrected since)."""
    state = _state(db)
    if (state is None or state.get("method") != method
            or state.get("version") != __version__ or (unchanged and state.get("changed"))):
        return None
    rows = db.execute(f"SELECT item_id, score, spans, note FROM {TABLE} ORDER BY rank"
                      ).fetchall()
    try:  # a file from anyone: a score that is no number is no ranking (it is made again)
        scores = {str(r[0]): float(r[1]) for r in rows}
    except (TypeError, ValueError):
        return None
    return KeptRanking([str(r[0]) for r in rows], scores, {str(r[0]): str(r[3]) for r in rows},
                       KeptSpans({str(r[0]): str(r[2]) for r in rows}))


def _state(db: Database) -> dict[str, Any] | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [STATE]).fetchone()
    if row is None:
        return None
    try:
        state = json.loads(row[0])
    except ValueError:
        return None
    return state if isinstance(state, dict) else None


def spans_json(spans: Sequence[SuspectSpan]) -> str:
    """``spans`` as JSON (:func:`spans_of` reads it back)."""
    return json.dumps([[list(s.ref_span), s.ref_text, s.replacement, list(s.systems), s.score,
                        s.words, [[text, list(who)] for text, who in s.readings], s.voters,
                        [list(m) for m in s.marks], s.timing] for s in spans],
                      ensure_ascii=False)


def spans_of(text: str) -> list[SuspectSpan]:
    """The spans :func:`spans_json` wrote (none from text that is not such a list)."""
    try:
        return list(_spans(json.loads(text)))
    except (ValueError, TypeError):
        return []


def _spans(found: Any) -> Iterator[SuspectSpan]:
    for (start, end), ref_text, replacement, systems, score, words, readings, voters, marks, \
            timing in found:
        yield SuspectSpan(
            (int(start), int(end)), str(ref_text), str(replacement),
            tuple(str(s) for s in systems), float(score), str(words),
            tuple((str(t), tuple(str(w) for w in who)) for t, who in readings), int(voters),
            tuple((int(a), int(b), str(c)) for a, b, c in marks), str(timing))
