"""The gec item view: TP/FP/FN marks, and accepting or rejecting gold edits (issue 6)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool, QUrl
from PySide6.QtGui import QKeySequence, QTextCursor, QTextDocument
from pytestqt.qtbot import QtBot

from reviewer.core.gec import parse_block
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.gui.kinds import gec as gec_view
from reviewer.gui.kinds.gec.view import GecView
from reviewer.gui.session import ReviewSession
from reviewer.gui.shortcuts import SHORTCUTS
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

GEC = "gec-errant"


@pytest.fixture
def session(peer_fixtures: Path, tmp_path: Path, qtbot: QtBot) -> Iterator[ReviewSession]:
    """ERRANT's demo: gold orig -> cor1 (one annotator), system ``cor2``."""
    folder = peer_fixtures / GEC
    bench = load_benchmark(folder / "cor1.errant-3.0.2.m2",
                           [("cor2", folder / "cor2.errant-3.0.2.m2")], ReadOptions(kind="gec"))
    path = tmp_path / "gec.db"
    with Project(path, create=True) as project:
        import_benchmark(project, bench)
    opened = ReviewSession(path, "tester")
    yield opened
    QThreadPool.globalInstance().waitForDone(30_000)
    opened.close()


def make_view(session: ReviewSession, qtbot: QtBot, item: str = "1") -> GecView:
    view = GecView(session)
    qtbot.addWidget(view)
    session.set_current_item(item)
    return view


def select(view: GecView, row: str, mark: str, error_type: str) -> None:
    for k, shown in enumerate(view.shown):
        if (shown.row, shown.mark, shown.edit.type) == (row, mark, error_type):
            view.select(k)
            return
    raise AssertionError(f"no {mark} {error_type} edit on row {row}")


def test_rows_and_marks(session: ReviewSession, qtbot: QtBot) -> None:
    view = make_view(session, qtbot)
    text = view.browser.toPlainText()
    lines = text.splitlines()
    assert lines[0] == "Source · sentence 1"
    assert lines[1] == "This are a great sentences ."
    assert "Gold · annotator 0" in lines
    assert "cor2 · against annotator 0 · TP 0 · FP 2 · FN 2" in lines
    assert "These R:DET FP" in text and "[−a] U:DET FP" in text
    assert "This is R:VERB:SVA a great sentence R:NOUN:NUM ." in text
    assert "are → is R:VERB:SVA FN" in text and "sentences → sentence R:NOUN:NUM FN" in text
    assert [(s.row, s.mark) for s in view.shown] == [
        ("gold", ""), ("gold", ""), ("cor2", "FP"), ("cor2", "FP"), ("cor2", "FN"),
        ("cor2", "FN")]
    session.set_current_item("2")
    assert "cor2 · against annotator 0 · TP 2 · FP 0 · FN 1" in view.browser.toPlainText()
    for item in ("3", "4", "1"):
        session.set_current_item(item)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert len(view.browser.findChildren(QTextDocument)) == 1  # no document left behind


def test_edits_carry_their_category_colour_unless_hidden(session: ReviewSession,
                                                         qtbot: QtBot) -> None:
    view = make_view(session, qtbot)
    chip = next(s for s in view.shown if s.edit.type == "R:DET")

    def background() -> bool:
        cursor = QTextCursor(view.browser.document())
        cursor.setPosition(chip.start + 1)
        return cursor.charFormat().background().style().value != 0

    assert background()
    session.set_category_visible("det", False)
    chip = next(s for s in view.shown if s.edit.type == "R:DET")
    assert not background()


def test_accepting_a_false_positive_makes_it_gold(session: ReviewSession, qtbot: QtBot) -> None:
    view = make_view(session, qtbot)
    select(view, "cor2", "FP", "R:DET")
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        view.accept_selected()
    label = session.decision("1")
    assert label.verdict == "reference_error"
    source, gold = parse_block(label.corrected_reference or "")
    assert source == "This are a great sentences ."
    assert [(e.start, e.type, e.correction, e.annotator) for e in gold] == [
        (0, "R:DET", "These", 0), (1, "R:VERB:SVA", "is", 0), (4, "R:NOUN:NUM", "sentence", 0)]
    assert "cor2 · against annotator 0 · TP 1 · FP 1 · FN 2" in view.browser.toPlainText()
    assert "accepted into the gold: R:DET 0–1 → These" in view.changes.text()
    assert "R:DET 0–1 → These (TP) on the cor2 row" in view.status.text()  # still selected
    with session.project as project:  # the cleaned alignment follows the corrected gold
        row = project.alignment_row("cor2", "1", "cleaned")
    assert (row.counts.main_errors, row.counts.main_units) == (3, 3)


