"""A layout that stays (issue 16, finding 3): reopening keeps the central view readable, the
layout is kept per task kind, View ▸ Reset Layout brings the default back, and the window
fits the screen (a 1366×768 laptop by default)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from reviewer.demo import ensure_demo
from reviewer.gui import layout as layout_module
from reviewer.gui.layout import LAPTOP, MIN_CENTRE_SHARE, centre_share, default_widths
from reviewer.gui.main_window import MainWindow
from tests.gui.flow_helpers import close_window, open_window


def dock(win: MainWindow, name: str) -> QDockWidget:
    return next(d for d in win.findChildren(QDockWidget) if d.objectName() == name)


def share(win: MainWindow) -> float:
    centre = win.centralWidget()
    assert centre is not None
    return centre.width() / win.width()


def reopen(qtbot: QtBot, path: Path) -> MainWindow:
    win = open_window(qtbot, path)
    qtbot.wait(50)  # a few more event-loop turns: any late relayout shows
    return win


@pytest.mark.parametrize("kind", ["text", "gec", "label"])
def test_reopening_keeps_the_central_view_readable(kind: str, tmp_path: Path,
                                                   qtbot: QtBot) -> None:
    path = ensure_demo(tmp_path / f"demo-{kind}.db", kind)
    win = reopen(qtbot, path)
    first = share(win)
    close_window(win)
    for _ in range(2):
        win = reopen(qtbot, path)
        assert share(win) >= MIN_CENTRE_SHARE
        assert abs(share(win) - first) < 0.02  # the same layout, not a squeezed one
        close_window(win)
    assert first >= MIN_CENTRE_SHARE  # the default, too


def test_a_narrowed_item_list_is_kept_for_its_kind_only(tmp_path: Path, qtbot: QtBot) -> None:
    gec = ensure_demo(tmp_path / "demo-gec.db", "gec")
    label = ensure_demo(tmp_path / "demo-label.db", "label")
    win = reopen(qtbot, label)
    label_items = dock(win, "items").width()
    close_window(win)
    win = reopen(qtbot, gec)
    # The reviewer drags the item list narrower and the statistics to the front.
    items = dock(win, "items")
    narrow = items.width() - 30
    win.resizeDocks([items], [narrow], Qt.Orientation.Horizontal)
    dock(win, "stats").raise_()
    qtbot.waitUntil(lambda: abs(items.width() - narrow) <= 2)
    close_window(win)
    win = reopen(qtbot, label)
    assert abs(dock(win, "items").width() - label_items) <= 2  # not the gec layout
    assert not dock(win, "label").visibleRegion().isEmpty()  # the decision tab in front
    close_window(win)
    win = reopen(qtbot, gec)
    assert abs(dock(win, "items").width() - narrow) <= 2  # gec keeps its own
    assert not dock(win, "stats").visibleRegion().isEmpty()
    close_window(win)


def test_a_squeezing_layout_is_not_restored(tmp_path: Path, qtbot: QtBot) -> None:
    path = ensure_demo(tmp_path / "demo-text.db", "text")
    win = reopen(qtbot, path)
    default = share(win)
    # Docks dragged wide until the alignment is a sliver.
    win.resizeDocks([dock(win, "items"), dock(win, "label")],
                    [win.width() // 2, win.width() // 2], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: share(win) < MIN_CENTRE_SHARE)
    close_window(win)
    win = reopen(qtbot, path)
    assert abs(share(win) - default) < 0.02
    assert win.dock_layout is not None and not win.dock_layout.restored
    close_window(win)


def test_reset_layout_brings_the_default_back(tmp_path: Path, qtbot: QtBot) -> None:
    path = ensure_demo(tmp_path / "demo-text.db", "text")
    win = reopen(qtbot, path)
    default = share(win)
    items_width = dock(win, "items").width()
    dock(win, "legend").setFloating(True)
    dock(win, "items").hide()
    qtbot.waitUntil(lambda: share(win) > default + 0.1)
    reset = next(a for a in win.findChildren(QAction) if a.text() == "Reset Layout")
    layout = win.dock_layout
    assert layout is not None
    with qtbot.waitSignal(layout.settled, timeout=5000):
        reset.trigger()
    assert dock(win, "items").isVisible() and not dock(win, "legend").isFloating()
    assert abs(dock(win, "items").width() - items_width) <= 2
    assert abs(share(win) - default) < 0.02
    close_window(win)
    win = reopen(qtbot, path)  # what was saved on closing is the default again
    assert abs(share(win) - default) < 0.02
    close_window(win)


def test_the_gec_window_fits_the_screen(tmp_path: Path, qtbot: QtBot) -> None:
    win = reopen(qtbot, ensure_demo(tmp_path / "demo-gec.db", "gec"))
    area = win.screen().availableGeometry()
    frame = win.frameGeometry()
    assert frame.height() <= area.height() and frame.width() <= area.width()
    close_window(win)


def test_the_default_fits_a_laptop_screen(tmp_path: Path, qtbot: QtBot,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    laptop = QRect(0, 0, 1366, 740)  # a 1366x768 screen less a panel
    monkeypatch.setattr(layout_module, "screen_area", lambda _window: laptop)
    win = MainWindow("tester")
    qtbot.addWidget(win)
    assert win.width() <= LAPTOP.width() and win.height() <= LAPTOP.height() - 20
    assert win.width() >= LAPTOP.width() - 10  # and uses it
    win.close()
    items, side = default_widths(win.width(), 250, 320)
    assert (win.width() - items - side) / win.width() >= 0.4


def test_default_widths_leave_the_centre_its_share() -> None:
    for width in (800, 1024, 1366, 1920):
        items, side = default_widths(width, 230, 320)
        assert (width - items - side) / width >= MIN_CENTRE_SHARE
        assert items >= 200 and side >= 200


def test_the_centre_share_is_measured_on_the_window(tmp_path: Path, qtbot: QtBot) -> None:
    win = reopen(qtbot, ensure_demo(tmp_path / "demo-text.db", "text"))
    assert centre_share(win) == share(win)
    close_window(win)
