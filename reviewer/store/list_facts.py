"""The item list's facts: per item, what the list sorts and filters by, in indexed columns
(DESIGN §8).

``list_facts`` holds one row per item (keyed by ``items.pos``): its natural id key, verdict,
suspicion score, the main category of the system with the most errors, whether any system
makes errors and which (``error_systems``, a bit per system), and the categories of every
system as a bit mask over the kind's catalogue. ``list_system_facts`` holds one row per
system and item: the main level's errors, units and rate of the item's *current* alignment
(the cleaned variant where the reference is corrected), its main category and categories,
and the item's verdict and ``error_systems`` again (a filter on them and on one system's
facts then reads one index). Every sort order of the list is an index walk: ``(value,
pos)`` indexes give ties in item order in both directions, undefined values map to +inf in
ascending and descending keys alike, so they come last either way; each also holds every
filter's column of its table (:data:`ITEM_COVER`, :data:`SYSTEM_COVER`).

The facts are derived data: :func:`refresh_list_facts` rewrites them from the stored items,
decisions and alignments, for some items (in a decision's transaction) or for all (after an
import or a rescore, and once when the migration adds them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, NamedTuple

from sqlite_utils import Database

from reviewer.core.categories import catalogue
from reviewer.core.decisions import VERDICTS
from reviewer.core.item_list.table import natural_text_key
from reviewer.core.lattice_summary import SUMMARY_KEY
from reviewer.store import kept_ranking

UNDEFINED_RANK = 1_000_000_000  # the sort key of no main category / no verdict: last
# What a walk of a sort index reads besides its key: the position (ties in item order) and
# every filter's column of the table. With them in the index, a filtered list read in a
# column's order reads no table row for the rows its filters hide: at 10,000,000 items a
# page in the middle of "unreviewed, one system's errors, by its rate" is a walk of
# millions of index entries, five seconds with a table lookup each, a quarter without.
ITEM_COVER = "pos, verdict, any_errors, error_systems, categories"
SYSTEM_COVER = "pos, verdict, errors, error_systems, categories"
# Which systems make errors on the item, a bit per system (the first MASKED_SYSTEMS in the
# project's order), in both tables: "only errors of one system" is then a bit test on
# whichever table the list walks, in another column's order too.
MASKED_SYSTEMS = 62


class ListIndex(NamedTuple):
    """One index of the facts: ``key`` its leading columns (a sort order's, or a
    filter's), ``cover`` the columns after them."""

    name: str
    table: str
    key: str
    cover: str = ""

    @property
    def sql(self) -> str:
        key = self.key.split(", ")
        columns = key + [c for c in self.cover.split(", ") if c and c not in key]
        return f"CREATE INDEX {self.name} ON {self.table}({', '.join(columns)})"


def _item_sort(name: str, key: str) -> ListIndex:
    return ListIndex(name, "list_facts", key, ITEM_COVER)


def _system_sort(name: str, key: str) -> ListIndex:
    return ListIndex(name, "list_system_facts", f"system, {key}", SYSTEM_COVER)


# Each sort key is a stored column (``*_up`` for ascending, ``*_down`` the negated value for
# descending, undefined values +inf in both), so that the index covers a count or a walk of
# its range (an index on an expression does not: every entry would be looked up in the
# table).
INDEXES: tuple[ListIndex, ...] = (
    _item_sort("list_facts_id", "id_key"),
    ListIndex("list_facts_verdict", "list_facts", "verdict"),
    ListIndex("list_facts_errors", "list_facts", "any_errors"),
    _item_sort("list_facts_verdict_up", "verdict_up"),
    _item_sort("list_facts_verdict_down", "verdict_down"),
    _item_sort("list_facts_suspicion_up", "suspicion_up"),
    _item_sort("list_facts_suspicion_down", "suspicion_down"),
    _item_sort("list_facts_main_up", "main_up"),
    _item_sort("list_facts_main_down", "main_down"),
    _system_sort("list_system_facts_rate_up", "rate_up"),
    _system_sort("list_system_facts_rate_down", "rate_down"),
    _system_sort("list_system_facts_errors_up", "errors"),
    _system_sort("list_system_facts_errors_down", "errors_down"),
    _system_sort("list_system_facts_main_up", "main_up"),
    _system_sort("list_system_facts_main_down", "main_down"),
    # Every filter's columns (m010): a filter's count, or a walk of the few rows it lets
    # through, reads one of these alone; the verdict is copied into each system's row so
    # that "unreviewed + one system's errors" is one range of one index.
    ListIndex("list_facts_filters", "list_facts", "verdict, any_errors, categories"),
    ListIndex("list_system_facts_filters", "list_system_facts",
              "system, verdict, errors, categories"),
)
# Where :func:`rebuild_list_facts` keeps the item count and the largest position it was
# counted at (items are only ever added, at higher positions: while the largest is the
# same, so is the count).
ITEM_COUNT_KEY = "list_item_count"
TABLES = (
    """CREATE TABLE list_facts (
        pos INTEGER PRIMARY KEY, id_key TEXT NOT NULL, verdict TEXT, verdict_rank INTEGER,
        suspicion REAL, worst_category TEXT NOT NULL, worst_rank INTEGER,
        any_errors INTEGER NOT NULL, categories INTEGER NOT NULL,
        verdict_up INTEGER NOT NULL, verdict_down INTEGER NOT NULL,
        suspicion_up REAL NOT NULL, suspicion_down REAL NOT NULL,
        main_up INTEGER NOT NULL, main_down INTEGER NOT NULL,
        error_systems INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE list_system_facts (
        system TEXT NOT NULL, pos INTEGER NOT NULL, verdict TEXT, errors INTEGER NOT NULL,
        units INTEGER NOT NULL, rate REAL, main_category TEXT NOT NULL, main_rank INTEGER,
        categories INTEGER NOT NULL, rate_up REAL NOT NULL, rate_down REAL NOT NULL,
        errors_down INTEGER NOT NULL, main_up INTEGER NOT NULL, main_down INTEGER NOT NULL,
        error_systems INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (system, pos)) WITHOUT ROWID""",
)
# The variant of an item's current alignment, given ``l`` = its (left-joined) decision row.
_CURRENT_VARIANT = ("CASE WHEN l.corrected_reference IS NULL THEN 'original' "
                    "ELSE 'cleaned' END")
_CHUNK = 500  # items per statement when refreshing some items


def create_list_facts(db: Database) -> None:
    """Make the facts tables and fill them from what ``db`` holds (the migration's step)."""
    for sql in TABLES:
        db.execute(sql)
    rebuild_list_facts(db)


def refresh_list_facts(project: Any, item_ids: Iterable[str] | None = None) -> None:
    """Rewrite the facts of ``item_ids`` (``None``: of every item) of ``project`` from its
    items, decisions and alignments, inside the caller's write transaction.

    Call it wherever those change: a decision, an import, a rescore, a merge, a team pull.
    Suspicion scores are kept (they change only through :func:`store_suspicion`); a
    refresh of every item forgets a kept ranking (:mod:`reviewer.store.kept_ranking`).
    """
    if item_ids is None:
        rebuild_list_facts(project.db)
        return
    ids = iter(item_ids)
    while chunk := list(islice(ids, _CHUNK)):
        _write_facts(project.db, f"i.id IN ({', '.join('?' * len(chunk))})", chunk)


def rebuild_list_facts(db: Database) -> None:
    """Rewrite the facts of every item of ``db`` (indexes dropped and made again: one
    sorted build of each is much faster than keeping them up to date row by row)."""
    kept_ranking.forget(db)
    for index in INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {index.name}")
    db.execute("DELETE FROM list_system_facts")
    db.execute("DELETE FROM list_facts WHERE pos NOT IN (SELECT pos FROM items)")
    _write_facts(db, "1", [])
    for index in INDEXES:
        db.execute(index.sql)
    keep_item_count(db)


def keep_item_count(db: Database) -> None:
    """Keep the item count of ``db`` for :func:`item_total` (one count of every item)."""
    db.execute("INSERT OR REPLACE INTO meta (key, value) SELECT ?, "
               "count(*) || ' ' || coalesce(max(pos), -1) FROM items", [ITEM_COUNT_KEY])


def item_total(project: Any) -> int:
    """How many items ``project`` holds: the count kept at the facts' last rebuild while
    the largest position is the one it was counted at (one index lookup), else counted.

    Items are written once, at increasing positions, and never removed: an item added
    since the count changes the largest position. Opening a project then costs the same
    whatever its size (a count reads every item: a quarter of a second at 10,000,000)."""
    db = project.db
    kept = db.execute("SELECT value FROM meta WHERE key = ?", [ITEM_COUNT_KEY]).fetchone()
    if kept is not None:
        count, _, largest = str(kept[0]).partition(" ")
        last = db.execute("SELECT coalesce(max(pos), -1) FROM items").fetchone()[0]
        if largest == str(last) and count.isdigit():
            return int(count)
    return int(project.item_count())


def add_filter_indexes(db: Database) -> None:
    """Bring facts made before m010 up to date: each system's row gets its item's verdict
    (only decided items need a write), the filter indexes are made, the item count kept."""
    columns = {r[1] for r in db.execute("PRAGMA table_info(list_system_facts)")}
    if "verdict" not in columns:
        db.execute("ALTER TABLE list_system_facts ADD COLUMN verdict TEXT")
    db.execute("UPDATE list_system_facts SET verdict = (SELECT f.verdict FROM list_facts f "
               "WHERE f.pos = list_system_facts.pos) "
               "WHERE pos IN (SELECT pos FROM list_facts WHERE verdict IS NOT NULL)")
    for index in INDEXES:
        if not index.cover:  # the sort indexes as m012 makes them need its columns
            db.execute(index.sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
    keep_item_count(db)


def match_indexes(db: Database) -> None:
    """Bring facts made before m012 up to date: the ``error_systems`` masks added and
    filled, and each index whose columns are not those of :data:`INDEXES` made again."""
    _add_error_systems(db)
    made = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "AND tbl_name IN ('list_facts', 'list_system_facts')").fetchall())
    for index in INDEXES:
        if made.get(index.name) != index.sql:
            db.execute(f"DROP INDEX IF EXISTS {index.name}")
            db.execute(index.sql)


