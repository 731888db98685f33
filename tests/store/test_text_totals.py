"""A large text project's scores summed up in SQL are those of the item-by-item summary:
same numbers, same intervals, same key order (issue 19 §2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.core import bootstrap_grouped
from reviewer.core.items import Benchmark, Item
from reviewer.store import scores
from reviewer.store.decisions import decide
from reviewer.store.importer import import_into
from reviewer.store.project import Project
from reviewer.store.scores import score_project
from reviewer.store.text_totals import text_summaries

LARGE = 8  # items from which these tests count a project as large


def varied_bench() -> Benchmark:
    """Categories that first occur late, an empty reference, a missing prediction."""
    refs = ["the cat", "Hello world", "", "modern times", "12 apples", "a b c", "café au lait",
            "same", "the end."]
    hyps = {"ocr": ["the cat", "He1lo world", "x", "rnodern times", "12 app1es", "a bc",
                    "cafe au lait", "same", "the end,"],
            "htr": ["The cat", "Hello", "", "modern  times", "13 apples", "a b c d",
                    "café", "sarne", "the end."]}
    items = [Item(f"i{k}", r) for k, r in enumerate(refs)]
    preds = {s: {f"i{k}": h for k, h in enumerate(texts)} for s, texts in hyps.items()}
    del preds["htr"]["i4"]
    return Benchmark("text", items, preds)


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bootstrap_grouped, "GROUPED_FROM", LARGE)


def item_by_item(project: Project) -> str:
    """The report of the summary that builds a row per item (the only one before)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scores, "text_summaries", lambda *args: None)
        return json.dumps(score_project(project, resamples=300))


@pytest.mark.usefixtures("large")
def test_sql_summary_equals_the_item_by_item_one(project_path: Path) -> None:
    import_into(project_path, varied_bench(), workers=1)
    with Project(project_path) as project:
        assert text_summaries(project, scores.StatOptions(0.95, 300, 0, "beta")) is not None
        fast = json.dumps(score_project(project, resamples=300))
        assert fast == item_by_item(project)
    report = json.loads(fast)
    assert [s["missing"] for s in report["systems"]] == [0, 1]
    assert next(iter(report["systems"][0]["categories"])) == "confusable"  # "He1lo": met first


def test_small_projects_keep_the_item_by_item_summary(project_path: Path) -> None:
    import_into(project_path, varied_bench(), workers=1)
    with Project(project_path) as project:
        assert text_summaries(project, scores.StatOptions(0.95, 300, 0, "beta")) is None


def item_by_item_set(project: Project, set_name: scores.ScoreSet) -> str:
    """The report of ``set_name`` by the summary that builds a row per item."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scores, "text_summaries", lambda *args: None)
        return json.dumps(score_project(project, set_name, resamples=300))


def test_the_cleaned_set_summed_up_equals_the_item_by_item_one(
        project_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Corrected references (one bringing a new category, one taking away the only
    "confusable" of a system, one on the item without a prediction, one emptied), removed
    items (one being the first item, so the categories' order changes)."""
    monkeypatch.setattr(bootstrap_grouped, "GROUPED_FROM", LARGE - 2)
    import_into(project_path, varied_bench(), workers=1)
    with Project(project_path) as project:
        original = json.loads(item_by_item_set(project, "original"))
        decide(project, "i0", "ann", verdict="unusable")
        decide(project, "i1", "ann", verdict="reference_error",
               corrected_reference="He1lo world")
        decide(project, "i4", "ann", corrected_reference="12 app1es!")
        decide(project, "i5", "ann", corrected_reference="")
        decide(project, "i7", "ann", verdict="ambiguous")
        decide(project, "i8", "ann", verdict="ok")
        decide(project, "i3", "ann", corrected_reference="modern TIMES")
        decide(project, "i3", "ann", verdict="unusable")  # still revised: corrected
        assert text_summaries(project, scores.StatOptions(0.95, 300, 0, "beta"),
                              "cleaned") is not None
        fast = json.dumps(score_project(project, "cleaned", resamples=300))
        assert fast == item_by_item_set(project, "cleaned")
    report = json.loads(fast)
    assert report["items"] == 7
    assert [s["items_scored"] for s in report["systems"]] == [7, 7]
    assert report["systems"] != original["systems"]


@pytest.mark.usefixtures("large")
def test_a_cleaned_set_below_the_size_keeps_the_item_by_item_summary(
        project_path: Path) -> None:
    import_into(project_path, varied_bench(), workers=1)
    with Project(project_path) as project:
        decide(project, "i0", "ann", verdict="unusable")
        decide(project, "i2", "ann", verdict="unusable")
        stats = scores.StatOptions(0.95, 300, 0, "beta")
        assert text_summaries(project, stats, "original") is not None
        assert text_summaries(project, stats, "cleaned") is None  # 7 items: fewer than 8
        fast = json.dumps(score_project(project, "cleaned", resamples=300))
        assert fast == item_by_item_set(project, "cleaned")
