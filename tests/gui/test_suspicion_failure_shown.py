"""A suspicion ranking that cannot run (the project too large for the free memory) is
said in the status bar and kept in the suspicion column's header tooltip; the column's
cells stay unknown and the window stays usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer.core.item_list.table import UNDEFINED, UNKNOWN_SCORE
from reviewer.gui import suspicion
from reviewer.gui.suspicion import tracker
from tests.gui.flow_helpers import close_window, lines_project, open_window


def test_a_ranking_refused_for_memory_is_said_and_kept_in_the_header(
        tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    db = lines_project(tmp_path / "text.db",
                       {f"l{k}": f"line {k} of a small benchmark" for k in range(12)})
    # As a ten-million-item project on this machine: ranking it would need more than half
    # of the free memory (no child process is started).
    monkeypatch.setattr(suspicion, "CHILD_PROCESS_ITEMS", 0)
    monkeypatch.setattr(suspicion, "RANKING_BYTES_PER_ITEM", 10**15)
    win = open_window(qtbot, db)
    session = win.session
    assert session is not None
    model = win.items.model
    column = model.suspicion_column()
    assert column is not None
    header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "No ranking" not in header
    assert model.data(model.index(0, column)) == UNKNOWN_SCORE  # being ranked
    ranking = tracker(session)
    with qtbot.waitSignal(ranking.failed, timeout=10_000):
        ranking.refresh()
    assert win.statusBar().currentMessage() == (
        "Suspicion not ranked (its column header says why)")
    header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "No ranking: not ranked: 12 items need about" in header
    assert "run `reviewer suspects` on a machine with more memory" in header
    assert model.data(model.index(0, column)) == UNDEFINED  # not "being ranked"
    close_window(win)
