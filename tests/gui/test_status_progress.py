"""The review's progress is always in view (issue 16, finding 7): a permanent part of the
status bar, counted after every decision, undo and change made elsewhere, with the time
left at the reviewer's pace once there are a few decisions; the Statistics view's label
and bar say the same percentage. Driven by keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QProgressBar
from pytestqt.qtbot import QtBot

from reviewer.core.review_progress import MIN_PACE_DECISIONS
from reviewer.gui.main_window import MainWindow
from reviewer.store import decisions
from reviewer.store.project import Project
from tests.gui.flow_helpers import close_window, make_project, open_window, press, type_text


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    win = open_window(qtbot, make_project(tmp_path / "items.db"))
    yield win
    close_window(win)


def status_text(win: MainWindow) -> str:
    """The progress line in the status bar (a permanent widget: always shown)."""
    label = win.statusBar().findChild(QLabel, "reviewProgressText")
    assert label is not None, "no review progress in the status bar"
    assert label.isVisible()
    return label.text()


def decide(qtbot: QtBot, win: MainWindow, key: str) -> None:
    session = win.session
    assert session is not None
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        type_text(qtbot, key)


def test_progress_is_in_the_status_bar_and_follows_every_change(
        window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    assert status_text(window) == "0 of 30 reviewed · 0 reference errors"
    decide(qtbot, window, "3")
    assert status_text(window) == "1 of 30 reviewed · 1 reference error"
    decide(qtbot, window, "1")
    assert status_text(window) == "2 of 30 reviewed · 1 reference error"
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert status_text(window) == "1 of 30 reviewed · 1 reference error"
    assert session.flush()  # nothing of ours waits: a change made elsewhere shows at once
    with Project(session.path) as other:  # another reviewer, another window
        decisions.decide(other, "l20", "someone-else", verdict="reference_error")
    with qtbot.waitSignal(session.decisionsReset, timeout=5000):
        session.check_external_changes()
    assert status_text(window) == "2 of 30 reviewed · 2 reference errors"
    bar = window.statusBar().findChild(QProgressBar, "reviewProgressBar")
    assert bar is not None and bar.isVisible() and bar.text() == "6%"  # 2 of 30, rounded down


def test_the_time_left_shows_once_the_pace_is_known(window: MainWindow, qtbot: QtBot) -> None:
    tracker = window.progress
    assert tracker is not None
    now = [1000.0]
    tracker.clock = lambda: now[0]
    for k in range(MIN_PACE_DECISIONS):
        assert "left at your pace" not in status_text(window)
        now[0] += 12.0  # a verdict every 12 seconds
        decide(qtbot, window, "1")
        assert status_text(window).startswith(f"{k + 1} of 30 reviewed")
    # 25 items left at 12 s each.
    assert status_text(window) == "5 of 30 reviewed · 0 reference errors · 5 min left at your pace"


def test_the_statistics_label_and_bar_say_the_same_share(window: MainWindow, qtbot: QtBot) -> None:
    stats_dock = next(d for d in window.findChildren(QDockWidget) if d.objectName() == "stats")
    stats_dock.raise_()
    decide(qtbot, window, "1")
    type_text(qtbot, "j")
    decide(qtbot, window, "2")  # 2 of 30 reviewed: 6.7%
    stats = window.stats
    qtbot.waitUntil(lambda: "Reviewed 2 of 30" in stats.progress_label.text())
    assert stats.progress_bar.text() == "6%"
    assert stats.progress_label.text() == f"Reviewed 2 of 30 ({stats.progress_bar.text()})"
