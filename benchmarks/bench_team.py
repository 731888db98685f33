"""Push and pull 10,000 decisions through a PostgreSQL server on localhost.

A server is started in a temporary folder (this machine's server programs, as for the
tests); a synthetic text project is shared and joined by two annotators. One makes
``--events`` decisions offline (each through the store, outbox included) and pushes them;
the other pulls them. Prints each step's time and rate, and checks that both copies end
with the server's history. ``background_sync`` runs a sync in a worker thread, for scripts
that time something else meanwhile (benchmarks/bench_team_window.py times the window).

    python benchmarks/bench_team.py [--events 10000] [--items 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.team import (
    SyncReport,
    TeamError,
    join_project,
    local_server,
    share_project,
    sync_project,
)

VERDICTS = ("ok", "model_error", "reference_error", "ambiguous")


@dataclass
class BackgroundSync:
    """A sync running in a worker thread: ``done`` once it ended, with its report or error."""

    path: Path
    thread: threading.Thread | None = None
    report: SyncReport | None = None
    error: TeamError | None = None
    seconds: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)

    def wait(self, timeout: float | None = None) -> SyncReport:
        """The report once the sync ended (its error raised again)."""
        self.done.wait(timeout)
        if self.error is not None:
            raise self.error
        assert self.report is not None, "the sync did not end in time"
        return self.report


def background_sync(path: Path) -> BackgroundSync:
    """Start ``sync_project(path)`` in a worker thread (it opens its own connections)."""
    job = BackgroundSync(Path(path))

    def run() -> None:
        start = time.perf_counter()
        try:
            job.report = sync_project(job.path)
        except TeamError as exc:
            job.error = exc
        finally:
            job.seconds = time.perf_counter() - start
            job.done.set()

    job.thread = threading.Thread(target=run, name="team-sync", daemon=True)
    job.thread.start()
    return job


def build(path: Path, n: int) -> None:
    """A text project of ``n`` short lines and one system."""
    items = [Item(f"line_{k:06d}", f"reference line number {k}") for k in range(n)]
    preds = {"ocr": {it.id: it.reference.replace("e", "c", 1) for it in items}}
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", items, preds))


def decide_offline(path: Path, annotator: str, events: int) -> float:
    """``events`` decisions, each its own committed transaction as in the window; seconds."""
    start = time.perf_counter()
    with Project(path) as project:
        ids = project.item_ids()
        for k in range(events):
            decisions.decide(project, ids[k % len(ids)], annotator,
                             verdict=VERDICTS[k % len(VERDICTS)])
    return time.perf_counter() - start


def history(path: Path) -> list[tuple[object, ...]]:
    """A copy's events in the server's order."""
    with Project(path) as project:
        return project.db.execute(
            "SELECT t.uid, e.annotator, e.item_id, e.at, e.action, e.before, e.after "
            "FROM label_events e JOIN team_events t ON t.event_id = e.id "
            "ORDER BY t.server_seq").fetchall()


def run(tmp: Path, server: local_server.LocalServer, events: int, items: int) -> None:
    owner = tmp / "owner.db"
    build(owner, items)
    start = time.perf_counter()
    share_project(owner, server.url(), "bench", [("ann", "annotator"), ("mate", "annotator")])
    print(f"share {items:,} items: {time.perf_counter() - start:.2f} s")
    ann, mate = tmp / "ann.db", tmp / "mate.db"
    for role, copy in (("ann", ann), ("mate", mate)):
        start = time.perf_counter()
        join_project(f"{server.url(user=role)}/bench", copy)
        print(f"join as {role}: {time.perf_counter() - start:.2f} s")
    seconds = decide_offline(ann, "ann", events)
    print(f"{events:,} decisions offline: {seconds:.2f} s "
          f"({1000 * seconds / events:.2f} ms each, outbox included)")
    job = background_sync(ann)
    report = job.wait()
    print(f"push {report.pushed:,} events: {job.seconds:.2f} s "
          f"({report.pushed / job.seconds:,.0f} events/s)")
    job = background_sync(mate)
    report = job.wait()
    print(f"pull {report.pulled:,} events ({len(report.pulled_items):,} items changed): "
          f"{job.seconds:.2f} s ({report.pulled / job.seconds:,.0f} events/s)")
    start = time.perf_counter()
    report = sync_project(ann)
    print(f"sync with nothing new: {time.perf_counter() - start:.3f} s")
    same = history(ann) == history(mate)
    print(f"both copies hold the same {len(history(ann)):,} events in the server's order: {same}")


@contextmanager
def trial_server() -> Iterator[tuple[Path, local_server.LocalServer]]:
    """A PostgreSQL server with its database, in a temporary folder that it yields with it;
    stopped and removed afterwards. Exits the script (status 2) when this machine has no
    server programs."""
    if local_server.find_bin_dir() is None:
        print(local_server.MISSING, file=sys.stderr)
        raise SystemExit(2)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # as root, the server runs as `postgres` and must reach its folder
        server = local_server.server_in(tmp / "pg")
        local_server.start(server)
        try:
            local_server.create_database(server)
            yield tmp, server
        finally:
            local_server.stop(server)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    with trial_server() as (tmp, server):
        run(tmp, server, args.events, args.items)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
