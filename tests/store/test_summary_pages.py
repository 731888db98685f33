"""The item list's pages: the summaries of a range of items, equal to a full read's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions
from reviewer.store import summaries as store
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project


def bench() -> Benchmark:
    """Five items; ``sys2`` has no prediction for ``c``."""
    items = [Item("a", "The modern cat"), Item("b", "Hello world"), Item("c", ""),
             Item("d", "Café crème"), Item("e", "One more line")]
    preds = {"sys1": {"a": "The rnodern cat", "b": "Hel1o world", "c": "x", "d": "Cafe creme",
                      "e": "One rnore line"},
             "sys2": {"a": "The modern cat", "b": "hello world", "d": "CAFÉ CRÈME",
                      "e": "One more line"}}
    return Benchmark("text", items, preds)


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    p = Project(project_path, create=True)
    import_benchmark(p, bench())
    # A corrected reference: its page rows must be read from the cleaned alignment.
    decisions.decide(p, "b", "ann", verdict="reference_error", corrected_reference="Hel1o world")
    decisions.decide(p, "d", "ann", verdict="ok")
    yield p
    p.close()


def test_pages_put_together_equal_the_full_read(project: Project) -> None:
    full = store.load_summaries(project)
    first, last = store.load_summaries_after(project, -1, 2)
    assert first.ids == ["a", "b"] and first.positions == {"a": 0, "b": 1}
    assert first.verdicts == {"b": "reference_error"} and first.corrected == {"b"}
    rest, end = store.load_summaries_after(project, last, 2)
    assert rest.ids == ["c", "d"]
    tail, after_end = store.load_summaries_after(project, end, 2)
    assert tail.ids == ["e"]
    first.extend(rest)
    first.extend(tail)
    assert first == full
    nothing, same = store.load_summaries_after(project, after_end, 2)
    assert nothing.ids == [] and same == after_end


def test_a_page_stops_at_a_position(project: Project) -> None:
    c = store.item_position(project, "c")
    assert c is not None and store.item_position(project, "nope") is None
    page, last = store.load_summaries_after(project, -1, through_pos=c)
    assert page.ids == ["a", "b", "c"] and last == c
    assert page.main_errors["sys2"][2] == 0 and page.main_category["sys2"][2] == ""
    assert store.items_between(project, -1, c) == 3
    assert store.items_between(project, c, c) == 0
