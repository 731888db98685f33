"""``share``: publish a project's benchmark and history as a shared project on a server.

Run by the project's owner, connected as a role that may create schemas and roles. The
first share creates the schema (:mod:`.server_schema`) in one server transaction, so a
failed share leaves nothing behind. Sharing the same file again publishes what changed:
a new system's predictions (every copy takes them on its next sync) and decisions made
in the file since. The items must stay the same.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.store.db import write_transaction
from reviewer.store.project import Project, now
from reviewer.store.team import local
from reviewer.store.team.address import check_name, default_name, parse_server
from reviewer.store.team.benchmark_rows import (
    SYSTEM_TABLES,
    TABLES,
    columns,
    encode,
    local_rows,
)
from reviewer.store.team.connection import connected
from reviewer.store.team.errors import TeamError
from reviewer.store.team.server_schema import (
    FORMAT_VERSION,
    ROLE_KINDS,
    SharedSchema,
    admin_sql,
)


@dataclass(frozen=True, slots=True)
class ShareOutcome:
    """What a share did on the server."""

    name: str
    remote: str  # host:port/database/name, for ``reviewer join``
    url: str  # the URL to join (no user, no password)
    created: bool
    benchmark_updated: bool  # a re-share changed the systems or predictions
    events_sent: int
    members_added: tuple[tuple[str, str], ...]
    admin_sql: tuple[str, ...]  # what an administrator runs to add a person


def share_project(path: Path, server_url: str, name: str | None = None,
                  members: Sequence[tuple[str, str]] = ()) -> ShareOutcome:
    """Publish ``path`` as shared project ``name`` (default: from the file's name) on the
    database ``server_url``; ``members`` are (person, role kind) to add, as the owner."""
    server = parse_server(server_url)
    name = check_name(name or default_name(Path(path).stem))
    for person, kind in members:
        if kind not in ROLE_KINDS:
            raise TeamError(f"{kind!r}: not a role of a shared project ({', '.join(ROLE_KINDS)})")
        if not person or "\0" in person:
            raise TeamError(f"{person!r}: not a role name")
    schema = SharedSchema(name)
    with Project(path) as project:
        copy_of = local.settings(project.db.conn)
        if copy_of is not None:
            raise TeamError(f"{path}: a copy of shared project {copy_of.remote}; share the "
                            "original file, or send this copy's decisions with `reviewer sync`")
        _give_uids(project)
        with connected(server, name) as conn:
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
                created = cur.fetchone() is None
                if created:
                    for statement in schema.create_sql():
                        cur.execute(statement)
                    _upload(cur, project, schema, TABLES)
                    _set(cur, schema, "format", FORMAT_VERSION)
                    _set(cur, schema, "benchmark_version", "1")
                    _set(cur, schema, "shared_at", now())
                    updated = False
                else:
                    _check_same(cur, project, schema, path)
                    updated = _reshare(cur, project, schema)
                sent = _send_events(cur, project, schema)
                for person, kind in members:
                    for statement in schema.member_sql(person, kind):
                        cur.execute(statement)
            conn.commit()
    url = f"{server.without_user().url}/{name}"
    return ShareOutcome(name, server.display(name), url, created, updated, sent,
                        tuple(members), tuple(admin_sql(schema)))


def _give_uids(project: Project) -> None:
    # Ids are made and committed here first, so sharing again after a failure sends the
    # same events under the same ids (the server keeps one of each).
    with write_transaction(project.db):
        missing = [r[0] for r in project.db.execute(
            "SELECT id FROM label_events WHERE id NOT IN (SELECT event_id FROM team_events) "
            "ORDER BY id")]
        project.db.conn.executemany(
            "INSERT INTO team_events (event_id, uid) VALUES (?, ?)",
            [[event_id, str(uuid.uuid4())] for event_id in missing])


def _set(cur: Any, schema: SharedSchema, key: str, value: str) -> None:
    cur.execute(f"INSERT INTO {schema.table('settings')} (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])


def _upload(cur: Any, project: Project, schema: SharedSchema, tables: Sequence[str]) -> None:
    conn = project.db.conn
    for table in tables:
        _set(cur, schema, f"columns:{table}", json.dumps(columns(conn, table)))
        with cur.copy(f"COPY {schema.table('benchmark')} (tbl, pos, row) FROM STDIN") as copy:
            for pos, row in enumerate(local_rows(conn, table)):
                copy.write_row((table, pos, encode(row)))


def _server_rows(cur: Any, schema: SharedSchema, table: str) -> list[str]:
    cur.execute(f"SELECT row FROM {schema.table('benchmark')} WHERE tbl = %s ORDER BY pos",
                [table])
    return [r[0] for r in cur.fetchall()]


def _check_same(cur: Any, project: Project, schema: SharedSchema, path: Path) -> None:
    cur.execute(f"SELECT value FROM {schema.table('settings')} WHERE key = 'format'")
    if cur.fetchone() is None:
        raise TeamError(f"{schema.name!r}: a schema on the server that is not a shared "
                        "reviewer project; choose another --name")
    mine = [encode(r) for r in local_rows(project.db.conn, "items")]
    if _server_rows(cur, schema, "items") != mine:
        raise TeamError(f"{path}: not the benchmark shared as {schema.name!r} (its items "
                        "differ); share it under another --name")


def _reshare(cur: Any, project: Project, schema: SharedSchema) -> bool:
    conn = project.db.conn
    tables = ("meta", *SYSTEM_TABLES)
    if all(_server_rows(cur, schema, t) == [encode(r) for r in local_rows(conn, t)]
           for t in tables):
        return False
    cur.execute(f"DELETE FROM {schema.table('benchmark')} WHERE tbl = ANY(%s)", [list(tables)])
    _upload(cur, project, schema, tables)
    cur.execute(f"SELECT value FROM {schema.table('settings')} WHERE key = 'benchmark_version'")
    version = int(cur.fetchone()[0]) + 1
    _set(cur, schema, "benchmark_version", str(version))
    return True


def _send_events(cur: Any, project: Project, schema: SharedSchema) -> int:
    rows = project.db.execute(
        "SELECT t.uid, e.annotator, e.item_id, e.at, e.action, tt.uid, e.before, e.after "
        "FROM label_events e JOIN team_events t ON t.event_id = e.id "
        "LEFT JOIN team_events tt ON tt.event_id = e.target ORDER BY e.id").fetchall()
    if not rows:
        return 0
    cur.executemany(
        f"INSERT INTO {schema.table('events')} (uid, annotator, item_id, at, action, target, "
        "before, after) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (uid) DO NOTHING",
        [list(r) for r in rows])
    return max(cur.rowcount, 0)
