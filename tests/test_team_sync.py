"""Share, join and sync against a real PostgreSQL server: copies end up with one history."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli import main
from reviewer.core.errors import ProjectError
from reviewer.core.items import Benchmark
from reviewer.store import decisions
from reviewer.store.db import write_transaction
from reviewer.store.importer import import_benchmark
from reviewer.store.merge import merge_projects
from reviewer.store.project import Project
from reviewer.store.scores import score_project
from reviewer.store.team import (
    TeamError,
    TeamExtraMissing,
    TeamOffline,
    join_project,
    local,
    share_project,
    sync_project,
    sync_state,
)
from reviewer.store.team.server_schema import SharedSchema
from tests.team_server import ITEMS, TeamServer, small_project, unique_name

BENCHMARK = ("items", "systems", "predictions", "sources")


def history(path: Path) -> list[tuple[Any, ...]]:
    """A copy's history in the server's order, with targets as uids."""
    with Project(path) as project:
        return project.db.execute(
            "SELECT t.uid, t.server_seq, e.annotator, e.item_id, e.at, e.action, tt.uid, "
            "e.before, e.after FROM label_events e JOIN team_events t ON t.event_id = e.id "
            "LEFT JOIN team_events tt ON tt.event_id = e.target ORDER BY t.server_seq").fetchall()


def server_history(team_server: TeamServer, name: str) -> list[tuple[Any, ...]]:
    with team_server.connect() as conn:
        return [tuple(r) for r in conn.execute(
            "SELECT uid::text, seq, annotator, item_id, at, action, target::text, before, after "
            f"FROM {SharedSchema(name).table('events')} ORDER BY seq").fetchall()]


def rows(path: Path, table: str) -> list[tuple[Any, ...]]:
    with Project(path) as project:
        where = " WHERE variant = 'original'" if table == "alignments" else ""
        return project.db.execute(f"SELECT * FROM {table}{where} ORDER BY 1, 2").fetchall()


def labels(path: Path) -> list[tuple[Any, ...]]:
    return rows(path, "labels")


def scores(path: Path) -> list[Any]:
    """Both sets' scores, as ``reviewer score --format json`` reports them."""
    with Project(path) as project:
        return [score_project(project, "original"), score_project(project, "cleaned")]


@pytest.fixture
def owner(tmp_path: Path) -> Path:
    """The owner's project, with a short history of its own."""
    path = small_project(tmp_path / "owner.db")
    with Project(path) as project:
        decisions.decide(project, "a", "olivia", verdict="ok")
        decisions.decide(project, "b", "olivia", verdict="reference_error",
                         corrected_reference="Hello world!")
        decisions.undo(project, "olivia")
    return path


def share(team_server: TeamServer, owner: Path) -> str:
    name = unique_name("sync")
    share_project(owner, team_server.url(), name, [("alice", "annotator"), ("bob", "annotator")])
    return name


def test_a_joined_copy_is_the_shared_project(team_server: TeamServer, owner: Path,
                                             tmp_path: Path) -> None:
    name = share(team_server, owner)
    copy = tmp_path / "alice.db"
    joined = join_project(team_server.project_url(name, "alice"), copy)
    assert (joined.annotator, joined.items, joined.events) == ("alice", len(ITEMS), 3)
    for table in (*BENCHMARK, "alignments", "labels"):
        assert rows(copy, table) == rows(owner, table), table
    assert scores(copy) == scores(owner)
    with Project(copy) as project:
        assert project.meta("annotator") == "alice"
        events = [(e.annotator, e.action, e.item_id) for e in decisions.history(project)]
    assert events == [("olivia", "set", "a"), ("olivia", "set", "b"), ("olivia", "undo", "b")]
    assert [r[0] for r in history(copy)] == [r[0] for r in server_history(team_server, name)]


def test_two_copies_end_with_the_server_history(team_server: TeamServer, owner: Path,
                                                tmp_path: Path) -> None:
    name = share(team_server, owner)
    alice, bob = tmp_path / "alice.db", tmp_path / "bob.db"
    join_project(team_server.project_url(name, "alice"), alice)
    join_project(team_server.project_url(name, "bob"), bob)
    with Project(alice) as a, Project(bob) as b:  # both offline: neither sees the other
        decisions.decide(a, "c", "alice", verdict="reference_error",
                         corrected_reference="Plain lime")
        decisions.decide(b, "c", "bob", verdict="model_error", note="lime is wrong")
        decisions.decide(a, "d", "alice", verdict="ok")
        decisions.undo(a, "alice")
        decisions.decide(b, "a", "bob", tags=["checked"])
    assert sync_state(alice).waiting == 3
    first = sync_project(alice)
    assert (first.pushed, first.pulled, first.waiting) == (3, 0, 0)
    second = sync_project(bob)
    assert (second.pushed, second.pulled) == (2, 3)
    assert second.pulled_items == ("c",)  # d: set and undone, back to no decision
    sync_project(alice)
    on_server = server_history(team_server, name)
    assert len(on_server) == 3 + 5
    assert history(alice) == history(bob) == on_server
    assert labels(alice) == labels(bob)
    assert scores(alice) == scores(bob)


