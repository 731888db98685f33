"""Why a project file cannot be opened or written, said as its real cause.

SQLite reports a full disk, a read-only file system, a folder given as the project, a
damaged page and another process's lock with a handful of result codes that look
alike to a user ("unable to open database file", "disk I/O error"). This module turns
them, with a look at the file system, into one line that names the file and the cause,
so that a valid project is never called "not a reviewer project".
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from reviewer.core.errors import ProjectError, ReviewerError
from reviewer.core.os_errors import os_meaning

# SQLite primary result codes (the low byte of an extended code).
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_READONLY = 3, 5, 6, 7, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of ``exc``, or ``None`` when it is not an SQLite error."""
    if not isinstance(exc, sqlite3.Error):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_locked(exc: BaseException) -> bool:
    """Whether ``exc`` says another connection holds the lock (busy timeout ran out)."""
    return sqlite_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED)


def read_only_reason(path: Path) -> str | None:
    """Why ``path`` (an existing project file) can only be read, or ``None`` when it can be written.

    SQLite writes side files (``-wal``, ``-shm``) beside the project, so its folder must be
    writable too.
    """
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except OSError:
        pass
    if not os.access(path, os.W_OK):
        return "the file is not writable"
    if not os.access(folder, os.W_OK):
        return "its folder is not writable"
    return None


def disk_full(path: Path) -> bool:
    """Whether the file system holding ``path`` has no space left for an ordinary user."""
    try:
        stats = os.statvfs(path.parent if not path.is_dir() else path)
    except OSError:
        return False
    return stats.f_bavail == 0 or stats.f_favail == 0


def path_problem(path: Path) -> str | None:
    """What makes ``path`` unusable as a project file before SQLite looks at it, if anything."""
    try:
        if path.is_dir():
            return "is a folder, not a project file"
        if path.exists() and not os.access(path, os.R_OK):
            return "permission denied (the file cannot be read)"
    except PermissionError:
        return "permission denied (its folder cannot be read)"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    return None


def _os_cause(path: Path) -> str | None:
    problem = path_problem(path)
    if problem:
        return problem
    if disk_full(path):
        return "disk full"
    reason = read_only_reason(path) if path.exists() else None
    if reason:
        return f"{reason}: it can only be opened read-only"
    return None


def describe(path: str | Path | None, exc: BaseException) -> str | None:
    """One line naming ``path`` and the real cause of ``exc``; ``None`` when ``exc`` is no
    database or file system failure (then it is a bug and keeps its traceback)."""
    where = f"{path}: " if path is not None else ""
    location = Path(path) if path is not None else None
    code = sqlite_code(exc)
    if code is not None:
        detail = str(exc)
        if code in (SQLITE_BUSY, SQLITE_LOCKED):
            return (f"{where}locked by another process (an import, a merge or another "
                    "window is writing it); nothing was written: try again when it is done")
        if code == SQLITE_CORRUPT:
            return damaged(path, detail)
        if code == SQLITE_NOTADB:
            return f"{where}not a reviewer project (not an SQLite database)"
        if code == SQLITE_FULL:
            return f"{where}disk full; nothing was written"
        if code == SQLITE_NOMEM:
            return f"{where}out of memory"
        if code == SQLITE_READONLY:
            reason = read_only_reason(location) if location is not None else None
            return f"{where}read-only ({reason or 'opened read-only'}); nothing was written"
        if code in (SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PERM):
            cause = _os_cause(location) if location is not None else None
            return f"{where}{cause or f'cannot read or write it ({detail})'}"
        if "no such table" in detail or "no such column" in detail:
            return damaged(path, f"part of reviewer's schema is missing: {detail}")
        if "malformed JSON" in detail:
            return damaged(path, "a record holds malformed JSON")
        return None
    if isinstance(exc, OSError):
        # The file the system call failed on (an export's output, say), else the project.
        name = f"{exc.filename}: " if exc.filename else where
        if exc.errno == errno.EISDIR:
            return f"{name}is a folder, not a project file"
        if (meaning := os_meaning(exc)) is not None:
            return f"{name}{meaning}; nothing was written"
    return None


def damaged(path: str | Path | None, detail: str) -> str:
    """The message for a project file whose content SQLite or reviewer cannot read."""
    where = f"{path}: " if path is not None else ""
    check = f"sqlite3 {path} 'PRAGMA integrity_check'" if path is not None else "integrity_check"
    return (f"{where}damaged ({detail}); run an integrity check (`{check}`) and restore the "
            "file from a backup or a colleague's copy")


def project_error(path: str | Path | None, exc: BaseException) -> ReviewerError | None:
    """``exc`` as the :class:`ProjectError` a user sees, or ``None`` (see :func:`describe`)."""
    if isinstance(exc, ReviewerError):
        return exc
    message = describe(path, exc)
    return ProjectError(message) if message is not None else None


def explain(path: str | Path | None, exc: BaseException) -> str:
    """A message for any failure to open or use a project (the window shows it in a dialog)."""
    error = project_error(path, exc)
    if error is not None:
        return str(error)
    where = f"{path}: " if path is not None else ""
    return f"{where}unexpected error: {type(exc).__name__}: {exc}"
