"""The item list sorts and filters in SQL and reads its rows a page at a time: whatever the
order or the filters, it holds a few pages, and shows the rows, in the order, that the
in-Python reference (every row read, sorted and filtered in Python) shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QThreadPool
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
from reviewer.store.summaries import ItemSummaries, load_summaries
from tests.gui.conftest import items_benchmark
from tests.gui.flow_helpers import close_window, focused, open_window

PAGE = 10
PAGES = 2
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
    """Pages of 10 rows, at most two held."""
    # Not raising: on code without these the tests fail on what they check, not here.
    monkeypatch.setattr(model_module, "PAGE_ROWS", PAGE, raising=False)
    monkeypatch.setattr(model_module, "CACHED_PAGES", PAGES, raising=False)


@pytest.fixture
def paged_path(tmp_path: Path) -> Path:
    path = tmp_path / "paged.db"
    with Project(path, create=True) as project:
        import_benchmark(project, on_demand_benchmark())
    return path


@pytest.fixture
def paged_session(paged_path: Path, qtbot: QtBot, small_pages: None) -> Iterator[ReviewSession]:
    session = ReviewSession(paged_path, "tester")
    # Decisions, so that verdict filters and the verdict column have something to do.
    session.decide("l3", verdict="ok")
    session.decide("l44", verdict="reference_error")
    session.decide("l12", verdict="model_error")
    session.decide("l13", verdict="ok")
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


def held(model: ItemTableModel) -> int:
    """Rows the model holds in memory (fails on a model without that notion)."""
    return int(model.held_rows())


def reference(summaries: ItemSummaries, model: ItemTableModel) -> ItemTable:
    """The in-Python order of every row (the list's order before it sorted in SQL)."""
    table = ItemTable(summaries, model.columns, model.category_names,
                      lambda: model.suspicion.suspects.scores if model.suspicion.suspects
                      else None)
    table.main_system = model.main_system
    return table


def test_the_model_counts_every_row_and_holds_a_few_pages(paged_session: ReviewSession) -> None:
    model = ItemTableModel(paged_session)
    assert model.rowCount() == N_ITEMS and model.total == N_ITEMS
    assert held(model) == 0  # nothing read until a row is shown
    full = load_summaries(paged_session.project)
    assert model.ids == full.ids  # reads every row, a page at a time
    assert held(model) <= PAGES * PAGE
    assert model.index(N_ITEMS - 1, 0).data() == f"l{N_ITEMS}"  # the end: one page
    assert model.index(0, 1).data() == ""
    assert model.index(2, 1).data() == "OK"


def test_every_column_sorts_in_sql_as_in_python(paged_session: ReviewSession,
                                                qtbot: QtBot) -> None:
    summaries = load_summaries(paged_session.project)
    model = ItemTableModel(paged_session)
    with qtbot.waitSignal(model.suspicion.ready, timeout=20_000):
        model.suspicion.refresh()  # the suspicion column sorts by its stored scores
    for main_system in (None, "kraken"):
        model.set_main_system(main_system)
        for c, column in enumerate(model.columns):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                model.sort(-1)
                model.sort(c, order)
                expected = reference(summaries, model).sorted_ids(
                    column, order == Qt.SortOrder.DescendingOrder)
                assert model.ids == expected, (main_system, column, order)
                assert held(model) <= PAGES * PAGE
    model.sort(0)  # natural id order: l2 before l10
    assert model.ids[:11] == [f"l{k}" for k in range(1, 12)]
    model.sort(-1)
    assert model.ids == summaries.ids


FILTERS = (
    ItemFilter(text="cat"),
    ItemFilter(text="CAFÉ"),  # non-ASCII, folded
    ItemFilter(text="entity:ORG"),
    ItemFilter(text="entity:"),
    ItemFilter(verdict=UNREVIEWED),
    ItemFilter(verdict="reference_error"),
    ItemFilter(category="confusable"),
    ItemFilter(category="case", system="tess"),
    ItemFilter(only_errors=True, system="kraken"),
    ItemFilter(only_errors=True),
    ItemFilter(ids=frozenset({"l5", "l50", "l59"})),
    ItemFilter(verdict=UNREVIEWED, category="case", only_errors=True, system="tess"),
)


@pytest.mark.parametrize("criteria", FILTERS, ids=repr)
def test_a_filter_shows_the_rows_the_python_filter_shows(paged_session: ReviewSession,
                                                         qtbot: QtBot,
                                                         criteria: ItemFilter) -> None:
    widget = make_widget(qtbot, paged_session)
    widget.proxy.set_filter(criteria)
    state = ItemFilterState(ProjectItemQueries(paged_session.project))
    state.update(criteria)
    summaries = load_summaries(paged_session.project)
    state.apply(summaries)
    for column in (None, 3, 4):  # item order, and sorted by tess's CER both ways
        for descending in (False, True):
            if column is None and descending:
                continue
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            widget.proxy.sort(-1 if column is None else column, order)
            by = None if column is None else widget.model.columns[column]
            expected = [i for i in reference(summaries, widget.model).sorted_ids(by, descending)
                        if state.accepts(i)]
            assert shown_ids(widget) == expected, (column, descending)
            assert held(widget.model) <= PAGES * PAGE
    assert widget.count_label.text() == f"{len(expected):,} of {N_ITEMS:,} items"
    assert len(expected) not in (0, N_ITEMS)


def test_no_disagreement_shows_no_row(paged_session: ReviewSession, qtbot: QtBot) -> None:
    widget = make_widget(qtbot, paged_session)
    assert widget.count_label.text() == f"{N_ITEMS:,} of {N_ITEMS:,} items"
    widget.disagreements_check.setChecked(True)  # nobody disagrees in this project
    assert shown_ids(widget) == [] and widget.count_label.text() == f"0 of {N_ITEMS:,} items"


def test_sorting_by_a_header_click_keeps_the_item_selected(paged_session: ReviewSession,
                                                           qtbot: QtBot) -> None:
    widget = make_widget(qtbot, paged_session)
    paged_session.set_current_item("l47")  # beyond the pages read so far
    header = widget.table.horizontalHeader()
    for column in (3, 3, 6, 0):  # tess CER, again (the other way), kraken errors, id
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(header.sectionViewportPosition(column) + 5, 5))
        assert header.sortIndicatorSection() == column
        assert widget.current_id() == "l47" == paged_session.current_item
        row = widget.table.currentIndex().row()
        assert widget.model.item_id(row) == "l47"
        assert held(widget.model) <= PAGES * PAGE