def test_a_retried_push_is_a_no_op(team_server: TeamServer, owner: Path,
                                   tmp_path: Path) -> None:
    name = share(team_server, owner)
    copy = tmp_path / "alice.db"
    join_project(team_server.project_url(name, "alice"), copy)
    with Project(copy) as project:
        for item in ("a", "b", "c"):
            decisions.decide(project, item, "alice", verdict="ok")
        pending = [r[0] for r in project.db.execute("SELECT event_id FROM team_outbox")]
    assert sync_project(copy).pushed == 3
    # As if the process died after the server committed, before the outbox was cleared.
    with Project(copy) as project, write_transaction(project.db):
        project.db.conn.executemany("INSERT INTO team_outbox (event_id) VALUES (?)",
                                    [[e] for e in pending])
    again = sync_project(copy)
    assert (again.pushed, again.waiting) == (0, 0)
    on_server = server_history(team_server, name)
    assert len(on_server) == 3 + 3
    assert [r[2] for r in on_server if r[2] == "alice"] == ["alice"] * 3
    assert history(copy) == on_server


def test_each_annotator_keeps_their_order(team_server: TeamServer, owner: Path,
                                          tmp_path: Path) -> None:
    name = share(team_server, owner)
    copy = tmp_path / "bob.db"
    join_project(team_server.project_url(name, "bob"), copy)
    with Project(copy) as project:
        for n, item in enumerate(["d", "c", "b", "a", "d"]):
            decisions.decide(project, item, "bob", note=f"note {n}")
    sync_project(copy)
    with team_server.connect() as conn:
        found = conn.execute(
            f"SELECT annotator_seq, after FROM {SharedSchema(name).table('events')} "
            "WHERE annotator = 'bob' ORDER BY seq").fetchall()
    assert [r[0] for r in found] == [1, 2, 3, 4, 5]
    assert [json.loads(r[1])["note"] for r in found] == [f"note {n}" for n in range(5)]


def test_offline_decisions_wait_and_go_out_later(team_server: TeamServer, owner: Path,
                                                 tmp_path: Path) -> None:
    name = share(team_server, owner)
    copy = tmp_path / "alice.db"
    join_project(team_server.project_url(name, "alice"), copy)
    with Project(copy) as project, write_transaction(project.db):
        real = local.read_all(project.db.conn)[local.URL]
        local.write(project.db.conn, local.URL, real.replace(f":{team_server.port}/", ":9/"))
    assert main(["label", str(copy), "a", "model_error"]) == 0  # works offline
    with pytest.raises(TeamOffline):
        sync_project(copy)
    state = sync_state(copy)
    assert state.waiting == 1 and state.offline_since is not None
    with Project(copy) as project, write_transaction(project.db):
        local.write(project.db.conn, local.URL, real)
    report = sync_project(copy)
    assert (report.pushed, report.waiting) == (1, 0)
    assert sync_state(copy).offline_since is None
    assert history(copy) == server_history(team_server, name)


def test_a_new_system_reaches_every_copy(team_server: TeamServer, owner: Path,
                                         tmp_path: Path) -> None:
    name = share(team_server, owner)
    copy = tmp_path / "bob.db"
    join_project(team_server.project_url(name, "bob"), copy)
    with Project(copy) as project:
        decisions.decide(project, "c", "bob", verdict="reference_error",
                         corrected_reference="Plain lines")
    sync_project(copy)
    sync_project(copy)
    second = {"ocr2": {"a": "The modern cat", "b": "Hello world", "c": "Plain lines",
                       "d": "Fourth line"}}
    with Project(owner) as project:
        import_benchmark(project, Benchmark("text", ITEMS, second))
    again = share_project(owner, team_server.url(), name)
    assert again.benchmark_updated and not again.created
    report = sync_project(copy)
    assert report.benchmark_updated
    with Project(copy) as project:
        assert project.systems() == ["ocr", "ocr2"]
        cleaned = project.alignment_row("ocr2", "c", "cleaned")  # against bob's correction
    assert cleaned.counts.main_errors == 0
    for table in BENCHMARK:
        assert rows(copy, table) == rows(owner, table), table
    assert not sync_project(copy).benchmark_updated


