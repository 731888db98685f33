"""Closing the window while a large project's suspicion ranking runs in its child process
stops that process: nothing outlives the window (issue 19: a ten-million-item ranking takes
minutes, and the closed application would wait for it)."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from reviewer.gui.suspicion import tracker
from tests.gui.flow_helpers import lines_project, open_window


@pytest.mark.slow
def test_closing_the_window_ends_the_ranking_child(tmp_path: Path, qtbot: QtBot) -> None:
    # Ranked in a child process (CHILD_PROCESS_ITEMS), for several seconds.
    db = lines_project(tmp_path / "text.db", {
        f"l{k}": f"plain line number {k} of a long benchmark" for k in range(40_000)})
    before = set(multiprocessing.active_children())
    win = open_window(qtbot, db)
    session = win.session
    assert session is not None
    ranking = tracker(session)
    ranking.refresh()
    qtbot.waitUntil(lambda: bool(set(multiprocessing.active_children()) - before),
                    timeout=20_000)  # the child is there: a spawned interpreter starting up
    win.close()
    # Stopped within a few polls, where finishing the ranking would take seconds more.
    assert QThreadPool.globalInstance().waitForDone(3_000)
    deadline = time.monotonic() + 3
    while set(multiprocessing.active_children()) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(multiprocessing.active_children()) - before
    assert ranking.suspects is None  # stopped, not finished


def test_a_window_closed_before_its_ranking_starts_never_starts_it(
        tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ranking starts a moment after the project opens; a window closed sooner (a
    project opened and closed again) starts none: it would run for minutes on a large
    project with nothing left to stop it."""
    from reviewer.gui import suspicion

    db = lines_project(tmp_path / "text.db", {f"l{k}": f"line {k}" for k in range(5)})
    win = open_window(qtbot, db)
    session = win.session
    assert session is not None
    ranking = tracker(session)
    started: list[str] = []
    monkeypatch.setattr(suspicion, "run_task", lambda *a, **k: started.append("run"))
    win.close()
    qtbot.wait(suspicion.START_DELAY_MS + 500)  # past the start delay
    assert started == [] and ranking.suspects is None
    ranking.refresh()  # asked for by nothing any more: still nothing
    assert started == []