def _add_error_systems(db: Database) -> None:
    for table in ("list_facts", "list_system_facts"):
        if "error_systems" not in {r[1] for r in db.execute(f"PRAGMA table_info({table})")}:
            db.execute(f"ALTER TABLE {table} ADD COLUMN error_systems INTEGER NOT NULL "
                       "DEFAULT 0")
    bits = system_bits(db)
    terms = " + ".join(
        f"(CASE WHEN (SELECT s.errors FROM list_system_facts s WHERE s.system = ? "
        f"AND s.pos = list_facts.pos) > 0 THEN {bit} ELSE 0 END)" for bit in bits.values())
    if terms:
        db.execute(f"UPDATE list_facts SET error_systems = {terms}", list(bits))
    _copy_error_systems(db, "1", [])


def _copy_error_systems(db: Database, where: str, args: Sequence[Any]) -> None:
    """Each system's row of the items ``i`` matching ``where`` gets its item's mask (for
    some items, one system at a time: each is then a few lookups of the primary key, where
    a test of the position alone would read every row of every system)."""
    copy = ("UPDATE list_system_facts SET error_systems = (SELECT f.error_systems FROM "
            "list_facts f WHERE f.pos = list_system_facts.pos)")
    if where == "1":
        db.execute(copy)
        return
    for system in _systems(db):
        db.execute(f"{copy} WHERE system = ? AND pos IN (SELECT i.pos FROM items i "
                   f"WHERE {where})", [system, *args])


