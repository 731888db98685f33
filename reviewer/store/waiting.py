"""Writes that wait for another process's lock instead of losing a decision.

An import adding a system or a merge may hold a project's write lock for a while;
SQLite's busy timeout alone would then fail a decision with "database is locked".
:func:`write_when_free` keeps trying, tells the caller once that it waits, and gives
up only after a generous, stated time with a message saying nothing was saved.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from reviewer.core.errors import ProjectError
from reviewer.store.db import BUSY_TIMEOUT_MS
from reviewer.store.open_errors import (
    SQLITE_FULL,
    SQLITE_IOERR,
    describe,
    is_locked,
    sqlite_code,
)
from reviewer.store.project import Project

T = TypeVar("T")
#: How long ``reviewer label`` waits for a locked project by default, in seconds.
DEFAULT_WAIT_S = 600.0
#: One attempt's busy timeout: the "waiting" notice comes this soon.
ATTEMPT_MS = 1000
WAITING = "waiting for the project (locked by another process)…"


def write_when_free(project: Project, write: Callable[[], T], *, wait: float = DEFAULT_WAIT_S,
                    on_wait: Callable[[], None] | None = None,
                    lost: str = "nothing was saved") -> T:
    """``write()``, tried again while another process holds the project's write lock.

    ``on_wait`` is called once, when the first attempt finds the lock taken. After
    ``wait`` seconds a :class:`ProjectError` says the project stayed locked and ``lost``
    (what was not saved). ``write`` must be one transaction, so a retry repeats it whole.
    """
    deadline = time.monotonic() + wait
    told = False
    project.set_busy_timeout(max(1, min(ATTEMPT_MS, int(wait * 1000))))
    try:
        while True:
            try:
                return write()
            except sqlite3.OperationalError as exc:
                if not is_locked(exc):
                    raise
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ProjectError(
                        f"{project.path}: locked by another process for {wait:g} s; {lost} "
                        "(try again when that process is done)") from None
                if not told and on_wait is not None:
                    on_wait()
                    told = True
                project.set_busy_timeout(max(1, min(ATTEMPT_MS, int(left * 1000))))
    finally:
        project.set_busy_timeout(BUSY_TIMEOUT_MS)


def retry_reason(project: Project, exc: BaseException) -> str | None:
    """Why a write failed, when trying it again later may succeed (``None`` otherwise).

    A lock held by another process, a full disk and an I/O error pass; a read-only
    project, an unknown item or a bug do not.
    """
    if is_locked(exc):
        return WAITING
    if sqlite_code(exc) in (SQLITE_FULL, SQLITE_IOERR):
        return describe(project.path, exc)
    return None
