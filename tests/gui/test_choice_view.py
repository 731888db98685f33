"""The choice view, its keys, the suspicion column and queue, and the diff view's marker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from reviewer.core.items import Benchmark, Item
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.gui.kinds.choice.view import ChoiceView
from reviewer.gui.main_window import MainWindow
from reviewer.gui.session import ReviewSession
from reviewer.gui.suspicion import tracker
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

QUIZ = (
    "id,question,A,B,C,D,answer,m1,m2,m3\n"
    "q1,Capital of France?,Rome,Paris,Oslo,Bern,B,B,B,B\n"
    "q2,Largest planet?,Mars,Venus,Jupiter,Earth,A,C,C,\n"
    "q3,Smallest prime?,1,2,3,4,B,B,A,C\n"
)


def _window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, db: Path) -> MainWindow:
    win = MainWindow("tester")
    qtbot.addWidget(win)
    assert win.open_project(db)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    return win


@pytest.fixture
def quiz_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                qtbot: QtBot) -> Iterator[MainWindow]:
    table = tmp_path / "quiz.csv"
    table.write_text(QUIZ, encoding="utf-8")
    db = tmp_path / "quiz.db"
    with Project(db, create=True) as project:
        import_benchmark(project, load_benchmark(table, [], ReadOptions(kind="choice")))
    win = _window(tmp_path, monkeypatch, qtbot, db)
    yield win
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()


def view_of(win: MainWindow) -> ChoiceView:
    assert isinstance(win.kind_view, ChoiceView)
    return win.kind_view


def key(qtbot: QtBot, win: MainWindow, k: Qt.Key, shift: bool = False) -> None:
    session = win.session
    assert session is not None
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        qtbot.keyClick(win.items.table, k, Qt.KeyboardModifier.ShiftModifier if shift
                       else Qt.KeyboardModifier.NoModifier)


def test_shows_question_options_key_and_votes(quiz_window: MainWindow, qtbot: QtBot) -> None:
    view = view_of(quiz_window)
    assert not quiz_window.diff.isVisible()  # SHOWS_DIFF is False
    quiz_window.items.select_id("q2")
    assert view.question.text() == "Largest planet?"
    rows = [r for r in view.rows if r.isVisible()]
    assert [r.text.text() for r in rows] == ["Mars", "Venus", "Jupiter", "Earth"]
    assert "key" in rows[0].marks.text() and rows[2].marks.text() == ""
    assert [(r.bar.votes, r.bar.total) for r in rows] == [(0, 2), (0, 2), (2, 2), (0, 2)]
    assert "m1" in rows[2].bar.toolTip() and "m2" in rows[2].bar.toolTip()
    assert "no answer from m3" in view.votes_note.text()
    quiz_window.grab()  # paints the vote bars


def test_error_type_keys_pick_and_expert(quiz_window: MainWindow, qtbot: QtBot) -> None:
    session = quiz_window.session
    assert session is not None
    quiz_window.items.select_id("q2")
    view = view_of(quiz_window)
    key(qtbot, quiz_window, Qt.Key.Key_W)
    label = session.decision("q2")
    assert (label.verdict, label.error_type, label.corrected_reference) == (
        "reference_error", "wrong_groundtruth", None)
    key(qtbot, quiz_window, Qt.Key.Key_C, shift=True)
    assert session.decision("q2").corrected_reference == "C"
    assert "corrected key" in view.rows[2].marks.text()
    assert "original" in view.rows[0].marks.text()
    key(qtbot, quiz_window, Qt.Key.Key_M)  # multiple correct: picks now add or remove
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        view.rows[0].picked.emit("A")  # as a click on option A does
    assert session.decision("q2").corrected_reference == "A|C"
    key(qtbot, quiz_window, Qt.Key.Key_E)
    assert session.decision("q2").tags == ("expert",)
    assert view.expert_button.isChecked()
    key(qtbot, quiz_window, Qt.Key.Key_Q)  # unclear question: removed, no corrected key
    label = session.decision("q2")
    assert (label.error_type, label.corrected_reference) == ("bad_question_clarity", None)
    assert view.type_buttons["bad_question_clarity"].isChecked()
    key(qtbot, quiz_window, Qt.Key.Key_Q)  # the same key again clears the decision
    assert session.decision("q2").verdict is None and session.decision("q2").tags == ("expert",)


def test_n_is_no_correct_answer_and_shift_n_moves_on(quiz_window: MainWindow, qtbot: QtBot) -> None:
    session = quiz_window.session
    assert session is not None
    assert session.current_item == "q1"
    key(qtbot, quiz_window, Qt.Key.Key_N)
    assert session.decision("q1").error_type == "no_correct_answer"
    assert session.current_item == "q1"
    qtbot.keyClick(quiz_window.items.table, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    assert session.current_item == "q2"


def test_suspicion_column_and_queue(quiz_window: MainWindow, qtbot: QtBot) -> None:
    items = quiz_window.items
    session = quiz_window.session
    assert session is not None
    suspicion = tracker(session)
    column = items.model.suspicion_column()
    assert column is not None
    assert items.model.headerData(column, Qt.Orientation.Horizontal) == "Suspicion"
    with qtbot.waitSignal(suspicion.ready, timeout=10_000):
        items.queue_check.setChecked(True)
    assert items.visible_ids()[0] == "q2"
    scores = [items.model.index(r, column).data() for r in range(3)]
    assert all(float(s) >= 0 for s in scores) and scores == sorted(scores, reverse=True)
    items.queue_check.setChecked(False)
    assert items.visible_ids() == ["q1", "q2", "q3"]


ITEMS = {f"l{k}": (f"plain line {k}", f"plain line {k}", f"plain 1ine {k}") for k in range(20)}
ITEMS["typo"] = ("the wtach was late", "the watch was late", "the watch was late")


def test_diff_view_marks_spans_several_systems_agree_on(tmp_path: Path, qtbot: QtBot,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "ocr.db"
    bench = Benchmark("text", [Item(k, v[0]) for k, v in ITEMS.items()],
                      {"a": {k: v[1] for k, v in ITEMS.items()},
                       "b": {k: v[2] for k, v in ITEMS.items()}})
    with Project(db, create=True) as project:
        import_benchmark(project, bench)
    win = _window(tmp_path, monkeypatch, qtbot, db)
    try:
        session = win.session
        assert session is not None
        suspicion = tracker(session)
        if suspicion.suspects is None:
            with qtbot.waitSignal(suspicion.ready, timeout=10_000):
                suspicion.refresh()
        win.diff.set_mode("inline")  # read the reference row (two systems open stacked)
        win.items.select_id("typo")
        marks = win.diff._rendering.marks
        assert marks and all(m.suspect for m in marks)
        reference = win.diff.block_text(None)
        at = reference.index("w") + 1
        assert "reference may be wrong" in win.diff.tooltip_at(None, at)
        win.items.select_id("l3")  # b's one-off error is not suspect
        assert not any(m.suspect for m in win.diff._rendering.marks)
    finally:
        QThreadPool.globalInstance().waitForDone(30_000)
        win.close()


def test_spans_of_a_relabelled_item_are_dropped(make_review_session: Callable[..., ReviewSession],
                                                qtbot: QtBot) -> None:
    items = [Item(k, v[0]) for k, v in ITEMS.items()]
    session = make_review_session(items, {"a": {k: v[1] for k, v in ITEMS.items()},
                                           "b": {k: v[2] for k, v in ITEMS.items()}})
    suspicion = tracker(session)
    with qtbot.waitSignal(suspicion.ready, timeout=10_000):
        suspicion.refresh()
    marked = suspicion.spans("typo")
    assert marked and (suspicion.score("typo") or 0) > 0.5
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        session.decide("typo", verdict="reference_error")
    assert suspicion.spans("typo") == marked  # a verdict alone: the reference is the same
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        session.decide("typo", corrected_reference="the watch was late")
    assert suspicion.spans("typo") == [] and (suspicion.score("typo") or 0) > 0.5
    session.decisionsReset.emit()
    assert suspicion.spans("l1") == []
    with qtbot.waitSignal(suspicion.ready, timeout=10_000):
        suspicion.refresh()
    assert suspicion.score("typo") == 0.0  # ranked again against the corrected reference


@pytest.mark.slow
def test_large_projects_are_ranked_in_a_child_process(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import reviewer.gui.suspicion as module
    from reviewer.core.progress import NullProgress

    db = tmp_path / "ocr.db"
    bench = Benchmark("text", [Item(k, v[0]) for k, v in ITEMS.items()],
                      {"a": {k: v[1] for k, v in ITEMS.items()},
                       "b": {k: v[2] for k, v in ITEMS.items()}})
    with Project(db, create=True) as project:
        import_benchmark(project, bench)
    monkeypatch.setattr(module, "CHILD_PROCESS_ITEMS", 1)
    result = module._compute(str(db), True, NullProgress())
    assert result.order[0] == "typo" and result.spans["typo"]