def test_sharing_another_benchmark_under_a_taken_name_is_refused(
        team_server: TeamServer, owner: Path, tmp_path: Path) -> None:
    name = share(team_server, owner)
    other = small_project(tmp_path / "other.db", ITEMS[:2], {"ocr": {"a": "x", "b": "y"}})
    with pytest.raises(TeamError, match="items differ"):
        share_project(other, team_server.url(), name)


def test_a_copy_records_decisions_only_as_its_role(team_server: TeamServer, owner: Path,
                                                   tmp_path: Path) -> None:
    name = share(team_server, owner)
    copy = tmp_path / "alice.db"
    join_project(team_server.project_url(name, "alice"), copy)
    with Project(copy) as project:
        with pytest.raises(ProjectError, match="records decisions as 'alice'"):
            decisions.decide(project, "a", "bob", verdict="ok")
        assert decisions.history(project, "a")[-1].annotator == "olivia"  # nothing written
    assert sync_state(copy).waiting == 0


def test_merging_into_a_joined_copy_is_refused(team_server: TeamServer, owner: Path,
                                               tmp_path: Path) -> None:
    name = share(team_server, owner)
    copy = tmp_path / "alice.db"
    join_project(team_server.project_url(name, "alice"), copy)
    before = history(copy), labels(copy)
    with pytest.raises(ProjectError, match=r"a copy of shared project .*reviewer join"):
        merge_projects([owner], copy)
    assert (history(copy), labels(copy)) == before
    assert sync_project(copy).pushed == 0  # nothing of owner.db's slipped into the outbox


def test_a_password_never_goes_into_the_project(team_server: TeamServer, owner: Path,
                                                tmp_path: Path) -> None:
    url = team_server.url().replace("postgres@", "postgres:secret@")
    with pytest.raises(TeamError, match="holds a password") as refused:
        share_project(owner, url, unique_name())
    assert "secret" not in str(refused.value)


def test_an_ordinary_project_is_not_shared(project_path: Path) -> None:
    small_project(project_path)
    state = sync_state(project_path)
    assert not state.shared and state.waiting == 0
    with pytest.raises(TeamError, match="not a shared copy"):
        sync_project(project_path)
    with Project(project_path) as project:  # no outbox in a project that is not shared
        decisions.decide(project, "a", "me", verdict="ok")
        assert project.db.execute("SELECT count(*) FROM team_outbox").fetchone()[0] == 0


def test_the_commands(team_server: TeamServer, owner: Path, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    name = unique_name("cli")
    assert main(["share", str(owner), team_server.url(), "--name", name]) == 0
    out = capsys.readouterr().out
    assert f"GRANT \"reviewer_{name}_annotator\" TO \"alice\"" in out
    assert f"reviewer join postgresql://localhost:{team_server.port}/benchmarks/{name} " in out
    assert main(["share", str(owner), team_server.url(), "--name", name,
                 "--add-annotator", "alice", "--add-annotator", "bob"]) == 0
    assert "added alice as annotator" in capsys.readouterr().out
    copies = {}
    for who in ("alice", "bob"):
        copies[who] = tmp_path / f"{who}.db"
        assert main(["join", team_server.project_url(name, who), str(copies[who])]) == 0
        assert f"you decide as {who}" in capsys.readouterr().out
    assert main(["label", str(copies["alice"]), "c", "reference_error"]) == 0
    assert main(["label", str(copies["bob"]), "c", "model_error"]) == 0
    for who in ("alice", "bob", "alice"):
        assert main(["sync", str(copies[who])]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "pushed 0, pulled 1 (1 item's decision " \
        "changed); 0 waiting"
    assert main(["team", str(copies["alice"]), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["shared"] and report["waiting"] == 0 and report["annotator"] == "alice"
    assert {w["annotator"]: w["events"] for w in report["annotators"]} == {
        "alice": 1, "bob": 1, "olivia": 3}
    assert report["waiting_for_adjudication"] == ["c"]
    assert main(["team", str(copies["bob"])]) == 0
    assert "1 item disputed, 1 waiting for adjudication: c" in capsys.readouterr().out


def test_without_psycopg_the_commands_name_the_extra(owner: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg raises ImportError
    with pytest.raises(TeamExtraMissing):
        share_project(owner, "postgresql://localhost/benchmarks", "x")
    assert main(["join", "postgresql://localhost/benchmarks/x", str(tmp_path / "m.db")]) == 1
    assert "pip install 'reviewer[team]'" in capsys.readouterr().err
