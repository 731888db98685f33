"""A large project's ranking kept in it (:mod:`reviewer.store.kept_ranking`): read back as
:func:`rank_in_passes` returned it; a corrected reference drops its item's spans and marks
it changed (a verdict alone does not);
an import, a rescore, another ranking's scores or another version forget it; a ranking
that did not finish keeps nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.core.errors import Cancelled
from reviewer.core.items import Benchmark, Item
from reviewer.core.progress import NullProgress
from reviewer.core.suspicion import SuspectSpan
from reviewer.store import decisions, kept_ranking
from reviewer.store.importer import import_benchmark
from reviewer.store.list_facts import store_suspicion
from reviewer.store.project import Project
from reviewer.store.rescore import rescore
from reviewer.store.suspects import kept_suspects, rank_in_passes
from tests.store.test_rank_in_passes import LINES, _project


def test_the_kept_ranking_reads_back_as_it_was_returned(tmp_path: Path) -> None:
    with _project(tmp_path / "p.db") as project:
        assert kept_suspects(project) is None  # never ranked
        ranked = rank_in_passes(project, items_per_read=4)
        assert ranked.order and any(ranked.spans.values())
        for kept in (kept_suspects(project), kept_suspects(project, unchanged=True)):
            assert kept == ranked
    with Project(tmp_path / "p.db", read_only=True) as project:
        assert kept_suspects(project) == ranked  # a project opened read-only reads it too


def test_a_corrected_reference_drops_its_items_spans_and_marks_the_ranking_changed(
        tmp_path: Path) -> None:
    with _project(tmp_path / "p.db") as project:
        ranked = rank_in_passes(project, items_per_read=4)
        first, second = ranked.order[:2]
        assert ranked.spans[first] and ranked.spans[second]
        decisions.decide(project, first, "me", verdict="reference_error")
        # A verdict alone changes nothing the ranking reads.
        assert kept_suspects(project, unchanged=True) == ranked
        decisions.decide(project, first, "me", corrected_reference=LINES[first] + " (sic)")
        assert kept_suspects(project, unchanged=True) is None  # asked for again: rank anew
        kept = kept_suspects(project)
        assert kept is not None
        assert kept.order == ranked.order and kept.scores == ranked.scores
        assert kept.notes == ranked.notes
        assert kept.spans[first] == [] and kept.spans[second] == ranked.spans[second]
        ranked_again = rank_in_passes(project, items_per_read=4)
        assert kept_suspects(project, unchanged=True) == ranked_again
        decisions.undo(project, "me")  # back to the original reference: re-aligned again
        assert kept_suspects(project, unchanged=True) is None


def test_an_import_a_rescore_or_another_rankings_scores_forget_it(tmp_path: Path) -> None:
    with _project(tmp_path / "p.db") as project:
        rank_in_passes(project)
        import_benchmark(project, Benchmark("text", [Item(k, v) for k, v in LINES.items()],
                                            {"fourth": dict(LINES)}), workers=1)
        assert kept_suspects(project) is None
        rank_in_passes(project)
        rescore(project, workers=1)
        assert kept_suspects(project) is None
        rank_in_passes(project)
        store_suspicion(project, {"l01": 0.5})
        assert kept_suspects(project) is None


def test_a_ranking_that_did_not_finish_keeps_nothing(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    class StopWhileScoring(NullProgress):
        scoring = False

        def status(self, text: str) -> None:
            self.scoring = text.startswith("Scoring")

        def cancelled(self) -> bool:
            return self.scoring

    with _project(tmp_path / "p.db") as project:
        rank_in_passes(project)
        with pytest.raises(Cancelled):  # stopped after the earlier ranking was forgotten
            rank_in_passes(project, StopWhileScoring(), items_per_read=4)
        assert kept_suspects(project) is None
        # Ended while its rows are written (a write per row; the third one fails): the
        # rows written are not a ranking.
        monkeypatch.setattr(kept_ranking, "ROWS_PER_WRITE", 1)
        real, calls = kept_ranking.spans_json, []

        def failing(spans: list[SuspectSpan]) -> str:
            calls.append(1)
            if len(calls) == 3:
                raise OSError("disk full")
            return real(spans)

        monkeypatch.setattr(kept_ranking, "spans_json", failing)
        with pytest.raises(OSError):
            rank_in_passes(project)
        assert kept_suspects(project) is None
        assert project.db.execute("SELECT count(*) FROM kept_suspects").fetchone()[0] == 2
        monkeypatch.setattr(kept_ranking, "spans_json", real)
        ranked = rank_in_passes(project)
        assert kept_suspects(project, unchanged=True) == ranked


def test_a_ranking_kept_by_another_version_or_method_is_not_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _project(tmp_path / "p.db") as project:
        rank_in_passes(project)
        assert kept_ranking.kept(project.db, "other") is None
        monkeypatch.setattr(kept_ranking, "__version__", "0.0.0-other")
        assert kept_suspects(project) is None


def test_spans_go_through_json_whole_and_a_damaged_value_gives_none() -> None:
    span = SuspectSpan((3, 7), "teh ", "the ", ("a", "b"), 0.875, words="of teh story",
                       readings=(("the", ("a", "b")), ("", ("c",))), voters=3,
                       marks=((3, 6, "the"), (6, 7, "")), timing="1.2–1.5 s")
    text = kept_ranking.spans_json([span, SuspectSpan((0, 1), "é", "e", ("a",), 0.5)])
    assert kept_ranking.spans_of(text) == [span, SuspectSpan((0, 1), "é", "e", ("a",), 0.5)]
    assert "é" in text  # kept as written, not escaped
    for damaged in ("", "{", "[[1]]", json.dumps({"a": 1}), "[[[0, 1], 2]]"):
        assert kept_ranking.spans_of(damaged) == []


def test_a_decision_finds_its_kept_row_by_index(tmp_path: Path) -> None:
    """Each verdict drops its item's spans: a lookup (50,000 rows are kept at 10,000,000
    items; a scan of them added 9 ms to every verdict)."""
    with _project(tmp_path / "p.db") as project:
        plan = " ".join(str(r[-1]) for r in project.db.execute(
            "EXPLAIN QUERY PLAN UPDATE kept_suspects SET spans = '[]' WHERE spans != '[]' "
            "AND item_id IN (?, ?)", ["l03", "l06"]))
        assert "USING INDEX kept_suspects_item" in plan, plan


def test_a_damaged_kept_ranking_is_ranked_again(tmp_path: Path) -> None:
    """A project file from anyone: a kept score that is no number makes no ranking; damaged
    spans or a note of another type are read as none and as text."""
    with _project(tmp_path / "p.db") as project:
        ranked = rank_in_passes(project)
        first, second = ranked.order[:2]
        with project.db.conn:
            project.db.execute("UPDATE kept_suspects SET spans = '{', note = 7 "
                               "WHERE item_id = ?", [first])
        kept = kept_suspects(project)
        assert kept is not None and kept.spans[first] == [] and kept.notes[first] == "7"
        assert kept.spans[second] == ranked.spans[second]
        with project.db.conn:
            project.db.execute("UPDATE kept_suspects SET score = 'high' WHERE item_id = ?",
                               [second])
        assert kept_suspects(project) is None
