"""The fault test: three annotators, a server and clients killed again and again, nothing lost.

Three client processes (tests/team_fault_client.py) each make 1,000 decisions on one shared
project, syncing at random intervals, while the server is SIGKILLed and restarted at
least 5 times and each client is SIGKILLed at least 3 times mid-push (and restarted; it
goes on with its remaining decisions). After a final sync every decision a client
acknowledged must be on the server exactly once and in every copy, and every copy's
history must equal the server's. The control run, whose client writes events without
their outbox row, must make the same check report loss.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from reviewer.store.project import Project
from reviewer.store.team import join_project, share_project, sync_project
from reviewer.store.team.server_schema import SharedSchema
from tests.team_server import TeamServer, small_project, unique_name

REPO = Path(__file__).resolve().parents[1]
CLIENT = REPO / "tests" / "team_fault_client.py"
ROLES = ("ann1", "ann2", "ann3")
DECISIONS = 1_000
SERVER_KILLS = 5
CLIENT_KILLS = 3  # each, mid-push
TIMEOUT_S = 300


@dataclass
class Client:
    """One annotator's process and files."""

    role: str
    copy: Path
    seed: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None
    kills: int = 0
    starts: int = 0
    exits: list[int] = field(default_factory=list)

    @property
    def acks(self) -> Path:
        return self.folder / f"{self.role}.acks"

    @property
    def status(self) -> Path:
        return self.folder / f"{self.role}.status"

    @property
    def log(self) -> Path:
        return self.folder / f"{self.role}.log"

    def start(self, env: dict[str, str], total: int) -> None:
        self.status.write_text("idle")
        self.process = subprocess.Popen(
            [sys.executable, str(CLIENT), str(self.copy), self.role, str(total),
             str(self.seed), str(self.acks), str(self.status), str(self.log)],
            cwd=REPO, env=env)
        self.starts += 1

    def pushing(self) -> bool:
        try:
            return self.status.read_text() == "push"
        except OSError:
            return False


def _env(control: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "REVIEWER_TEST_DROP_OUTBOX"}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    if control:
        env["REVIEWER_TEST_DROP_OUTBOX"] = "1"
    return env


def _copy_history(path: Path) -> list[tuple[Any, ...]]:
    with Project(path) as project:
        return project.db.execute(
            "SELECT t.uid, t.server_seq, e.annotator, e.item_id, e.at, e.action, tt.uid, "
            "e.before, e.after FROM label_events e LEFT JOIN team_events t ON t.event_id = e.id "
            "LEFT JOIN team_events tt ON tt.event_id = e.target "
            "ORDER BY t.server_seq IS NULL, t.server_seq, e.id").fetchall()


def _copy_labels(path: Path) -> list[tuple[Any, ...]]:
    with Project(path) as project:
        return project.db.execute("SELECT * FROM labels ORDER BY item_id").fetchall()


def check(team_server: TeamServer, name: str, copies: list[Path],
          ack_files: list[Path]) -> list[str]:
    """What was lost, duplicated or differs (an empty list: nothing)."""
    with team_server.connect() as conn:
        on_server = [tuple(r) for r in conn.execute(
            "SELECT uid::text, seq, annotator, item_id, at, action, target::text, before, "
            f"after FROM {SharedSchema(name).table('events')} ORDER BY seq").fetchall()]
    problems: list[str] = []
    counts: dict[str, int] = {}
    for row in on_server:
        counts[row[0]] = counts.get(row[0], 0) + 1
    histories = {copy: _copy_history(copy) for copy in copies}
    in_copy = {copy: {row[0] for row in rows if row[1] is not None}
               for copy, rows in histories.items()}
    for acks in ack_files:
        acked = acks.read_text().split()
        missing = [uid for uid in acked if counts.get(uid, 0) != 1]
        if missing:
            problems.append(f"{acks.name}: {len(missing)} of {len(acked)} acknowledged "
                            f"decisions are not on the server exactly once (e.g. {missing[0]})")
        for copy, uids in in_copy.items():
            absent = [uid for uid in acked if uid not in uids]
            if absent:
                problems.append(f"{copy.name}: lacks {len(absent)} decisions {acks.name} "
                                "acknowledged")
    for copy, rows in histories.items():
        if rows != on_server:
            problems.append(f"{copy.name}: its history ({len(rows)} events) differs from "
                            f"the server's ({len(on_server)})")
    labels = {copy: _copy_labels(copy) for copy in copies}
    if len({repr(v) for v in labels.values()}) > 1:
        problems.append("the copies' current decisions differ")
    return problems