def system_bits(db: Database) -> dict[str, int]:
    """The bit of each system in the ``error_systems`` masks (the first
    :data:`MASKED_SYSTEMS` of the project's systems; the others have none)."""
    return {system: 1 << k for k, system in enumerate(_systems(db)[:MASKED_SYSTEMS])}


def ensure_list_facts(project: Any) -> bool:
    """Rewrite every item's facts when they do not cover the project's last item and every
    system (rows written by a path that does not refresh them); returns whether it did.
    Two index lookups when they are complete; a read-only project is left as it is."""
    db = project.db
    last = db.execute("SELECT max(pos) FROM items").fetchone()[0]
    if last is None or project.read_only:
        return False
    systems = db.execute("SELECT count(*) FROM systems").fetchone()[0]
    covered = db.execute("SELECT (SELECT count(*) FROM list_facts WHERE pos = ?) + "
                         "(SELECT count(*) FROM list_system_facts WHERE pos = ? "
                         "AND system IN (SELECT name FROM systems))",
                         [last, last]).fetchone()[0]
    if covered == 1 + systems:
        return False
    from reviewer.store.db import write_transaction

    with write_transaction(db):
        rebuild_list_facts(db)
    return True


def store_suspicion(project: Any, scores: Mapping[str, float], chunk: int = 5_000) -> None:
    """Keep ``scores`` (item id -> suspicion) as the items' sortable suspicion; items
    without a score get none. Written a chunk at a time, so that a decision made meanwhile
    waits for one chunk at most."""
    from reviewer.store.db import write_transaction

    db = project.db
    with write_transaction(db):
        kept_ranking.forget(db)  # the facts now hold another ranking's scores
        db.execute("UPDATE list_facts SET suspicion = NULL, suspicion_up = 9e999, "
                   "suspicion_down = 9e999 WHERE suspicion IS NOT NULL")
    keep_suspicion(db, scores.items(), chunk)


