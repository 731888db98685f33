"""Merging a colleague's project can never harm the team file (issue 14, findings 8, 19, 21).

A source holding a trigger, a view or a table reviewer does not make, a damaged page, or
history events that do not decode is refused with one line naming the file (and the
event), before anything is written; a new team file is built from reviewer's own schema
and appears only when complete, even when the merge is killed at a random moment.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli import main
from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions
from reviewer.store.db import write_transaction
from reviewer.store.importer import import_benchmark
from reviewer.store.merge import merge_projects
from reviewer.store.project import Project

REPO = Path(__file__).resolve().parents[2]
ITEMS = [Item(f"line{k:04d}", f"Reference line number {k}") for k in range(40)]
PREDS = {"ocr": {i.id: i.reference.replace("number", "nurnber") for i in ITEMS}}


def make(path: Path, items: list[Item] = ITEMS, preds: dict[str, dict[str, str]] = PREDS,
         annotator: str = "alice") -> Path:
    """A project of the benchmark with a few decisions of ``annotator``."""
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", items, preds))
        decisions.decide(project, items[0].id, annotator, verdict="ok")
        decisions.decide(project, items[1].id, annotator, verdict="reference_error",
                         corrected_reference="Reference line nr 1")
        decisions.decide(project, items[2].id, annotator, note="faint")
    return path


def sql(path: Path, *statements: str, args: list[Any] | None = None) -> None:
    """Run ``statements`` on ``path`` as another program would (no reviewer checks)."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement, args or [])
        conn.commit()
    finally:
        conn.close()


