"""The decision panel's fields per kind (issue 16, finding 10 and the widgets' names):
R takes the system's word, "Reference is wrong here" shows only where it applies, gec's
box holds the corrected sentences instead of M2, and the fields carry stable names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from reviewer.core.gec import parse_block
from reviewer.core.items import Benchmark, Item
from reviewer.gui import decision_panel
from reviewer.gui.decision_panel import DecisionPanel
from reviewer.gui.main_window import MainWindow
from reviewer.gui.session import ReviewSession
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from tests.gui.flow_helpers import close_window, open_window

MISSPELT = "The light tunred red at last"
SYSTEM = "The light turned red at last"


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    """The window on a one-system project whose reference misspells a word."""
    path = tmp_path / "words.db"
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark(
            "text", [Item("l1", MISSPELT), Item("l2", "Tea for two")],
            {"ocr": {"l1": SYSTEM, "l2": "Tea for twoo"}}))
    win = open_window(qtbot, path)
    yield win
    close_window(win)


def test_r_takes_the_systems_whole_word(window: MainWindow, qtbot: QtBot) -> None:
    """The landed R took one character edit at a time: tunred -> turnred -> turned."""
    session = window.session
    assert session is not None and session.current_item == "l1"
    assert len(session.alignment("ocr", "l1").edits) == 2  # "tunred" is two edits
    qtbot.keyClicks(window.diff, "l")  # select the first edit
    assert session.selected_edit == ("ocr", 0)
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        qtbot.keyClicks(window.diff, "r")
    decision = session.decision("l1")
    assert decision.corrected_reference == SYSTEM
    assert decision.verdict == "reference_error"
    assert session.alignment("ocr", "l1").edits == ()
    qtbot.waitUntil(lambda: window.panel.reference.toPlainText() == SYSTEM, timeout=5000)


def test_r_takes_only_the_word_of_the_selected_edit(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    qtbot.keyClicks(window.diff, "j")
    assert session.current_item == "l2"
    qtbot.keyClicks(window.diff, "l")
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        qtbot.keyClicks(window.diff, "r")
    assert session.decision("l2").corrected_reference == "Tea for twoo"


def test_fields_have_stable_object_and_accessible_names(window: MainWindow) -> None:
    panel = window.panel
    reference = panel.findChild(QPlainTextEdit, "correctedReference")
    assert reference is panel.reference
    assert reference.accessibleName() == "Corrected reference"
    note = panel.findChild(QLineEdit, "note")
    assert note is panel.note and note.accessibleName() == "Note"
    assert window.diff.objectName() == "diffView"


@pytest.mark.parametrize(("kind", "shown"), [("text", True), ("gec", False), ("choice", False),
                                             ("label", False)])
def test_reference_is_wrong_here_shows_only_where_edits_can_be_taken(
        kind: str, shown: bool, tmp_path: Path, qtbot: QtBot) -> None:
    from reviewer.demo import ensure_demo

    session = ReviewSession(ensure_demo(tmp_path / f"{kind}.db", kind), "tester")
    try:
        panel = DecisionPanel(session)
        qtbot.addWidget(panel)
        panel.show()
        qtbot.waitExposed(panel)
        assert panel.take_edit.isVisible() is shown
    finally:
        QThreadPool.globalInstance().waitForDone(30_000)
        session.close()


@pytest.fixture
def gec_session(tmp_path: Path) -> Iterator[ReviewSession]:
    from reviewer.demo import ensure_demo

    session = ReviewSession(ensure_demo(tmp_path / "gec.db", "gec"), "tester")
    yield session
    QThreadPool.globalInstance().waitForDone(30_000)
    session.close()


def settle(qtbot: QtBot, session: ReviewSession) -> None:
    qtbot.wait(decision_panel.COMMIT_DELAY_MS + 100)
    assert session.flush()
    qtbot.wait(20)


def test_gec_box_holds_the_corrected_sentences_and_stores_m2(
        qtbot: QtBot, gec_session: ReviewSession) -> None:
    """The landed box held the raw M2 block ("S This are ...", "A 1 2|||R:VERB:SVA|||...")."""
    panel = DecisionPanel(gec_session)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    first = gec_session.project.first_item_id()
    assert first is not None
    gec_session.set_current_item(first)
    original = gec_session.project.item(first).reference
    assert original.startswith("S This are a great sentences .")
    box = panel.reference
    # One line per gold annotator: the source with that annotator's edits applied.
    assert box.toPlainText() == "This is a great sentence .\nThese are great sentences ."
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(box, Qt.Key.Key_End)  # the end of annotator 0's sentence
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClicks(box, "!")
    settle(qtbot, gec_session)
    stored = gec_session.decision(first).corrected_reference
    assert stored is not None
    source, edits = parse_block(stored)
    assert source == "This are a great sentences ."
    _, gold = parse_block(original)
    added = [(e.start, e.end, e.correction, e.annotator) for e in edits if e not in gold]
    assert added == [(5, 6, "!", 0)]
    assert len(edits) == len(gold) + 1  # every gold edit kept, one added
    assert box.toPlainText() == "This is a great sentence !\nThese are great sentences ."
    assert gec_session.decision(first).verdict == "reference_error"


def test_gec_box_says_why_a_line_more_is_not_saved(
        qtbot: QtBot, gec_session: ReviewSession) -> None:
    panel = DecisionPanel(gec_session)
    qtbot.addWidget(panel)
    first = gec_session.project.first_item_id()
    assert first is not None
    gec_session.set_current_item(first)
    box = panel.reference
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.keyClicks(box, "A third sentence")
    settle(qtbot, gec_session)
    assert gec_session.decision(first).corrected_reference is None
    assert "one corrected sentence per line" in panel.status.text()
    assert box.toPlainText().endswith("A third sentence")  # what was typed stays
