"""A suspicion ranking that cannot run (the project too large for the free memory) is
said in the status bar and kept in the suspicion column's header tooltip; the column's
cells stay unknown and the window stays usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reviewer.core.item_list.table import UNDEFINED, UNKNOWN_SCORE
from reviewer.core.items import Benchmark, Item
from reviewer.gui import suspicion
from reviewer.gui.main_window import MainWindow
from reviewer.gui.suspicion import SuspicionTracker, tracker
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from tests.gui.flow_helpers import close_window, lines_project, open_window


def as_too_large(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, db: Path
                 ) -> tuple[MainWindow, SuspicionTracker, int]:
    """The window on ``db`` as on a ten-million-item project on this machine: ranked in a
    child process, and ranking every item at once would need more than half of the free
    memory. Returns the window, its ranking and the suspicion column."""
    monkeypatch.setattr(suspicion, "CHILD_PROCESS_ITEMS", 0)
    monkeypatch.setattr(suspicion, "RANKING_BYTES_PER_ITEM", 10**15)
    win = open_window(qtbot, db)
    assert win.session is not None
    column = win.items.model.suspicion_column()
    assert column is not None
    return win, tracker(win.session), column


def test_a_ranking_refused_for_memory_is_said_and_kept_in_the_header(
        tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    # An asr project: its ranking reads every item at once (no child process is started).
    db = lines_project(tmp_path / "asr.db",
                       {f"l{k}": f"line {k} of a small benchmark" for k in range(12)}, "asr")
    win, ranking, column = as_too_large(qtbot, monkeypatch, db)
    model = win.items.model
    header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "No ranking" not in header
    assert model.data(model.index(0, column)) == UNKNOWN_SCORE  # being ranked
    with qtbot.waitSignal(ranking.failed, timeout=10_000):
        ranking.refresh()
    assert win.statusBar().currentMessage() == (
        "Suspicion not ranked (its column header says why)")
    header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "No ranking: not ranked: 12 items need about" in header
    assert "run `reviewer suspects` on a machine with more memory" in header
    assert model.data(model.index(0, column)) == UNDEFINED  # not "being ranked"
    close_window(win)


def test_a_text_project_too_large_to_hold_is_ranked_a_part_at_a_time(
        tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = {f"l{k}": f"line {k} of a small benchmark" for k in range(12)}
    references = {**lines, "l5": "line 5 of a smal benchmark"}  # both systems read "small"
    db = tmp_path / "text.db"
    with Project(db, create=True) as project:
        import_benchmark(project, Benchmark("text", [Item(k, v) for k, v in references.items()], {
            "c": lines, "d": {k: v.replace("benchmark", "bench") for k, v in lines.items()}}),
            workers=1)
    # The ranking reads a part at a time in a child process and keeps its scores in the
    # item facts, whatever the free memory.
    win, ranking, column = as_too_large(qtbot, monkeypatch, db)
    model = win.items.model
    failures: list[str] = []
    ranking.failed.connect(failures.append)
    with qtbot.waitSignal(ranking.ready, timeout=60_000):
        ranking.refresh()
    assert failures == []
    rows = {model.index(r, 0).data(): model.index(r, column).data()
            for r in range(model.rowCount())}
    assert float(rows.pop("l5")) > 0.5
    assert {float(v) for v in rows.values()} == {0.0}
    header = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "No ranking" not in header
    assert [s.replacement for s in ranking.spans("l5")] == ["l"]  # marked in the diff view
    assert ranking.note("l5") == "'smal' → 'small': 2 of 2 systems (c, d)"
    win.grab().save(str(tmp_path / "ranked.png"))
    close_window(win)
