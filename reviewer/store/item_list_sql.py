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
from reviewer.store import text_search
from reviewer.store.list_facts import INDEXES, category_bits, system_bits
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
DENSE = 10  # a text found in one item in this many or more is tested row by row
_CHUNK = 500
SAMPLE = 256  # positions read to tell which side of a row is shorter
# A probe of the text index for one position costs about this many lookups of a
# position's facts (39 µs against 0.5 µs at 10,000,000 items).
PROBE_COST = 80
ANCHORS = 64  # rows whose item the list remembers (see ItemListSql.page)
# A system's "errors > 0" as a range of its sort keys: errors 0 is rate 0 (ascending key
# 0.0), a rate with errors is above 0 or undefined (9e999); errors_down is -errors.
_WITH_ERRORS = {"s.rate_up": "s.rate_up > 0", "s.errors_down": "s.errors_down < 0"}
_functions = count()


@dataclass(frozen=True, slots=True)
class PositionSet:
    """Item positions a filter lets through: ``small`` (an IN list), for many items
    ``mask`` (one byte per position, 1: in the set), or ``sql`` (a query SQLite runs)."""

    small: frozenset[int] | None = None
    mask: bytes | None = None
    size: int = 0
    sql: str | None = None  # or a SELECT of the positions (with no arguments)
    # For a walk of the list when the set is dense: a test of the position ``{pos}``.
    probe: str | None = None

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
        e_system = query.filter_system
        per_system = not counting and (role in (ColumnRole.RATE, ColumnRole.ERRORS) or (
            role is ColumnRole.MAIN_CATEGORY and system is not None))
        # Read in a system's order, the list is filtered by the verdict each of that
        # system's rows carries: its sort index covers it, the item facts are not read.
        own = per_system and e_system in (None, system)
        errors_mask = None if counting else _errors_mask(project, query, per_system, own)
        if errors_mask is not None:
            # Only errors of another system (or of any): a bit test of the mask the walked
            # table carries, so that no other table is read either.
            query, e_system, own = replace(query, only_errors=False,
                                           filter_system=None), None, per_system
        f_terms, f_args, e_terms, e_args = _filters(project, query, kind, not counting,
                                                    verdict_with_system=own)
        if errors_mask is not None:
            (e_terms if per_system else f_terms).append(
                f"({'e' if per_system else 'f'}.error_systems & {errors_mask}) != 0")
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
        if main == "s" and own:
            e_terms = [t.replace("e.", "s.") for t in e_terms]
            if query.only_errors and e_system == system and self.key in _WITH_ERRORS:
                # The same rows as a range of the sort index: the walk starts at the first
                # row with errors instead of stepping over every row without.
                e_terms.append(_WITH_ERRORS[self.key])
            e_alias_needed = False
        else:
            e_alias_needed = bool(e_terms) and main != "e"
        # A short position set (an IN list) drives: the item facts are read at its
        # positions and the systems' facts joined to them. Left to SQLite, a system's
        # filter index would drive and each of its millions of rows be tested for the set.
        if any(found.small is not None for found in query.sets):
            self.__init_by_set(main, system if main == "s" else e_system,
                               e_system if e_alias_needed else None, f_terms + e_terms,
                               f_args + e_args)
            return
        self.pos = f"{main}.pos"
        tables = {"f": "list_facts f", "s": "list_system_facts s", "e": "list_system_facts e"}
        self.base = tables[main]
        # Reading the list in its order walks the sort key's index (item order: the
        # table's own), however many rows the filters hide: chosen by SQLite, an index of
        # the filters and a sort of all they let through can take seconds.
        self.walk_base = f"{tables[main]} {_walk_index(self.key)}"
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
            self.walk_base += " " + " ".join(joins)
        filters = " AND ".join(f_terms + e_terms)
        self.filtered = bool(filters)
        if filters:
            where.append(filters)
        self.args += f_args + e_args
        self.where = " AND ".join(where) or "1"

    def __init_by_set(self, main: str, system: str | None, e_system: str | None,
                      terms: list[str], args: list[Any]) -> None:
        """FROM and WHERE with the item facts ``f`` first (a CROSS JOIN keeps that order),
        then the ``main`` system's facts (``main`` ``s`` or ``e``, of ``system``), then
        those of the filters' system ``e`` when it is another one (``e_system``)."""
        self.pos = f"{main}.pos"
        self.base = "list_facts f"
        self.args = []
        joined = [] if main == "f" else [(main, system)]
        for alias, of in joined + ([] if e_system is None else [("e", e_system)]):
            self.base += (f" CROSS JOIN list_system_facts {alias} "
                          f"ON {alias}.system = ? AND {alias}.pos = f.pos")
            self.args.append(of)
        self.walk_base = self.base  # the set is short: its rows are found, then sorted
        self.filtered = bool(terms)
        self.where = " AND ".join(terms) or "1"
        self.args += args

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

    def key_args(self, key: Any, pos: int) -> list[Any]:
        """The arguments of :meth:`before`/:meth:`after` for a row."""
        return [pos] if self.key is None else [key, pos]