def keep_suspicion(db: Database, scores: Iterable[tuple[str, float]],
                   chunk: int = 5_000) -> None:
    """Keep the ``(item id, suspicion)`` of some items, a transaction per ``chunk`` of
    them."""
    from reviewer.store.db import write_transaction

    pairs = iter(scores)
    while batch := list(islice(pairs, chunk)):
        with write_transaction(db):
            db.conn.executemany(
                "UPDATE list_facts SET suspicion = ?, suspicion_up = ?, suspicion_down = ? "
                "WHERE pos = (SELECT pos FROM items WHERE id = ?)",
                [(score, score, -score, item_id) for item_id, score in batch])


def keep_zero_suspicion(db: Database, positions: range, kept: Sequence[int],
                        chunk: int) -> None:
    """A suspicion of 0 for the items at ``positions`` but the ``kept`` ones (rows already
    at 0 are left alone), a transaction per ``chunk`` positions."""
    from reviewer.store.db import write_transaction

    for start in range(positions.start, positions.stop, chunk):
        with write_transaction(db):
            db.execute(
                "UPDATE list_facts SET suspicion = 0.0, suspicion_up = 0.0, "
                "suspicion_down = 0.0 WHERE pos >= ? AND pos < ? AND suspicion IS NOT 0.0 "
                "AND pos NOT IN (SELECT value FROM json_each(?))",
                [start, min(start + chunk, positions.stop), json.dumps(list(kept))])


def suspicion_order(project: Any, top: int = 0) -> Iterator[tuple[str, float]]:
    """``(item id, suspicion)`` of the items of ``project`` with one, most suspicious first
    (ties in item order), the ``top`` first (0: every item), read as they are taken."""
    limit = f" LIMIT {int(top)}" if top > 0 else ""
    for item_id, score in project.db.execute(
            "SELECT i.id, f.suspicion FROM list_facts f JOIN items i ON i.pos = f.pos "
            f"WHERE f.suspicion IS NOT NULL ORDER BY f.suspicion_down, f.pos{limit}"):
        yield item_id, float(score)


