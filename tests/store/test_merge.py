"""Merging projects reviewed by different annotators: every event kept, idempotent."""

from __future__ import annotations

import csv
import random
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reviewer.core.decisions import Decision
from reviewer.core.errors import ProjectError
from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions
from reviewer.store.annotations import annotator_decisions, disagreements
from reviewer.store.importer import import_benchmark
from reviewer.store.merge import merge_projects
from reviewer.store.project import Project

ITEMS = [Item("a", "The modern cat"), Item("b", "Hello world"), Item("c", "Plain line")]
PREDS = {"ocr": {"a": "The rnodern cat", "b": "Hel1o world", "c": "Plain lime"}}


def make(path: Path, items: list[Item] = ITEMS, preds: dict[str, dict[str, str]] = PREDS,
         annotator: str | None = None) -> Path:
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", items, preds))
        if annotator:
            project.set_meta("annotator", annotator)
    return path


def events(path: Path) -> list[tuple[Any, ...]]:
    """Every event without its id and target, in time order."""
    with Project(path) as project:
        return project.db.execute(
            "SELECT item_id, annotator, at, action, before, after FROM label_events "
            "ORDER BY at, id").fetchall()


def table(path: Path, name: str) -> list[tuple[Any, ...]]:
    with Project(path) as project:
        return project.db.execute(f"SELECT * FROM {name} ORDER BY 1, 2, 3").fetchall()


@pytest.fixture
def two(tmp_path: Path) -> tuple[Path, Path]:
    """alice.db and bob.db: one benchmark, different verdicts; bob decides later."""
    alice, bob = make(tmp_path / "alice.db", annotator="alice"), make(tmp_path / "bob.db")
    with Project(alice) as p:
        decisions.decide(p, "a", "alice", verdict="ok")
        decisions.decide(p, "b", "alice", verdict="model_error")
        decisions.undo(p, "alice")
        decisions.redo(p, "alice")
        decisions.decide(p, "c", "alice", verdict="reference_error",
                         corrected_reference="Plain lime")
    with Project(bob) as p:
        decisions.decide(p, "a", "bob", verdict="model_error")
        decisions.decide(p, "c", "bob", verdict="reference_error",
                         corrected_reference="Plain limes")
        decisions.decide(p, "c", "bob", note="typo")
        decisions.undo(p, "bob")
    return alice, bob


