"""The start page only emits signals: buttons, recent projects, dropped files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from reviewer.gui.start_page import StartPage


def test_buttons_emit_their_signals(qtbot: QtBot) -> None:
    page = StartPage([])
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.openRequested) as opened:
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [""]
    with qtbot.waitSignal(page.newRequested):
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.demoRequested):
        qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)


def test_recent_project_opens_on_double_click_and_enter(qtbot: QtBot, tmp_path: Path) -> None:
    first, second = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    Path(first).write_bytes(b"")
    page = StartPage([first, second])
    qtbot.addWidget(page)
    page.show()
    assert page.recent.count() == 2
    item = page.recent.item(1)
    rect = page.recent.visualItemRect(item)
    # An item view activates on a double click only after a press on the same item.
    qtbot.mouseClick(page.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(page.openRequested) as opened:
        qtbot.mouseDClick(page.recent.viewport(), Qt.MouseButton.LeftButton,
                          pos=rect.center())
    assert opened.args == [second]
    page.recent.setCurrentRow(0)
    page.recent.setFocus()
    with qtbot.waitSignal(page.openRequested) as opened:
        qtbot.keyClick(page.recent, Qt.Key.Key_Return)
    assert opened.args == [first]


def test_dropped_files_are_emitted(qtbot: QtBot, tmp_path: Path) -> None:
    page = StartPage([])
    qtbot.addWidget(page)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "gt.csv")),
                  QUrl.fromLocalFile(str(tmp_path / "tess"))])
    event = QDropEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(page.filesDropped) as dropped:
        page.dropEvent(event)
    assert dropped.args == [[str(tmp_path / "gt.csv"), str(tmp_path / "tess")]]
