"""Opening the review window on a small project and driving it by keys, as a person would:
every key goes to the widget that has the keyboard focus."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from reviewer.core.items import Benchmark, Item, Kind
from reviewer.gui.main_window import MainWindow
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from tests.gui.conftest import items_benchmark


def make_project(path: Path, bench: Benchmark | None = None) -> Path:
    """A project of ``bench`` (default: the 30 lines of :func:`items_benchmark`)."""
    with Project(path, create=True) as project:
        import_benchmark(project, bench or items_benchmark())
    return path


def lines_project(path: Path, lines: dict[str, str], kind: Kind = "text") -> Path:
    """A ``kind`` project of ``lines`` (id: reference) and two systems: ``a`` reads each
    line right, ``b`` reads every ``l`` as ``1``."""
    bench = Benchmark(kind, [Item(k, v) for k, v in lines.items()],
                      {"a": dict(lines), "b": {k: v.replace("l", "1") for k, v in lines.items()}})
    with Project(path, create=True) as project:
        import_benchmark(project, bench, workers=1)
    return path


def open_window(qtbot: QtBot, path: Path) -> MainWindow:
    """The window on ``path``, shown, active and laid out."""
    win = MainWindow("tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_project(path)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    layout = getattr(win, "dock_layout", None)
    if layout is not None:  # the saved layout is restored an event-loop turn later
        qtbot.waitUntil(lambda: layout.is_settled, timeout=5000)
    return win


def stay_after_verdicts(win: MainWindow) -> None:
    """Switch off Review ▸ Advance After a Verdict: the item decided stays in view."""
    action = getattr(win, "auto_advance_action", None)
    if action is not None:
        action.setChecked(False)


def close_window(win: MainWindow) -> None:
    """Close ``win`` as a person would (saving its layout), after background work."""
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()


def focused() -> QWidget:
    """The widget with the keyboard focus (there must be one)."""
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus"
    return widget


def press(qtbot: QtBot, key: Qt.Key,
          modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press ``key`` where the keyboard focus is."""
    qtbot.keyClick(focused(), key, modifiers)


def type_text(qtbot: QtBot, text: str) -> None:
    """Type ``text`` where the keyboard focus is."""
    qtbot.keyClicks(focused(), text)


def click_into(qtbot: QtBot, widget: QWidget) -> None:
    """Click ``widget`` (a field: into its text) and wait until it has the focus."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    widget.setFocus(Qt.FocusReason.MouseFocusReason)  # offscreen clicks do not always focus
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
