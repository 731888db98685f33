"""Open a project database: pragmas, identity checks, migrations."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from reviewer.core.errors import ProjectError
from reviewer.store.migrations import MIGRATION_SET, migrations

APPLICATION_ID = 0x52455657  # "REVW", in the SQLite header of every project file
BUSY_TIMEOUT_MS = 10_000


def connect(path: str | Path, *, create: bool = False) -> Database:
    """Open ``path`` as a reviewer project (creating it when ``create``), migrated to now.

    Refuses, without writing anything, a file that is not a reviewer project or whose
    schema is newer than this program knows.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise ProjectError(f"{path}: no such project (create one with `reviewer import`)")
    if exists:
        _check_identity(path)
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False, isolation_level=None)
    except sqlite3.Error as exc:
        raise ProjectError(f"{path}: cannot open: {exc}") from None
    db = Database(conn)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    if not exists:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations.apply(db)
    return db


def _check_identity(path: Path) -> None:
    # Read only through SQLite, never with open(): closing a descriptor of the file drops
    # every POSIX lock this process's connections hold on it, and another process could
    # then take this one's connections for gone, checkpoint and delete the WAL under them
    # ("database disk image is malformed"; SQLite's "How To Corrupt", section 2.2).
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise ProjectError(f"{path}: cannot open: {exc}") from None
    try:
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
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
        except sqlite3.Error:
            rows = []
        unknown = sorted({r[0] for r in rows} - known)
        if unknown:
            raise ProjectError(
                f"{path}: made by a newer version of reviewer (schema step {unknown[-1]}); "
                "update reviewer to open it"
            )
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path}: not a reviewer project ({exc})") from None
    finally:
        conn.close()


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One committed write transaction.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so a second process waits for it
    (busy timeout) instead of failing when a read inside the transaction turns into a
    write; nested use becomes a savepoint.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
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
