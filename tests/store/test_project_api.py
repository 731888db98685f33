"""The documented Project API that the layers above read through (no SQL outside the store)."""

from __future__ import annotations

import inspect
import sqlite3
from collections.abc import Hashable, Iterable, Iterator
from pathlib import Path

import pytest

from reviewer.core.errors import ProjectError
from reviewer.core.items import Benchmark, Item
from reviewer.core.kern.omr_ned import OmrResult
from reviewer.store import decisions, omr_ned
from reviewer.store.importer import import_benchmark
from reviewer.store.omr_ned import OmrResults, fill, pending_pairs, store_results
from reviewer.store.project import Project, Source


def bench() -> Benchmark:
    items = [Item("b", "Hello world", "b.png", (("speaker", "ann"),)), Item("a", "The cat"),
             Item("c", "")]
    preds = {"sys2": {"a": "The cat", "c": "x"}, "sys1": {"c": "y", "a": "Teh cat"}}
    return Benchmark("text", items, preds)


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with Project(project_path, create=True) as p:
        import_benchmark(p, bench())
        yield p


def test_every_public_method_and_property_is_documented() -> None:
    undocumented = [name for name, member in inspect.getmembers(Project)
                    if not name.startswith("_") and not inspect.getdoc(member)]
    assert undocumented == []
    assert "thread" in (Project.__doc__ or "")  # says which thread may use it


def test_items_come_in_item_order_with_their_metadata(project: Project) -> None:
    items = list(project.items())
    assert [i.id for i in items] == ["b", "a", "c"]
    assert items[0] == Item("b", "Hello world", "b.png", (("speaker", "ann"),))
    assert items[1].meta == ()
    assert list(project.item_texts()) == [("b", "Hello world", "b.png"), ("a", "The cat", None),
                                          ("c", "", None)]


def test_predictions_by_system_and_in_item_order(project: Project) -> None:
    assert project.predictions_by_system() == {"sys2": {"a": "The cat", "c": "x"},
                                               "sys1": {"c": "y", "a": "Teh cat"}}
    assert list(project.predictions_by_system()) == project.systems() == ["sys2", "sys1"]
    rows = list(project.prediction_rows())
    assert [r[0] for r in rows] == ["a", "a", "c", "c"]
    assert sorted(rows) == [("a", "sys1", "Teh cat"), ("a", "sys2", "The cat"),
                            ("c", "sys1", "y"), ("c", "sys2", "x")]


def test_sources_in_the_order_they_were_added(project: Project) -> None:
    assert project.sources() == []  # an in-memory benchmark has no files
    project.db.table("sources").insert_all([
        {"path": "gt.jsonl", "sha256": "ab", "role": "benchmark", "imported_at": "t"},
        {"path": "pred.txt", "sha256": "cd", "role": "prediction:sys1", "imported_at": "t"}])
    assert project.sources() == [Source("gt.jsonl", "ab", "benchmark"),
                                 Source("pred.txt", "cd", "prediction:sys1")]


def test_decision_stamps_and_the_history_ids(project: Project) -> None:
    assert decisions.latest_event_id(project) == 0
    assert decisions.decision_stamps(project) == {}
    first = decisions.decide(project, "a", "ann", verdict="ok")
    second = decisions.decide(project, "c", "bob", verdict="unusable")
    assert decisions.latest_event_id(project) == second.id
    assert decisions.event_ids_after(project, 0) == [first.id, second.id]
    assert decisions.event_ids_after(project, first.id) == [second.id]
    assert decisions.decision_stamps(project) == {"a": ("ann", first.at), "c": ("bob", second.at)}


def test_a_kind_this_version_does_not_know_is_a_damaged_file(project_path: Path) -> None:
    with Project(project_path, create=True) as p:
        import_benchmark(p, bench())
        assert p.kind == "text"
    conn = sqlite3.connect(project_path)
    conn.execute("UPDATE meta SET value = 'sonar' WHERE key = 'kind'")
    conn.commit()
    conn.close()
    with Project(project_path) as p, pytest.raises(ProjectError, match="'sonar'"):
        _ = p.kind


KERN = "**kern\n*M4/4\n=1\n4c\n4d\n4e\n4f\n=2\n1g\n*-\n"


def _fake_musicdiff(pairs: Iterable[tuple[Hashable, tuple[str, str]]], workers: int = 1,
                    *_: object) -> Iterator[tuple[Hashable, OmrResult]]:
    for key, (_reference, prediction) in pairs:
        yield key, OmrResult(ed=1, gt_symbols=10, pred_symbols=len(prediction) // 4)


@pytest.fixture
def kern_project(project_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    monkeypatch.setattr(omr_ned, "compute_many", _fake_musicdiff)
    items = [Item("p1", KERN), Item("p2", KERN.replace("4e", "4g"))]
    preds = {"omr": {"p1": KERN.replace("4d", "4e"), "p2": KERN}}
    with Project(project_path, create=True) as p:
        import_benchmark(p, Benchmark("kern", items, preds))
        yield p


def test_a_fill_hands_its_results_to_the_given_writer(kern_project: Project) -> None:
    batches: list[OmrResults] = []
    report = fill(kern_project, write=batches.append, workers=1)
    assert (report.computed, report.cached, report.failed) == (2, 0, 0)
    # First the (here empty) cache hits, then one batch per computed pair.
    assert [len(b.results) for b in batches] == [0, 1, 1]
    assert [b.cache for b in batches] == [False, True, True]
    assert len(pending_pairs(kern_project)) == 2  # nothing was written meanwhile
    for batch in batches:  # what the window's writer thread runs, on its own connection
        with Project(kern_project.path) as writer:
            store_results(writer, batch)
    assert pending_pairs(kern_project) == []
    again: list[OmrResults] = []
    assert fill(kern_project, write=again.append).rows == 0


def test_a_fill_without_a_writer_stores_on_its_own_connection(kern_project: Project) -> None:
    assert fill(kern_project, workers=1).computed == 2
    assert pending_pairs(kern_project) == []
    kern_project.db.execute("UPDATE alignments SET extra = json_remove(extra, '$.omr')")
    batches: list[OmrResults] = []
    report = fill(kern_project, write=batches.append)
    assert (report.cached, report.computed) == (2, 0)  # both pairs from the cache now
    assert [len(b.results) for b in batches] == [2] and not batches[0].cache