def test_keys_walk_the_list_a_page_at_a_time(paged_path: Path, qtbot: QtBot,
                                             small_pages: None) -> None:
    win = open_window(qtbot, paged_path)
    try:
        session, items = win.session, win.items
        assert session is not None and session.current_item == "l1"
        for _ in range(PAGE + 3):  # J: the next item, past the first page
            qtbot.keyClick(focused(), Qt.Key.Key_J)
        assert session.current_item == f"l{PAGE + 4}"
        assert items.current_id() == session.current_item
        qtbot.keyClick(focused(), Qt.Key.Key_End)
        assert session.current_item == f"l{N_ITEMS}"
        qtbot.keyClick(focused(), Qt.Key.Key_K)
        assert session.current_item == f"l{N_ITEMS - 1}"
        qtbot.keyClick(focused(), Qt.Key.Key_Home)
        assert session.current_item == "l1"
        qtbot.keyClick(focused(), Qt.Key.Key_PageDown)
        assert session.current_item == f"l{1 + items.page_rows()}"
        qtbot.keyClick(focused(), Qt.Key.Key_PageUp)
        assert session.current_item == "l1"
        assert held(items.model) <= PAGES * PAGE
    finally:
        close_window(win)


def test_next_unreviewed_looks_past_the_pages_held(tmp_path: Path, qtbot: QtBot,
                                                   small_pages: None) -> None:
    path = tmp_path / "reviewed.db"
    with Project(path, create=True) as project:
        import_benchmark(project, on_demand_benchmark())
    session = ReviewSession(path, "tester")
    for k in (*range(2, 31), *range(32, 61)):  # only l1 and l31 are unreviewed
        session.decide(f"l{k}", verdict="ok")
    qtbot.waitUntil(lambda: not session.pending_writes(), timeout=10_000)
    session.close()
    win = open_window(qtbot, path)
    try:
        assert win.session is not None and win.session.current_item == "l1"
        qtbot.keyClick(focused(), Qt.Key.Key_N)
        assert win.session.current_item == "l31"
        qtbot.keyClick(focused(), Qt.Key.Key_N)  # wraps round to the top
        assert win.session.current_item == "l1"
        assert held(win.items.model) <= PAGES * PAGE
    finally:
        close_window(win)


def test_a_decision_keeps_its_row_under_a_filter_and_a_sort(paged_session: ReviewSession,
                                                            qtbot: QtBot) -> None:
    widget = make_widget(qtbot, paged_session)
    combo = widget.verdict_combo
    combo.setCurrentIndex(combo.findData(UNREVIEWED))
    widget.proxy.sort(1)  # by verdict
    before = shown_ids(widget)
    row = before.index("l20")
    widget.select_id("l20")
    with qtbot.waitSignal(paged_session.decisionChanged, timeout=5000):
        paged_session.decide("l20", verdict="ok")
    assert shown_ids(widget) == before  # still shown, still in its row
    assert widget.model.index(row, 1).data() == "OK"
    assert widget.current_id() == "l20"
    combo.setCurrentIndex(0)
    combo.setCurrentIndex(combo.findData(UNREVIEWED))  # the filter applied again
    assert "l20" not in shown_ids(widget)


def test_reopening_far_down_shows_the_last_item(paged_path: Path, qtbot: QtBot,
                                                small_pages: None) -> None:
    win = open_window(qtbot, paged_path)
    assert win.session is not None
    win.session.set_current_item("l58")
    assert win.items.current_id() == "l58"
    close_window(win)
    again = MainWindow("tester")  # the window remembers l58 for this annotator
    qtbot.addWidget(again)
    assert again.open_project(paged_path)
    try:
        assert again.session is not None and again.session.current_item == "l58"
        assert again.items.current_id() == "l58"
        assert held(again.items.model) <= PAGES * PAGE
    finally:
        close_window(again)
