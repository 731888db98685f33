"""A review loop one can run for hours (issue 16, findings 5 and 7): a verdict moves on to
the next item, the queue toggle goes to the top of the queue, Home/End/Page Up/Page Down
move in the list, and N at the end of the queue says where things stand. By keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QLabel
from pytestqt.qtbot import QtBot

from reviewer.core.items import Benchmark, Item
from reviewer.gui import settings
from reviewer.gui.items.model import ItemRole
from reviewer.gui.main_window import MainWindow
from tests.gui.flow_helpers import (
    click_into,
    close_window,
    focused,
    make_project,
    open_window,
    press,
    type_text,
)


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    win = open_window(qtbot, make_project(tmp_path / "items.db"))
    yield win
    close_window(win)


@pytest.fixture
def small(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    """Three lines, each with an error."""
    bench = Benchmark("text", [Item(f"l{k}", f"line {k}") for k in (1, 2, 3)],
                      {"ocr": {f"l{k}": f"lime {k}" for k in (1, 2, 3)}})
    win = open_window(qtbot, make_project(tmp_path / "small.db", bench))
    yield win
    close_window(win)


def advance_action(win: MainWindow) -> QAction:
    found = [a for a in win.findChildren(QAction) if a.text() == "Advance After a Verdict"]
    assert len(found) == 1, "no Review ▸ Advance After a Verdict"
    return found[0]


def decide(qtbot: QtBot, win: MainWindow, key: str) -> None:
    session = win.session
    assert session is not None
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        type_text(qtbot, key)


def toggle(qtbot: QtBot, check: QCheckBox) -> None:
    """Click a check box on its box."""
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))


def message(win: MainWindow) -> str:
    return win.statusBar().currentMessage()


def test_a_verdict_key_saves_and_moves_on(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    assert advance_action(window).isChecked()  # on by default
    decide(qtbot, window, "1")
    assert session.decision("l1").verdict == "ok"
    assert session.current_item == "l2"
    decide(qtbot, window, "3")
    assert session.current_item == "l3"
    # Pressing the verdict of the item in view again clears it and stays.
    type_text(qtbot, "k")
    decide(qtbot, window, "3")
    assert session.decision("l2").verdict is None
    assert session.current_item == "l2"


def test_a_clicked_verdict_moves_on_too(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    button = next(b for b in window.panel.buttons.buttons() if b.property("verdict") == "ok")
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert session.decision("l1").verdict == "ok"
    assert session.current_item == "l2"


def test_advancing_can_be_switched_off_and_stays_off(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    session = window.session
    assert session is not None
    advance_action(window).trigger()
    assert not advance_action(window).isChecked()
    decide(qtbot, window, "2")
    assert session.current_item == "l1"  # the reviewer moves on when they choose
    path = session.path
    close_window(window)
    again = open_window(qtbot, path)
    try:
        assert not advance_action(again).isChecked()
        assert settings.auto_advance() is False
    finally:
        close_window(again)


def test_the_queue_toggle_goes_to_the_top_of_the_queue(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    items = window.items
    tracker = items.model.suspicion
    assert tracker.available
    for _ in range(5):
        type_text(qtbot, "j")
    assert session.current_item == "l6"
    with qtbot.waitSignal(tracker.ready, timeout=20_000):
        toggle(qtbot, items.queue_check)
    assert items.queue_check.isChecked()
    qtbot.waitUntil(lambda: session.current_item == items.proxy.index(0, 0).data(ItemRole))
    scores = [tracker.score(i) or 0.0 for i in items.visible_ids()]
    assert tracker.score(session.current_item or "") == max(scores)
    assert items.table.currentIndex().row() == 0
    # And out of the queue: the top of the item order.
    type_text(qtbot, "j")
    toggle(qtbot, items.queue_check)
    assert not items.queue_check.isChecked()
    assert session.current_item == "l1"


def test_home_end_and_page_keys_move_in_the_list(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    press(qtbot, Qt.Key.Key_End)
    assert session.current_item == "l30"
    press(qtbot, Qt.Key.Key_Home)
    assert session.current_item == "l1"
    page = window.items.page_rows()
    assert 1 <= page < 29
    press(qtbot, Qt.Key.Key_PageDown)
    assert session.current_item == f"l{1 + page}"
    press(qtbot, Qt.Key.Key_PageUp)
    assert session.current_item == "l1"
    press(qtbot, Qt.Key.Key_PageUp)
    assert session.current_item == "l1"  # stops at the top
    # Also with the keyboard elsewhere than in the list (but not in a text field).
    click_into(qtbot, window.diff)
    assert focused() is not window.items.table
    press(qtbot, Qt.Key.Key_End)
    assert session.current_item == "l30"


def test_n_at_the_end_wraps_then_says_all_is_reviewed(small: MainWindow, qtbot: QtBot) -> None:
    session = small.session
    assert session is not None
    banner = small.findChild(QLabel, "allReviewed")
    assert banner is not None and not banner.isVisible()
    type_text(qtbot, "j")
    decide(qtbot, small, "1")  # l2, then on to l3
    assert session.current_item == "l3"
    type_text(qtbot, "n")  # wraps round to the first item without a verdict
    assert session.current_item == "l1"
    decide(qtbot, small, "1")  # l1, then on to l2
    type_text(qtbot, "j")
    assert session.current_item == "l3"
    type_text(qtbot, "n")  # no other item is without a verdict: said, not silence
    qtbot.waitUntil(lambda: message(small) == "This is the last item without a verdict.")
    assert session.current_item == "l3"
    decide(qtbot, small, "2")  # the last item: nothing after it
    qtbot.waitUntil(banner.isVisible)
    assert banner.text().startswith("All 3 items reviewed.")
    type_text(qtbot, "n")
    qtbot.waitUntil(lambda: message(small) == "All 3 items reviewed.")
    # Undo brings an item back: the banner goes.
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not banner.isVisible())


def test_n_says_when_the_rest_is_filtered_out(small: MainWindow, qtbot: QtBot) -> None:
    session = small.session
    assert session is not None
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "line 1")
    press(qtbot, Qt.Key.Key_Return)
    assert small.items.visible_ids() == ["l1"]
    decide(qtbot, small, "1")
    type_text(qtbot, "n")
    qtbot.waitUntil(lambda: message(small) == "Every item shown is reviewed; 2 items without a "
                    "verdict hidden by the filters.")
