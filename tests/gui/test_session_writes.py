"""Writes the window makes beyond decisions go through the session's one writer thread."""

from __future__ import annotations

import threading
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from reviewer.core.items import Item
from reviewer.gui.session import ReviewSession
from reviewer.store.project import Project

ITEMS = [Item("a", "one"), Item("b", "two")]
PREDICTIONS = {"sys": {"a": "one", "b": "too"}}


def test_run_write_runs_on_the_writer_thread_in_order(
        make_review_session: Callable[..., ReviewSession], qtbot: QtBot) -> None:
    session = make_review_session(ITEMS, PREDICTIONS)
    threads: list[str] = []
    results: list[object] = []

    def note(key: str) -> Callable[[Project], str]:
        def write(project: Project) -> str:
            threads.append(threading.current_thread().name)
            project.set_meta(key, "yes")
            return key
        return write

    session.decide("a", verdict="ok")  # queued before: committed before the others
    assert session.run_write(note("first"), on_done=results.append)
    assert session.run_write(note("second"), on_done=results.append)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5000)
    assert results == ["first", "second"]
    assert threading.main_thread().name not in threads
    assert session.project.meta("first") == "yes" and session.project.meta("second") == "yes"
    assert session.decision("a").verdict == "ok"
    assert session.pending_writes() == 0


def test_run_write_may_be_called_from_a_pool_thread(
        make_review_session: Callable[..., ReviewSession], qtbot: QtBot) -> None:
    session = make_review_session(ITEMS, PREDICTIONS)
    done: list[object] = []
    worker = threading.Thread(target=lambda: session.run_write(
        lambda p: p.set_meta("from", "pool"), on_done=done.append))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: done == [None], timeout=5000)
    assert session.project.meta("from") == "pool"


def test_a_failed_write_is_reported_and_nothing_waits(
        make_review_session: Callable[..., ReviewSession], qtbot: QtBot) -> None:
    session = make_review_session(ITEMS, PREDICTIONS)
    done: list[object] = []

    def broken(project: Project) -> None:
        raise ValueError("no room for it")

    with qtbot.waitSignal(session.writeFailed, timeout=5000) as failed:
        session.run_write(broken, on_done=done.append)
    assert failed.args == ["no room for it"]
    assert done == [] and session.pending_writes() == 0


def test_a_read_only_project_queues_nothing(
        make_review_session: Callable[..., ReviewSession], qtbot: QtBot) -> None:
    session = make_review_session(ITEMS, PREDICTIONS)
    session.read_only = "read-only file system"  # as a project on a read-only share opens
    with qtbot.waitSignal(session.writeFailed, timeout=5000) as failed:
        assert not session.run_write(lambda p: p.set_meta("x", "y"), what="OMR-NED")
    assert "read-only file system" in failed.args[0]
    assert "OMR-NED was not saved" in failed.args[0]
    assert session.pending_writes() == 0 and session.project.meta("x") is None