def _errors_mask(project: Project, query: ListQuery, per_system: bool, own: bool
                 ) -> int | None:
    """The ``error_systems`` bits that stand for the query's "only errors" filter on the
    table its order walks, where that table's own columns do not say it: one system's
    errors in another column's order, any system's in a system's order (``None``: not
    so, or a system without a bit, or a category filter too, which reads that system's
    facts anyway)."""
    if not query.only_errors or query.category is not None or query.role is None:
        return None
    bits = system_bits(project.db)
    if query.filter_system is not None:  # its own order (own): its errors column says it
        return None if own else bits.get(query.filter_system)
    if per_system and len(bits) == len(project.systems()):
        return sum(bits.values())
    return None


def _walk_index(key: str | None) -> str:
    """The INDEXED BY clause of the index giving the list's order by ``key`` (a stored
    column of :data:`~reviewer.store.list_facts.INDEXES`; ``None``: item order, none)."""
    if key is None:
        return ""  # item order: SQLite picks (a filter's index holds its rows by position)
    alias, column = key.split(".")
    table = "list_facts" if alias == "f" else "list_system_facts"
    want = column if alias == "f" else f"system, {column}"
    return next(f"INDEXED BY {index.name}" for index in INDEXES
                if index.table == table and index.key == want)


def _filters(project: Project, query: ListQuery, kind: str, walking: bool = True, *,
             verdict_with_system: bool = False
             ) -> tuple[list[str], list[Any], list[str], list[Any]]:
    """The filters' terms on the item facts ``f`` and on the filter system's facts ``e``,
    each with its arguments (``verdict_with_system``: the verdict's term on ``e`` even
    when no other filter is a system's)."""
    f_terms: list[str] = []
    f_args: list[Any] = []
    e_terms: list[str] = []
    e_args: list[Any] = []
    system = query.filter_system
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
        f_terms.append(_set_sql(project, found, walking))
    # The verdict is in both tables: with a system's filters it goes with them, so that
    # the filters read one index of one table (list_system_facts_filters).
    on_system = bool(e_terms) or verdict_with_system
    terms, args = (e_terms, e_args) if on_system else (f_terms, f_args)
    table = "e" if on_system else "f"
    if query.verdict == "":
        terms.insert(0, f"{table}.verdict IS NULL")
    elif query.verdict is not None:
        terms.insert(0, f"{table}.verdict = ?")
        args.insert(0, query.verdict)
    return f_terms, f_args, e_terms, e_args


def _only_set(query: ListQuery) -> PositionSet | None:
    """The query's one filter when that is a position set."""
    if len(query.sets) != 1 or replace(query, sets=()).filtered:
        return None
    return query.sets[0]


def _large_set(query: ListQuery) -> PositionSet | None:
    """The query's one long position set found by a query (``sql``, not an IN list)."""
    long = [found for found in query.sets if found.sql is not None and found.small is None]
    return long[0] if len(long) == 1 else None


