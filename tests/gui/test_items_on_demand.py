"""The item list reads its rows on demand: a page at open, more as the view asks, every
row before a sort or a filter, in the same order and with the same rows as a full read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QThreadPool
from pytestqt.qtbot import QtBot

from reviewer.core.item_list.filters import UNREVIEWED, ItemFilter, ItemFilterState
from reviewer.core.item_list.table import ItemTable
from reviewer.core.items import Benchmark, Item
from reviewer.gui.items import model as model_module
from reviewer.gui.items.model import ItemRole, ItemTableModel
from reviewer.gui.items.view import ItemListWidget
from reviewer.gui.main_window import MainWindow
from reviewer.gui.session import ReviewSession
from reviewer.store.importer import import_benchmark
from reviewer.store.item_queries import ProjectItemQueries
from reviewer.store.project import Project
from reviewer.store.summaries import load_summaries
from tests.gui.conftest import items_benchmark
from tests.gui.flow_helpers import close_window, focused, open_window

PAGE = 10
N_ITEMS = 60


def on_demand_benchmark() -> Benchmark:
    """The 60 lines ``l1``…``l60`` of :func:`items_benchmark`, every fifth with an entity.

    Natural id order (``l2`` before ``l10``) differs from the text order of the ids.
    """
    bench = items_benchmark(N_ITEMS)
    items = [Item(it.id, it.reference, meta=(("entity", "ORG" if k % 2 else "PER"),))
             if k % 5 == 0 else it for k, it in enumerate(bench.items)]
    return Benchmark("text", items, bench.predictions)


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of 10 rows; reaching more than 25 unread rows away reads them all."""
    # Not raising: on code without paging the tests fail on what they check, not here.
    monkeypatch.setattr(model_module, "PAGE_ROWS", PAGE, raising=False)
    monkeypatch.setattr(model_module, "BULK_ROWS", 25, raising=False)


@pytest.fixture
def paged_path(tmp_path: Path) -> Path:
    path = tmp_path / "paged.db"
    with Project(path, create=True) as project:
        import_benchmark(project, on_demand_benchmark())
    return path


@pytest.fixture
def paged_session(paged_path: Path, qtbot: QtBot, small_pages: None) -> Iterator[ReviewSession]:
    session = ReviewSession(paged_path, "tester")
    # Two decisions, so that verdict filters and the verdict column have something to do.
    session.decide("l3", verdict="ok")
    session.decide("l44", verdict="reference_error")
    qtbot.waitUntil(lambda: not session.pending_writes(), timeout=5000)
    yield session
    QThreadPool.globalInstance().waitForDone(30_000)
    session.close()


