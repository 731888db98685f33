"""Two windows, one project (DESIGN §9): two real processes label it at the same time.

Each worker (:mod:`tests.reliability.worker`) makes 200 decisions, most on items only it
decides on and every fourth on one of ten items both decide on. They start together; a
write that finds the other's lock waits for it (``BEGIN IMMEDIATE`` and the busy timeout)
instead of failing. Afterwards every decision of both is in the history, a third
connection sees both processes' labels, and a window that was open all along sees the
other process's decisions once it reads again.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reviewer.gui.session import ReviewSession
from reviewer.store import decisions
from reviewer.store.project import Project
from tests.reliability.worker import (
    SHARED_ITEMS,
    WorkerProcess,
    build_project,
    check_project,
    decision,
    item_id,
    note_of,
)

DECISIONS = 200
ITEMS = 60
TIMEOUT = 180  # seconds; two workers share two cores with the test


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build_project(tmp_path / "shared.db", ITEMS)


def ready(worker: WorkerProcess) -> Callable[[], bool]:
    """Whether ``worker`` has said it is ready."""
    return lambda: worker.ready


def done(worker: WorkerProcess) -> Callable[[], bool]:
    """Whether ``worker`` has said it is done."""
    return lambda: worker.done


def run_together(project: Path, modes: tuple[str, str]) -> list[WorkerProcess]:
    """Start alice and bob, let them decide at the same moment, wait for both to finish."""
    workers = [WorkerProcess(project, mode, plan, end=DECISIONS, items=ITEMS, wait_go=True)
               for mode, plan in zip(modes, ("alice", "bob"), strict=True)]
    for worker in workers:
        assert worker.read(ready(worker), TIMEOUT), worker.errors()
    for worker in workers:
        worker.go()
    for worker in workers:
        worker.read(done(worker), TIMEOUT)
    for worker in workers:
        status = worker.finish(TIMEOUT)
        assert worker.failure is None, f"{worker.plan}: {worker.failure}\n{worker.errors()}"
        assert status == 0 and worker.done, f"{worker.plan} exited {status}:\n{worker.errors()}"
        assert len(worker.acks) == DECISIONS
    return workers


def expected_labels() -> dict[str, str]:
    """The last note each process wrote on the items only it decides on."""
    out: dict[str, str] = {}
    for plan in ("alice", "bob"):
        for n in range(DECISIONS):
            d = decision(plan, n, ITEMS)
            if int(d.item[1:]) >= SHARED_ITEMS:
                out[d.item] = d.note
    return out


def check_both_kept(project: Path, workers: list[WorkerProcess],
                    record_property: Callable[[str, object], None]) -> None:
    acks = [ack for worker in workers for ack in worker.acks]
    assert check_project(project, acks) == []
    with Project(project) as third:
        events = decisions.history(third)
        notes = [event.after.note for event in events]
        assert sorted(notes) == sorted(note_of(plan, n) for plan in ("alice", "bob")
                                       for n in range(DECISIONS))
        current = decisions.all_decisions(third)
        for item, note in expected_labels().items():
            assert current[item].note == note, item
        # A shared item holds whichever decision on it was committed last.
        for k in range(SHARED_ITEMS):
            last = [e for e in events if e.item_id == item_id(k)][-1]
            assert current[item_id(k)] == last.after
    # Consecutive events by different processes: they did write at the same time.
    annotators = [event.annotator for event in events]
    switches = sum(a != b for a, b in itertools.pairwise(annotators))
    record_property("events", len(events))
    record_property("interleavings", switches)
    print(f"two processes: {len(events)} decisions kept of {2 * DECISIONS}, "
          f"{switches} switches between the writers in the history")
    assert switches >= 5


@pytest.mark.parametrize("modes", [("session", "session"), ("cli", "session")],
                         ids=["two-windows", "cli-and-window"])
def test_two_processes_lose_no_decision(project: Path, modes: tuple[str, str],
                                        record_property: Callable[[str, object], None]) -> None:
    workers = run_together(project, modes)
    check_both_kept(project, workers, record_property)


def test_an_open_window_sees_the_other_process_after_a_refresh(qtbot: QtBot, project: Path) -> None:
    """The window reads on one connection and writes on another, opened later.

    Opening the second one once dropped the first one's locks (reading the file's header
    with open() and closing it), so the other process took itself for the file's last
    user, checkpointed and deleted the WAL, and the window's next read found "database
    disk image is malformed".
    """
    session = ReviewSession(project, "carol")
    try:
        with qtbot.waitSignal(session.committed, timeout=10_000):
            session.decide(item_id(0), verdict="ok", note="carol before")
        other = WorkerProcess(project, "cli", "bob", end=20, items=ITEMS)
        assert other.read(lambda: other.done, TIMEOUT), other.errors()
        assert other.finish(TIMEOUT) == 0, other.errors()
        # What bob's process decided, read through the window's own connection.
        for item, note in _last_notes("bob", 20).items():
            assert session.decision(item).note == note
        with qtbot.waitSignal(session.decisionsReset, timeout=5000):
            assert session.check_external_changes() == 20
        # The window still writes after the other process did, and both are kept.
        with qtbot.waitSignal(session.committed, timeout=10_000):
            session.decide(item_id(0), verdict="model_error", note="carol after")
        assert session.decision(item_id(0)).note == "carol after"
    finally:
        session.close()
    with Project(project) as third:
        assert len(decisions.history(third)) == 22


def _last_notes(plan: str, count: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for n in range(count):
        d = decision(plan, n, ITEMS)
        out[d.item] = d.note
    return out
