"""The item list's rows in SQL: one order and set of filters over the indexed item facts
(:mod:`reviewer.store.list_facts`), read a page at a time.

Nothing here holds every item: a count is one ``count(*)``, a page one index walk with
``LIMIT``/``OFFSET`` (from the nearer end of the list), an item's row the number of rows
before it in the same index. Filters that are sets of items (a text, a confusion-matrix
cell, disagreements) are :class:`PositionSet`\\ s: a short ``IN`` list, or a byte per item
tested by an SQL function when the set is large.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import count, islice
from typing import Any

from reviewer.core.item_list.columns import ColumnRole
from reviewer.store.list_facts import category_bits
from reviewer.store.project import Project
from reviewer.store.summaries import (
    contains_test,
    ids_with_category,
    ids_with_meta,
    meta_field,
)

IN_LIST_LIMIT = 50_000  # a position set this large or smaller is an SQL IN list
# Lists of at most this many rows (of a filtered list) are found through the filters and
# sorted; longer ones are read by walking the sort index.
FEW_ROWS = 50_000
_CHUNK = 500
_functions = count()


@dataclass(frozen=True, slots=True)
class PositionSet:
    """Item positions a filter lets through: ``small`` (an IN list) or, for many items,
    ``mask`` (one byte per position, 1: in the set)."""

    small: frozenset[int] | None = None
    mask: bytes | None = None
    size: int = 0

    @staticmethod
    def of(positions: Iterable[int], largest: int) -> PositionSet:
        """The set of ``positions``, none larger than ``largest``.

        Built as a byte per position (10 MB for 10,000,000 items; a Python set of that
        many ints would take hundreds), kept as an IN list when it is short.
        """
        mask = bytearray(largest + 1)
        for pos in positions:
            mask[pos] = 1
        size = mask.count(1)
        if size > IN_LIST_LIMIT:
            return PositionSet(mask=bytes(mask), size=size)
        small: list[int] = []
        at = mask.find(1)
        while at >= 0:
            small.append(at)
            at = mask.find(1, at + 1)
        return PositionSet(small=frozenset(small), size=size)


@dataclass(frozen=True, slots=True)
class ListQuery:
    """One order and the filters of the item list.

    ``role`` is the sorted column's role (``None``: item order); ``system`` the per-system
    column's system, or for the main category the chosen system (``None``: the worst).
    """

    role: ColumnRole | None = None
    system: str | None = None
    descending: bool = False
    verdict: str | None = None  # a verdict, "" for none (unreviewed), None: any
    category: str | None = None
    filter_system: str | None = None  # the category/errors filters' system (None: any)
    only_errors: bool = False
    sets: tuple[PositionSet, ...] = ()

    @property
    def filtered(self) -> bool:
        """Whether any filter is set."""
        return (self.verdict is not None or self.category is not None or self.only_errors
                or bool(self.sets))


@dataclass(frozen=True, slots=True)
class ItemRow:
    """What the list shows of one item; per-system tuples in the project's system order."""

    pos: int
    id: str
    verdict: str | None
    suspicion: float | None
    worst_category: str
    errors: tuple[int, ...]
    units: tuple[int, ...]
    main_category: tuple[str, ...]


