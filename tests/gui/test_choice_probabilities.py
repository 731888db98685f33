"""The choice view shows the option probabilities of a multiple-choice item imported from a
real lm-evaluation-harness log (per-option log-likelihoods): each option's mean probability
over the models beside its vote bar, each model's in the tooltip."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.gui.kinds.choice.view import ChoiceView
from reviewer.gui.main_window import MainWindow
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from tests.gui.flow_helpers import close_window, open_window

LOGS = Path(__file__).resolve().parents[1] / "data" / "harness" / "lm-eval"


def _log(model: str) -> Path:
    return next((LOGS / model).glob("samples_reviewer_mc_*.jsonl"))


@pytest.fixture
def harness_window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    db = tmp_path / "mc.db"
    bench = load_benchmark(_log("modelA"), [("modelB", _log("modelB"))],
                           ReadOptions(kind="choice"))
    with Project(db, create=True) as project:
        import_benchmark(project, bench)
    win = open_window(qtbot, db)
    yield win
    close_window(win)


def test_options_show_the_models_mean_probability(harness_window: MainWindow) -> None:
    view = harness_window.kind_view
    assert isinstance(view, ChoiceView)
    harness_window.items.select_id("0")
    assert view.question.text() == "Which planet is closest to the Sun?"
    rows = [r for r in view.rows if r.isVisible()]
    # modelA's log-likelihoods give B 0.572481 and A 0.164018; modelB's A 0.638701, B 0.182991.
    assert [r.probability.text() for r in rows[:2]] == ["p 0.40", "p 0.38"]
    assert all(not r.probability.isHidden() for r in rows)
    assert "modelA: 0.164" in rows[0].probability.toolTip()
    assert "modelB: 0.639" in rows[0].probability.toolTip()
    assert [(r.bar.votes, r.bar.total) for r in rows[:2]] == [(1, 2), (1, 2)]


def test_letters_alone_show_no_probability(tmp_path: Path, qtbot: QtBot) -> None:
    table = tmp_path / "quiz.csv"
    table.write_text("id,question,A,B,answer,m1\nq1,Sky?,blue,green,A,A\n", encoding="utf-8")
    db = tmp_path / "quiz.db"
    with Project(db, create=True) as project:
        import_benchmark(project, load_benchmark(table, [], ReadOptions(kind="choice")))
    win = MainWindow("tester")
    qtbot.addWidget(win)
    assert win.open_project(db)
    view = win.kind_view
    assert isinstance(view, ChoiceView)
    assert all(r.probability.isHidden() for r in view.rows)
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()
