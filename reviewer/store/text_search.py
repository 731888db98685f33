"""The item list's text filter on a large project: a trigram index (SQLite FTS5) that
finds the items whose texts contain a needle without reading every text.

One document per item, its row id the item's position: the reference, the corrected
reference and every prediction, joined by line feeds. The index holds no copy of the texts
(``content=''``) and keeps positions (``detail=full``), so a needle is a phrase of its
trigrams: an exact substring test, case folded.

The texts' scan (:func:`reviewer.store.summaries.contains_test`) stays the reference.
The index answers only where it agrees with the scan exactly:

* the needle has three characters or more (a trigram), is ASCII (the scan folds ASCII
  needles with SQLite's ``lower``, others with Python's ``casefold``, which the index's
  folding does not follow) and holds no control character (a line feed joins the texts);
* both then fold ASCII letters only and keep every other character apart from them;
  SQLite's folding also turns two non-ASCII letters into ASCII ones
  (:data:`FOLDS_TO_ASCII`), so the index is given another letter in their place.

Keeping it current cannot be forgotten: triggers on ``items``, ``predictions`` and
``labels`` put every item whose texts change (by any code path) into the stale set. Its
index entry is then ignored and its texts are scanned, so a stale entry costs a scan of
one item only. When the stale set grows past :data:`STALE_LIMIT`, the index is built anew.

The index costs about 1 s of CPU and 250 MB of file per million items, so it is built only
for projects of :data:`INDEX_FROM_ITEMS` items or more (below that the scan takes well
under a second): at the end of an import that reaches that size, or in the background
when the window first filters by text.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from reviewer.store.db import write_transaction

INDEX_FROM_ITEMS = 200_000
STALE_LIMIT = 20_000
# The letters outside ASCII that the index's case folding (SQLite's) turns into ASCII
# letters: KELVIN SIGN -> k, LONG S -> s. The scan's ASCII ``lower`` leaves them, so the
# index gets a letter that stays non-ASCII in their place.
FOLDS_TO_ASCII = ("\u212a", "\u017f")
NOT_ASCII = "\ufffd"
TABLE = "text_search"
STALE = "text_search_stale"
_STATE = "text_search"  # meta key: "building", then "ready"
_CHUNK = 20_000  # items per write transaction of a build: a decision waits for one at most


def _mark(pos_sql: str) -> str:
    return f"INSERT OR IGNORE INTO {STALE} (pos) {pos_sql};"


def _item_pos(row: str) -> str:
    return _mark(f"SELECT pos FROM items WHERE id = {row}.item_id")


_TRIGGERS = {
    "items_insert": f"AFTER INSERT ON items BEGIN {_mark('VALUES (NEW.pos)')} END",
    "items_update": ("AFTER UPDATE OF pos, id, reference ON items BEGIN "
                     f"{_mark('VALUES (OLD.pos)')} {_mark('VALUES (NEW.pos)')} END"),
    "items_delete": f"AFTER DELETE ON items BEGIN {_mark('VALUES (OLD.pos)')} END",
    "predictions_insert": f"AFTER INSERT ON predictions BEGIN {_item_pos('NEW')} END",
    "predictions_update": ("AFTER UPDATE OF item_id, text ON predictions BEGIN "
                           f"{_item_pos('OLD')} {_item_pos('NEW')} END"),
    "predictions_delete": f"AFTER DELETE ON predictions BEGIN {_item_pos('OLD')} END",
    # Decisions are written with INSERT OR REPLACE, whose deletion fires no trigger:
    # before the insert, the row it replaces is still there to compare with.
    "labels_insert": ("BEFORE INSERT ON labels WHEN NEW.corrected_reference IS NOT "
                      "(SELECT corrected_reference FROM labels WHERE item_id = NEW.item_id) "
                      f"BEGIN {_item_pos('NEW')} END"),
    "labels_update": ("AFTER UPDATE OF item_id, corrected_reference ON labels "
                      "WHEN OLD.corrected_reference IS NOT NEW.corrected_reference "
                      "OR OLD.item_id IS NOT NEW.item_id "
                      f"BEGIN {_item_pos('OLD')} {_item_pos('NEW')} END"),
    "labels_delete": ("AFTER DELETE ON labels WHEN OLD.corrected_reference IS NOT NULL "
                      f"BEGIN {_item_pos('OLD')} END"),
}


def create_stale_set(db: Any) -> None:
    """The table of items whose index entries are not to be trusted (migration m009)."""
    db.execute(f"CREATE TABLE IF NOT EXISTS {STALE} (pos INTEGER PRIMARY KEY)")


def create_index(db: Any) -> None:
    """Create the (empty) index and the triggers that keep the stale set: made by
    :func:`build`, and what the integrity check accepts in a project file."""
    db.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(doc, content='', "
               "detail=full, tokenize='trigram')")
    for name, body in _TRIGGERS.items():
        db.execute(f"CREATE TRIGGER {TABLE}_{name} {body}")


def state(project: Any) -> str | None:
    """``"ready"``, ``"building"`` (also a build stopped before it completed) or ``None``
    (no index)."""
    row = project.db.execute("SELECT value FROM meta WHERE key = ?", [_STATE]).fetchone()
    if row is None or not project.db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = ?", [TABLE]).fetchone():
        return None  # also a setting copied without the index (a merge, a team pull)
    return str(row[0]).split(" ")[0]


def stale_count(project: Any, limit: int = STALE_LIMIT) -> int:
    """How many items are stale, counted up to ``limit + 1``."""
    return int(project.db.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {STALE} LIMIT ?)", [limit + 1]).fetchone()[0])


def usable(project: Any) -> bool:
    """Whether the index is complete and few enough items are stale to scan them."""
    return state(project) == "ready" and stale_count(project) <= STALE_LIMIT


def wanted(project: Any) -> bool:
    """Whether ``project`` is large enough for the index and lacks a usable one."""
    if project.read_only:
        return False
    large = project.db.execute("SELECT count(*) FROM (SELECT 1 FROM items LIMIT ?)",
                               [INDEX_FROM_ITEMS]).fetchone()[0] >= INDEX_FROM_ITEMS
    return large and not usable(project)


def answers(text: str) -> bool:
    """Whether the index can answer the needle ``text`` exactly (see the module's doc)."""
    return len(text) >= 3 and text.isascii() and all(" " <= c <= "~" for c in text)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _contains(column: str, text: str) -> str:
    # The scan's test for an ASCII needle (summaries.contains_test), with the needle inline:
    # the filter is one SQL expression without arguments.
    return f"instr(lower({column}), {_literal(text.lower())}) > 0"


def matching_sql(project: Any, text: str) -> tuple[str, str] | None:
    """How to find the items whose reference, corrected reference or any prediction
    contains ``text`` (case-insensitive): a ``SELECT`` of their positions (each once),
    and a condition that the item at position ``{pos}`` is one of them (a probe of the
    index, for walking a list where they are many). ``None`` when the index cannot answer
    (no usable index, or a needle it does not answer)."""
    if not answers(text) or not usable(project):
        return None
    phrase = _literal('"' + text.replace('"', '""') + '"')
    found = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH {phrase}"
    probe = f"EXISTS ({found} AND rowid = {{pos}})"
    if not project.db.execute(f"SELECT 1 FROM {STALE} LIMIT 1").fetchone():
        return found, probe
    scanned = (
        f"SELECT st.pos FROM {STALE} st JOIN items i ON i.pos = st.pos WHERE "
        f"{_contains('i.reference', text)} OR EXISTS (SELECT 1 FROM labels l WHERE "
        f"l.item_id = i.id AND {_contains('l.corrected_reference', text)}) OR EXISTS ("
        "SELECT 1 FROM systems y JOIN predictions p ON p.system = y.name "
        f"AND p.item_id = i.id WHERE {_contains('p.text', text)})")
    return (f"{found} AND rowid NOT IN (SELECT pos FROM {STALE}) UNION ALL {scanned}",
            f"({{pos}} NOT IN (SELECT pos FROM {STALE}) AND {probe}) "
            f"OR {{pos}} IN ({scanned})")


def _document_sql(systems: list[str]) -> tuple[str, list[Any]]:
    """The documents of the items with positions from ``?`` to before ``?``: SQL and the
    arguments before those two."""
    parts = ["i.reference", "coalesce(char(10) || l.corrected_reference, '')"]
    joins = ["LEFT JOIN labels l ON l.item_id = i.id"]
    for k in range(len(systems)):
        parts.append(f"coalesce(char(10) || p{k}.text, '')")
        joins.append(f"LEFT JOIN predictions p{k} ON p{k}.system = ? AND p{k}.item_id = i.id")
    doc = " || ".join(parts)
    for odd in FOLDS_TO_ASCII:  # never ASCII in the index, as never in the scan
        doc = f"replace({doc}, {_literal(odd)}, {_literal(NOT_ASCII)})"
    return (f"SELECT i.pos, {doc} FROM items i {' '.join(joins)} "
            "WHERE i.pos >= ? AND i.pos < ?"), list(systems)


def build(project: Any, progress: Callable[[int, int], None] | None = None,
          cancelled: Callable[[], bool] | None = None, chunk: int = _CHUNK) -> bool:
    """Build the index of ``project`` anew, a chunk of items per transaction; returns
    whether it completed (``cancelled`` returning true stops it; the search scans until
    a build completes). ``progress(done, total)`` is called after each chunk."""
    db = project.db
    mine = f"building {uuid.uuid4().hex}"  # another build started since stops this one
    with write_transaction(db):
        drop(project)
        create_index(db)
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [_STATE, mine])
    first, last = db.execute("SELECT min(pos), max(pos) FROM items").fetchone()
    systems = [r[0] for r in db.execute("SELECT name FROM systems ORDER BY pos")]
    documents, args = _document_sql(systems)
    start, end = (first or 0), (last or 0) + 1
    for at in range(start, end, chunk):
        if cancelled is not None and cancelled():
            return False
        with write_transaction(db):
            if db.execute("SELECT value FROM meta WHERE key = ?", [_STATE]).fetchone() != (mine,):
                return False
            bounds = [*args, at, at + chunk]
            db.execute(f"INSERT INTO {TABLE} (rowid, doc) {documents}", bounds)
        if progress is not None:
            progress(min(at + chunk, end) - start, end - start)
    with write_transaction(db):
        done = db.execute("UPDATE meta SET value = 'ready' WHERE key = ? AND value = ?",
                          [_STATE, mine]).rowcount
    return bool(done)


def drop(project: Any) -> None:
    """Remove the index, its triggers and the stale set (the search scans again)."""
    db = project.db
    with write_transaction(db):
        for name in _TRIGGERS:
            db.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{name}")
        db.execute(f"DROP TABLE IF EXISTS {TABLE}")
        create_stale_set(db)
        db.execute(f"DELETE FROM {STALE}")
        db.execute("DELETE FROM meta WHERE key = ?", [_STATE])


def build_if_wanted(project: Any, progress: Callable[[int, int], None] | None = None) -> bool:
    """Build the index when :func:`wanted` (the end of an import); returns whether it did."""
    return wanted(project) and build(project, progress)