def test_merge_keeps_every_event_and_decisions_are_the_latest(two: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    alice, bob = two
    team = tmp_path / "team.db"
    report = merge_projects([alice, bob], team)
    assert report.created
    assert report.events_added == len(events(bob)) == 4
    assert report.events_present == len(events(alice)) == 5
    assert sorted(events(team)) == sorted(events(alice) + events(bob))
    # a and c: bob decided last; b: only alice.
    assert report.changed_items == ("a", "c")
    with Project(team) as p:
        assert decisions.get_decision(p, "a") == Decision("model_error")
        assert decisions.get_decision(p, "b") == Decision("model_error")
        assert decisions.get_decision(p, "c") == Decision("reference_error", None, "Plain limes")
        # The cleaned alignment follows bob's reference, not alice's copied one.
        assert p.alignment("ocr", "c").ref == "Plain limes"
        assert p.alignment_row("ocr", "c", "cleaned").counts.main_errors == 1
        row = p.db.execute("SELECT annotator FROM labels WHERE item_id = 'c'").fetchone()
        assert row[0] == "bob"
        # A team file is nobody's own: whoever opens it next is asked their name.
        assert p.meta("annotator") is None
        assert {a: {i: s.verdict for i, s in m.items()} for a, m in
                annotator_decisions(p).items()} == {
            "alice": {"a": "ok", "b": "model_error", "c": "reference_error"},
            "bob": {"a": "model_error", "c": "reference_error"}}
        assert p.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_merging_again_changes_nothing(two: tuple[Path, Path], tmp_path: Path) -> None:
    alice, bob = two
    team = tmp_path / "team.db"
    merge_projects([alice, bob], team)
    before = {name: table(team, name) for name in ("label_events", "labels", "alignments")}
    for sources in ([alice, bob], [bob], [bob, alice, bob]):
        again = merge_projects(sources, team)
        assert not again.created
        assert again.events_added == 0 and again.changed_items == ()
        assert again.events_present == sum(len(events(s)) for s in sources)
        assert {name: table(team, name) for name in before} == before
    # The team file given as a source of itself is left out, not read twice.
    assert merge_projects([team, bob], team).events_present == len(events(bob))


def test_undo_and_redo_events_survive_with_their_targets(two: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    alice, bob = two
    team = tmp_path / "team.db"
    merge_projects([bob, alice], team)  # alice's events now get new ids
    with Project(team) as p:
        history = {e.id: e for e in decisions.history(p)}
        steps = [e for e in history.values() if e.action in ("undo", "redo")]
        assert sorted((e.annotator, e.action) for e in steps) == [
            ("alice", "redo"), ("alice", "undo"), ("bob", "undo")]
        for step in steps:
            assert step.target is not None
            target = history[step.target]
            assert (target.action, target.annotator, target.item_id) == (
                "set", step.annotator, step.item_id)
        # Undo still works per annotator in the merged file: bob's latest set is c's reference.
        undone = decisions.undo(p, "bob")
        assert undone is not None and undone.item_id == "c"
        assert decisions.get_decision(p, "c") == Decision()


def test_a_later_annotator_merges_into_an_existing_team_file(two: tuple[Path, Path],
                                                             tmp_path: Path) -> None:
    alice, bob = two
    team = tmp_path / "team.db"
    merge_projects([alice, bob], team)
    carol = make(tmp_path / "carol.db")
    with Project(carol) as p:
        decisions.decide(p, "b", "carol", verdict="ok")
    report = merge_projects([carol], team)
    assert (report.events_added, report.events_present, report.changed_items) == (1, 0, ("b",))
    assert len(events(team)) == 10


def test_a_different_benchmark_is_refused_with_the_file_named(two: tuple[Path, Path],
                                                              tmp_path: Path) -> None:
    alice, _ = two
    other_items = [ITEMS[0], Item("b", "Hello World"), ITEMS[2]]
    other = make(tmp_path / "other.db", items=other_items)
    team = tmp_path / "team.db"
    with pytest.raises(ProjectError, match=r"other\.db: not the same benchmark.*item 'b'"):
        merge_projects([alice, other], team)
    assert not team.exists()  # nothing half-made

    merge_projects([alice], team)
    before = table(team, "label_events")
    preds = {"ocr": {**PREDS["ocr"], "a": "The modern cat"}}
    with pytest.raises(ProjectError, match=r"predicts 'The modern cat' on item 'a'"):
        merge_projects([make(tmp_path / "preds.db", preds=preds)], team)
    with pytest.raises(ProjectError, match="no system 'ocr'"):
        merge_projects([make(tmp_path / "sys.db", preds={"tess": PREDS["ocr"]})], team)
    with pytest.raises(ProjectError, match="no item 'c'"):
        merge_projects([make(tmp_path / "short.db", items=ITEMS[:2],
                             preds={"ocr": {"a": "x", "b": "y"}})], team)
    assert table(team, "label_events") == before


def test_a_source_that_is_not_a_project_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    sqlite3.connect(bad).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(ProjectError, match=r"notes\.db"):
        merge_projects([make(tmp_path / "a.db"), bad], tmp_path / "team.db")
    assert not (tmp_path / "team.db").exists()


# -- field by field, in each file's order (issue 14, finding 6) -----------------------------
def cli(*args: str | Path) -> int:
    from reviewer.cli import main

    return main([str(a) for a in args])


def current(path: Path, item_id: str) -> Decision:
    with Project(path) as p:
        return decisions.get_decision(p, item_id)


def test_a_later_tag_in_a_copy_keeps_the_correction_made_meanwhile(
        two: tuple[Path, Path], tmp_path: Path) -> None:
    """Carol corrects c in the team file; Dave, on an older copy, only tags it later."""
    alice, bob = two
    team = tmp_path / "team.db"
    assert cli("merge", alice, bob, "-o", team) == 0
    dave = Path(shutil.copy(team, tmp_path / "dave.db"))
    assert cli("label", team, "b", "reference_error", "--reference", "Hello World",
               "--note", "capital W", "--annotator", "carol") == 0
    assert cli("label", dave, "b", "--tag", "blurry", "--annotator", "dave") == 0
    assert cli("merge", dave, "-o", team) == 0
    assert current(team, "b") == Decision("reference_error", None, "Hello World",
                                          "capital W", ("blurry",))
    with Project(team) as p:
        assert p.alignment("ocr", "b").ref == "Hello World"
    changes = tmp_path / "changes.csv"
    assert cli("export", team, "--changes", changes) == 0
    with changes.open(encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["id"] == "b")
    assert (row["status"], row["verdict"], row["corrected_reference"], row["note"]) == (
        "revised", "reference_error", "Hello World", "capital W")


def test_a_clock_running_ahead_does_not_win_over_a_later_decision(tmp_path: Path) -> None:
    alice = make(tmp_path / "alice.db")
    assert cli("label", alice, "a", "ok", "--annotator", "alice") == 0
    with sqlite3.connect(alice) as conn:  # her clock is a year ahead
        conn.execute("UPDATE label_events SET at = '2099-01-01T00:00:00.000000+00:00'")
        conn.execute("UPDATE labels SET updated_at = '2099-01-01T00:00:00.000000+00:00'")
    conn.close()
    team = tmp_path / "team.db"
    assert cli("merge", alice, "-o", team) == 0
    bob = Path(shutil.copy(team, tmp_path / "bob.db"))  # bob sees her verdict, then decides
    assert cli("label", bob, "a", "model_error", "--note", "rn is m", "--annotator", "bob") == 0
    assert cli("merge", bob, "-o", team) == 0
    assert current(team, "a") == Decision("model_error", note="rn is m")
    # Merged the other way round, the same label: the order is each file's, not the clock's.
    other = tmp_path / "other.db"
    assert cli("merge", bob, alice, "-o", other) == 0
    assert current(other, "a") == Decision("model_error", note="rn is m")


def test_genuine_conflicts_are_listed_and_shown_as_disagreements(
        two: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alice, bob = two
    team = tmp_path / "team.db"
    capsys.readouterr()
    assert cli("merge", alice, bob, "-o", team) == 0
    out = capsys.readouterr().out
    # a: ok against model_error; c: the same verdict, two different corrections.
    assert "2 conflicts to adjudicate" in out
    assert re.search(r"a: verdict: bob \(.*\) model_error \(kept\), alice \(.*\) ok", out)
    assert re.search(r"c: corrected reference: bob .* 'Plain limes' \(kept\), "
                     r"alice .* 'Plain lime'", out)
    with Project(team) as p:
        assert disagreements(p) == {"a", "c"}
    # Merging again adds nothing and lists nothing.
    assert cli("merge", alice, bob, "-o", team) == 0
    assert "to adjudicate" not in capsys.readouterr().out


def test_concurrent_changes_of_different_fields_all_stay(tmp_path: Path) -> None:
    alice, bob = make(tmp_path / "alice.db"), make(tmp_path / "bob.db")
    with Project(alice) as p:
        decisions.decide(p, "a", "alice", verdict="reference_error",
                         corrected_reference="The modern cat.")
        decisions.decide(p, "a", "alice", tags=["punct", "gt"])
    with Project(bob) as p:
        decisions.decide(p, "a", "bob", note="faint print", tags=["scan"])
        decisions.decide(p, "b", "bob", verdict="ok")
        decisions.undo(p, "bob")  # b: nothing of bob's left
    report = merge_projects([alice, bob], tmp_path / "team.db")
    assert report.conflicts == ()
    assert current(tmp_path / "team.db", "a") == Decision(
        "reference_error", None, "The modern cat.", "faint print", ("punct", "gt", "scan"))
    assert current(tmp_path / "team.db", "b") == Decision()


def test_an_undo_in_one_copy_does_not_erase_anothers_decision(tmp_path: Path) -> None:
    alice, bob = make(tmp_path / "alice.db"), make(tmp_path / "bob.db")
    with Project(bob) as p:
        decisions.decide(p, "a", "bob", verdict="model_error")
    with Project(alice) as p:  # later: she decides, then takes it back
        decisions.decide(p, "a", "alice", verdict="ok")
        decisions.undo(p, "alice")
    team = tmp_path / "team.db"
    merge_projects([alice, bob], team)
    assert current(team, "a") == Decision("model_error")


def test_the_merge_order_of_sources_gives_the_same_decisions(two: tuple[Path, Path],
                                                             tmp_path: Path) -> None:
    alice, bob = two
    merge_projects([alice, bob], tmp_path / "ab.db")
    merge_projects([bob, alice], tmp_path / "ba.db")
    merge_projects([bob], tmp_path / "b_then_a.db")
    merge_projects([alice], tmp_path / "b_then_a.db")
    expected = table(tmp_path / "ab.db", "labels")
    assert table(tmp_path / "ba.db", "labels") == expected
    assert table(tmp_path / "b_then_a.db", "labels") == expected


def random_decisions(path: Path, rng: random.Random, annotators: list[str], n: int) -> None:
    """``n`` random decisions, undos and redos by ``annotators`` in the file ``path``."""
    verdicts = [None, "ok", "model_error", "reference_error", "unusable"]
    with Project(path) as p:
        for _ in range(n):
            who, item = rng.choice(annotators), rng.choice(ITEMS).id
            roll = rng.random()
            if roll < 0.15:
                decisions.undo(p, who)
            elif roll < 0.25:
                decisions.redo(p, who)
            else:
                field = rng.choice(["verdict", "corrected_reference", "note", "tags"])
                value: Any = {
                    "verdict": rng.choice(verdicts),
                    "corrected_reference": rng.choice([None, "x", "y"]),
                    "note": rng.choice(["", "n1", "n2"]),
                    "tags": rng.sample(["t1", "t2", "t3"], rng.randrange(3)),
                }[field]
                decisions.decide(p, item, who, **{field: value})


@pytest.mark.parametrize("seed", range(12))
def test_a_shared_file_merged_alone_keeps_its_decisions_exactly(tmp_path: Path, seed: int) -> None:
    shared = make(tmp_path / "shared.db")
    random_decisions(shared, random.Random(seed), ["alice", "bob", "carol"], 80)
    merge_projects([shared], tmp_path / "team.db")
    assert table(tmp_path / "team.db", "labels") == table(shared, "labels")


@pytest.mark.parametrize("seed", range(6))
def test_copies_merged_back_in_any_order_keep_every_event(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    team = make(tmp_path / "team.db")
    names = ["alice", "bob", "carol"]
    for round_ in range(3):
        copies = []
        for who in names:  # each takes a copy of the team file as it is now
            copy = Path(shutil.copy(team, tmp_path / f"{who}{round_}.db"))
            random_decisions(copy, rng, [who], rng.randrange(3, 12))
            copies.append(copy)
        rng.shuffle(copies)
        merge_projects(copies, team)
        held = set(events(team))
        assert all(set(events(c)) <= held for c in copies)
        before = {name: table(team, name) for name in ("label_events", "labels")}
        again = merge_projects(copies[::-1], team)
        assert (again.events_added, again.changed_items, again.conflicts) == (0, (), ())
        assert {name: table(team, name) for name in before} == before
        with Project(team) as p:
            assert p.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