def _set_sql(project: Project, found: PositionSet, walking: bool = False) -> str:
    if walking and found.probe is not None:  # a few tests per row shown, none per row hidden
        return f"({found.probe.format(pos='f.pos')})"
    if found.small is not None:
        return f"f.pos IN ({', '.join(map(str, sorted(found.small)))})"
    if found.sql is not None:
        return f"f.pos IN ({found.sql})"
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
        self._dense_total: int | None = None  # the item count whose positions are dense
        # Rows whose item is known (the ends of pages read, rows found): a page near one is
        # read from it rather than by an OFFSET from an end of the list.
        self._anchors: dict[int, tuple[Any, int]] = {}

    def count(self, total: int | None = None) -> int:
        """How many rows the list has (``total``: the item count, known without a query)."""
        sql = self._counting
        if not sql.filtered and total is not None:
            self.size = total
        elif (only := _only_set(self.query)) is not None and only.sql is not None:
            self.size = only.size  # counted when it was found
        elif (found := _large_set(self.query)) is not None:
            self.size = self._count_with(found)
        else:
            self.size = int(self.project.db.execute(
                f"SELECT count(*) FROM {sql.base} WHERE {sql.where}", sql.args).fetchone()[0])
        return self.size

    def _count_with(self, found: PositionSet) -> int:
        """The row count of a list whose filters include the long position set ``found``
        (a text found in millions of items) and others, read from the shorter side: the
        rows the other filters let through, each tested for the set, or the set's
        positions, each looked up in the facts. SQLite alone would first copy every
        position of the set, then test every row of the other filters. A probe of the
        index costs :data:`PROBE_COST` lookups: the other filters' rows are tested only
        when they are that many times fewer."""
        rest = replace(self.query, sets=tuple(s for s in self.query.sets if s is not found))
        other = _Sql(self.project, rest, self.project.kind, counting=True)
        db = self.project.db
        few = found.size // PROBE_COST  # the other filters' rows worth testing one by one

        def tested(base: str, where: str, args: list[Any], pos: str) -> int | None:
            """How many rows of ``base`` and ``where`` (item position ``pos``) the set
            holds, when they are few."""
            through = int(db.execute(f"SELECT count(*) FROM (SELECT 1 FROM {base} WHERE "
                                     f"{where} LIMIT ?)", [*args, few + 1]).fetchone()[0])
            if through > few or found.probe is None:
                return None
            test = found.probe.format(pos=pos)
            return int(db.execute(f"SELECT count(*) FROM {base} WHERE {where} AND ({test})",
                                  args).fetchone()[0])

        if (held := tested(other.base, other.where, other.args, other.pos)) is not None:
            return held
        if replace(rest, role=None, system=None, descending=False) == ListQuery(verdict=""):
            # Unreviewed, the review's usual filter: the set less its few decided items.
            decided = tested("list_facts f", "f.verdict IS NOT NULL", [], "f.pos")
            if decided is not None:
                return found.size - decided
        # CROSS JOIN: the set's positions are the outer loop, the facts read by their keys.
        return int(db.execute(
            f"WITH found(pos) AS ({found.sql}) SELECT count(*) FROM found CROSS JOIN "
            f"{other.base} WHERE {other.pos} = found.pos AND {other.where}",
            other.args).fetchone()[0])

    def _few(self) -> bool:
        return self.sql.filtered and self.size is not None and self.size <= FEW_ROWS

    def page(self, offset: int, limit: int, total: int) -> list[tuple[int, Any]]:
        """``(position, sort key)`` of rows ``offset`` to ``offset + limit - 1`` of a list
        of ``total`` rows; read from the nearer end (an OFFSET walks every row it skips)."""
        sql = self.sql
        if sql.key is None and not sql.filtered and self._dense(total):
            # Item order of every item: the rows are the positions (no OFFSET walk).
            return [(pos, pos) for (pos,) in self.project.db.execute(
                "SELECT pos FROM list_facts WHERE pos >= ? ORDER BY pos LIMIT ?",
                [offset, limit])]
        few = self._few() or (sql.filtered and total <= FEW_ROWS)
        base = sql.base if few else sql.walk_base
        select = f"SELECT {sql.pos}, {sql.key or sql.pos} FROM {base} WHERE {sql.where}"
        back = max(total - offset - limit, 0)
        near = min(self._anchors.items(), default=None,
                   key=lambda a: a[0] - offset if a[0] >= offset else offset - a[0])
        if near is not None and abs(near[0] - offset) < min(offset, back):
            rows = self._page_beside(near[0], *near[1], offset, limit, select, few)
        elif offset <= back:
            rows = [tuple(r) for r in self.project.db.execute(
                f"{select} ORDER BY {sql.order(few=few)} LIMIT ? OFFSET ?",
                [*sql.args, limit, offset])]
        else:
            rows = [tuple(r) for r in reversed(self.project.db.execute(
                f"{select} ORDER BY {sql.order(reverse=True, few=few)} LIMIT ? OFFSET ?",
                [*sql.args, total - offset - back, back]).fetchall())]
        if rows:
            self._anchor(offset, rows[0][1], rows[0][0])
            self._anchor(offset + len(rows) - 1, rows[-1][1], rows[-1][0])
        return rows

    def _anchor(self, row: int, key: Any, pos: int) -> None:
        """Remember that ``row`` holds the item at ``pos`` with sort key ``key``."""
        self._anchors[row] = (key, pos)
        while len(self._anchors) > ANCHORS:
            del self._anchors[next(iter(self._anchors))]

    def _page_beside(self, row: int, key: Any, pos: int, offset: int, limit: int,
                     select: str, few: bool) -> list[tuple[int, Any]]:
        """Rows ``offset`` to ``offset + limit - 1`` read from the known ``row`` (sort key
        ``key``, position ``pos``) by ranges of the sort index: as many steps as rows
        between them, wherever in the list they are."""
        args = self.sql.args
        if row < offset:
            return self._beyond(select, args, key, pos, limit, forward=True, few=few,
                                skip=offset - row - 1)
        rows = list(reversed(self._beyond(select, args, key, pos, row - offset,
                                          forward=False, few=few)))
        if row < offset + limit:
            rows.append((pos, key))
            rows += self._beyond(select, args, key, pos, offset + limit - row - 1,
                                 forward=True, few=few)
        return rows[:limit]

    def _beyond(self, select: str, args: Sequence[Any], key: Any, pos: int, n: int, *,
                forward: bool, few: bool, skip: int = 0, sql: _Sql | None = None
                ) -> list[tuple[int, Any]]:
        """``n`` rows of ``select`` (this list's SELECT ... WHERE, with ``args``) after
        (``forward``) or before the row of ``key`` and ``pos``, nearest first, the first
        ``skip`` of them left out.

        Two ranges of the sort index: the same key with positions beyond, then the keys
        beyond. SQLite walks each from where it starts; a row-value comparison
        ``(key, pos) > (?, ?)`` would be read from the start of the key's range, millions
        of rows where a column's values are mostly the same (no verdict, no suspicion).
        ``sql``: the list's SQL pieces ``select`` was made of (default: its own)."""
        sql, db = sql or self.sql, self.project.db
        if n <= 0:
            return []
        op = ">" if forward != sql.whole_desc else "<"
        order = f"ORDER BY {sql.order(reverse=not forward, few=few)} LIMIT ? OFFSET ?"

        def read(where: str, values: list[Any], count: int, offset: int
                 ) -> list[tuple[int, Any]]:
            return [tuple(r) for r in db.execute(f"{select} AND {where} {order}",
                                                 [*args, *values, count, offset])]

        if sql.key is None:
            return read(f"{sql.pos} {op} ?", [pos], n, skip)
        tied = f"{sql.key} = ? AND {sql.pos} {op} ?"
        ties = int(db.execute(f"SELECT count(*) FROM ({select} AND {tied} LIMIT ?)",
                              [*args, key, pos, skip + n]).fetchone()[0])
        rows = read(tied, [key, pos], n, skip) if ties > skip else []
        if len(rows) < n:
            rows += read(f"{sql.key} {op} ?", [key], n - len(rows), max(skip - ties, 0))
        return rows

    def _dense(self, total: int) -> bool:
        """Whether the ``total`` items' positions are 0 to ``total - 1`` (as every import
        writes them): then row k of the unfiltered list in item order is position k."""
        if self._dense_total != total:
            first, last = self.project.db.execute(
                "SELECT (SELECT min(pos) FROM list_facts), (SELECT max(pos) FROM list_facts)"
            ).fetchone()
            self._dense_total = total if (first, last) == (0, total - 1) else None
        return self._dense_total == total

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
        # Counting costs a step per row counted: the rows after the item are counted
        # instead when a sample says they are fewer (at most half the list is counted).
        if self.sql.key is None and not self.sql.filtered and self.size is not None \
                and self._dense(self.size):
            return pos
        if self.size is not None and self._in_later_half(key, pos):
            row = self.size - 1 - self._count_beside(key, pos, before=False)
        else:
            row = self._count_beside(key, pos, before=True)
        self._anchor(row, key, pos)
        return row

    def _count_beside(self, key: Any, pos: int, *, before: bool) -> int:
        """How many rows come before (``before``) or after the row of ``key`` and ``pos``."""
        sql = self.sql
        db = self.project.db
        op = ">" if sql.whole_desc == before else "<"
        if sql.key is None:
            return int(db.execute(f"SELECT count(*) FROM {sql.base} WHERE {sql.where} "
                                  f"AND {sql.pos} {op} ?", [*sql.args, pos]).fetchone()[0])
        # Two ranges of the sort index (keys on that side; the same key, positions on that
        # side): each is counted within the index, which a row-value range would not be.
        beyond = db.execute(f"SELECT count(*) FROM {sql.base} WHERE {sql.where} "
                            f"AND {sql.key} {op} ?", [*sql.args, key]).fetchone()[0]
        tied = db.execute(f"SELECT count(*) FROM {sql.base} WHERE {sql.where} "
                          f"AND {sql.key} = ? AND {sql.pos} {op} ?",
                          [*sql.args, key, pos]).fetchone()[0]
        return int(beyond) + int(tied)

    def _in_later_half(self, key: Any, pos: int) -> bool:
        """Whether most of :data:`SAMPLE` positions spread over the items that the filters
        show come before the row of ``key`` and ``pos`` (too few shown: no)."""
        sql = self.sql
        largest = _largest_position(self.project)
        sample = sorted({k * largest // (SAMPLE - 1) for k in range(SAMPLE)})
        shown, earlier = self.project.db.execute(
            f"SELECT count(*), coalesce(sum({sql.before()}), 0) FROM {sql.base} "
            f"WHERE {sql.where} AND {sql.pos} IN ({', '.join(map(str, sample))})",
            [*sql.key_args(key, pos), *sql.args]).fetchone()
        return int(shown) >= SAMPLE // 8 and 2 * int(earlier) > int(shown)

    def next_unreviewed(self, after: tuple[Any, int] | None, skip: int | None,
                        batch: int = 256) -> int | None:
        """The position of the first shown item without a verdict after the row with sort
        key and position ``after`` (``None``: from the top), wrapping round to the top;
        never ``skip``. Candidates come in the list's order, their verdicts from the
        current data (an item decided since the order was read is not a candidate)."""
        sql = self._with_f
        few = self._few() or self._few_unreviewed()
        base = (f"SELECT {sql.pos}, {sql.key or sql.pos} "
                f"FROM {sql.base if few else sql.walk_base} "
                f"WHERE {sql.where} AND f.verdict IS NULL AND {sql.pos} IS NOT ?")
        order = sql.order(few=few)
        starts: list[tuple[Any, int] | None] = [after, None] if after is not None else [None]
        for start in starts:
            while True:
                if start is None:
                    rows = self.project.db.execute(f"{base} ORDER BY {order} LIMIT ?",
                                                   [*sql.args, skip, batch]).fetchall()
                else:
                    rows = self._beyond(base, [*sql.args, skip], start[0], start[1], batch,
                                        forward=True, few=few, sql=sql)
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

    def _few_unreviewed(self) -> bool:
        """Whether at most :data:`FEW_ROWS` items have no verdict (counted no further)."""
        return int(self.project.db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM list_facts WHERE verdict IS NULL LIMIT ?)",
            [FEW_ROWS + 1]).fetchone()[0]) <= FEW_ROWS

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
    items carry ``key``. Case-insensitive (non-ASCII needles through ``casefold``).

    Found through the text index (:mod:`reviewer.store.text_search`) where it answers,
    by a scan of every text otherwise (the reference the index is tested against)."""
    field_ = meta_field(project, text)
    if field_ is not None:
        return positions_of(project, ids_with_meta(project, *field_))
    indexed = text_search.matching_sql(project, text)
    if indexed is not None:
        found, probe = indexed
        size = int(project.db.execute(f"SELECT count(*) FROM ({found})").fetchone()[0])
        if size <= IN_LIST_LIMIT:  # an IN list SQLite may start from, as the scan's
            return replace(PositionSet.of((r[0] for r in project.db.execute(found)),
                                          _largest_position(project)), sql=found)
        # Many: a walk of the list tests its rows (one in DENSE or more passes), rather
        # than first reading every position found.
        dense = size > FEW_ROWS and size * DENSE >= _largest_position(project) + 1
        return PositionSet(size=size, sql=found, probe=probe if dense else None)
    test, needle = contains_test(project, text)
    sql = (f"SELECT pos FROM items WHERE {test.format('reference')} "
           "UNION ALL SELECT i.pos FROM labels l JOIN items i ON i.id = l.item_id "
           f"WHERE l.corrected_reference IS NOT NULL AND {test.format('l.corrected_reference')} "
           "UNION ALL SELECT i.pos FROM predictions p JOIN items i ON i.id = p.item_id "
           f"WHERE {test.format('p.text')}")
    rows = project.db.execute(sql, [needle, needle, needle])
    return PositionSet.of((r[0] for r in rows), _largest_position(project))

