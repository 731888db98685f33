"""A large text project's scores summed up in SQL are those of the item-by-item summary:
same numbers, same intervals, same key order (issue 19 §2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.core import bootstrap_grouped
from reviewer.core.items import Benchmark, Item
from reviewer.store import scores
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
        patch.setattr(scores, "text_summaries", lambda project, stats: None)
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


@pytest.mark.usefixtures("large")
def test_other_sets_keep_the_item_by_item_summary(project_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import_into(project_path, varied_bench(), workers=1)
    with Project(project_path) as project:
        expected = score_project(project, "cleaned", resamples=300)

        def refuse(project: Project, stats: scores.StatOptions) -> None:
            raise AssertionError("the cleaned set was summed up in SQL")

        monkeypatch.setattr(scores, "text_summaries", refuse)
        assert score_project(project, "cleaned", resamples=300) == expected
