"""The suspicion queue in the window: each score's reason in words, and the marks it draws."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from reviewer.core.items import Benchmark, Item, Kind
from reviewer.gui.main_window import MainWindow
from reviewer.gui.suspicion import tracker
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from tests.gui.flow_helpers import open_window

Lines = dict[str, tuple[str, str, str]]  # id -> (reference, system a, system b)
TEXT: Lines = {f"l{k}": (f"plain line {k}", f"plain line {k}", f"plain 1ine {k}")
               for k in range(20)}
TEXT["typo"] = ("when she tunred the corner", "when she turned the corner",
                "when she turned the corner")
SPEECH: Lines = {f"u{k}": (f"she walked along the river {k} times",
                           f"she walked along the river {k} times",
                           f"she walked along the liver {k} times" if k % 3 == 0 else
                           f"she walked along the river {k} times") for k in range(20)}
SPEECH["spoken"] = ("i think rabbit could if i only knew how to begin",
                    "i think so could if i only knew how to begin",
                    "i think like could if i only knew how to begin")


def _open(tmp_path: Path, qtbot: QtBot, kind: Kind, lines: Lines) -> MainWindow:
    db = tmp_path / f"{kind}.db"
    bench = Benchmark(kind, [Item(k, v[0]) for k, v in lines.items()],
                      {"a": {k: v[1] for k, v in lines.items()},
                       "b": {k: v[2] for k, v in lines.items()}})
    with Project(db, create=True) as project:
        import_benchmark(project, bench)
    return open_window(qtbot, db)


@pytest.fixture
def text_window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    win = _open(tmp_path, qtbot, "text", TEXT)
    yield win
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()


@pytest.fixture
def asr_window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    win = _open(tmp_path, qtbot, "asr", SPEECH)
    yield win
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()


def _queue_on(win: MainWindow, qtbot: QtBot) -> None:
    """Switch "Likely label errors first" on from the keyboard, as a person would, and go
    to the top of the queue."""
    session = win.session
    assert session is not None
    check = win.items.queue_check
    check.setFocus(Qt.FocusReason.TabFocusReason)
    with qtbot.waitSignal(tracker(session).ready, timeout=20_000):
        qtbot.keyClick(check, Qt.Key.Key_Space)
    assert check.isChecked()
    table = win.items.table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)


def test_the_suspicion_cell_says_why_in_words(text_window: MainWindow, qtbot: QtBot) -> None:
    _queue_on(text_window, qtbot)
    items = text_window.items
    assert items.visible_ids()[0] == "typo"
    column = items.model.suspicion_column()
    assert column is not None
    cell = items.table.model().index(0, column)
    assert float(cell.data()) > 0.5
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == (
        "'tunred' → 'turned': 2 of 2 systems (a, b)")
    plain = items.table.model().index(items.visible_ids().index("l3"), column)
    assert plain.data(Qt.ItemDataRole.ToolTipRole) is None  # nothing suspect there


def test_asr_systems_rejecting_a_word_differently_are_both_marked(asr_window: MainWindow,
                                                                  qtbot: QtBot) -> None:
    session = asr_window.session
    assert session is not None
    suspicion = tracker(session)
    qtbot.waitUntil(lambda: suspicion.suspects is not None, timeout=20_000)  # ranked on opening
    table = asr_window.items.table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # the last item
    assert session.current_item == "spoken"
    column = asr_window.items.model.suspicion_column()
    assert column is not None
    cell = table.model().index(table.currentIndex().row(), column)
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == (
        "'rabbit' → 'so' (a), 'like' (b): 2 of 2 systems")
    marked = {key for mark in asr_window.diff._rendering.marks if mark.suspect
              for key in mark.keys}
    assert {system for system, _ in marked} == {"a", "b"}