def test_rejecting_a_missed_gold_edit_and_undoing(session: ReviewSession, qtbot: QtBot) -> None:
    view = make_view(session, qtbot, "2")
    select(view, "cor2", "FN", "R:WO")
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        view.reject_selected()
    gold = parse_block(session.decision("2").corrected_reference or "")[1]
    assert [e.type for e in gold] == ["R:VERB:FORM", "R:PUNCT"]
    assert "cor2 · against annotator 0 · TP 2 · FP 0 · FN 0" in view.browser.toPlainText()
    assert "rejected: R:WO 7–9 → you live" in view.changes.text()
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        session.undo()
    assert session.decision("2").corrected_reference is None
    assert view.changes.text() == "Gold as imported."


def test_accept_then_reject_restores_the_imported_gold(session: ReviewSession,
                                                       qtbot: QtBot) -> None:
    view = make_view(session, qtbot)
    select(view, "cor2", "FP", "U:DET")
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        view.accept_selected()
    select(view, "gold", "", "U:DET")
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        view.reject_selected()
    assert session.decision("1").corrected_reference is None


def test_wrong_selections_only_explain(session: ReviewSession, qtbot: QtBot) -> None:
    view = make_view(session, qtbot, "2")
    view.accept_selected()
    assert "Select a system edit" in view.status.text()
    select(view, "cor2", "TP", "R:VERB:FORM")
    view.accept_selected()
    assert view.status.text() == "The gold already has this edit."
    view.reject_selected()
    assert "Select a gold edit" in view.status.text()
    assert session.pending_writes() == 0


def test_selection_moves_with_keys_and_clicks(session: ReviewSession, qtbot: QtBot) -> None:
    view = make_view(session, qtbot)
    view.select_next(1)
    assert view.selected == 0
    view.select_next(-1)
    assert view.selected == len(view.shown) - 1
    view._on_anchor(QUrl("edit:2"))
    assert view.selected == 2
    cursor = view.browser.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (view.shown[2].start,
                                                                view.shown[2].end)
    assert "R:DET" in view.status.text() and "A accepts it" in view.status.text()
    session.set_current_item("3")
    assert view.selected == -1


def test_keys_do_not_clash_with_the_window_and_are_explained(session: ReviewSession,
                                                             qtbot: QtBot) -> None:
    view = make_view(session, qtbot)
    mine = {a.shortcut().toString() for a in view.actions()}
    assert mine == {"E", "Shift+E", "A", "X"}
    window_keys = {QKeySequence(k).toString() for _, keys, _ in SHORTCUTS for k in keys}
    assert not mine & window_keys
    assert all(k in gec_view.HELP for k in ("E / Shift+E", "A accepts", "X rejects"))
    assert not gec_view.VIEW.shows_diff


def test_the_gec_demo_in_the_window_by_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    from reviewer.demo import ensure_demo
    from reviewer.gui.main_window import MainWindow

    path = ensure_demo(tmp_path / "demo-gec.db", "gec")
    win = MainWindow("tester")
    qtbot.addWidget(win)
    assert win.open_project(path)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    view = win.kind_view
    assert isinstance(view, GecView) and win.centralWidget() is view
    assert win.session is not None
    win.session.set_current_item("39")  # a planted gold omission: "every days"
    target = next(k for k, s in enumerate(view.shown)
                  if s.row == "careful" and s.mark == "FP" and s.edit.type == "R:NOUN:NUM")
    for _ in range(target + 1):
        qtbot.keyClick(view.browser, Qt.Key.Key_E)
    assert view.selected == target
    with qtbot.waitSignal(win.session.decisionChanged, timeout=5000):
        qtbot.keyClick(view.browser, Qt.Key.Key_A)
    label = win.session.decision("39")
    assert label.verdict == "reference_error"
    assert "R:NOUN:NUM|||day|||" in (label.corrected_reference or "")
    assert "careful · against annotator 0 · TP 2 · FP 0 · FN 0" in view.browser.toPlainText()
    win.close()
