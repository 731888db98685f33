"""Locks held by another process never cost a decision (issue 14, finding 5).

A real second process holds the project's write lock (``BEGIN IMMEDIATE``) while
``reviewer label`` or the window's writer thread tries to save decisions: they wait,
say so, and save everything once the lock is free; a decision that cannot be saved in
the time allowed is reported as not saved, never acknowledged. An import adding a
system scores outside its write transaction, so decisions go through meanwhile.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reviewer.cli import main as cli_main
from reviewer.store import decisions
from reviewer.store.project import Project
from tests.reliability.worker import build_project, item_id

HOLD = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("LOCKED", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("COMMIT")
    print("RELEASED", flush=True)
""")


class LockHolder:
    """Another process holding the project's write lock for ``seconds``."""

    def __init__(self, project: Path, seconds: float) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLD, str(project), str(seconds)],
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "LOCKED"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        assert self.proc.stdout is not None
        self.proc.stdout.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build_project(tmp_path / "locked.db", 20)


@pytest.fixture
def holders() -> Iterator[list[LockHolder]]:
    started: list[LockHolder] = []
    yield started
    for holder in started:
        holder.stop()


def notes(path: Path) -> list[str]:
    with Project(path) as project:
        return [event.after.note for event in decisions.history(project)]


def test_label_waits_for_the_lock_and_says_so(project: Path, holders: list[LockHolder],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    holders.append(LockHolder(project, 3))
    status = cli_main(["label", str(project), item_id(1), "ok", "--note", "waited"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "waiting for the project (locked by another process)" in captured.err
    assert notes(project) == ["waited"]


def test_label_gives_up_in_one_line_and_says_nothing_was_saved(
        project: Path, holders: list[LockHolder], capsys: pytest.CaptureFixture[str]) -> None:
    holders.append(LockHolder(project, 120))
    status = cli_main(["label", str(project), item_id(1), "ok", "--note", "lost",
                       "--wait", "1.5"])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last == (f"reviewer: error: {project}: locked by another process for 1.5 s; the "
                    "decision was NOT saved (try again when that process is done)")
    holders[0].stop()
    assert notes(project) == []


@pytest.mark.slow
def test_label_outlasts_a_lock_longer_than_the_busy_timeout(
        project: Path, holders: list[LockHolder], capsys: pytest.CaptureFixture[str]) -> None:
    holders.append(LockHolder(project, 12))  # SQLite's busy timeout alone gives up at 10 s
    status = cli_main(["label", str(project), item_id(2), "model_error", "--note", "late"])
    assert status == 0, capsys.readouterr().err
    assert notes(project) == ["late"]


def window_decisions_survive(project: Path, seconds: float, qtbot: QtBot) -> None:
    from reviewer.gui.session import ReviewSession

    session = ReviewSession(project, "tester")
    failures: list[str] = []
    waits: list[str] = []
    session.writeFailed.connect(failures.append)
    session.writesWaiting.connect(waits.append)
    holder = LockHolder(project, seconds)
    try:
        for k in range(4):
            session.decide(item_id(k), verdict="ok", note=f"queued {k}")
        qtbot.waitUntil(lambda: bool(waits), timeout=20_000)
        assert "locked by another process" in waits[0]
        assert session.pending_writes() == 4  # kept, none dropped
        assert session.flush(int(seconds * 1000) + 60_000), "decisions were not saved"
    finally:
        holder.stop()
    assert failures == []
    assert waits[-1] == ""  # said again once saved
    assert session.close() == 0
    assert notes(project) == [f"queued {k}" for k in range(4)]


def test_the_window_keeps_decisions_queued_while_another_process_writes(
        project: Path, qtbot: QtBot) -> None:
    window_decisions_survive(project, 3, qtbot)


@pytest.mark.slow
def test_the_window_loses_no_decision_to_a_lock_longer_than_the_busy_timeout(
        project: Path, qtbot: QtBot) -> None:
    window_decisions_survive(project, 12, qtbot)


IMPORT = textwrap.dedent("""
    import sys, time
    from reviewer.core.items import Benchmark, Item
    from reviewer.store.importer import import_benchmark
    from reviewer.store.project import Project

    class Slow:
        first = True
        def status(self, text): pass
        def cancelled(self): return False
        def set(self, value):
            if self.first:  # the first chunk is scored: let the test decide meanwhile
                self.first = False
                print("SCORING", flush=True)
                time.sleep(float(sys.argv[2]))

    with Project(sys.argv[1]) as project:
        items = [Item(i, project.item(i).reference) for i in project.item_ids()]
        preds = {"second": {i.id: i.reference.upper() for i in items}}
        import_benchmark(project, Benchmark("text", items, preds), progress=Slow(), workers=1)
    print("IMPORTED", flush=True)
""")


def test_decisions_go_through_while_an_import_scores_a_new_system(project: Path) -> None:
    importer = subprocess.Popen([sys.executable, "-c", IMPORT, str(project), "4"],
                                stdout=subprocess.PIPE, text=True)
    try:
        assert importer.stdout is not None
        assert importer.stdout.readline().strip() == "SCORING"
        with Project(project) as mine:
            # Far less than the import's scoring takes: were the import holding the write
            # lock while it scores, this decision would fail with "database is locked".
            mine.db.conn.execute("PRAGMA busy_timeout = 1000")
            decisions.decide(mine, item_id(3), "me", verdict="reference_error",
                             corrected_reference="corrected while importing")
        assert importer.stdout.readline().strip() == "IMPORTED"
    finally:
        if importer.poll() is None:
            importer.kill()
        importer.wait(timeout=60)
    with Project(project) as after:
        assert after.systems() == ["ocr", "second"]
        assert decisions.get_decision(after, item_id(3)).corrected_reference == (
            "corrected while importing")
        # The new system is scored against the correction made during its import too.
        row = after.alignment_row("second", item_id(3), "cleaned")
        assert row.counts.main_units == len("corrected while importing")
        assert after.alignment_row("second", item_id(4), "original")
