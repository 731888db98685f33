"""Merging projects labelled by different annotators: every event kept, idempotent."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reviewer.core.errors import ProjectError
from reviewer.core.items import Benchmark, Item
from reviewer.core.labels import LabelState
from reviewer.store import labels
from reviewer.store.annotations import annotator_labels
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
        labels.set_label(p, "a", "alice", verdict="ok")
        labels.set_label(p, "b", "alice", verdict="model_error")
        labels.undo(p, "alice")
        labels.redo(p, "alice")
        labels.set_label(p, "c", "alice", verdict="reference_error",
                         corrected_reference="Plain lime")
    with Project(bob) as p:
        labels.set_label(p, "a", "bob", verdict="model_error")
        labels.set_label(p, "c", "bob", verdict="reference_error",
                         corrected_reference="Plain limes")
        labels.set_label(p, "c", "bob", note="typo")
        labels.undo(p, "bob")
    return alice, bob


def test_merge_keeps_every_event_and_labels_are_the_latest(two: tuple[Path, Path],
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
        assert labels.get_label(p, "a") == LabelState("model_error")
        assert labels.get_label(p, "b") == LabelState("model_error")
        assert labels.get_label(p, "c") == LabelState("reference_error", None, "Plain limes")
        # The cleaned alignment follows bob's reference, not alice's copied one.
        assert p.alignment("ocr", "c").ref == "Plain limes"
        assert p.alignment_row("ocr", "c", "cleaned").counts.char_errors == 1
        row = p.db.execute("SELECT annotator FROM labels WHERE item_id = 'c'").fetchone()
        assert row[0] == "bob"
        # A team file is nobody's own: whoever opens it next is asked their name.
        assert p.meta("annotator") is None
        assert {a: {i: s.verdict for i, s in m.items()} for a, m in
                annotator_labels(p).items()} == {
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
        history = {e.id: e for e in labels.history(p)}
        steps = [e for e in history.values() if e.action in ("undo", "redo")]
        assert sorted((e.annotator, e.action) for e in steps) == [
            ("alice", "redo"), ("alice", "undo"), ("bob", "undo")]
        for step in steps:
            assert step.target is not None
            target = history[step.target]
            assert (target.action, target.annotator, target.item_id) == (
                "set", step.annotator, step.item_id)
        # Undo still works per annotator in the merged file: bob's latest set is c's reference.
        undone = labels.undo(p, "bob")
        assert undone is not None and undone.item_id == "c"
        assert labels.get_label(p, "c") == LabelState()


def test_a_later_annotator_merges_into_an_existing_team_file(two: tuple[Path, Path],
                                                             tmp_path: Path) -> None:
    alice, bob = two
    team = tmp_path / "team.db"
    merge_projects([alice, bob], team)
    carol = make(tmp_path / "carol.db")
    with Project(carol) as p:
        labels.set_label(p, "b", "carol", verdict="ok")
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