def category_bits(kind: str) -> dict[str, int]:
    """The bit of each category id of ``kind`` in the ``categories`` masks."""
    return {c.id: 1 << k for k, c in enumerate(catalogue(kind))}


def category_ranks(kind: str) -> dict[str, int]:
    """The sort rank of each category id of ``kind``: by casefolded name, as the item list
    sorts its main-category column (equal names, equal ranks)."""
    names = {c.id: c.name.casefold() for c in catalogue(kind)}
    order = {name: k for k, name in enumerate(sorted(set(names.values())))}
    return {c: order[name] for c, name in names.items()}


def _kind(db: Database) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = 'kind'").fetchone()
    return None if row is None else str(row[0])


def _systems(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM systems ORDER BY pos, name")]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _rank_sql(expression: str, ranks: Mapping[str, int]) -> str:
    """SQL giving the rank of the category id ``expression`` (NULL for none)."""
    cases = " ".join(f"WHEN {_quote(c)} THEN {r}" for c, r in ranks.items())
    return f"(CASE {expression} WHEN '' THEN NULL {cases} ELSE {len(ranks)} END)"


def _counts_sql(kind: str | None) -> tuple[str, str, str, str, str]:
    """SQL of an item's errors, units, categories (a JSON object) and main category for one
    system, and the join they need besides the current alignment ``a``.

    An asr prediction scored as fstalign scores its NLP reference (and not corrected since)
    is listed with fstalign's counts and the categories of its path, which its view draws
    (:mod:`reviewer.core.lattice_summary`); every other item with its alignment's."""
    errors, units = "coalesce(a.main_errors, 0)", "coalesce(a.main_units, 0)"
    cats, main = "a.categories", "coalesce(a.main_category, '')"
    if kind != "asr":
        return errors, units, cats, main, ""
    summary = f"'$.{SUMMARY_KEY}"
    counted = ("LEFT JOIN predictions n ON n.system = ? AND n.item_id = i.id "
               "AND l.corrected_reference IS NULL AND n.meta LIKE '%\"main\"%' "
               f"AND json_type(n.meta, {summary}.main') IS NOT NULL")

    def field(name: str) -> str:
        return f"json_extract(n.meta, {summary}.{name}')"

    return (f"(CASE WHEN n.item_id IS NULL THEN {errors} "
            f"ELSE {field('s')} + {field('d')} + {field('i')} END)",
            f"(CASE WHEN n.item_id IS NULL THEN {units} ELSE {field('units')} END)",
            f"(CASE WHEN n.item_id IS NULL THEN {cats} ELSE {field('categories')} END)",
            f"(CASE WHEN n.item_id IS NULL THEN {main} ELSE {field('main')} END)", counted)


def _mask_sql(bits: Mapping[str, int], categories: str = "a.categories") -> str:
    """SQL giving the bit mask of ``categories``, a JSON object of category ids (0 without
    one)."""
    # The categories are a JSON object keyed by quoted ids; instr is an exact,
    # case-sensitive substring test.
    terms = [f"(CASE WHEN instr({categories}, {_quote(chr(34) + c + chr(34))}) > 0 "
             f"THEN {bit} ELSE 0 END)" for c, bit in bits.items()]
    return f"coalesce({' + '.join(terms) or '0'}, 0)"


def _worst_sql(systems: Sequence[str], column: str) -> str:
    """SQL picking ``column`` of the system with the most errors (a tie: the first system;
    none with errors: '')."""
    cases = []
    for k in range(len(systems)):
        before = [f"s{k}.errors > s{j}.errors" for j in range(k)]
        after = [f"s{k}.errors >= s{j}.errors" for j in range(k + 1, len(systems))]
        condition = " AND ".join([f"s{k}.errors > 0", *before, *after])
        cases.append(f"WHEN {condition} THEN s{k}.{column}")
    return f"(CASE {' '.join(cases)} ELSE '' END)" if cases else "''"


def _write_facts(db: Database, where: str, args: Sequence[Any]) -> None:
    """(Re)write the facts of the items ``i`` matching ``where``."""
    kind = _kind(db)
    bits = category_bits(kind) if kind else {}
    ranks = category_ranks(kind) if kind else {}
    systems = _systems(db)
    conn = db.conn
    conn.create_function("reviewer_natural_key", 1, natural_text_key, deterministic=True)
    errors, units, cats, main, counted = _counts_sql(kind)
    rate = (f"(CASE WHEN {units} > 0 THEN CAST({errors} AS REAL) / {units} "
            f"WHEN {errors} = 0 THEN 0.0 END)")
    rank = _rank_sql(main, ranks)
    for system in systems:
        conn.execute(
            "INSERT OR REPLACE INTO list_system_facts (system, pos, verdict, errors, units, "
            "rate, main_category, main_rank, categories, rate_up, rate_down, errors_down, main_up, "
            f"main_down) SELECT ?, i.pos, l.verdict, {errors}, {units}, "
            f"{rate}, {main}, {rank}, {_mask_sql(bits, cats)}, {_up(rate, '9e999')}, "
            f"{_down(rate, '9e999')}, -{errors}, "
            f"{_up(rank, UNDEFINED_RANK)}, {_down(rank, UNDEFINED_RANK)} "
            "FROM items i LEFT JOIN labels l ON l.item_id = i.id "
            f"LEFT JOIN alignments a ON a.system = ? AND a.item_id = i.id "
            f"AND a.variant = {_CURRENT_VARIANT} {counted} WHERE {where}",
            [system, system, *([system] if counted else []), *args])
    joins = " ".join(f"JOIN list_system_facts s{k} ON s{k}.system = ? AND s{k}.pos = i.pos"
                     for k in range(len(systems)))
    verdict_rank = " ".join(f"WHEN {_quote(v)} THEN {n}" for n, v in enumerate(VERDICTS))
    worst = _worst_sql(systems, "main_category")
    any_errors = " OR ".join(f"s{k}.errors > 0" for k in range(len(systems))) or "0"
    error_systems = " + ".join(f"(CASE WHEN s{k}.errors > 0 THEN {bit} ELSE 0 END)"
                               for k, bit in enumerate(system_bits(db).values())) or "0"
    mask = " | ".join(f"s{k}.categories" for k in range(len(systems))) or "0"
    verdict = f"(CASE l.verdict {verdict_rank} END)"
    worst_rank = _rank_sql(worst, ranks)
    conn.execute(
        "INSERT OR REPLACE INTO list_facts (pos, id_key, verdict, verdict_rank, suspicion, "
        "worst_category, worst_rank, any_errors, categories, verdict_up, verdict_down, "
        "suspicion_up, suspicion_down, main_up, main_down, error_systems) "
        f"SELECT i.pos, reviewer_natural_key(i.id), l.verdict, {verdict}, o.suspicion, "
        f"{worst}, {worst_rank}, ({any_errors}), ({mask}), {_up(verdict, UNDEFINED_RANK)}, "
        f"{_down(verdict, UNDEFINED_RANK)}, ifnull(o.suspicion_up, 9e999), "
        f"ifnull(o.suspicion_down, 9e999), {_up(worst_rank, UNDEFINED_RANK)}, "
        f"{_down(worst_rank, UNDEFINED_RANK)}, ({error_systems}) "
        f"FROM items i LEFT JOIN labels l ON l.item_id = i.id {joins} "
        f"LEFT JOIN list_facts o ON o.pos = i.pos WHERE {where}",
        [*systems, *args])
    _copy_error_systems(db, where, args)


def _up(value: str, undefined: object) -> str:
    """SQL of the ascending sort key of ``value``: undefined (NULL) last."""
    return f"ifnull({value}, {undefined})"


def _down(value: str, undefined: object) -> str:
    """SQL of the descending sort key of ``value``: negated, undefined (NULL) last."""
    return f"ifnull(-{value}, {undefined})"
