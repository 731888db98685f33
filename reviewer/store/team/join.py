"""``join``: a local working copy of a shared project, for the role it connects as."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.store.db import write_transaction
from reviewer.store.list_facts import refresh_list_facts
from reviewer.store.new_project import build_new, is_project_file
from reviewer.store.project import Project, now
from reviewer.store.team import local
from reviewer.store.team.address import parse_project_url
from reviewer.store.team.benchmark_rows import TABLES
from reviewer.store.team.connection import connected, psycopg
from reviewer.store.team.errors import TeamError, TeamRefused
from reviewer.store.team.server_schema import SharedSchema
from reviewer.store.team.sync import load_table, pull


@dataclass(frozen=True, slots=True)
class JoinOutcome:
    """The copy a join made."""

    path: Path
    remote: str
    annotator: str  # the role the copy writes as
    items: int
    events: int


def join_project(project_url: str, path: Path) -> JoinOutcome:
    """Make ``path`` a copy of the shared project at ``project_url``
    (``postgresql://host/database/name``): its benchmark, its whole history, and the
    connecting role as the copy's annotator. The file appears only once complete."""
    server, name = parse_project_url(project_url)
    path = Path(path)
    if is_project_file(path):
        raise TeamError(f"{path}: already exists; join into a new file")
    schema = SharedSchema(name)
    with connected(server, name) as conn:
        role = _check_member(conn, schema, server.display(name))

        def fill(project: Project) -> JoinOutcome:
            db = project.db
            with write_transaction(db):
                for table in TABLES:
                    load_table(db.conn, conn, schema, table)
                refresh_list_facts(project)  # what the item list sorts and filters by
                with conn.cursor() as cur:
                    cur.execute(f"SELECT value FROM {schema.table('settings')} "
                                "WHERE key = 'benchmark_version'")
                    version = cur.fetchone()[0]
                conn.commit()
                project.set_meta("annotator", role)
                for key, value in ((local.URL, server.url), (local.PROJECT, name),
                                   (local.ANNOTATOR, role), (local.BENCHMARK_VERSION, version),
                                   (local.PULLED, "0"), (local.LAST_SYNCED, now())):
                    local.write(db.conn, key, value)
            events, _ = pull(project, conn, schema)
            return JoinOutcome(path, server.display(name), role, project.item_count(), events)

        return build_new(path, fill)


def _check_member(conn: Any, schema: SharedSchema, where: str) -> str:
    pg = psycopg()
    with conn.cursor() as cur:
        cur.execute("SELECT current_user")
        role = str(cur.fetchone()[0])
        try:
            cur.execute(f"SELECT value FROM {schema.table('settings')} WHERE key = 'format'")
            found = cur.fetchone()
        except pg.errors.UndefinedTable:
            raise TeamError(f"{where}: no shared project {schema.name!r} on this server "
                            "(share one with `reviewer share`)") from None
        except pg.errors.InsufficientPrivilege:
            raise TeamRefused(
                f"{where}: role {role!r} is not a member of shared project {schema.name!r}: "
                "the owner adds it (`reviewer share ... --add-annotator "
                f"{role}`)") from None
    conn.commit()
    if found is None:
        raise TeamError(f"{where}: {schema.name!r} is not a shared reviewer project")
    return role