def _share(team_server: TeamServer, folder: Path, name: str) -> list[Path]:
    items = [f"q{n:03d}" for n in range(60)]
    from reviewer.core.items import Item

    owner = small_project(folder / "owner.db", [Item(i, f"reference {i}") for i in items],
                          {"sys": {i: f"prediction {i}" for i in items}})
    share_project(owner, team_server.url(), name, [(role, "annotator") for role in ROLES])
    copies = []
    for role in ROLES:
        copy = folder / f"{role}.db"
        join_project(team_server.project_url(name, role), copy)
        copies.append(copy)
    return copies


def _final_sync(copies: list[Path]) -> None:
    for copy in [*copies, *copies]:  # the second round brings the last ones everywhere
        sync_project(copy)


@pytest.mark.slow
def test_nothing_acknowledged_is_lost_when_server_and_clients_are_killed(
        team_server: TeamServer, tmp_path: Path) -> None:
    name = unique_name("fault")
    copies = _share(team_server, tmp_path, name)
    clients = [Client(role, copy, seed, tmp_path) for seed, (role, copy)
               in enumerate(zip(ROLES, copies, strict=True), 1)]
    env = _env(control=False)
    for client in clients:
        client.start(env, DECISIONS)
    rng = random.Random(18)
    server_kills = 0
    next_server_kill = time.monotonic() + rng.uniform(0.5, 1.5)
    deadline = time.monotonic() + TIMEOUT_S
    try:
        while any(c.process is not None for c in clients):
            assert time.monotonic() < deadline, "the clients did not finish in time"
            if time.monotonic() >= next_server_kill and server_kills < SERVER_KILLS + 2:
                team_server.kill()
                server_kills += 1
                time.sleep(rng.uniform(0.1, 0.6))
                team_server.start()
                next_server_kill = time.monotonic() + rng.uniform(0.3, 1.5)
            if server_kills >= SERVER_KILLS and all(c.kills >= CLIENT_KILLS for c in clients):
                (tmp_path / "go").touch()
            for client in clients:
                process = client.process
                if process is None:
                    continue
                code = process.poll()
                if code is not None:
                    client.exits.append(code)
                    assert code == 0, f"{client.role} failed (exit {code})"
                    client.process = None
                elif client.kills < CLIENT_KILLS and client.pushing() \
                        and rng.random() < 0.5:
                    process.kill()
                    process.wait()
                    client.kills += 1
                    client.start(env, DECISIONS)
            time.sleep(0.002)
    finally:
        for client in clients:
            if client.process is not None:
                client.process.kill()
                client.process.wait()
        team_server.start()
    _final_sync(copies)

    problems = check(team_server, name, copies, [c.acks for c in clients])
    acked = sum(len(c.acks.read_text().split()) for c in clients)
    retried = sum(int(line.rsplit("retried=", 1)[1]) for c in clients
                  for line in c.log.read_text().splitlines())
    with team_server.connect() as conn:
        per_role = dict(conn.execute(
            f"SELECT annotator, count(*) FROM {SharedSchema(name).table('events')} "
            "GROUP BY annotator").fetchall())
    print(f"\nfault test: {per_role} decisions on the server, {acked} acknowledged; "
          f"server killed {server_kills} times; clients killed mid-push "
          f"{[c.kills for c in clients]} times, started {[c.starts for c in clients]} times; "
          f"{retried} events sent again after a kill were already on the server")
    assert problems == []
    assert per_role == dict.fromkeys(ROLES, DECISIONS)
    assert server_kills >= SERVER_KILLS
    assert all(c.kills >= CLIENT_KILLS for c in clients), [c.kills for c in clients]


def test_the_check_finds_loss_when_the_outbox_commit_is_removed(
        team_server: TeamServer, tmp_path: Path) -> None:
    name = unique_name("control")
    copies = _share(team_server, tmp_path, name)
    client = Client(ROLES[0], copies[0], 7, tmp_path)
    (tmp_path / "go").touch()  # nothing to kill here: the client finishes at once
    client.start(_env(control=True), 40)
    assert client.process is not None
    assert client.process.wait(timeout=TIMEOUT_S) == 0
    _final_sync(copies)
    problems = check(team_server, name, copies, [client.acks])
    assert len(client.acks.read_text().split()) == 40
    assert any("40 of 40 acknowledged decisions are not on the server" in p for p in problems)