def merge(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    """``reviewer merge ARGS`` in this process: its status and its stderr."""
    capsys.readouterr()
    status = main(["merge", *map(str, args)])
    return status, capsys.readouterr().err


def one_line_error(err: str, *needles: str) -> None:
    assert err.startswith("reviewer: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for needle in needles:
        assert needle in err, (needle, err)


def no_team_file(folder: Path) -> bool:
    """Whether nothing of a team file, finished or temporary, is in ``folder``."""
    return not any("team" in p.name for p in folder.iterdir())


def snapshot(path: Path) -> dict[str, list[Any]]:
    with Project(path) as p:
        return {t: p.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in ("label_events", "labels", "alignments", "meta")}


# -- finding 8: a source's own objects never reach the team file -----------------------------
FOREIGN = {
    "trigger": "CREATE TRIGGER wipe AFTER INSERT ON labels BEGIN DELETE FROM labels; END",
    "view": "CREATE VIEW everything AS SELECT * FROM labels",
    "table": "CREATE TABLE notes (x TEXT)",
    "index": "CREATE INDEX items_reference ON items(reference)",
}


@pytest.mark.parametrize("what", sorted(FOREIGN))
@pytest.mark.parametrize("position", [0, 1])
def test_a_source_with_objects_reviewer_does_not_make_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str, position: int) -> None:
    sources = [make(tmp_path / "alice.db"), make(tmp_path / "bob.db", annotator="bob")]
    sql(sources[position], FOREIGN[what])
    team = tmp_path / "team.db"
    status, err = merge(capsys, *sources, "-o", team)
    assert status == 1
    one_line_error(err, sources[position].name, what)
    assert no_team_file(tmp_path)
    # Into an existing team file: refused too, the team file as it was.
    assert merge(capsys, sources[1 - position], "-o", team)[0] == 0
    before = snapshot(team)
    status, err = merge(capsys, sources[position], "-o", team)
    assert status == 1
    one_line_error(err, sources[position].name, what)
    assert snapshot(team) == before


def test_a_trigger_in_the_first_source_cannot_empty_the_team_decisions(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The reported case: alice.db's trigger ended in team.db and ate every label."""
    alice = make(tmp_path / "alice.db")
    sql(alice, FOREIGN["trigger"])
    team = tmp_path / "team.db"
    assert merge(capsys, alice, "-o", team)[0] == 1
    assert not team.exists()
    shutil.copy(make(tmp_path / "clean.db"), alice)
    assert merge(capsys, alice, "-o", team)[0] == 0
    assert main(["label", str(team), ITEMS[5].id, "ok", "--annotator", "carol"]) == 0
    with Project(team) as p:
        assert len(decisions.all_decisions(p)) == 4


def test_a_new_team_file_has_exactly_reviewers_schema(tmp_path: Path) -> None:
    alice = make(tmp_path / "alice.db")
    sql(alice, "PRAGMA user_version = 77")  # header fields of the source stay behind too
    team = tmp_path / "team.db"
    merge_projects([alice, make(tmp_path / "bob.db", annotator="bob")], team)
    Project(tmp_path / "fresh.db", create=True).close()
    assert schema(team) == schema(tmp_path / "fresh.db")


def schema(path: Path) -> tuple[Any, ...]:
    """The schema entries, header fields and integrity of ``path``."""
    conn = sqlite3.connect(path)
    try:
        return (sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")),
                [conn.execute(f"PRAGMA {p}").fetchone()[0]
                 for p in ("user_version", "application_id", "integrity_check")])
    finally:
        conn.close()


# -- damaged sources ------------------------------------------------------------------------
def damage_a_page(path: Path) -> None:
    """Overwrite the middle of a page in the middle of the file (the header stays valid)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    page_size, pages = (conn.execute(f"PRAGMA {p}").fetchone()[0]
                        for p in ("page_size", "page_count"))
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((pages // 2) * page_size + 8)
        fh.write(bytes(random.Random(3).randrange(256) for _ in range(page_size // 2)))


def test_a_damaged_source_is_refused_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = [Item(f"l{k:05d}", f"A somewhat longer reference line {k} " * 3)
             for k in range(600)]
    preds = {"ocr": {i.id: i.reference.upper() for i in items}}
    alice = make(tmp_path / "alice.db", items, preds)
    bob = make(tmp_path / "bob.db", items, preds, annotator="bob")
    damage_a_page(alice)
    team = tmp_path / "team.db"
    for sources in ([alice, bob], [bob, alice]):
        status, err = merge(capsys, *sources, "-o", team)
        assert status == 1
        one_line_error(err, "alice.db", "damaged")
        assert no_team_file(tmp_path)


# -- finding 21: malformed events are named, not tracebacks ----------------------------------
def bad_event(path: Path, how: str) -> int:
    """Give ``path`` one malformed event, as another program (or a bad disk) might; its id."""
    good = '{"verdict": "ok", "error_type": null, "corrected_reference": null, ' \
           '"note": "", "tags": []}'
    empty = '{"verdict": null, "error_type": null, "corrected_reference": null, ' \
            '"note": "", "tags": []}'
    item, after = ITEMS[7].id, good
    if how == "bad JSON":
        after = '{"verdict": "ok", '
    elif how == "unknown verdict":
        after = good.replace('"ok"', '"fine"')
    elif how == "unknown item":
        item = "no-such-item"
    elif how == "huge number":
        after = good.replace('""', "1" * 5000)
    elif how == "not an object":
        after = '["ok"]'
    elif how == "tags not a list":
        after = good.replace("[]", '"x"')
    conn = sqlite3.connect(path)  # foreign keys off, as in any other program
    try:
        value: Any = after
        if how == "invalid UTF-8":
            value = after.encode().replace(b"ok", b"o\xff")
            cur = conn.execute(
                "INSERT INTO label_events (item_id, annotator, at, action, target, before, "
                "after) VALUES (?, 'mallory', '2024-01-01T00:00:00+00:00', 'set', NULL, ?, "
                "CAST(? AS TEXT))", [item, empty, value])
        else:
            cur = conn.execute(
                "INSERT INTO label_events (item_id, annotator, at, action, target, before, "
                "after) VALUES (?, 'mallory', '2024-01-01T00:00:00+00:00', 'set', NULL, ?, ?)",
                [item, empty, value])
        conn.commit()
        return int(cur.lastrowid or 0)
    finally:
        conn.close()


MALFORMED = ["bad JSON", "unknown verdict", "unknown item", "invalid UTF-8", "huge number",
             "not an object", "tags not a list"]


@pytest.mark.parametrize("how", MALFORMED)
def test_a_source_with_a_malformed_event_is_named_with_the_event(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], how: str) -> None:
    good = make(tmp_path / "good.db", annotator="bob")
    bad = make(tmp_path / "bad.db")
    event_id = bad_event(bad, how)
    team = tmp_path / "team.db"
    for sources in ([bad, good], [good, bad]):
        status, err = merge(capsys, *sources, "-o", team)
        assert status == 1
        one_line_error(err, "bad.db", f"event {event_id}")
        assert no_team_file(tmp_path)
    assert merge(capsys, good, "-o", team)[0] == 0
    before = snapshot(team)
    status, err = merge(capsys, bad, "-o", team)
    assert status == 1
    one_line_error(err, "bad.db", f"event {event_id}")
    assert snapshot(team) == before


def test_an_undo_of_a_missing_event_is_named(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    bad = make(tmp_path / "bad.db")
    sql(bad, "INSERT INTO label_events (item_id, annotator, at, action, target, before, after) "
             "SELECT item_id, annotator, at, 'undo', 999, after, before FROM label_events "
             "WHERE id = 1")
    status, err = merge(capsys, bad, "-o", tmp_path / "team.db")
    assert status == 1
    one_line_error(err, "bad.db", "event 4", "undo of event 999")


# -- finding 19: a killed merge leaves no half-made team file --------------------------------
def big_source(path: Path, annotator: str, seed: int) -> Path:
    """Enough items and decisions that a merge takes a while."""
    rng = random.Random(seed)
    items = [Item(f"i{k:05d}", f"The reference line number {k} of the page") for k in range(3000)]
    preds = {"ocr": {i.id: i.reference.replace("number", "nurnber") for i in items}}
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", items, preds))
        with write_transaction(project.db):
            for item in rng.sample(items, 1500):
                if rng.random() < 0.2:
                    decisions.decide(project, item.id, annotator, verdict="reference_error",
                                     corrected_reference=item.reference + " " + annotator)
                else:
                    decisions.decide(project, item.id, annotator,
                                     verdict=rng.choice(["ok", "model_error", "unusable"]))
    return path


def run_merge(sources: list[Path], team: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "reviewer", "merge", *map(str, sources), "-o", str(team)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def started(team: Path) -> bool:
    """Whether the merge has begun to write: a file named after the team file exists."""
    return any(team.name in name for name in os.listdir(team.parent))


def content(team: Path) -> tuple[Any, ...]:
    with Project(team) as p:
        assert p.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return (sorted(p.db.execute("SELECT item_id, annotator, at, action, before, after "
                                    "FROM label_events").fetchall()),
                sorted(p.db.execute("SELECT * FROM labels").fetchall()),
                p.item_count(), sorted(p.db.execute("SELECT * FROM alignments").fetchall()))


@pytest.mark.slow
def test_a_merge_killed_at_any_moment_leaves_no_team_file_or_a_complete_one(
        tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    sources = [big_source(folder / f"{name}.db", name, k)
               for k, name in enumerate(("alice", "bob", "carol"))]
    expected_dir = tmp_path / "expected"
    expected_dir.mkdir()
    done = run_merge(sources, expected_dir / "team.db")
    while not started(expected_dir / "team.db") and done.poll() is None:
        time.sleep(0.002)
    begun = time.monotonic()
    assert done.wait(timeout=300) == 0, done.stderr.read() if done.stderr else ""
    writing = time.monotonic() - begun  # kills fall in this window; `kills >= 6` checks they hit
    expected = content(expected_dir / "team.db")

    rng = random.Random(14)
    work = tmp_path / "work"
    work.mkdir()
    team = work / "team.db"
    kills = 0
    for _ in range(12):
        proc = run_merge(sources, team)
        while not started(team) and proc.poll() is None:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, writing * 1.1))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        if team.exists():  # only ever complete
            assert content(team) == expected
            for suffix in ("", "-wal", "-shm"):
                Path(f"{team}{suffix}").unlink(missing_ok=True)
    assert kills >= 6
    proc = run_merge(sources, team)
    assert proc.wait(timeout=300) == 0
    assert content(team) == expected
    # What the killed runs left behind was cleared by the next one.
    assert sorted(os.listdir(work)) == ["team.db"]
