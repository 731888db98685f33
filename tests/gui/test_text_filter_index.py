"""The item list's text filter on a large project: the first text typed starts the text
index's build in the background (its progress in the list's status line), the scan
answers meanwhile, and the same filter is then answered through the index."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer.gui.items.view import ItemListWidget
from reviewer.gui.session import ReviewSession
from reviewer.store import text_search
from reviewer.store.item_list_sql import positions_matching_text
from reviewer.store.summaries import ids_matching_text


def _widget(qtbot: QtBot, session: ReviewSession) -> ItemListWidget:
    widget = ItemListWidget(session)
    qtbot.addWidget(widget)
    widget.resize(420, 560)
    widget.show()
    return widget


def test_typing_a_filter_builds_the_index_and_keeps_the_rows(
        items_session: ReviewSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_search, "INDEX_FROM_ITEMS", 30)  # the session is "large"
    widget = _widget(qtbot, items_session)
    statuses: list[str] = []
    widget.text_index.progressed.connect(lambda _s: statuses.append(widget.count_label.text()))
    project = items_session.project
    assert text_search.state(project) is None
    expected = sorted(ids_matching_text(project, "MORNING"), key=lambda i: int(i[1:]))
    assert expected  # the scan, the reference
    widget.filter_edit.setFocus()
    qtbot.keyClicks(widget.filter_edit, "MORNING")
    qtbot.keyClick(widget.filter_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: text_search.state(project) == "ready", timeout=10_000)
    qtbot.waitUntil(lambda: "indexing" not in widget.count_label.text(), timeout=10_000)
    assert any("indexing texts for search" in s for s in statuses)
    assert positions_matching_text(project, "MORNING").sql is not None  # the index answers
    assert widget.visible_ids() == expected
    assert widget.count_label.text() == f"{len(expected)} of 30 items"
    # another needle, typed after the build: found through the index, as the scan finds it
    qtbot.keyClick(widget.filter_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget.filter_edit, "rnorning")
    qtbot.waitUntil(lambda: widget.proxy.text == "rnorning", timeout=2000)
    assert widget.visible_ids() == sorted(ids_matching_text(project, "rnorning"),
                                          key=lambda i: int(i[1:])) == ["l21"]


def test_a_small_project_is_not_indexed(items_session: ReviewSession, qtbot: QtBot) -> None:
    widget = _widget(qtbot, items_session)
    widget.filter_edit.setFocus()
    qtbot.keyClicks(widget.filter_edit, "morning")
    qtbot.waitUntil(lambda: widget.proxy.text == "morning", timeout=2000)
    assert text_search.state(items_session.project) is None
    assert "indexing" not in widget.count_label.text()
