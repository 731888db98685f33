"""One annotator of the fault test (tests/test_team_fault.py), run as its own process.

Makes decisions in its copy until it made ``total`` of its own, syncing at random
intervals whatever the server's state, then keeps syncing until the test creates ``go``
beside its files (its kills are done), and then until the server has everything. After
each decision's transaction returns, it appends the event's id to its acknowledgement file.
``status`` says ``push`` while a sync runs, so the test can kill it mid-push; ``log`` gets
one line per successful sync (events sent again that the server already had).

With ``REVIEWER_TEST_DROP_OUTBOX=1`` (the control run) the store is patched in this
process so that an event is written without its outbox row: the test must then find
acknowledged decisions missing from the server.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from reviewer.core.decisions import VERDICTS
from reviewer.store import decisions
from reviewer.store.project import Project
from reviewer.store.team import TeamError, sync_project, sync_state
from reviewer.store.team import sync as team_sync

# Several server transactions per push, so that a kill lands between two of them (or
# between the server's commit and the local clearing of the outbox) more often.
team_sync.PUSH_BATCH = 7
FINAL_SYNC_S = 120


def _drop_outbox() -> None:
    """The control: each event gets its team id but never enters the outbox."""
    import uuid

    def record(conn: Any, event_id: int, annotator: str) -> None:
        conn.execute("INSERT INTO team_events (event_id, uid) VALUES (?, ?)",
                     [event_id, str(uuid.uuid4())])

    decisions.record_in_outbox = record


def _sync(path: Path, status: Path, log: Path) -> bool:
    waiting = sync_state(path).waiting
    status.write_text("push")
    try:
        report = sync_project(path)
    except TeamError:
        return False
    finally:
        status.write_text("idle")
    with log.open("a") as f:
        f.write(f"synced sent={waiting} new={report.pushed} "
                f"retried={max(waiting - report.pushed, 0)}\n")
    return True


def main(path: Path, role: str, total: int, seed: int, acks: Path, status: Path,
         log: Path) -> int:
    if os.environ.get("REVIEWER_TEST_DROP_OUTBOX") == "1":
        _drop_outbox()
    with Project(path) as project:
        items = project.item_ids()
        done = int(project.db.execute("SELECT count(*) FROM label_events WHERE annotator = ?",
                                      [role]).fetchone()[0])
    rng = random.Random(seed * 100_003 + done)
    next_sync = done + rng.randint(5, 60)
    with Project(path) as project, acks.open("a") as out:
        while done < total:
            event = decisions.undo(project, role) if rng.random() < 0.1 else None
            if event is None:
                event = decisions.decide(project, rng.choice(items), role,
                                         verdict=rng.choice(VERDICTS))
            uid = project.db.execute("SELECT uid FROM team_events WHERE event_id = ?",
                                     [event.id]).fetchone()[0]
            out.write(uid + "\n")
            out.flush()  # written to the OS once the commit returned: a SIGKILL keeps it
            done += 1
            if done >= next_sync:
                _sync(path, status, log)
                next_sync = done + rng.randint(5, 60)
    while not (status.parent / "go").exists():  # the test has not finished its kills yet
        _sync(path, status, log)
        time.sleep(0.1)
    deadline = time.monotonic() + FINAL_SYNC_S
    while not _sync(path, status, log):
        if time.monotonic() > deadline:
            return 2
        time.sleep(0.2)
    return 0


if __name__ == "__main__":
    a = sys.argv[1:]
    sys.exit(main(Path(a[0]), a[1], int(a[2]), int(a[3]), Path(a[4]), Path(a[5]), Path(a[6])))
