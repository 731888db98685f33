"""The statistics are computed in a child process, which never outlives its use (issue 19)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from reviewer.gui import stats_view
from reviewer.gui.main_window import MainWindow
from reviewer.gui.session import ReviewSession
from reviewer.gui.stats_view import StatsView
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.scores import score_project
from tests.gui.conftest import items_benchmark
from tests.gui.scoring_doubles import BROKEN, ENDLESS


def running(pid: int) -> bool:
    """Whether a process ``pid`` exists (a child not reaped yet counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def shown_view(qtbot: QtBot, session: ReviewSession) -> StatsView:
    view = StatsView(session)
    qtbot.addWidget(view)
    view.resize(460, 900)
    view.show()
    qtbot.waitExposed(view)
    return view


def child_pid(qtbot: QtBot, view: StatsView, other_than: int | None = None) -> int:
    """The pid of the view's computation, once its child has said what it does."""
    qtbot.waitUntil(lambda: view.worker_pid not in (None, other_than), timeout=20_000)
    assert view.worker_pid is not None
    return view.worker_pid


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    path = tmp_path / "items.db"
    with Project(path, create=True) as project:
        import_benchmark(project, items_benchmark())
    win = MainWindow("tester")
    qtbot.addWidget(win)
    assert win.open_project(path)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    win.close()
    QThreadPool.globalInstance().waitForDone(30_000)


def test_the_scores_come_from_another_process(items_session: ReviewSession,
                                              qtbot: QtBot) -> None:
    view = shown_view(qtbot, items_session)
    qtbot.waitUntil(lambda: view.report is not None and not view.busy(), timeout=30_000)
    with Project(items_session.path) as project:
        assert view.report == {"original": score_project(project, "original"),
                               "cleaned": score_project(project, "cleaned")}
    pid = view.worker_pid
    assert pid is not None and pid != os.getpid()
    assert not running(pid)  # done: the child has ended and was reaped
    assert not view.scoring_bar.isVisible()


def test_progress_is_shown_while_the_child_computes(items_session: ReviewSession,
                                                    qtbot: QtBot,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats_view, "SCORING", ENDLESS)
    view = shown_view(qtbot, items_session)
    pid = child_pid(qtbot, view)
    assert running(pid) and pid != os.getpid()
    qtbot.waitUntil(lambda: view.scoring_bar.value() == view.scoring_bar.maximum() // 2,
                    timeout=10_000)
    assert view.scoring_bar.isVisible() and view.busy()
    assert view.status_label.text() == "Scoring the cleaned set…"
    view.stop()
    assert not running(pid)
    assert not view.busy() and not view.scoring_bar.isVisible()


def test_quitting_mid_computation_leaves_no_child(window: MainWindow, qtbot: QtBot,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats_view, "SCORING", ENDLESS)
    stats = window.stats
    # The scores of the opening are computed by the real scoring; the next by the double.
    qtbot.waitUntil(lambda: stats.report is not None and not stats.busy(), timeout=30_000)
    qtbot.keyClicks(window.diff, "1")  # a verdict: the scores are stale
    qtbot.waitUntil(stats.busy, timeout=10_000)
    pid = child_pid(qtbot, stats, other_than=stats.worker_pid)
    assert running(pid)
    window.close()  # as the window's close button does
    assert not running(pid)


def test_a_failure_in_the_child_is_shown(items_session: ReviewSession, qtbot: QtBot,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats_view, "SCORING", BROKEN)
    view = shown_view(qtbot, items_session)
    qtbot.waitUntil(lambda: not view.busy(), timeout=30_000)
    assert view.status_label.text() == ("Could not compute the scores: "
                                        "RuntimeError: disk on fire")
    assert view.status_label.isVisible() and not view.scoring_bar.isVisible()
    assert view.report is None


def test_scores_computed_anew_stop_the_running_child(items_session: ReviewSession,
                                                     qtbot: QtBot,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stats_view, "SCORING", ENDLESS)
    view = shown_view(qtbot, items_session)
    first = child_pid(qtbot, view)
    items_session.scoresChanged.emit()  # e.g. OMR-NED was filled in
    assert not running(first)  # its result would bring back the old scores
    monkeypatch.setattr(stats_view, "SCORING", "reviewer.gui.stats_worker:compute_scores")
    qtbot.waitUntil(lambda: view.report is not None and not view.busy(), timeout=30_000)
    assert view.worker_pid not in (None, first)
    assert view.report is not None
    with Project(items_session.path) as project:
        assert view.report["original"] == score_project(project, "original")