def make_widget(qtbot: QtBot, session: ReviewSession) -> ItemListWidget:
    widget = ItemListWidget(session)
    qtbot.addWidget(widget)
    widget.resize(520, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_ids(widget: ItemListWidget) -> list[str]:
    proxy = widget.proxy
    return [proxy.index(row, 0).data(ItemRole) for row in range(proxy.rowCount())]


def cells(model: ItemTableModel, row: int) -> list[object]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_the_model_reads_a_page_at_open_and_more_when_asked(paged_session: ReviewSession,
                                                             qtbot: QtBot) -> None:
    paged = ItemTableModel(paged_session)
    assert paged.rowCount() == PAGE and paged.total == N_ITEMS
    assert paged.canFetchMore(QModelIndex())
    with qtbot.waitSignal(paged.rowsInserted, timeout=1000):
        paged.fetchMore(QModelIndex())
    assert paged.rowCount() == 2 * PAGE
    # Every cell of the rows read equals the cell of a model that read everything.
    full = ItemTableModel(paged_session)
    full.fetch_all()
    assert full.rowCount() == N_ITEMS and not full.canFetchMore(QModelIndex())
    assert [cells(paged, r) for r in range(2 * PAGE)] == [cells(full, r) for r in range(2 * PAGE)]
    assert paged.ids == full.ids[:2 * PAGE]
    assert paged.summaries.verdicts == {"l3": "ok"}  # l44 is not read yet
    while paged.canFetchMore(QModelIndex()):
        paged.fetchMore(QModelIndex())
    assert [cells(paged, r) for r in range(N_ITEMS)] == [cells(full, r) for r in range(N_ITEMS)]


def test_sorting_reads_every_row_and_keeps_the_full_orders(paged_session: ReviewSession,
                                                            qtbot: QtBot) -> None:
    summaries = load_summaries(paged_session.project)
    for c in range(ItemTableModel(paged_session).columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model = ItemTableModel(paged_session)
            assert model.rowCount() == PAGE
            model.sort(c, order)
            expected = ItemTable(summaries, model.columns, model.table.category_names,
                                 model.table.suspicion)
            assert model.ids == expected.sorted_ids(
                model.columns[c], order == Qt.SortOrder.DescendingOrder), (c, order)
    # Natural id order: l2 before l10.
    model = ItemTableModel(paged_session)
    model.sort(0)
    assert model.ids[:11] == [f"l{k}" for k in range(1, 12)]


def test_the_suspicion_column_sorts_every_row(paged_session: ReviewSession,
                                              qtbot: QtBot) -> None:
    model = ItemTableModel(paged_session)
    column = model.suspicion_column()
    assert column is not None and model.rowCount() == PAGE
    with qtbot.waitSignal(model.suspicion.ready, timeout=20_000):
        model.suspicion.refresh()
    model.sort(column, Qt.SortOrder.DescendingOrder)
    scores = model.suspicion.suspects.scores if model.suspicion.suspects else {}
    assert len(model.ids) == N_ITEMS and scores
    ranked = [scores.get(i) for i in model.ids]
    defined = [s for s in ranked if s is not None]
    assert defined == sorted(defined, reverse=True)
    assert ranked == defined + [None] * (N_ITEMS - len(defined))


FILTERS = (
    ItemFilter(text="cat"),
    ItemFilter(text="entity:ORG"),
    ItemFilter(text="entity:"),
    ItemFilter(verdict=UNREVIEWED),
    ItemFilter(verdict="reference_error"),
    ItemFilter(category="confusable"),
    ItemFilter(category="case", system="tess"),
    ItemFilter(only_errors=True, system="kraken"),
    ItemFilter(only_errors=True),
    ItemFilter(ids=frozenset({"l5", "l50", "l59"})),
)


@pytest.mark.parametrize("criteria", FILTERS, ids=repr)
def test_a_filter_shows_the_rows_a_full_read_shows(paged_session: ReviewSession, qtbot: QtBot,
                                                   criteria: ItemFilter) -> None:
    widget = make_widget(qtbot, paged_session)
    assert widget.proxy.rowCount() == PAGE
    widget.proxy.set_filter(criteria)
    state = ItemFilterState(ProjectItemQueries(paged_session.project))
    state.update(criteria)
    summaries = load_summaries(paged_session.project)
    state.apply(summaries)
    expected = [i for i in summaries.ids if state.accepts(i)]
    assert shown_ids(widget) == expected
    assert widget.count_label.text() == f"{len(expected):,} of {N_ITEMS:,} items"
    assert len(expected) not in (0, N_ITEMS)


def test_the_count_names_every_item_while_a_page_is_read(paged_session: ReviewSession,
                                                         qtbot: QtBot) -> None:
    widget = make_widget(qtbot, paged_session)
    assert widget.proxy.rowCount() < N_ITEMS
    assert widget.count_label.text() == f"{N_ITEMS:,} of {N_ITEMS:,} items"
    widget.disagreements_check.setChecked(True)  # nobody disagrees in this project
    assert shown_ids(widget) == [] and widget.count_label.text() == f"0 of {N_ITEMS:,} items"


def test_keys_walk_past_the_rows_read(paged_path: Path, qtbot: QtBot, small_pages: None) -> None:
    win = open_window(qtbot, paged_path)
    try:
        session, items = win.session, win.items
        assert session is not None and session.current_item == "l1"
        assert items.proxy.rowCount() < N_ITEMS
        for _ in range(PAGE + 3):  # J: the next item, past the first page
            qtbot.keyClick(focused(), Qt.Key.Key_J)
        assert session.current_item == f"l{PAGE + 4}"
        assert items.current_id() == session.current_item
        qtbot.keyClick(focused(), Qt.Key.Key_End)
        assert session.current_item == f"l{N_ITEMS}"
        assert items.proxy.rowCount() == N_ITEMS
        qtbot.keyClick(focused(), Qt.Key.Key_Home)
        assert session.current_item == "l1"
    finally:
        close_window(win)


def test_next_unreviewed_looks_past_the_rows_read(tmp_path: Path, qtbot: QtBot,
                                                  small_pages: None) -> None:
    path = tmp_path / "reviewed.db"
    with Project(path, create=True) as project:
        import_benchmark(project, on_demand_benchmark())
    session = ReviewSession(path, "tester")
    for k in range(2, 31):  # l1 and l31 on are unreviewed: the next after l1 is unread
        session.decide(f"l{k}", verdict="ok")
    qtbot.waitUntil(lambda: not session.pending_writes(), timeout=10_000)
    session.close()
    win = open_window(qtbot, path)
    try:
        assert win.session is not None and win.session.current_item == "l1"
        assert win.items.proxy.rowCount() < 31
        qtbot.keyClick(focused(), Qt.Key.Key_N)
        assert win.session.current_item == "l31"
    finally:
        close_window(win)


def test_reopening_far_down_reads_up_to_the_last_item(paged_path: Path, qtbot: QtBot,
                                                      small_pages: None) -> None:
    win = open_window(qtbot, paged_path)
    assert win.session is not None
    win.session.set_current_item("l17")  # within the bulk limit: read page by page
    assert win.items.current_id() == "l17" and win.items.proxy.rowCount() < N_ITEMS
    win.session.set_current_item("l58")  # beyond it: every row is read at once
    assert win.items.current_id() == "l58" and win.items.proxy.rowCount() == N_ITEMS
    close_window(win)
    again = MainWindow("tester")  # the window remembers l58 for this annotator
    qtbot.addWidget(again)
    assert again.open_project(paged_path)
    try:
        assert again.session is not None and again.session.current_item == "l58"
        assert again.items.current_id() == "l58"
    finally:
        close_window(again)