class _Sql:
    """The SQL pieces of one :class:`ListQuery`: FROM, WHERE (with its arguments), the
    sort key and the position column.

    Three tables may take part: ``f`` (item facts), ``s`` (the facts of the sorted
    column's system) and ``e`` (those of the filters' system). Only those a query needs
    are joined, and the first drives: a page is a walk of its sort index.
    """

    def __init__(self, project: Project, query: ListQuery, kind: str, *,
                 counting: bool = False, need_f: bool = False) -> None:
        role, system, d = query.role, query.system, query.descending
        way = "down" if d else "up"
        self.whole_desc = False  # ids are unique: the whole order reverses
        f_terms, f_args, e_terms, e_args = _filters(project, query, kind)
        e_system = query.filter_system
        per_system = not counting and (role in (ColumnRole.RATE, ColumnRole.ERRORS) or (
            role is ColumnRole.MAIN_CATEGORY and system is not None))
        self.key: str | None = None
        if counting:
            main = "e" if e_terms else "f"
        elif per_system:
            main = "s"
            if role is ColumnRole.RATE:
                self.key = f"s.rate_{way}"
            elif role is ColumnRole.ERRORS:
                self.key = "s.errors_down" if d else "s.errors"
            else:
                self.key = f"s.main_{way}"
        else:
            main = "e" if (role is None and e_terms and not f_terms and not need_f) else "f"
            if role is ColumnRole.ID:
                self.key, self.whole_desc = "f.id_key", d
            elif role is ColumnRole.VERDICT:
                self.key = f"f.verdict_{way}"
            elif role is ColumnRole.SUSPICION:
                self.key = f"f.suspicion_{way}"
            elif role is ColumnRole.MAIN_CATEGORY:
                self.key = f"f.main_{way}"
        if main == "s" and e_system == system:
            e_terms = [t.replace("e.", "s.") for t in e_terms]
            e_alias_needed = False
        else:
            e_alias_needed = bool(e_terms) and main != "e"
        self.pos = f"{main}.pos"
        tables = {"f": "list_facts f", "s": "list_system_facts s", "e": "list_system_facts e"}
        self.base = tables[main]
        where: list[str] = []
        self.args: list[Any] = []
        if main == "s":
            where.append("s.system = ?")
            self.args.append(system)
        if main == "e":
            where.append("e.system = ?")
            self.args.append(e_system)
        joins: list[str] = []
        if main != "f" and (f_terms or need_f or (self.key and self.key.find("f.") >= 0)):
            joins.append(f"JOIN list_facts f ON f.pos = {self.pos}")
        if e_alias_needed:
            joins.append(f"JOIN list_system_facts e ON e.system = ? AND e.pos = {self.pos}")
            self.args.insert(0, e_system)  # the join's argument comes before the WHERE's
        if joins:
            self.base += " " + " ".join(joins)
        filters = " AND ".join(f_terms + e_terms)
        self.filtered = bool(filters)
        if filters:
            where.append(filters)
        self.args += f_args + e_args
        self.where = " AND ".join(where) or "1"

    def order(self, reverse: bool = False, few: bool = False) -> str:
        """The ORDER BY terms (``reverse``: the list read from its end; ``few``: the
        filters let few rows through, which are found first and then sorted, rather than
        walking the sort index past every row the filters hide)."""
        down = self.whole_desc != reverse
        direction = " DESC" if down else ""
        plus = "+" if few else ""  # an expression no index gives: SQLite sorts instead
        terms = ([] if self.key is None else [plus + self.key]) + [plus + self.pos]
        return ", ".join(t + direction for t in terms)

    def before(self) -> str:
        """The condition of rows before the key and position given as two arguments."""
        op = ">" if self.whole_desc else "<"
        if self.key is None:
            return f"{self.pos} {op} ?"
        return f"({self.key}, {self.pos}) {op} (?, ?)"

    def after(self) -> str:
        """The condition of rows after the key and position given as two arguments."""
        op = "<" if self.whole_desc else ">"
        if self.key is None:
            return f"{self.pos} {op} ?"
        return f"({self.key}, {self.pos}) {op} (?, ?)"

    def key_args(self, key: Any, pos: int) -> list[Any]:
        """The arguments of :meth:`before`/:meth:`after` for a row."""
        return [pos] if self.key is None else [key, pos]


def _filters(project: Project, query: ListQuery,
             kind: str) -> tuple[list[str], list[Any], list[str], list[Any]]:
    """The filters' terms on the item facts ``f`` and on the filter system's facts ``e``,
    each with its arguments."""
    f_terms: list[str] = []
    f_args: list[Any] = []
    e_terms: list[str] = []
    system = query.filter_system
    if query.verdict == "":
        f_terms.append("f.verdict IS NULL")
    elif query.verdict is not None:
        f_terms.append("f.verdict = ?")
        f_args.append(query.verdict)
    if query.only_errors:
        if system is None:
            f_terms.append("f.any_errors = 1")
        else:
            e_terms.append("e.errors > 0")
    if query.category is not None:
        bit = category_bits(kind).get(query.category)
        if bit is not None and system is None:
            f_terms.append(f"(f.categories & {bit}) != 0")
        elif bit is not None:
            e_terms.append(f"(e.categories & {bit}) != 0")
        else:  # not of this kind's catalogue: found the slow way
            f_terms.append(_set_sql(project, positions_of(
                project, ids_with_category(project, query.category, system))))
    for found in query.sets:
        f_terms.append(_set_sql(project, found))
    return f_terms, f_args, e_terms, []


