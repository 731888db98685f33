"""The item list's filters over a stored project: the store answers the filter queries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer.core.item_list.filters import UNREVIEWED, ItemFilter, ItemFilterState
from reviewer.core.item_list.queue import next_unreviewed
from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions
from reviewer.store.importer import import_benchmark
from reviewer.store.item_queries import ProjectItemQueries
from reviewer.store.project import Project
from reviewer.store.summaries import load_summaries


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    p = Project(project_path, create=True)
    items = [Item("a", "The modern cat", meta=(("speaker", "spk07"),)),
             Item("b", "Hello world"), Item("c", "Good morning"), Item("d", "Café crème")]
    preds = {"sys1": {"a": "The rnodern cat", "b": "Hello world", "c": "Good rnorning",
                      "d": "Cafe creme"},
             "sys2": {"a": "The modern cat", "b": "hello world", "c": "Good morning",
                      "d": "Café crème"}}
    import_benchmark(p, Benchmark("text", items, preds))
    yield p
    p.close()


def shown(project: Project, criteria: ItemFilter) -> set[str] | None:
    state = ItemFilterState(ProjectItemQueries(project))
    state.update(criteria)
    state.apply(load_summaries(project))
    return state.allowed


def test_text_category_and_metadata_filters_read_the_project(project: Project) -> None:
    assert shown(project, ItemFilter(text="rnorning")) == {"c"}
    assert shown(project, ItemFilter(text="speaker:spk07")) == {"a"}
    assert shown(project, ItemFilter(category="confusable")) == {"a", "c"}
    assert shown(project, ItemFilter(category="case", system="sys2")) == {"b"}
    assert shown(project, ItemFilter(category="case", system="sys1")) == set()
    assert shown(project, ItemFilter(only_errors=True, system="sys2")) == {"b"}


def test_disagreements_and_the_review_queue_after_decisions(project: Project) -> None:
    decisions.decide(project, "a", "ann", verdict="model_error")
    decisions.decide(project, "a", "bob", verdict="reference_error",
                     corrected_reference="The rnodern cat")
    decisions.decide(project, "c", "ann", verdict="ok")
    assert shown(project, ItemFilter(disagreements_only=True)) == {"a"}
    assert shown(project, ItemFilter(verdict=UNREVIEWED)) == {"b", "d"}
    summaries = load_summaries(project)
    assert next_unreviewed(summaries.ids, "b", summaries.verdicts, lambda _: True) == "d"
    assert next_unreviewed(summaries.ids, "d", summaries.verdicts, lambda _: True) == "b"
