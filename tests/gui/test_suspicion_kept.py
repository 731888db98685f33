"""A large project's ranking is kept in it: the window opened again shows it (scores, notes,
marked spans) without ranking, asking for the queue again ranks anew only once a corrected
reference changed since (a verdict alone does not), and a window opened after such a
correction shows the kept ranking without that item's spans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from reviewer.core.items import Benchmark, Item
from reviewer.gui import suspicion
from reviewer.gui.suspicion import tracker
from reviewer.store import decisions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.suspects import kept_suspects, rank_in_passes
from tests.gui.flow_helpers import close_window, open_window

LINES = {f"l{k}": f"line {k} of a small benchmark" for k in range(12)}


def test_the_kept_ranking_is_shown_without_ranking_until_a_reference_is_corrected(
        tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "text.db"
    references = {**LINES, "l5": "line 5 of a smal benchmark"}  # both systems read "small"
    with Project(db, create=True) as project:
        import_benchmark(project, Benchmark("text", [Item(k, v) for k, v in references.items()], {
            "c": LINES, "d": {k: v.replace("benchmark", "bench") for k, v in LINES.items()}}),
            workers=1)
        rank_in_passes(project)  # as `reviewer suspects` or an earlier window left it
    monkeypatch.setattr(suspicion, "CHILD_PROCESS_ITEMS", 0)  # ranked as a large project
    ranked: list[str] = []
    real = suspicion.in_child

    def counted(target: Any, path: str, progress: Any) -> Any:
        ranked.append(path)
        return real(target, path, progress)

    monkeypatch.setattr(suspicion, "in_child", counted)
    win = open_window(qtbot, db)
    assert win.session is not None
    ranking = tracker(win.session)
    with qtbot.waitSignal(ranking.ready, timeout=10_000):
        pass  # the ranking after opening
    assert ranked == []
    assert (ranking.score("l5") or 0) > 0.5
    assert ranking.note("l5") == "'smal' → 'small': 2 of 2 systems (c, d)"
    assert [s.replacement for s in ranking.spans("l5")] == ["l"]
    with qtbot.waitSignal(ranking.ready, timeout=10_000):
        ranking.refresh()  # asked for again, nothing changed: the kept one serves
    assert ranked == []
    close_window(win)

    with Project(db) as project:  # a verdict alone changes nothing the ranking reads
        decisions.decide(project, "l5", "me", verdict="reference_error")
    win = open_window(qtbot, db)
    assert win.session is not None
    ranking = tracker(win.session)
    with qtbot.waitSignal(ranking.ready, timeout=10_000):
        ranking.refresh()
    assert ranked == [] and [s.replacement for s in ranking.spans("l5")] == ["l"]
    close_window(win)

    with Project(db) as project:  # a correction, from another window or a team pull
        decisions.decide(project, "l5", "me", corrected_reference=references["l5"])
    win = open_window(qtbot, db)
    assert win.session is not None
    ranking = tracker(win.session)
    with qtbot.waitSignal(ranking.ready, timeout=10_000):
        pass
    assert ranked == []  # opening: the kept ranking, as this window would keep its own
    assert (ranking.score("l5") or 0) > 0.5 and ranking.spans("l5") == []
    with qtbot.waitSignal(ranking.ready, timeout=60_000):
        ranking.refresh()  # asked for again after a decision: ranked anew, and kept
    assert ranked == [str(db)]
    assert [s.replacement for s in ranking.spans("l5")] == ["l"]
    close_window(win)
    with Project(db) as project:
        assert kept_suspects(project, unchanged=True) == ranking.suspects