def _set_sql(project: Project, found: PositionSet) -> str:
    if found.small is not None:
        return f"f.pos IN ({', '.join(map(str, sorted(found.small)))})"
    mask = found.mask or b""
    name = f"reviewer_in_set_{next(_functions)}"
    size = len(mask)
    project.db.conn.create_function(
        name, 1, lambda pos: 0 <= pos < size and mask[pos] == 1, deterministic=True)
    return f"{name}(f.pos)"


class ItemListSql:
    """The rows of one :class:`ListQuery` in ``project``.

    The order and the filters are read through ``project``; cells and verdicts through
    ``live`` when given (the item list reads its order from a snapshot, so that a row whose
    decision changes keeps its place, and its cells from the current data).
    """

    def __init__(self, project: Project, query: ListQuery, live: Project | None = None) -> None:
        self.project = project
        self.live = live or project
        self.query = query
        self.systems = project.systems()
        kind = project.kind
        self.sql = _Sql(project, query, kind)
        self._counting = _Sql(project, query, kind, counting=True)
        self._with_f = _Sql(project, query, kind, need_f=True)
        self.size: int | None = None  # the row count, once counted

    def count(self, total: int | None = None) -> int:
        """How many rows the list has (``total``: the item count, known without a query)."""
        sql = self._counting
        if not sql.filtered and total is not None:
            self.size = total
        else:
            self.size = int(self.project.db.execute(
                f"SELECT count(*) FROM {sql.base} WHERE {sql.where}", sql.args).fetchone()[0])
        return self.size

    def _few(self) -> bool:
        return self.sql.filtered and self.size is not None and self.size <= FEW_ROWS

    def page(self, offset: int, limit: int, total: int) -> list[tuple[int, Any]]:
        """``(position, sort key)`` of rows ``offset`` to ``offset + limit - 1`` of a list
        of ``total`` rows; read from the nearer end (an OFFSET walks every row it skips)."""
        sql = self.sql
        few = self._few() or (sql.filtered and total <= FEW_ROWS)
        select = f"SELECT {sql.pos}, {sql.key or sql.pos} FROM {sql.base} WHERE {sql.where}"
        if offset <= total - offset - limit:
            return [tuple(r) for r in self.project.db.execute(
                f"{select} ORDER BY {sql.order(few=few)} LIMIT ? OFFSET ?",
                [*sql.args, limit, offset])]
        back = max(total - offset - limit, 0)
        rows = self.project.db.execute(
            f"{select} ORDER BY {sql.order(reverse=True, few=few)} LIMIT ? OFFSET ?",
            [*sql.args, total - offset - back, back]).fetchall()
        return [tuple(r) for r in reversed(rows)]

    def key_of(self, pos: int) -> tuple[bool, Any]:
        """Whether the item at ``pos`` passes the filters, and its sort key."""
        sql = self.sql
        row = self.project.db.execute(
            f"SELECT {sql.key or sql.pos} FROM {sql.base} WHERE {sql.where} "
            f"AND {sql.pos} = ?", [*sql.args, pos]).fetchone()
        return (False, None) if row is None else (True, row[0])

    def sort_key(self, pos: int) -> Any:
        """The sort key of the item at ``pos``, whether the filters show it or not."""
        sql = _Sql(self.project, replace(self.query, verdict=None, category=None,
                                         only_errors=False, sets=()), self.project.kind)
        row = self.project.db.execute(
            f"SELECT {sql.key or sql.pos} FROM {sql.base} WHERE {sql.where} "
            f"AND {sql.pos} = ?", [*sql.args, pos]).fetchone()
        return None if row is None else row[0]

    def row_of(self, pos: int) -> int | None:
        """The row of the item at ``pos`` (``None``: the filters hide it)."""
        shown, key = self.key_of(pos)
        if not shown:
            return None
        sql = self.sql
        if sql.key is None:
            return int(self.project.db.execute(
                f"SELECT count(*) FROM {sql.base} WHERE {sql.where} AND {sql.before()}",
                [*sql.args, pos]).fetchone()[0])
        # Two ranges of the sort index (smaller keys; the same key, smaller positions):
        # each is counted within the index, which a row-value range would not be.
        op = ">" if sql.whole_desc else "<"
        db = self.project.db
        smaller = db.execute(f"SELECT count(*) FROM {sql.base} WHERE {sql.where} "
                             f"AND {sql.key} {op} ?", [*sql.args, key]).fetchone()[0]
        tied = db.execute(f"SELECT count(*) FROM {sql.base} WHERE {sql.where} "
                          f"AND {sql.key} = ? AND {sql.pos} {op} ?",
                          [*sql.args, key, pos]).fetchone()[0]
        return int(smaller) + int(tied)

    def next_unreviewed(self, after: tuple[Any, int] | None, skip: int | None,
                        batch: int = 256) -> int | None:
        """The position of the first shown item without a verdict after the row with sort
        key and position ``after`` (``None``: from the top), wrapping round to the top;
        never ``skip``. Candidates come in the list's order, their verdicts from the
        current data (an item decided since the order was read is not a candidate)."""
        sql = self._with_f
        base = (f"SELECT {sql.pos}, {sql.key or sql.pos} FROM {sql.base} "
                f"WHERE {sql.where} AND f.verdict IS NULL AND {sql.pos} IS NOT ?")
        order = sql.order(few=self._few())
        starts: list[tuple[Any, int] | None] = [after, None] if after is not None else [None]
        for start in starts:
            while True:
                if start is None:
                    rows = self.project.db.execute(f"{base} ORDER BY {order} LIMIT ?",
                                                   [*sql.args, skip, batch]).fetchall()
                else:
                    rows = self.project.db.execute(
                        f"{base} AND {sql.after()} ORDER BY {order} LIMIT ?",
                        [*sql.args, skip, *sql.key_args(*start), batch]).fetchall()
                if not rows:
                    break
                open_ = self._unreviewed_now([r[0] for r in rows])
                for pos, _ in rows:
                    if pos in open_:
                        return int(pos)
                if len(rows) < batch:
                    break
                start = (rows[-1][1], rows[-1][0])
        return None

    def _unreviewed_now(self, positions: Sequence[int]) -> set[int]:
        if self.live is self.project:
            return set(positions)
        marks = ", ".join("?" * len(positions))
        return {r[0] for r in self.live.db.execute(
            f"SELECT pos FROM list_facts WHERE pos IN ({marks}) AND verdict IS NULL",
            list(positions))}

    def rows(self, positions: Sequence[int]) -> dict[int, ItemRow]:
        """What the list shows of the items at ``positions``."""
        db = self.live.db
        found: dict[int, list[Any]] = {}
        n = len(self.systems)
        for start in range(0, len(positions), _CHUNK):
            chunk = list(islice(positions, start, start + _CHUNK))
            marks = ", ".join("?" * len(chunk))
            for pos, item_id, verdict, suspicion, worst in db.execute(
                    "SELECT f.pos, i.id, f.verdict, f.suspicion, f.worst_category "
                    f"FROM list_facts f JOIN items i ON i.pos = f.pos WHERE f.pos IN ({marks})",
                    chunk):
                found[pos] = [pos, item_id, verdict, suspicion, worst,
                              [0] * n, [0] * n, [""] * n]
            for k, system in enumerate(self.systems):
                for pos, errors, units, main in db.execute(
                        "SELECT pos, errors, units, main_category FROM list_system_facts "
                        f"WHERE system = ? AND pos IN ({marks})", [system, *chunk]):
                    if pos in found:
                        row = found[pos]
                        row[5][k], row[6][k], row[7][k] = errors, units, main
        return {pos: ItemRow(r[0], r[1], r[2], r[3], r[4], tuple(r[5]), tuple(r[6]),
                             tuple(r[7])) for pos, r in found.items()}


