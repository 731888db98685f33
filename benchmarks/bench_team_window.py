"""Time the review window's next-item move while its background sync moves 10,000 events.

A PostgreSQL server is started in a temporary folder (the machine's server programs, as
for the tests); a synthetic text project of ``--items`` items is shared and joined twice.
Then, offscreen:

1. pull: with the window open on one copy, a teammate's ``--events`` decisions wait on
   the server; File ▸ Sync Now pulls them while the next item is shown again and again;
2. push: ``--events`` decisions wait in the window's own outbox; File ▸ Sync Now pushes
   them while the same is done.

Each phase prints the next-item time (median and p95; DESIGN §8 budget: 50 ms p95) with
no sync running, just before, and during the sync (the ratio is what carries over to
another machine), and how long the sync took.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_team_window.py [--events 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_team import trial_server
from synthetic import build_text_project

from reviewer.store import decisions
from reviewer.store.db import write_transaction
from reviewer.store.project import Project
from reviewer.store.team import join_project, local_server, share_project, sync_project

VERDICTS = ("ok", "model_error", "reference_error")



def decide_many(path: Path, annotator: str, events: int) -> float:
    """``events`` decisions by ``annotator`` in the copy at ``path`` (each through the store,
    outbox included), in one transaction; returns the seconds taken."""
    start = time.perf_counter()
    with Project(path) as project:
        ids = [r[0] for r in project.db.execute("SELECT id FROM items ORDER BY rowid")]
        with write_transaction(project.db):
            for k in range(events):
                decisions.decide(project, ids[k % len(ids)], annotator,
                                 verdict=VERDICTS[k % len(VERDICTS)])
    return time.perf_counter() - start


def moves(window: Any, app: Any, count: int | None = None,
          while_running: Any = None) -> list[float]:
    """Next-item times in ms: ``count`` moves, or as many as fit while ``while_running()``."""
    times: list[float] = []
    while (count is not None and len(times) < count) or (
            while_running is not None and while_running()):
        t = time.perf_counter()
        if not window.items.select_next(1):
            window.items.select_first()
        app.processEvents()
        times.append(1000 * (time.perf_counter() - t))
    return times


def summary(times: list[float]) -> str:
    if not times:
        return "no move measured (the sync ended first)"
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (f"median {statistics.median(ordered):6.1f} ms, p95 {p95:6.1f} ms, "
            f"max {ordered[-1]:6.1f} ms over {len(ordered)} moves")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--baseline-moves", type=int, default=200)
    args = parser.parse_args()
    with trial_server() as (tmp, server):
        os.environ["XDG_DATA_HOME"] = str(tmp / "data")
        os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
        run(tmp, server, args)
    return 0


def settle(app: Any, seconds: float) -> None:
    """Let the window finish what it does in the background (no moves)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def phase(name: str, window: Any, app: Any, moves_before: int) -> None:
    """Next-item times with no sync running, then while File ▸ Sync Now's sync runs."""
    team = window.team
    settle(app, 3.0)
    baseline = moves(window, app, count=moves_before)
    start = time.perf_counter()
    window.sync_action.trigger()  # File ▸ Sync Now (F5)
    during = moves(window, app, while_running=lambda: team.running)
    seconds = time.perf_counter() - start
    report = team.last_report
    moved = (f"{report.pushed:,} pushed, {report.pulled:,} pulled" if report is not None
             else "nothing moved")
    print(f"{name}: {moved} in {seconds:.1f} s; status bar: {team.text()}")
    print(f"  next item, no sync running:  {summary(baseline)}")
    print(f"  next item, during the {name}:  {summary(during)}  (budget: p95 50 ms)")


def run(tmp: Path, server: local_server.LocalServer, args: argparse.Namespace) -> None:
    owner = tmp / "owner.db"
    build_text_project(owner, args.items)
    share_project(owner, server.url(), "bench", [("ann", "annotator"), ("mate", "annotator")])
    ann, mate = tmp / "ann.db", tmp / "mate.db"
    join_project(f"{server.url(user='ann')}/bench", ann)
    join_project(f"{server.url(user='mate')}/bench", mate)
    print(f"shared a {args.items:,}-item project with 2 systems; joined as ann and mate")

    from PySide6.QtWidgets import QApplication

    from reviewer.gui import settings
    from reviewer.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings.set_team_sync_seconds(3600)  # only the syncs this script starts
    window = MainWindow(None)
    window.resize(1400, 860)
    window.show()
    window.open_project(ann)
    team = window.team
    assert team is not None
    while team.completed < 1:  # its first sync, which finds nothing new
        settle(app, 0.05)

    seconds = decide_many(mate, "mate", args.events)
    start = time.perf_counter()
    report = sync_project(mate)
    print(f"mate: {args.events:,} decisions in {seconds:.1f} s, pushed ({report.pushed:,}) in "
          f"{time.perf_counter() - start:.1f} s; they wait on the server for ann's window")
    phase("pull", window, app, args.baseline_moves)

    seconds = decide_many(ann, "ann", args.events)
    print(f"ann: {args.events:,} decisions in {seconds:.1f} s; they wait in ann's outbox")
    phase("push", window, app, args.baseline_moves)
    window.close()


if __name__ == "__main__":
    sys.exit(main())
