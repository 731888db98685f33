"""The item list's SQL in each of its shapes shows what the in-Python reference shows
(:meth:`ItemTable.sorted_ids` and :class:`ItemFilterState`, every row read): the walk of
the sort index a long filtered list takes as well as the few-rows path, a verdict filter
combined with one system's filters (read from that system's facts), the row of an item
counted from either end; and what m010 adds: each system's row carries its item's
verdict, every filter's count reads one covering index, the item count is kept."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from reviewer.core.categories import catalogue
from reviewer.core.item_list.columns import ColumnRole, ItemColumn
from reviewer.core.item_list.filters import UNREVIEWED, ItemFilter, ItemFilterState
from reviewer.core.item_list.table import ItemTable
from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions
from reviewer.store import item_list_sql as sql_module
from reviewer.store.importer import import_benchmark
from reviewer.store.item_list_sql import ItemListSql, ListQuery, positions_of
from reviewer.store.item_queries import ProjectItemQueries
from reviewer.store.list_facts import (
    INDEXES,
    ITEM_COUNT_KEY,
    item_total,
    refresh_list_facts,
    store_suspicion,
)
from reviewer.store.project import Project
from reviewer.store.summaries import load_summaries

N = 48
WORDS = ("modern", "harbour", "village", "morning", "clear", "learned", "café", "the")
VERDICTS = {"i3": "ok", "i10": "model_error", "i11": "ok", "i17": "reference_error",
            "i24": "ok", "i30": "model_error", "i43": "ok", "i2": "ok"}


def _line(k: int) -> str:
    return " ".join(WORDS[(k * j + 3) % len(WORDS)] for j in range(1, 3 + k % 5)) + "."


def _mangle(text: str, k: int) -> str:
    ways = (lambda s: s, lambda s: s.replace("m", "rn", 1), lambda s: s.upper(),
            lambda s: s.replace(".", ""), lambda s: s.replace(" ", "", 1),
            lambda s: s.replace("é", "e"), lambda s: s[:-3])
    return ways[k % len(ways)](text)


def shapes_benchmark() -> Benchmark:
    """``N`` lines ``i1``… (natural id order differs from text order); ``good`` errs on
    every third line, ``bad`` on most, in varied categories; ``i7`` is empty."""
    items = [Item(f"i{k}", "" if k == 7 else _line(k)) for k in range(1, N + 1)]
    good = {it.id: _mangle(it.reference, k) if k % 3 == 0 else it.reference
            for k, it in enumerate(items, 1)}
    bad = {it.id: "stray" if k == 7 else _mangle(it.reference, k + 1)
           for k, it in enumerate(items, 1)}
    return Benchmark("text", items, {"good": good, "bad": bad})


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    path = tmp_path / "shapes.db"
    with Project(path, create=True) as made:
        import_benchmark(made, shapes_benchmark())
        for item_id, verdict in VERDICTS.items():
            decisions.decide(made, item_id, "me", verdict=verdict)
        store_suspicion(made, {f"i{k}": (k * 7 % 11) / 10 for k in range(1, N + 1, 2)})
    opened = Project(path)
    yield opened
    opened.close()


SORTS: tuple[tuple[ColumnRole | None, str | None], ...] = (
    (None, None), (ColumnRole.ID, None), (ColumnRole.VERDICT, None),
    (ColumnRole.SUSPICION, None), (ColumnRole.RATE, "good"), (ColumnRole.ERRORS, "good"),
    (ColumnRole.RATE, "bad"), (ColumnRole.ERRORS, "bad"), (ColumnRole.MAIN_CATEGORY, None))
FILTERS = (
    ItemFilter(),
    ItemFilter(verdict=UNREVIEWED),
    ItemFilter(verdict="ok"),
    ItemFilter(verdict=UNREVIEWED, only_errors=True, system="good"),
    ItemFilter(verdict=UNREVIEWED, only_errors=True, system="bad"),
    ItemFilter(verdict="ok", only_errors=True, system="bad"),
    ItemFilter(verdict=UNREVIEWED, only_errors=True),
    ItemFilter(verdict=UNREVIEWED, category="confusable", system="bad"),
    ItemFilter(verdict="ok", category="case"),
    ItemFilter(category="case", system="good"),
    ItemFilter(only_errors=True, system="good"),
    ItemFilter(verdict=UNREVIEWED, only_errors=True, system="good",
               ids=frozenset(f"i{k}" for k in range(1, N, 4))),
)


def _query(project: Project, role: ColumnRole | None, system: str | None,
           descending: bool, criteria: ItemFilter) -> ListQuery:
    sets = () if criteria.ids is None else (positions_of(project, criteria.ids),)
    verdict = "" if criteria.verdict == UNREVIEWED else criteria.verdict
    return ListQuery(role, system, descending, verdict, criteria.category, criteria.system,
                     criteria.only_errors, sets)


def _expected(project: Project, role: ColumnRole | None, system: str | None,
              descending: bool, criteria: ItemFilter) -> list[str]:
    summaries = load_summaries(project)
    scores = dict(project.db.execute("SELECT i.id, f.suspicion FROM list_facts f JOIN items i "
                                     "ON i.pos = f.pos WHERE f.suspicion IS NOT NULL"))
    table = ItemTable(summaries, (), {c.id: c.name for c in catalogue(project.kind)},
                      lambda: scores)
    state = ItemFilterState(ProjectItemQueries(project))
    state.update(criteria)
    state.apply(summaries)
    column = None if role is None else ItemColumn(
        role, system if role in (ColumnRole.RATE, ColumnRole.ERRORS) else None)
    return [i for i in table.sorted_ids(column, descending) if state.accepts(i)]


def _shown(project: Project, listed: ItemListSql, size: int,
           backwards: bool = False) -> list[str]:
    """Every row, read in pages of 5 from the first (or the last) on: each read from the
    nearer end of the list or from a row read before."""
    ids = dict(project.db.execute("SELECT pos, id FROM items"))
    starts = range(0, size, 5)
    pages = {start: [ids[pos] for pos, _ in listed.page(start, 5, size)]
             for start in (reversed(starts) if backwards else starts)}
    return [item_id for start in starts for item_id in pages[start]]


@pytest.mark.parametrize("few_rows", [0, sql_module.FEW_ROWS], ids=["walk", "few"])
@pytest.mark.parametrize("criteria", FILTERS, ids=repr)
def test_every_order_under_every_filter_is_the_reference_order(
        project: Project, criteria: ItemFilter, few_rows: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # few_rows 0: every filtered list is long, so it is read by walking the sort index.
    monkeypatch.setattr(sql_module, "FEW_ROWS", few_rows)
    for role, system in SORTS:
        for descending in (False, True):
            if role is None and descending:
                continue
            want = _expected(project, role, system, descending, criteria)
            assert len(want) > 0, criteria
            listed = ItemListSql(project, _query(project, role, system, descending, criteria))
            size = listed.count(N)
            assert size == len(want), (role, system, descending)
            assert _shown(project, listed, size) == want, (role, system, descending)
            again = ItemListSql(project, _query(project, role, system, descending, criteria))
            again.count(N)  # from the last page back, then pages beside rows found
            assert _shown(project, again, size, backwards=True) == want, (role, descending)
            positions = dict(project.db.execute("SELECT id, pos FROM items"))
            for row, item_id in enumerate(want):  # counted from the nearer side
                assert listed.row_of(positions[item_id]) == row, (role, descending, item_id)
            hidden = set(positions) - set(want)
            assert all(listed.row_of(positions[i]) is None for i in hidden)


def test_the_rows_after_an_item_are_counted_when_it_is_in_the_later_half(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = ItemListSql(project, ListQuery(ColumnRole.ID))
    listed.count(N)
    counted: list[str] = []
    real = listed._count_beside

    def spy(key: object, pos: int, *, before: bool) -> int:
        counted.append("before" if before else "after")
        return real(key, pos, before=before)

    monkeypatch.setattr(listed, "_count_beside", spy)
    assert listed.row_of(N - 2) == N - 2  # i47 in natural id order: one row after it
    assert listed.row_of(1) == 1
    assert counted == ["after", "before"]


def test_each_system_row_carries_its_items_verdict_through_every_change(
        project: Project) -> None:
    def carried() -> dict[tuple[str, str], str | None]:
        return {(s, i): v for s, i, v in project.db.execute(
            "SELECT s.system, i.id, s.verdict FROM list_system_facts s "
            "JOIN items i ON i.pos = s.pos")}

    want = {(s, f"i{k}"): VERDICTS.get(f"i{k}") for s in ("good", "bad")
            for k in range(1, N + 1)}
    assert carried() == want
    decisions.decide(project, "i5", "me", verdict="reference_error")
    decisions.decide(project, "i3", "me", verdict=None)
    want.update({(s, "i5"): "reference_error" for s in ("good", "bad")})
    want.update({(s, "i3"): None for s in ("good", "bad")})
    assert carried() == want
    refresh_list_facts(project)  # a rebuild (import, rescore) writes them too
    assert carried() == want


def _masks(project: Project) -> dict[tuple[str, int], int]:
    """Each row's ``error_systems`` (system "" for the item's own row)."""
    rows = project.db.execute("SELECT '', pos, error_systems FROM list_facts UNION ALL "
                              "SELECT system, pos, error_systems FROM list_system_facts")
    return {(system, pos): mask for system, pos, mask in rows}


def _masks_by_definition(project: Project) -> dict[tuple[str, int], int]:
    """What the masks must be: bit k for the k-th system when it errs on the item."""
    errors = project.db.execute("SELECT system, pos, errors FROM list_system_facts")
    bits = {"good": 1, "bad": 2}
    mask: dict[int, int] = {}
    for system, pos, count in errors:
        mask[pos] = mask.get(pos, 0) | (bits[system] if count > 0 else 0)
    return {(system, pos): m for pos, m in mask.items() for system in ("", "good", "bad")}


def test_each_row_carries_the_mask_of_the_systems_erring_through_every_change(
        project: Project) -> None:
    assert _masks(project) == _masks_by_definition(project)
    assert {m for m in _masks(project).values()} == {0, 1, 2, 3}  # every case is there
    item = next(f"i{k}" for k in range(1, N + 1) if k % 3 == 0)  # good errs on it
    pos = project.db.execute("SELECT pos FROM items WHERE id = ?", [item]).fetchone()[0]
    prediction = project.db.execute("SELECT text FROM predictions WHERE system = 'good' "
                                    "AND item_id = ?", [item]).fetchone()[0]
    assert _masks(project)[("", pos)] & 1
    decisions.decide(project, item, "me", corrected_reference=prediction)  # good is right
    assert not _masks(project)[("", pos)] & 1
    assert _masks(project) == _masks_by_definition(project)
    refresh_list_facts(project)
    assert _masks(project) == _masks_by_definition(project)


def _plan(project: Project, sql: str, args: list[object]) -> str:
    return " | ".join(r[3] for r in project.db.execute(f"EXPLAIN QUERY PLAN {sql}", args))


@pytest.mark.parametrize("criteria", [
    ItemFilter(verdict=UNREVIEWED, only_errors=True, system="good"),
    ItemFilter(verdict=UNREVIEWED, category="case", system="bad"),
    ItemFilter(verdict=UNREVIEWED, only_errors=True),
    ItemFilter(category="case"),
], ids=repr)
def test_a_filters_count_reads_one_covering_index(project: Project,
                                                  criteria: ItemFilter) -> None:
    listed = ItemListSql(project, _query(project, ColumnRole.RATE, "good", True, criteria))
    counting = listed._counting
    plan = _plan(project, f"SELECT count(*) FROM {counting.base} WHERE {counting.where}",
                 counting.args)
    assert "COVERING INDEX" in plan and "_filters" in plan and "JOIN" not in plan, plan
    assert "SEARCH" in plan or "SCAN" in plan


def test_a_long_filtered_list_walks_its_sort_index_without_sorting(
        project: Project) -> None:
    criteria = ItemFilter(verdict=UNREVIEWED, only_errors=True, system="good")
    for role, system in SORTS[1:]:
        listed = ItemListSql(project, _query(project, role, system, True, criteria))
        sql = listed.sql
        plan = _plan(project, f"SELECT {sql.pos} FROM {sql.walk_base} WHERE {sql.where} "
                              f"ORDER BY {sql.order()} LIMIT 5", sql.args)
        assert "TEMP B-TREE" not in plan, (role, plan)


@pytest.mark.parametrize("criteria", [
    ItemFilter(verdict=UNREVIEWED, only_errors=True, system="good"),
    ItemFilter(verdict="ok", only_errors=True, system="bad"),
    ItemFilter(only_errors=True),
    ItemFilter(verdict=UNREVIEWED, category="case", system="good"),
    ItemFilter(verdict=UNREVIEWED),
    ItemFilter(verdict="ok"),
], ids=repr)
def test_a_page_deep_in_a_filtered_list_reads_the_sort_index_alone(
        project: Project, criteria: ItemFilter) -> None:
    """In every order (a category of one system: in that system's orders), the rows the
    filters hide are stepped over in the sort index: no table row read, no other table
    joined (m012; one system's errors are a bit of the mask each table carries)."""
    for role, system in SORTS[1:]:
        if criteria.category is not None and criteria.system not in (None, system):
            continue
        for descending in (False, True):
            listed = ItemListSql(project, _query(project, role, system, descending, criteria))
            sql = listed.sql
            plan = _plan(project, f"SELECT {sql.pos}, {sql.key} FROM {sql.walk_base} "
                                  f"WHERE {sql.where} ORDER BY {sql.order()} LIMIT 5 "
                                  "OFFSET 20", sql.args)
            assert "USING COVERING INDEX" in plan and "TEMP B-TREE" not in plan, (
                role, descending, plan)
            assert " | " not in plan, (role, descending, plan)  # one table: no join


def test_the_item_count_is_kept_and_counted_again_when_items_were_added(
        project: Project) -> None:
    assert item_total(project) == N
    project.db.execute("UPDATE meta SET value = ? WHERE key = ?",
                       [f"{N + 5} {N - 1}", ITEM_COUNT_KEY])
    assert item_total(project) == N + 5  # the kept count is what is read
    project.db.execute("INSERT INTO items (pos, id, reference) VALUES (?, 'late', 'x')", [N])
    assert item_total(project) == N + 1  # a new largest position: counted


def test_m010_and_m012_bring_facts_made_before_them_up_to_date(project: Project) -> None:
    path = project.path
    want = project.db.execute("SELECT system, pos, verdict FROM list_system_facts "
                              "ORDER BY system, pos").fetchall()
    project.close()
    with sqlite3.connect(path) as conn:  # the facts as m007 made them
        conn.execute("DROP INDEX list_facts_filters")
        conn.execute("DROP INDEX list_system_facts_filters")
        for index in INDEXES:  # m007's sort indexes: the key alone
            if index.cover:
                conn.execute(f"DROP INDEX {index.name}")
                conn.execute(f"CREATE INDEX {index.name} ON {index.table}({index.key})")
        conn.execute("ALTER TABLE list_system_facts DROP COLUMN verdict")
        conn.execute("ALTER TABLE list_system_facts DROP COLUMN error_systems")
        conn.execute("ALTER TABLE list_facts DROP COLUMN error_systems")
        conn.execute("DELETE FROM meta WHERE key = ?", [ITEM_COUNT_KEY])
        conn.execute("DELETE FROM _sqlite_migrations WHERE name IN "
                     "('m010_list_filter_indexes', 'm012_covering_sort_indexes')")
    with Project(path) as migrated:
        got = migrated.db.execute("SELECT system, pos, verdict FROM list_system_facts "
                                  "ORDER BY system, pos").fetchall()
        assert [tuple(r) for r in got] == [tuple(r) for r in want]
        indexes = {r[0] for r in migrated.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"list_facts_filters", "list_system_facts_filters"} <= indexes
        made = dict(migrated.db.execute("SELECT name, sql FROM sqlite_master "
                                        "WHERE type = 'index'").fetchall())
        assert {index.name: made.get(index.name) for index in INDEXES} == {
            index.name: index.sql for index in INDEXES}  # m012: the sort indexes cover
        assert _masks(migrated) == _masks_by_definition(migrated)  # and the masks filled
        kept = migrated.db.execute("SELECT value FROM meta WHERE key = ?",
                                   [ITEM_COUNT_KEY]).fetchone()
        assert kept is not None and kept[0] == f"{N} {N - 1}"


def test_a_page_deep_in_the_unfiltered_list_in_item_order_skips_no_rows(
        project: Project) -> None:
    statements: list[str] = []
    project.db.conn.set_trace_callback(statements.append)
    try:
        listed = ItemListSql(project, ListQuery())
        size = listed.count(N)
        middle = listed.page(N // 2, 5, size)
        row = listed.row_of(N // 2 + 1)
    finally:
        project.db.conn.set_trace_callback(None)
    ids = dict(project.db.execute("SELECT pos, id FROM items"))
    assert [ids[pos] for pos, _ in middle] == load_summaries(project).ids[N // 2:N // 2 + 5]
    assert row == N // 2 + 1
    assert not [s for s in statements if "OFFSET" in s or "count(" in s], statements


@pytest.mark.parametrize("criteria", [ItemFilter(), FILTERS[3]], ids=["all", "filtered"])
def test_the_page_of_a_row_found_is_read_from_that_row(
        project: Project, criteria: ItemFilter, monkeypatch: pytest.MonkeyPatch) -> None:
    # A sort keeps the item in view selected: its page is read next, from its row (by
    # ranges of the sort index), not by stepping over every row before it or after it.
    monkeypatch.setattr(sql_module, "FEW_ROWS", 0)
    positions = dict(project.db.execute("SELECT id, pos FROM items"))
    for role, system in SORTS[1:]:
        for descending in (False, True):
            want = _expected(project, role, system, descending, criteria)
            listed = ItemListSql(project, _query(project, role, system, descending, criteria))
            size = listed.count(N)
            row = size * 2 // 3
            assert listed.row_of(positions[want[row]]) == row
            statements: list[str] = []
            project.db.conn.set_trace_callback(statements.append)
            try:
                page = listed.page(row - 2, 5, size)
            finally:
                project.db.conn.set_trace_callback(None)
            ids = {pos: item_id for item_id, pos in positions.items()}
            assert [ids[pos] for pos, _ in page] == want[row - 2:row + 3], (role, descending)
            skipped = [int(s.rsplit("OFFSET", 1)[1]) for s in statements if "OFFSET" in s]
            assert all(n < 5 for n in skipped), (role, descending, statements)


def _steps(project: Project, read: Callable[[], object]) -> int:
    """SQLite's virtual-machine steps spent by ``read``, in hundreds."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    project.db.conn.set_progress_handler(count, 100)
    try:
        read()
    finally:
        project.db.conn.set_progress_handler(None, 0)
    return steps[0]


@pytest.mark.parametrize("role", [ColumnRole.VERDICT, ColumnRole.SUSPICION])
@pytest.mark.parametrize("descending", [False, True])
def test_a_page_beside_a_row_among_ties_reads_from_that_row(
        tmp_path: Path, role: ColumnRole, descending: bool) -> None:
    # Most items share one key (no verdict, no suspicion): the rows next to one of them are
    # read from it, not by walking every tied row before it (a row-value range would).
    many = 3_000
    items = [Item(f"i{k}", f"line {k}") for k in range(many)]
    path = tmp_path / "ties.db"
    with Project(path, create=True) as made:
        import_benchmark(made, Benchmark("text", items, {"a": {it.id: it.reference
                                                                for it in items}}))
    with Project(path) as project:
        listed = ItemListSql(project, ListQuery(role=role, descending=descending))
        size = listed.count(many)
        ids = dict(project.db.execute("SELECT pos, id FROM items"))
        costs = []
        for row in (size // 4, 3 * size // 4):
            assert listed.row_of(row) == row  # one key: item order
            costs.append(_steps(project, partial(listed.page, row - 2, 5, size)))
            page = [ids[pos] for pos, _ in listed.page(row - 2, 5, size)]
            assert page == [f"i{k}" for k in range(row - 2, row + 3)]
            nxt = listed.next_unreviewed((listed.sort_key(row), row), None)
            assert nxt == row + 1
        # fewer steps than the tied rows: none of them is stepped over (a row-value range
        # reads all 3,000, several steps each, wherever the row is)
        assert 100 * max(costs) < many, costs


def test_a_decision_rewrites_its_items_facts_by_key_never_by_a_scan(project: Project) -> None:
    """At 10,000,000 items a scan of the facts is seconds: a verdict must stay a few
    lookups (the verdict budget is 20 ms)."""
    statements: list[str] = []
    project.db.conn.set_trace_callback(statements.append)
    try:
        decisions.decide(project, "i5", "me", verdict="reference_error",
                         corrected_reference="modern harbour.")
        decisions.decide(project, "i6", "me", verdict="ok")
    finally:
        project.db.conn.set_trace_callback(None)
    writes = [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))
              and ("list_facts" in s or "list_system_facts" in s)]
    assert len(writes) >= 4
    for sql in writes:
        plan = _plan(project, sql, [])
        assert "SCAN list_facts" not in plan and "SCAN list_system_facts" not in plan, (
            sql, plan)
