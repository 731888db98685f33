"""Open a project database: pragmas, identity checks, migrations, read-only opening."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from reviewer.core.errors import ProjectError
from reviewer.core.progress import Progress, check_cancelled
from reviewer.store.migrations import MIGRATION_SET, migrations
from reviewer.store.open_errors import (
    damaged,
    path_problem,
    project_error,
    read_only_reason,
    sqlite_code,
)

# How many SQLite instructions a schema step runs between two looks for a stop.
_STOP_CHECK_STEPS = 100_000
_SQLITE_INTERRUPT = 9
APPLICATION_ID = 0x52455657  # "REVW", in the SQLite header of every project file
BUSY_TIMEOUT_MS = 10_000
# What every project holds (besides sqlite-utils' record of the schema steps); a file
# missing one of them is damaged, and says so before any window or command uses it.
TABLES = ("meta", "sources", "items", "systems", "predictions", "alignments", "labels",
          "label_events", "omr_ned_cache")


def connect(path: str | Path, *, create: bool = False, read_only: str | None = None,
            migrate: bool = True) -> Database:
    """Open ``path`` as a reviewer project (creating it when ``create``), migrated to now.

    Refuses, without writing anything, a file that is not a reviewer project, whose
    schema is newer than this program knows, or that lacks one of reviewer's tables.
    ``read_only`` (the reason, e.g. "read-only file system") opens it with SQLite's
    ``mode=ro``; when its folder cannot hold SQLite's side files either, the file is
    opened ``immutable``, which is right for a colleague's file on a read-only share
    but would miss changes another process made meanwhile. Every failure is a
    :class:`ProjectError` naming its real cause. ``migrate=False``: the schema steps it
    still needs are left to the caller (:func:`bring_up_to_date`).
    """
    path = Path(path)
    problem = path_problem(path)
    if problem:
        raise ProjectError(f"{path}: {problem}")
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise ProjectError(f"{path}: no such project (create one with `reviewer import`)")
    if not exists and read_only:
        raise ProjectError(f"{path}: cannot create a project here ({read_only})")
    try:
        if exists:
            _check_identity(path, immutable=bool(read_only) and _needs_immutable(path))
        return _open(path, exists, read_only, migrate)
    except sqlite3.Error as exc:
        error = project_error(path, exc)
        raise (error or ProjectError(f"{path}: cannot open: {exc}")) from None


def outdated(path: str | Path) -> list[str]:
    """The schema steps (migrations) the writable project ``path`` still needs before this
    version opens it, read without writing; none when it is up to date, read-only, or not a
    project this version opens (opening it then says why)."""
    path = Path(path)
    try:
        if path_problem(path) or not path.is_file() or read_only_reason(path):
            return []
        _check_identity(path)
        conn = sqlite3.connect(_uri(path, False), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except (OSError, sqlite3.Error, ProjectError):
        return []
    try:
        return [m.name for m in migrations.pending(Database(conn))]
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def bring_up_to_date(path: str | Path, progress: Progress) -> int:
    """Apply the schema steps the project ``path`` still needs, one transaction each (at
    10,000,000 items a step can take minutes), saying which through ``progress``; returns
    how many. Cancelled through ``progress``, the step under way is rolled back within a
    moment (SQLite is interrupted) and :class:`Cancelled` raised; the steps finished stay.
    """
    steps = outdated(path)
    if not steps:
        return 0
    db = connect(path, migrate=False)
    conn = db.conn
    conn.set_progress_handler(lambda: int(progress.cancelled()), _STOP_CHECK_STEPS)
    try:
        for k, name in enumerate(steps):
            check_cancelled(progress)
            progress.status(f"step {k + 1} of {len(steps)} ({name})")
            progress.set(k / len(steps))
            try:
                migrations.apply(db, stop_before=steps[k + 1:])
            except sqlite3.Error as exc:
                check_cancelled(progress)  # interrupted: rolled back, and said so
                if sqlite_code(exc) == _SQLITE_INTERRUPT:  # Ctrl+C raised in the handler
                    raise KeyboardInterrupt from None
                error = project_error(Path(path), exc)
                raise (error or ProjectError(f"{path}: cannot bring it up to date: "
                                             f"{exc}")) from None
        progress.set(1.0)
    finally:
        conn.set_progress_handler(None, 0)
        conn.close()
    return len(steps)


def _open(path: Path, exists: bool, read_only: str | None, migrate: bool = True) -> Database:
    # Python's default check_same_thread stays on: a connection belongs to the thread that
    # opened it (the window's writer and background tasks each open their own), and SQLite
    # refuses a connection handed to another thread instead of letting two threads share it.
    if read_only:
        conn = sqlite3.connect(_uri(path, _needs_immutable(path)), uri=True,
                               timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None)
    conn.text_factory = decode_text
    db = Database(conn)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if read_only:
            conn.execute("PRAGMA query_only = ON")
            if migrations.pending(db):
                raise ProjectError(
                    f"{path}: made by an older version of reviewer and {read_only}: copy it "
                    "to a writable folder once so that it can be brought up to date")
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            if not exists:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            if migrate or not exists:
                migrations.apply(db)
        _check_tables(path, conn)
    except BaseException:
        conn.close()
        raise
    return db


def decode_text(data: bytes) -> str:
    """SQLite text as ``str``; bytes that are not UTF-8 (a damaged or hand-edited file) are
    shown as U+FFFD instead of failing every read of the row."""
    return data.decode("utf-8", "replace")


def _uri(path: Path, immutable: bool) -> str:
    return path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")


def _needs_immutable(path: Path) -> bool:
    # A WAL file can only be read without the -shm beside it being created or written, and
    # that needs a writable folder; a file without pending WAL content reads the same
    # immutable. With content in a WAL that nobody can update, mode=ro still reads it.
    folder_writable = os.access(path.parent, os.W_OK)
    wal = Path(f"{path}-wal")
    return not folder_writable and not (wal.exists() and wal.stat().st_size > 0)


def _check_tables(path: Path, conn: sqlite3.Connection) -> None:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in TABLES if t not in names]
    if missing:
        raise ProjectError(damaged(path, f"table {missing[0]!r} is missing"))


def _check_identity(path: Path, *, immutable: bool = False) -> None:
    # Read only through SQLite, never with open(): closing a descriptor of the file drops
    # every POSIX lock this process's connections hold on it, and another process could
    # then take this one's connections for gone, checkpoint and delete the WAL under them
    # ("database disk image is malformed"; SQLite's "How To Corrupt", section 2.2).
    conn = sqlite3.connect(_uri(path, immutable), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if sqlite_code(exc) == 26:  # SQLITE_NOTADB
                raise ProjectError(
                    f"{path}: not a reviewer project (not an SQLite database)") from None
            raise
        if app_id != APPLICATION_ID:
            raise ProjectError(f"{path}: not a reviewer project (made by another program)")
        known = {m.name for m in migrations._migrations}
        try:
            rows = conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            rows = []
        unknown = sorted({r[0] for r in rows} - known)
        if unknown:
            raise ProjectError(
                f"{path}: made by a newer version of reviewer (schema step {unknown[-1]}); "
                "update reviewer to open it"
            )
    finally:
        conn.close()


def database_path(db: Database) -> Path | None:
    """The file ``db`` is open on (``None`` for an in-memory database)."""
    for _seq, name, file in db.conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


@contextlib.contextmanager
def connection_settings(db: Database, **settings: str) -> Iterator[Database]:
    """``db``'s connection with the PRAGMA ``settings`` (``synchronous="NORMAL"``), each put
    back as it was afterwards, however the block ends. Call it outside a transaction: some
    settings (the journal mode) cannot change inside one."""
    conn = db.conn
    before = {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in settings}
    try:
        for name, value in settings.items():
            conn.execute(f"PRAGMA {name} = {value}")
        yield db
    finally:
        for name, value in before.items():
            conn.execute(f"PRAGMA {name} = {value}")


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One committed write transaction.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so a second process waits for it
    (busy timeout) instead of failing when a read inside the transaction turns into a
    write; nested use becomes a savepoint. A project opened read-only refuses here, with
    a message that names the file and why it is read-only.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    if conn.execute("PRAGMA query_only").fetchone()[0]:
        path = database_path(db)
        reason = (read_only_reason(path) if path is not None else None) or "opened read-only"
        raise ProjectError(f"{path}: read-only ({reason}); nothing was written")
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def remove_project_files(path: str | Path) -> None:
    """Delete a project file and its SQLite side files (one a failed operation created)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
