"""The item list: model, filtering proxy and the dock widget."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from reviewer.gui.items.model import ItemRole, ItemTableModel, SortRole
from reviewer.gui.items.proxy import ItemFilterProxy
from reviewer.gui.items.view import ItemListWidget
from reviewer.gui.session import ReviewSession
from reviewer.gui.theme import category_colour
from reviewer.store.summaries import load_summaries

IDS = [f"l{k}" for k in range(1, 31)]


def titles(model: ItemTableModel) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal).replace("\n", " ")
            for c in range(model.columnCount())]


def column(model: ItemTableModel, title: str) -> int:
    return titles(model).index(title)


def cell(model: ItemTableModel, item_id: str, title: str,
         role: int = Qt.ItemDataRole.DisplayRole) -> object:
    row = model.row_of(item_id)
    assert row is not None
    return model.index(row, column(model, title)).data(role)


def make_widget(qtbot: QtBot, session: ReviewSession) -> ItemListWidget:
    widget = ItemListWidget(session)
    qtbot.addWidget(widget)
    widget.resize(520, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def label(qtbot: QtBot, session: ReviewSession, item_id: str, **changes: object) -> None:
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        session.decide(item_id, **changes)


def test_model_and_proxy_pass_the_model_tester(items_session: ReviewSession,
                                               qtmodeltester: ModelTester) -> None:
    model = ItemTableModel(items_session)
    qtmodeltester.check(model)
    proxy = ItemFilterProxy(model)
    proxy.set_only_errors(True)
    qtmodeltester.check(proxy)
    proxy.sort(column(model, "tess CER"), Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_columns_show_rates_verdicts_and_main_categories(items_session: ReviewSession) -> None:
    model = ItemTableModel(items_session)
    assert model.ids == IDS
    assert titles(model) == ["Id", "Verdict", "Suspicion", "tess CER", "tess errors",
                             "kraken CER", "kraken errors", "Main category"]
    summaries = load_summaries(items_session.project)
    k = summaries.positions["l2"]
    rate = summaries.main_errors["tess"][k] / summaries.main_units["tess"][k]
    assert cell(model, "l2", "tess CER") == f"{rate * 100:.2f}%"
    assert cell(model, "l2", "tess CER", SortRole) == rate
    assert cell(model, "l2", "tess errors") == str(summaries.main_errors["tess"][k])
    # An empty reference with errors: undefined rate, shown as a dash.
    assert cell(model, "l7", "tess CER") == "—"
    assert cell(model, "l7", "tess CER", SortRole) is None
    assert cell(model, "l7", "kraken CER") == "0.00%"
    # l28: tess reads "m" as "rn" (2 errors), kraken is right; l8: tess shouts (case).
    assert cell(model, "l28", "Main category") == "Confusable glyphs"
    confusable = next(c for c in items_session.categories if c.id == "confusable")
    assert cell(model, "l28", "Main category", Qt.ItemDataRole.BackgroundRole) == \
        category_colour(confusable)
    assert cell(model, "l28", "Main category", Qt.ItemDataRole.ForegroundRole) is not None
    assert cell(model, "l8", "Main category") == "Case"
    # Which system's main category is shown can be chosen.
    model.set_main_system("kraken")
    assert cell(model, "l8", "Main category") == ""
    assert cell(model, "l9", "Main category") == "Confusable glyphs"
    model.set_main_system(None)
    assert cell(model, "l9", "Main category") == "Punctuation"  # tess's: tie, first system
    assert cell(model, "l5", "Main category") == ""  # no errors at all
    assert cell(model, "l5", "Main category", Qt.ItemDataRole.BackgroundRole) is None
    assert cell(model, "l3", "Verdict", ItemRole) == "l3"


def test_decision_changes_refresh_their_row(items_session: ReviewSession, qtbot: QtBot) -> None:
    model = ItemTableModel(items_session)
    assert cell(model, "l28", "kraken errors") == "0"
    with qtbot.waitSignal(model.dataChanged, timeout=5000) as changed:
        items_session.decide("l28", verdict="reference_error",
                             corrected_reference="Café crèrne and a croissant, please.")
    row = model.row_of("l28")
    assert changed.args[0].row() == row and changed.args[1].row() == row
    assert cell(model, "l28", "Verdict") == "Reference error"
    assert cell(model, "l28", "tess CER") == "0.00%"
    assert cell(model, "l28", "tess errors") == "0"
    assert cell(model, "l28", "kraken errors") == "2"
    assert cell(model, "l28", "Main category") == "Confusable glyphs"  # now kraken's
    with qtbot.waitSignal(model.modelReset):
        items_session.decisionsReset.emit()
    assert cell(model, "l28", "Verdict") == "Reference error"
    assert cell(model, "l28", "kraken errors") == "2"


def test_sorting_by_cer_keeps_undefined_rates_last(items_session: ReviewSession,
                                                   qtbot: QtBot) -> None:
    widget = make_widget(qtbot, items_session)
    model = widget.model
    cer = column(model, "tess CER")
    summaries = load_summaries(items_session.project)

    def rates() -> list[float | None]:
        return [summaries.rate("tess", summaries.positions[i]) for i in widget.visible_ids()]

    header = widget.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(cer) + 5, 5))
    assert header.sortIndicatorSection() == cer
    order = widget.table.horizontalHeader().sortIndicatorOrder()
    values = rates()
    defined = [v for v in values if v is not None]
    assert values[-1] is None and None not in values[:-1]
    assert defined == sorted(defined, reverse=order == Qt.SortOrder.DescendingOrder)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        widget.table.sortByColumn(cer, order)
        values = rates()
        assert values[-1] is None
        defined = [v for v in values if v is not None]
        assert defined == sorted(defined, reverse=order == Qt.SortOrder.DescendingOrder)
        # Ties keep item order.
        zeros = [i for i in widget.visible_ids()
                 if summaries.rate("tess", summaries.positions[i]) == 0]
        assert zeros == sorted(zeros, key=IDS.index)
    # Ids sort naturally; -1 restores item order.
    widget.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert widget.visible_ids() == IDS[::-1]
    widget.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert widget.visible_ids() == IDS


def test_sorting_keeps_the_selection_on_its_item(items_session: ReviewSession,
                                                 qtbot: QtBot) -> None:
    widget = make_widget(qtbot, items_session)
    items_session.set_current_item("l8")
    widget.table.sortByColumn(column(widget.model, "tess errors"), Qt.SortOrder.DescendingOrder)
    assert widget.current_id() == "l8"
    assert items_session.current_item == "l8"


def test_text_filter_is_debounced_and_case_insensitive(items_session: ReviewSession,
                                                       qtbot: QtBot) -> None:
    widget = make_widget(qtbot, items_session)
    assert widget.count_label.text() == "30 of 30 items"
    qtbot.keyClicks(widget.filter_edit, "CROISSANT")
    assert widget.proxy.rowCount() == 30  # not yet: the filter waits for typing to pause
    qtbot.waitUntil(lambda: widget.proxy.rowCount() < 30, timeout=2000)
    expected = [i for i in IDS if int(i[1:]) % 6 == 4]
    assert widget.visible_ids() == expected
    assert widget.count_label.text() == f"{len(expected)} of 30 items"
    # Text only a prediction has: tess reads "morning" as "rnorning" on l21.
    widget.filter_edit.setText("rnorning")
    qtbot.waitUntil(lambda: widget.proxy.text == "rnorning", timeout=2000)
    assert widget.visible_ids() == ["l21"]
    widget.filter_edit.clear()
    qtbot.waitUntil(lambda: widget.proxy.rowCount() == 30, timeout=2000)


def test_verdict_filter_and_unreviewed(items_session: ReviewSession, qtbot: QtBot) -> None:
    widget = make_widget(qtbot, items_session)
    label(qtbot, items_session, "l2", verdict="ok")
    label(qtbot, items_session, "l5", verdict="model_error")
    combo = widget.verdict_combo
    combo.setCurrentIndex(combo.findData("ok"))
    assert widget.visible_ids() == ["l2"]
    combo.setCurrentIndex(combo.findData("unreviewed"))
    assert widget.visible_ids() == [i for i in IDS if i not in ("l2", "l5")]
    # Deciding on a shown item does not make it jump out of view...
    label(qtbot, items_session, "l1", verdict="ok")
    assert "l1" in widget.visible_ids()
    assert widget.model.data(widget.model.index(0, 1)) == "OK"
    # ...until the filter is applied again.
    combo.setCurrentIndex(0)
    combo.setCurrentIndex(combo.findData("unreviewed"))
    assert "l1" not in widget.visible_ids()
    assert widget.count_label.text() == "27 of 30 items"


def test_category_system_and_error_filters(items_session: ReviewSession, qtbot: QtBot) -> None:
    widget = make_widget(qtbot, items_session)
    proxy = widget.proxy
    summaries = load_summaries(items_session.project)
    proxy.set_category("confusable")
    assert widget.category_combo.currentData() == "confusable"  # the controls follow
    confusable = widget.visible_ids()
    assert "l28" in confusable  # tess: "m" read as "rn"
    widget.system_combo.setCurrentIndex(widget.system_combo.findData("kraken"))
    assert proxy.system == "kraken" and widget.model.main_system == "kraken"
    assert widget.visible_ids() == [f"l{k}" for k in range(3, 31, 3)]  # kraken: "e" as "c"
    assert "l28" not in widget.visible_ids()
    proxy.set_category(None)
    widget.errors_check.setChecked(True)
    kraken_errors = [i for i in IDS if summaries.main_errors["kraken"][summaries.positions[i]]]
    assert widget.visible_ids() == kraken_errors
    widget.system_combo.setCurrentIndex(0)
    any_errors = [i for i in IDS if any(summaries.main_errors[s][summaries.positions[i]]
                                        for s in summaries.systems)]
    assert widget.visible_ids() == any_errors
    assert "l5" not in any_errors  # both systems read l5 right
    # Category combo: the first entry shows all.
    widget.errors_check.setChecked(False)
    combo = widget.category_combo
    combo.setCurrentIndex(combo.findData("case"))
    project = items_session.project
    with_case = [i for i in IDS
                 if any("case" in project.alignment_row(s, i).categories()
                        for s in ("tess", "kraken"))]
    assert with_case and widget.visible_ids() == with_case
    combo.setCurrentIndex(0)
    assert widget.count_label.text() == "30 of 30 items"


def test_selection_and_session_follow_each_other(items_session: ReviewSession,
                                                 qtbot: QtBot) -> None:
    widget = make_widget(qtbot, items_session)
    seen: list[str] = []
    items_session.currentItemChanged.connect(seen.append)
    rect = widget.table.visualRect(widget.proxy.index(3, 0))
    qtbot.mouseClick(widget.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert items_session.current_item == "l4"
    assert seen == ["l4"]
    items_session.set_current_item("l20")
    assert widget.current_id() == "l20"
    assert seen == ["l4", "l20"]  # selecting the row did not echo back
    assert widget.table.selectionModel().selectedRows()[0].data(ItemRole) == "l20"
    # An item hidden by a filter clears the selection; it comes back with the filter.
    widget.proxy.set_category("confusable")
    items_session.set_current_item("l5")
    assert widget.current_id() is None
    widget.proxy.set_category(None)
    assert widget.current_id() == "l5"


def test_select_next_and_next_unreviewed(items_session: ReviewSession, qtbot: QtBot) -> None:
    widget = make_widget(qtbot, items_session)
    assert widget.select_next()  # nothing selected: the first row
    assert items_session.current_item == "l1"
    assert not widget.select_next(-1)  # no wrapping
    assert widget.select_next(2)
    assert items_session.current_item == "l3"
    items_session.set_current_item("l30")
    assert not widget.select_next()
    assert widget.select_next(-1) and items_session.current_item == "l29"
    label(qtbot, items_session, "l30", verdict="ok")
    label(qtbot, items_session, "l1", verdict="ok")
    label(qtbot, items_session, "l2", verdict="unusable")
    # From l29, the next unreviewed: l30 is done, so it continues from the top at l3.
    assert widget.select_next_unreviewed()
    assert items_session.current_item == "l3"
    assert widget.select_next_unreviewed() and items_session.current_item == "l4"
    # In sorted order.
    widget.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    items_session.set_current_item("l4")
    assert widget.select_next() and items_session.current_item == "l3"
    # Below l3 come l2 and l1, both done: it continues at the top, where l30 is done too.
    assert widget.select_next_unreviewed() and items_session.current_item == "l29"


def test_review_keys_pass_through_the_table(items_session: ReviewSession, qtbot: QtBot) -> None:
    widget = make_widget(qtbot, items_session)
    widget.select_next()
    for key in (Qt.Key.Key_1, Qt.Key.Key_5, Qt.Key.Key_J, Qt.Key.Key_K, Qt.Key.Key_N,
                Qt.Key.Key_R):
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier,
                          chr(key.value).lower())
        QApplication.sendEvent(widget.table, event)
        assert not event.isAccepted(), key
        assert items_session.current_item == "l1"  # no keyboard search moved the row
    qtbot.keyClick(widget.table, Qt.Key.Key_Down)
    assert items_session.current_item == "l2"
    event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    QApplication.sendEvent(widget.table, event)  # not a review key: the view decides


def test_focus_filter(items_session: ReviewSession, qtbot: QtBot) -> None:
    widget = make_widget(qtbot, items_session)
    widget.activateWindow()
    widget.filter_edit.setText("cat")
    widget.focus_filter()
    assert widget.filter_edit.selectedText() == "cat"
