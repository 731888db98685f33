"""The server, not the client, decides who may write what in a shared project.

Every attempt here goes to a real PostgreSQL server (tests/team_server.py): a raw SQL
statement as a hostile client would send it, or reviewer's own sync from a copy.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from reviewer.store import decisions
from reviewer.store.annotations import adjudicate
from reviewer.store.project import Project
from reviewer.store.team import TeamRefused, join_project, share_project, sync_project, sync_state
from reviewer.store.team.address import ServerAddress
from reviewer.store.team.connection import connected
from reviewer.store.team.server_schema import SharedSchema
from tests.team_server import TeamServer, small_project, unique_name

MEMBERS = [("alice", "annotator"), ("bob", "annotator"), ("olga", "observer"),
           ("adam", "adjudicator")]


@pytest.fixture
def shared(team_server: TeamServer, tmp_path: Path) -> str:
    """A shared project with a few decisions by alice and bob; returns its name."""
    name = unique_name("perm")
    share_project(small_project(tmp_path / "owner.db"), team_server.url(), name, MEMBERS)
    for who, verdict in (("alice", "ok"), ("bob", "model_error")):
        copy = tmp_path / f"{who}.db"
        join_project(team_server.project_url(name, who), copy)
        with Project(copy) as project:
            decisions.decide(project, "a", who, verdict=verdict)
        sync_project(copy)
    return name


def _as(team_server: TeamServer, role: str, name: str, sql: str, args: list[object]) -> None:
    """Run one statement as ``role`` through reviewer's connection (errors translated)."""
    server = ServerAddress(team_server.url(role))
    with connected(server, name) as conn:
        conn.execute(sql, args)
        conn.commit()


def _insert(name: str) -> str:
    return (f"INSERT INTO {SharedSchema(name).table('events')} (uid, annotator, item_id, at, "
            "action, before, after) VALUES (%s, %s, 'b', '2026-01-01T00:00:00+00:00', "
            "%s, '{}', '{}')")


def _event_count(team_server: TeamServer, name: str) -> int:
    with team_server.connect() as conn:
        row = conn.execute(f"SELECT count(*) FROM {SharedSchema(name).table('events')}"
                           ).fetchone()
        assert row is not None
        return int(row[0])


def test_an_annotator_cannot_insert_under_another_name(team_server: TeamServer,
                                                       shared: str) -> None:
    before = _event_count(team_server, shared)
    with pytest.raises(TeamRefused) as refused:
        _as(team_server, "alice", shared, _insert(shared), [str(uuid.uuid4()), "bob", "set"])
    message = str(refused.value)
    assert "role 'alice'" in message
    assert "only under its own name" in message
    assert "row-level security" in message
    assert _event_count(team_server, shared) == before


def test_an_annotator_can_insert_under_their_own_name(team_server: TeamServer,
                                                      shared: str) -> None:
    before = _event_count(team_server, shared)
    _as(team_server, "alice", shared, _insert(shared), [str(uuid.uuid4()), "alice", "set"])
    assert _event_count(team_server, shared) == before + 1


@pytest.mark.parametrize("statement", [
    "UPDATE {events} SET after = '{{}}'",
    "UPDATE {events} SET after = '{{}}' WHERE annotator = 'alice'",
    "DELETE FROM {events}",
    "DELETE FROM {events} WHERE annotator = 'alice'",
])
@pytest.mark.parametrize("role", ["alice", "adam"])
def test_nobody_updates_or_deletes_an_event(team_server: TeamServer, shared: str,
                                            statement: str, role: str) -> None:
    before = _event_count(team_server, shared)
    sql = statement.format(events=SharedSchema(shared).table("events"))
    with pytest.raises(TeamRefused) as refused:
        _as(team_server, role, shared, sql, [])
    assert f"role {role!r}" in str(refused.value)
    assert "never changed or deleted" in str(refused.value)
    assert _event_count(team_server, shared) == before


def test_not_even_the_owner_rewrites_the_history(team_server: TeamServer, shared: str) -> None:
    with pytest.raises(TeamRefused) as refused:
        _as(team_server, "postgres", shared,
            f"DELETE FROM {SharedSchema(shared).table('events')}", [])
    assert "append-only" in str(refused.value)


def test_an_observer_reads_but_cannot_write(team_server: TeamServer, shared: str,
                                            tmp_path: Path) -> None:
    copy = tmp_path / "olga.db"
    joined = join_project(team_server.project_url(shared, "olga"), copy)
    assert joined.annotator == "olga" and joined.events == 2  # reads everyone's decisions
    with Project(copy) as project:
        decisions.decide(project, "b", "olga", verdict="ok")  # locally, offline-style
    with pytest.raises(TeamRefused) as refused:
        sync_project(copy)
    message = str(refused.value)
    assert "role 'olga'" in message and "observers only read" in message
    assert sync_state(copy).waiting == 1  # kept in the outbox, not lost
    with pytest.raises(TeamRefused):
        _as(team_server, "olga", shared, _insert(shared), [str(uuid.uuid4()), "olga", "set"])


def test_only_an_adjudicator_adjudicates(team_server: TeamServer, shared: str,
                                         tmp_path: Path) -> None:
    alice = tmp_path / "alice.db"
    with Project(alice) as project:
        adjudicate(project, "a", "alice", verdict="ok")
    with pytest.raises(TeamRefused) as refused:
        sync_project(alice)
    assert "role 'alice'" in str(refused.value)
    assert "only an adjudicator may add adjudications" in str(refused.value)

    adam = tmp_path / "adam.db"
    join_project(team_server.project_url(shared, "adam"), adam)
    with Project(adam) as project:
        adjudicate(project, "a", "adam", verdict="model_error")
        decisions.decide(project, "c", "adam", verdict="ok")  # an adjudicator also annotates
    report = sync_project(adam)
    assert report.pushed == 2 and report.waiting == 0


def test_a_person_who_is_no_member_cannot_join(team_server: TeamServer, shared: str,
                                               tmp_path: Path) -> None:
    with team_server.connect() as conn:
        conn.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mallory')"
                     " THEN CREATE ROLE mallory LOGIN; END IF; END $$")
        conn.commit()
    with pytest.raises(TeamRefused) as refused:
        join_project(team_server.project_url(shared, "mallory"), tmp_path / "m.db")
    assert "role 'mallory' is not a member" in str(refused.value)
    assert not (tmp_path / "m.db").exists()