def position_of(project: Project, item_id: str) -> int | None:
    """The stored position of ``item_id`` (``None``: no such item)."""
    row = project.db.execute("SELECT pos FROM items WHERE id = ?", [item_id]).fetchone()
    return None if row is None else int(row[0])


def id_at(project: Project, pos: int) -> str | None:
    """The id of the item at stored position ``pos`` (``None``: no such item)."""
    row = project.db.execute("SELECT id FROM items WHERE pos = ?", [pos]).fetchone()
    return None if row is None else str(row[0])


def stored_verdict(project: Project, item_id: str) -> str | None:
    """The verdict the item list's facts hold for ``item_id`` (``None``: none)."""
    row = project.db.execute("SELECT f.verdict FROM list_facts f JOIN items i "
                             "ON i.pos = f.pos WHERE i.id = ?", [item_id]).fetchone()
    return None if row is None else row[0]


def open_snapshot(project: Project) -> Project:
    """A read-only connection to ``project``'s file for reading the list's order from a
    snapshot (``project`` itself when it is read-only: nothing changes it then)."""
    if project.read_only:
        return project
    return Project(project.path, read_only=True)


def renew_snapshot(snapshot: Project, project: Project) -> None:
    """Let ``snapshot`` see every change committed so far, then keep it as it is until
    the next call: its reads form one read transaction (WAL readers do not block writers)."""
    if snapshot is project:
        return
    conn = snapshot.db.conn
    if conn.in_transaction:
        conn.execute("COMMIT")
    conn.execute("BEGIN")  # the snapshot is taken at the first read


