"""The write transaction of the first import into an empty project, without the checks
that cannot fail there (issue 19 §2: a text import's SQL dominated its time).

An import into a project that holds no items writes every row it references itself: the
items, then the systems, then predictions and alignments keyed by those very items and
systems. SQLite's foreign-key checks then look up two parent rows per prediction and per
alignment and can never fail, and the m008 triggers that drop a system's kept score
groups run once per alignment on a table that is empty. :func:`first_import_transaction`
writes without both, and everything it changes is undone with the transaction: the
triggers are dropped and made again from their stored SQL inside it (a cancelled import
leaves the project as it was, triggers included), and the foreign-key switch is a
setting of this connection only, turned on again however the transaction ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlite_utils import Database

from reviewer.store.db import connection_settings, write_transaction

# The m008 triggers on ``alignments`` (named so in reviewer.store.migrations): each only
# deletes kept score groups, which an empty project does not have.
SCORE_GROUP_TRIGGERS = "score_groups_*"


@contextlib.contextmanager
def first_import_transaction(db: Database, *, rows_consistent: bool = True,
                             unpublished: bool = False) -> Iterator[Database]:
    """:func:`~reviewer.store.db.write_transaction` for an import into ``db`` while it holds
    no items and no score groups.

    ``rows_consistent``: every prediction and alignment the import writes names an item
    and a system it writes too (false: the foreign keys are checked as always).
    ``unpublished``: ``db`` is a new project's file that no one else opens until it is
    complete (:attr:`~reviewer.store.project.Project.unpublished`); its pages are written
    once, in place, instead of to the write-ahead log and then copied (the transaction's
    journal is kept in memory, so that it still rolls back, and nothing is synced: the
    file is synced before it is published). Inside a transaction of the caller's this is
    a plain savepoint, every check kept.
    """
    conn = db.conn
    if conn.in_transaction:
        with write_transaction(db):
            yield db
        return
    unchecked = rows_consistent and bool(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    # Settings of this connection, changed outside a transaction only: before and after it.
    settings = {"foreign_keys": "OFF"} if unchecked else {}
    if unpublished:
        settings.update(journal_mode="MEMORY", synchronous="OFF")
    with connection_settings(db, **settings), write_transaction(db):
        paused = _pause_score_group_triggers(db)
        yield db
        for sql in paused:
            conn.execute(sql)


def _pause_score_group_triggers(db: Database) -> list[str]:
    """Drop the score-group triggers on ``alignments`` when there are no groups for them to
    drop; returns their SQL, to make them again before the transaction commits."""
    conn = db.conn
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                    "name = 'score_groups'").fetchone() is None:
        return []
    if conn.execute("SELECT 1 FROM score_groups LIMIT 1").fetchone() is not None:
        return []
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = "
        "'alignments' AND name GLOB ? ORDER BY name", [SCORE_GROUP_TRIGGERS]).fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    return [sql for _, sql in triggers]
