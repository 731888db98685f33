"""``sync``: push the outbox to the server, then pull every event after the high-water mark.

Push sends the waiting events in the order they were made, a batch per server
transaction; each carries its client-made ``uid``, so a batch the server committed before
this process died is sent again as a no-op (``ON CONFLICT (uid) DO NOTHING``). Events leave
the outbox only after the server committed them. Pull brings the events after the highest
server order this copy holds (its own included, which gives them their server order), in
that order; each batch and the new high-water mark commit together locally, and the
decisions of the items they touch are rebuilt in the server's order (:mod:`.replay`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.store import decisions as store_decisions
from reviewer.store.db import write_transaction
from reviewer.store.list_facts import refresh_list_facts
from reviewer.store.project import Project, now
from reviewer.store.team import local
from reviewer.store.team.benchmark_rows import SYSTEM_TABLES, TABLES, insert_rows
from reviewer.store.team.connection import connected
from reviewer.store.team.errors import TeamError, TeamOffline
from reviewer.store.team.replay import rebuild
from reviewer.store.team.server_schema import SharedSchema

PUSH_BATCH = 1_000
# One pulled batch is one write transaction: small enough that a decision made in the
# window meanwhile waits well under the writer's one-second patience.
PULL_BATCH = 1_000


@dataclass(frozen=True)
class SyncReport:
    """What one sync did."""

    pushed: int  # events this call sent that the server did not have
    pulled: int  # teammates' events this call brought in
    waiting: int  # events still in the outbox after the call (0 on success)
    at: str  # ISO time of the sync (UTC)
    pulled_items: tuple[str, ...]  # item ids whose decision changed by pulled events
    benchmark_updated: bool = False  # the owner changed the systems; this copy took them


@dataclass(frozen=True)
class SyncState:
    """A copy's sync state as recorded locally (no network)."""

    shared: bool  # False: an ordinary local project
    remote: str  # the server and project, never a password
    annotator: str  # the PostgreSQL role this copy writes as
    waiting: int  # events in the outbox
    last_synced_at: str | None
    offline_since: str | None  # set when the last attempt could not reach the server


def sync_state(path: Path) -> SyncState:
    """The copy's sync state, read from the local file only."""
    with Project(path) as project:
        conn = project.db.conn
        found = local.settings(conn)
        if found is None:
            return SyncState(False, "", "", 0, None, None)
        values = local.read_all(conn)
        return SyncState(True, found.remote, found.annotator, local.waiting(conn),
                         values.get(local.LAST_SYNCED), values.get(local.OFFLINE_SINCE))


def sync_project(path: Path) -> SyncReport:
    """Push this copy's outbox, then pull; see the module's description.

    Raises :class:`TeamOffline` (its time is recorded for :func:`sync_state`) or
    :class:`TeamRefused`; a project that is not a shared copy is a :class:`TeamError`.
    """
    with Project(path) as project:
        found = local.settings(project.db.conn)
        if found is None:
            raise TeamError(f"{path}: not a shared copy (make one with `reviewer join`)")
        at = now()
        try:
            with connected(found.server, found.project) as server:
                schema = SharedSchema(found.project)
                pushed = push(project, server, schema)
                updated = pull_benchmark(project, server, schema)
                pulled, items = pull(project, server, schema)
        except TeamOffline:
            with write_transaction(project.db):
                if local.read_all(project.db.conn).get(local.OFFLINE_SINCE) is None:
                    local.write(project.db.conn, local.OFFLINE_SINCE, at)
            raise
        with write_transaction(project.db):
            local.write(project.db.conn, local.LAST_SYNCED, at)
            local.write(project.db.conn, local.OFFLINE_SINCE, None)
        return SyncReport(pushed, pulled, local.waiting(project.db.conn), at, tuple(items),
                          updated)


def push(project: Project, server: Any, schema: SharedSchema) -> int:
    """Send the outbox in order; returns how many events the server did not have yet."""
    db = project.db
    events = schema.table("events")
    sql = (f"INSERT INTO {events} (uid, annotator, item_id, at, action, target, before, after) "
           "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (uid) DO NOTHING")
    pushed = 0
    while True:
        rows = db.execute(
            "SELECT o.event_id, t.uid, e.annotator, e.item_id, e.at, e.action, tt.uid, "
            "e.before, e.after FROM team_outbox o JOIN label_events e ON e.id = o.event_id "
            "JOIN team_events t ON t.event_id = o.event_id "
            "LEFT JOIN team_events tt ON tt.event_id = e.target "
            "ORDER BY o.event_id LIMIT ?", [PUSH_BATCH]).fetchall()
        if not rows:
            return pushed
        with server.cursor() as cur:
            cur.executemany(sql, [list(r[1:]) for r in rows])
            pushed += max(cur.rowcount, 0)
        server.commit()
        with write_transaction(db):
            db.conn.executemany("DELETE FROM team_outbox WHERE event_id = ?",
                                [[r[0]] for r in rows])


