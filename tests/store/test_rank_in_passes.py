"""The sequence kinds' ranking, a part of the project at a time (:func:`rank_in_passes`):
every item's score in the item facts is the score :func:`compute_suspects` gives it, however
many items a read takes, and what it returns holds the same spans, notes and order for the
items that score above 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.items import Benchmark, Item
from reviewer.core.tokenize import CharMode
from reviewer.store import decisions, suspects
from reviewer.store.importer import import_benchmark
from reviewer.store.list_facts import store_suspicion
from reviewer.store.project import Project
from reviewer.store.suspects import compute_suspects, rank_in_passes, ranks_in_passes

# Every third line's reference has a typo that two or three systems correct alike (the
# suspects); the systems also make errors of their own, alike on a few lines (``0`` for
# ``o``), and ``rough`` has no prediction for one line.
LINES = {f"l{k:02d}": f"line {k} of the {'teh' if k % 3 == 0 else 'the'} story, told slowly"
         for k in range(31)}


def _read(text: str, system: str, k: int) -> str:
    fixed = text.replace("teh", "the") if system != "rough" or k % 2 else text
    if system == "rough":
        return fixed.replace("o", "0")
    if system == "quick":
        return fixed.replace("slowly", "slow1y") if k % 5 else fixed.replace("o", "0")
    return fixed.replace("story", "st0ry") if k % 4 == 0 else fixed


def _project(path: Path, mode: CharMode = "grapheme") -> Project:
    project = Project(path, create=True)
    systems = {s: {k: _read(v, s, n) for n, (k, v) in enumerate(LINES.items())
                   if not (s == "rough" and n == 7)} for s in ("careful", "quick", "rough")}
    import_benchmark(project, Benchmark("text", [Item(k, v) for k, v in LINES.items()],
                                        systems), char_mode=mode, workers=1)
    # A corrected reference: the item is ranked against the correction.
    decisions.decide(project, "l09", "me",
                     corrected_reference="line 9 of the the story, told slowly")
    return project


def _facts(project: Project) -> dict[str, float | None]:
    return dict(project.db.execute(
        "SELECT i.id, f.suspicion FROM list_facts f JOIN items i USING (pos)").fetchall())


@pytest.mark.parametrize("mode", ["grapheme", "codepoint"])
@pytest.mark.parametrize("per_read", [1, 7, 10_000])
def test_the_facts_hold_every_items_score_however_many_items_a_read_takes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: CharMode, per_read: int) -> None:
    monkeypatch.setattr(suspects, "ZEROS_PER_WRITE", 3)  # several writes per read
    with _project(tmp_path / "p.db", mode) as project:
        whole = compute_suspects(project)
        suspect = {k for k, v in whole.scores.items() if v > 0}
        assert {"l03", "l06"} <= suspect and "l09" not in suspect  # corrected: not suspect
        assert len(suspect) < len(LINES) - 10  # most lines score 0 in some read
        assert set(_facts(project).values()) == {None}  # never ranked
        ranked = rank_in_passes(project, items_per_read=per_read)
        assert _facts(project) == whole.scores
        assert ranked.scores == {k: whole.scores[k] for k in suspect}
        assert ranked.order == [k for k in whole.order if k in suspect]
        assert ranked.spans == whole.spans and ranked.notes == whole.notes
        assert ranked.top(2) == whole.top(2)


@pytest.mark.parametrize("explained", [1, 5, 12])
def test_it_returns_the_most_suspicious_items_explained_and_no_more(
        tmp_path: Path, explained: int) -> None:
    with _project(tmp_path / "p.db") as project:
        whole = compute_suspects(project)
        ranked = rank_in_passes(project, items_per_read=4, explained=explained)
        best = whole.order[:explained]
        assert ranked.order == best and ranked.scores == {k: whole.scores[k] for k in best}
        assert ranked.spans == {k: whole.spans[k] for k in best}
        assert ranked.notes == {k: whole.notes[k] for k in best}
        assert _facts(project) == whole.scores  # every score is kept all the same


def test_ranking_again_rewrites_the_scores_that_changed(tmp_path: Path) -> None:
    with _project(tmp_path / "p.db") as project:
        rank_in_passes(project, items_per_read=4)
        assert (_facts(project)["l03"] or 0.0) > 0
        decisions.decide(project, "l03", "me",
                         corrected_reference="line 3 of the the story, told slowly")
        # A stale score of an item that has none now, as an earlier ranking left it.
        store_suspicion(project, {"l01": 0.75})
        ranked = rank_in_passes(project, items_per_read=4)
        assert "l03" not in ranked.scores
        assert _facts(project) == compute_suspects(project).scores
        assert _facts(project)["l03"] == _facts(project)["l01"] == 0.0
        # Its own commits do not wait for the disk; the connection's setting is back.
        assert project.db.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_only_the_default_sequence_ranking_of_a_writable_project_runs_in_passes(
        tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    _project(path).close()
    with Project(path) as project:
        assert ranks_in_passes(project)
    with Project(path, read_only=True) as project:
        assert not ranks_in_passes(project)  # its scores cannot be kept in the facts
    with Project(tmp_path / "asr.db", create=True) as project:
        import_benchmark(project, Benchmark("asr", [Item(k, v) for k, v in LINES.items()],
                                            {"a": dict(LINES), "b": dict(LINES)}))
        assert not ranks_in_passes(project)  # word suspicion reads every item at once
