"""An import of a large project names each of its last stages (the item list's columns,
the score groups, the text index) with a progress of its own, instead of showing "done"
while they run; a small project's import shows none of the large-project stages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.formats.registry import ReadOptions
from reviewer.store import score_groups, text_search
from reviewer.store.importer import LIST_STAGE, import_benchmark
from reviewer.store.project import Project
from reviewer.store.stream_import import import_streamed
from tests.store.test_import_streaming import Recorder, lines_bench

LARGE = ("Grouping the scores of a large project",
         "Indexing texts for the item list's text filter")
FACTS = LIST_STAGE


@pytest.fixture
def large_from_ten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(score_groups, "FILL_AT_IMPORT_FROM", 10)
    monkeypatch.setattr(text_search, "INDEX_FROM_ITEMS", 10)


def _stages(statuses: list[str]) -> list[str]:
    return [s for s in statuses if s == FACTS or s in LARGE]


def _table(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "lines.jsonl"
    path.write_text("".join(json.dumps({"id": f"l{k}", "reference": f"the harbour {k}",
                                        "pred_a": f"the harb0ur {k}"}) + "\n"
                            for k in range(n)), encoding="utf-8")
    return path


def _check_large(path: Path, seen: Recorder) -> None:
    assert _stages(seen.statuses) == [FACTS, *LARGE]
    assert seen.fractions[-1] == 1.0
    with Project(path) as project:
        assert project.db.execute("SELECT count(*) FROM score_groups").fetchone()[0] > 0
        assert text_search.usable(project)


@pytest.mark.usefixtures("large_from_ten")
def test_a_streamed_large_import_shows_each_last_stage(tmp_path: Path) -> None:
    seen = Recorder()
    done = import_streamed(tmp_path / "p.db", _table(tmp_path, 12), [],
                           ReadOptions(kind="text"), progress=seen, workers=1)
    assert done is not None
    _check_large(tmp_path / "p.db", seen)


@pytest.mark.usefixtures("large_from_ten")
def test_a_whole_large_import_shows_each_last_stage(tmp_path: Path) -> None:
    seen = Recorder()
    with Project(tmp_path / "p.db", create=True) as project:
        import_benchmark(project, lines_bench(("a", "b")), progress=seen, workers=1)
    _check_large(tmp_path / "p.db", seen)


def test_a_small_import_shows_no_large_project_stage(tmp_path: Path) -> None:
    seen = Recorder()
    with Project(tmp_path / "p.db", create=True) as project:
        import_benchmark(project, lines_bench(("a",)), progress=seen, workers=1)
    assert _stages(seen.statuses) == [FACTS]
    assert seen.fractions[-1] == 1.0