def pull_benchmark(project: Project, server: Any, schema: SharedSchema) -> bool:
    """Take the owner's new version of the benchmark's systems, if there is one."""
    with server.cursor() as cur:
        cur.execute(f"SELECT value FROM {schema.table('settings')} WHERE key = 'benchmark_version'")
        row = cur.fetchone()
    server.commit()
    version = row[0] if row else "1"
    conn = project.db.conn
    if local.read_all(conn).get(local.BENCHMARK_VERSION) == version:
        return False
    with write_transaction(project.db):
        for table in ("meta", *SYSTEM_TABLES):
            if table == "meta":
                conn.execute("DELETE FROM meta WHERE key != 'annotator' "
                             "AND key NOT LIKE 'last_item:%'")
            else:
                conn.execute(f"DELETE FROM {table}")
            load_table(conn, server, schema, table)
        corrected = conn.execute("SELECT item_id, corrected_reference FROM labels "
                                 "WHERE corrected_reference IS NOT NULL").fetchall()
        for item_id, reference in corrected:
            store_decisions.realign(project, item_id, reference)
        refresh_list_facts(project)  # the new systems' rates and categories
        local.write(conn, local.BENCHMARK_VERSION, version)
    server.commit()
    return True


def load_table(conn: Any, server: Any, schema: SharedSchema, table: str) -> None:
    """Copy one shared benchmark table from the server into the local file (caller's txn)."""
    assert table in TABLES
    with server.cursor() as cur:
        cur.execute(f"SELECT value FROM {schema.table('settings')} WHERE key = %s",
                    [f"columns:{table}"])
        names = json.loads(cur.fetchone()[0])
    with server.cursor(name=f"load_{table}") as cur:
        cur.itersize = 5_000
        cur.execute(f"SELECT row FROM {schema.table('benchmark')} WHERE tbl = %s ORDER BY pos",
                    [table])
        insert_rows(conn, table, names, (r[0] for r in cur))


def pull(project: Project, server: Any, schema: SharedSchema) -> tuple[int, list[str]]:
    """Bring in every event after the copy's high-water mark; returns how many were
    teammates' (not this copy's own) and the items whose decision changed."""
    db, conn = project.db, project.db.conn
    pulled = 0
    changed: list[str] = []
    while True:
        mark = int(local.read_all(conn).get(local.PULLED, "0"))
        with server.cursor() as cur:
            cur.execute(
                f"SELECT seq, uid::text, annotator, item_id, at, action, target::text, before, "
                f"after FROM {schema.table('events')} WHERE seq > %s ORDER BY seq LIMIT %s",
                [mark, PULL_BATCH])
            rows = cur.fetchall()
        server.commit()
        if not rows:
            return pulled, changed
        with write_transaction(db):
            pulled += _apply(conn, rows)
            local.write(conn, local.PULLED, str(rows[-1][0]))
            changed += rebuild(project, dict.fromkeys(r[3] for r in rows))


def _apply(conn: Any, rows: list[Any]) -> int:
    """Record pulled rows (caller's transaction); returns how many were new here."""
    uids = [r[1] for r in rows]
    known: dict[str, int] = {}
    for start in range(0, len(uids), 500):
        part = uids[start:start + 500]
        known.update(conn.execute(
            f"SELECT uid, event_id FROM team_events WHERE uid IN ({', '.join('?' * len(part))})",
            part).fetchall())
    targets = [r[6] for r in rows if r[6] is not None and r[6] not in known]
    for start in range(0, len(targets), 500):
        part = targets[start:start + 500]
        known.update(conn.execute(
            f"SELECT uid, event_id FROM team_events WHERE uid IN ({', '.join('?' * len(part))})",
            part).fetchall())
    new = 0
    for seq, uid, annotator, item_id, at, action, target, before, after in rows:
        if uid in known:
            conn.execute("UPDATE team_events SET server_seq = ? WHERE uid = ?", [seq, uid])
            continue
        cur = conn.execute(
            "INSERT INTO label_events (item_id, annotator, at, action, target, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [item_id, annotator, at, action, None if target is None else known.get(target),
             before, after])
        event_id = int(cur.lastrowid or 0)
        conn.execute("INSERT INTO team_events (event_id, uid, server_seq) VALUES (?, ?, ?)",
                     [event_id, uid, seq])
        known[uid] = event_id
        new += 1
    return new
