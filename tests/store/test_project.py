"""The project database: import as one transaction, labels, history, undo, scores."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reviewer.core.errors import ProjectError
from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.scores import score_project


def bench() -> Benchmark:
    items = [Item("a", "The modern cat"), Item("b", "Hello world"), Item("c", "")]
    preds = {"sys1": {"a": "The rnodern cat", "b": "Hel1o world", "c": "x"},
             "sys2": {"a": "The modern cat"}}
    return Benchmark("text", items, preds)


@pytest.fixture
def project(project_path: Path) -> Project:
    p = Project(project_path, create=True)
    import_benchmark(p, bench())
    return p


def test_import_stores_items_predictions_and_alignments(project: Project) -> None:
    assert project.item_ids() == ["a", "b", "c"]
    assert project.systems() == ["sys1", "sys2"]
    assert project.prediction("sys1", "b") == "Hel1o world"
    assert project.prediction("sys2", "b") is None
    edits = project.alignment("sys1", "a").edits
    assert [(e.ref_text, e.hyp_text, e.category) for e in edits] == [("m", "rn", "confusable")]
    assert project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert project.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_missing_predictions_are_scored_as_empty_and_counted(project: Project) -> None:
    report = score_project(project)
    sys2 = next(s for s in report["systems"] if s["name"] == "sys2")
    assert sys2["missing"] == 2
    assert sys2["metrics"]["cer"]["errors"] == len("Hello world")
    assert sys2["metrics"]["cer"]["deletions"] == len("Hello world")


def test_reimporting_a_system_needs_replace(project: Project) -> None:
    with pytest.raises(ProjectError, match="--replace"):
        import_benchmark(project, bench())
    new = bench()
    new.predictions = {"sys1": {"a": "The modern cat", "b": "Hello world", "c": ""}}
    import_benchmark(project, new, replace=True)
    report = score_project(project)
    sys1 = next(s for s in report["systems"] if s["name"] == "sys1")
    assert sys1["metrics"]["cer"]["errors"] == 0
    assert project.systems() == ["sys2", "sys1"]


def test_a_failed_import_leaves_the_project_as_it_was(project: Project,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    before = project.db.execute("SELECT count(*) FROM alignments").fetchone()[0]
    new = Benchmark("text", bench().items, {"sys3": {"a": "x"}})

    from reviewer.store import importer

    copy = importer._copy_staged

    def broken(*args: Any, **kwargs: Any) -> None:
        copy(*args, **kwargs)  # the scored pairs are written, then the disk fails
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importer, "_copy_staged", broken)
    with pytest.raises(RuntimeError):
        import_benchmark(project, new)
    assert project.systems() == ["sys1", "sys2"]
    assert project.db.execute("SELECT count(*) FROM alignments").fetchone()[0] == before
    left = project.db.execute("SELECT count(*) FROM predictions WHERE system = 'sys3'")
    assert left.fetchone()[0] == 0


def test_another_benchmark_is_refused(project: Project) -> None:
    other = Benchmark("text", [Item("z", "zzz")], {"sys9": {"z": "z"}})
    with pytest.raises(ProjectError, match="another benchmark"):
        import_benchmark(project, other)


def test_decision_history_undo_redo(project: Project) -> None:
    decisions.decide(project, "a", "ann", verdict="model_error")
    decisions.decide(project, "b", "ann", verdict="reference_error", note="GT typo")
    assert decisions.get_decision(project, "b").verdict == "reference_error"
    undone = decisions.undo(project, "ann")
    assert undone is not None and undone.item_id == "b"
    assert decisions.get_decision(project, "b").verdict is None
    decisions.undo(project, "ann")
    assert decisions.get_decision(project, "a").verdict is None
    assert decisions.undo(project, "ann") is None
    redone = decisions.redo(project, "ann")
    assert redone is not None and redone.item_id == "a"
    assert decisions.get_decision(project, "a").verdict == "model_error"
    actions = [e.action for e in decisions.history(project)]
    assert actions == ["set", "set", "undo", "undo", "redo"]
    # A new decision clears the redo stack.
    decisions.decide(project, "c", "ann", verdict="unusable")
    assert decisions.redo(project, "ann") is None


def test_corrected_reference_rescores_at_once(project: Project) -> None:
    decisions.decide(project, "b", "ann", verdict="reference_error",
                     corrected_reference="Hel1o world")
    alignment = project.alignment("sys1", "b")
    assert alignment.edits == ()
    original = score_project(project, "original")["systems"][0]["metrics"]["cer"]["errors"]
    cleaned = score_project(project, "cleaned")["systems"][0]["metrics"]["cer"]["errors"]
    assert original - cleaned == 1
    decisions.decide(project, "c", "ann", verdict="unusable")
    report = score_project(project, "cleaned")
    assert report["items"] == 2
    assert report["systems"][0]["items_scored"] == 2


def test_unknown_item_names_near_matches(project: Project) -> None:
    with pytest.raises(ProjectError, match="did you mean a"):
        decisions.decide(project, "aa", "ann", verdict="ok")


def test_not_a_project_is_refused_untouched(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"hello, not a database")
    with pytest.raises(ProjectError, match="not a reviewer project"):
        Project(junk)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(ProjectError, match="another program"):
        Project(other)
    assert other.read_bytes() == before


def test_newer_schema_is_refused(project: Project, project_path: Path) -> None:
    project.db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                       "VALUES ('reviewer', 'm999_future', 'later')")
    project.close()
    with pytest.raises(ProjectError, match="newer version"):
        Project(project_path)
