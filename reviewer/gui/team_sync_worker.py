"""One sync of a shared copy, as the window's background worker process runs it.

No Qt here: the worker process imports this module alone (with the store), so it starts
fast and small. A sync runs in a process of its own, not a thread of the window's, so that
pulling thousands of teammates' events never takes the window's GIL, and so that closing
the window can stop a sync at once (the outbox is durable; the server keeps what it
committed, and a push sent again is a no-op).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from reviewer.store.team import (
    SyncReport,
    SyncState,
    TeamError,
    TeamOffline,
    TeamRefused,
    sync_project,
    sync_state,
)

log = logging.getLogger("reviewer.gui")
_niced = False  # the worker lowers its priority once (os.nice adds up)


@dataclass(frozen=True)
class SyncOutcome:
    """What one background sync ended with, and the copy's state after it."""

    state: SyncState
    report: SyncReport | None = None
    offline: str = ""  # why the server could not be reached
    refused: str = ""  # the server's refusal, naming the role and the rule
    failed: str = ""  # any other failure


def sync_once(path: str) -> SyncOutcome:
    """Sync the copy at ``path`` with its server.

    Every failure comes back as part of the outcome: a sync that cannot reach the server,
    or whose push is refused, is a state to show, not an error to raise.
    """
    project = Path(path)
    try:
        report = sync_project(project)
    except TeamOffline as exc:
        return SyncOutcome(sync_state(project), offline=str(exc))
    except TeamRefused as exc:
        return SyncOutcome(sync_state(project), refused=str(exc))
    except TeamError as exc:
        return SyncOutcome(sync_state(project), failed=str(exc))
    except Exception as exc:  # a failure of ours: logged, said, and tried again next time
        log.exception("sync of %s failed", path)
        return SyncOutcome(sync_state(project), failed=f"{type(exc).__name__}: {exc}")
    return SyncOutcome(sync_state(project), report=report)


def sync_in_worker(path: str) -> SyncOutcome:
    """:func:`sync_once` in the background worker process, behind the window's work."""
    global _niced
    if not _niced and hasattr(os, "nice"):
        os.nice(10)
        _niced = True
    return sync_once(path)