def end_snapshot(snapshot: Project, project: Project) -> None:
    """End the read transaction of a snapshot made by :func:`open_snapshot`."""
    if snapshot is not project and snapshot.db.conn.in_transaction:
        snapshot.db.conn.execute("COMMIT")


def close_snapshot(snapshot: Project, project: Project) -> None:
    """End and close a snapshot made by :func:`open_snapshot`."""
    if snapshot is not project:
        end_snapshot(snapshot, project)
        snapshot.close()


def _largest_position(project: Project) -> int:
    row = project.db.execute("SELECT max(pos) FROM items").fetchone()
    return int(row[0] or 0)


def positions_of(project: Project, item_ids: Iterable[str]) -> PositionSet:
    """The positions of ``item_ids`` (unknown ids left out)."""
    found: list[int] = []
    ids = iter(item_ids)
    while chunk := list(islice(ids, _CHUNK)):
        found += [r[0] for r in project.db.execute(
            f"SELECT pos FROM items WHERE id IN ({', '.join('?' * len(chunk))})", chunk)]
    return PositionSet.of(found, _largest_position(project))


def positions_matching_text(project: Project, text: str) -> PositionSet:
    """Items whose reference, corrected reference or any prediction contains ``text``;
    ``key:value`` (for example ``speaker:spk07``) matches item metadata instead, where
    items carry ``key``. Case-insensitive (non-ASCII needles through ``casefold``)."""
    field_ = meta_field(project, text)
    if field_ is not None:
        return positions_of(project, ids_with_meta(project, *field_))
    test, needle = contains_test(project, text)
    sql = (f"SELECT pos FROM items WHERE {test.format('reference')} "
           "UNION ALL SELECT i.pos FROM labels l JOIN items i ON i.id = l.item_id "
           f"WHERE l.corrected_reference IS NOT NULL AND {test.format('l.corrected_reference')} "
           "UNION ALL SELECT i.pos FROM predictions p JOIN items i ON i.id = p.item_id "
           f"WHERE {test.format('p.text')}")
    rows = project.db.execute(sql, [needle, needle, needle])
    return PositionSet.of((r[0] for r in rows), _largest_position(project))

