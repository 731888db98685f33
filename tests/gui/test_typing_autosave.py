"""Typing in the decision panel's fields is never altered by autosave (issue 16, finding 1).

The corrected reference is saved a moment after the last key; saving must not touch the
box's text, cursor, selection or scroll position, whatever the timing of the keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from reviewer.core.items import Item
from reviewer.gui import decision_panel
from reviewer.gui.decision_panel import COMMIT_DELAY_MS, DecisionPanel
from reviewer.gui.session import ReviewSession

REFERENCE = "The light tunred red"


def open_panel(qtbot: QtBot, session: ReviewSession) -> DecisionPanel:
    panel = DecisionPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    session.set_current_item(session.project.first_item_id() or "")
    return panel


def settle(qtbot: QtBot, panel: DecisionPanel, session: ReviewSession) -> None:
    """Wait until the typed reference is committed and every write has landed."""
    qtbot.wait(decision_panel.COMMIT_DELAY_MS + 100)
    assert session.flush()
    qtbot.wait(20)  # the queued "committed" signals of the last write


def stored_reference(session: ReviewSession, item: str = "l1") -> str:
    return session.current_reference(item)


@pytest.fixture
def typing_session(make_review_session: Callable[..., ReviewSession]) -> ReviewSession:
    return make_review_session([Item("l1", REFERENCE), Item("l2", "Second line")],
                               {"ocr": {"l1": "The light turned red", "l2": "Second line"}})


def test_a_pause_longer_than_the_autosave_delay_keeps_the_cursor(
        qtbot: QtBot, typing_session: ReviewSession) -> None:
    """The issue's reproduction: click at the end, type A, wait, type B: the reference
    ends "AB" (the landed window stored "B…A")."""
    panel = open_panel(qtbot, typing_session)
    box = panel.reference
    qtbot.mouseClick(box.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "A")
    qtbot.wait(COMMIT_DELAY_MS * 2)  # the autosave has run
    assert stored_reference(typing_session) == REFERENCE + "A"
    qtbot.keyClicks(box, "B")
    settle(qtbot, panel, typing_session)
    assert box.toPlainText() == REFERENCE + "AB"
    assert stored_reference(typing_session) == REFERENCE + "AB"
    assert box.textCursor().position() == len(REFERENCE) + 2


def test_autosave_keeps_the_selection_and_the_scroll_position(
        qtbot: QtBot, make_review_session: Callable[..., ReviewSession]) -> None:
    long_reference = "\n".join(f"line {k} of a long page" for k in range(60))
    session = make_review_session([Item("l1", long_reference)], {"ocr": {"l1": "line 0"}})
    panel = open_panel(qtbot, session)
    box = panel.reference
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "!")
    bar = box.verticalScrollBar()
    assert bar.value() > 0
    # Select the last word by keys, then let the autosave run.
    for _ in range(4):
        qtbot.keyClick(box, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    scroll, cursor = bar.value(), box.textCursor()
    settle(qtbot, panel, session)
    assert session.current_reference("l1") == long_reference + "!"
    assert bar.value() == scroll
    assert (box.textCursor().anchor(), box.textCursor().position()) == (
        cursor.anchor(), cursor.position())
    assert box.textCursor().selectedText() == "age!"


def test_text_undo_works_across_an_autosave(qtbot: QtBot, typing_session: ReviewSession) -> None:
    """The landed box was refilled after each save, which also emptied its undo history."""
    panel = open_panel(qtbot, typing_session)
    box = panel.reference
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "X")
    settle(qtbot, panel, typing_session)
    assert box.document().isUndoAvailable()
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # text undo
    settle(qtbot, panel, typing_session)
    assert box.toPlainText() == REFERENCE
    assert typing_session.decision("l1").corrected_reference is None


def test_a_change_made_elsewhere_is_shown_with_the_cursor_kept(
        qtbot: QtBot, typing_session: ReviewSession) -> None:
    """A decision undone (or made in another window) refills the box; the cursor stays
    where it was relative to the text around it."""
    panel = open_panel(qtbot, typing_session)
    box = panel.reference
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "So ")
    settle(qtbot, panel, typing_session)
    assert typing_session.decision("l1").corrected_reference == "So " + REFERENCE
    with qtbot.waitSignal(typing_session.decisionChanged, timeout=5000):
        typing_session.undo()
    assert box.toPlainText() == REFERENCE
    assert box.textCursor().position() == 0
    # A change at the end, made elsewhere, leaves a cursor before it alone.
    box.setTextCursor(_cursor_at(box.textCursor(), 4))
    with qtbot.waitSignal(typing_session.decisionChanged, timeout=5000):
        typing_session.decide("l1", corrected_reference=REFERENCE + " now")
    assert box.toPlainText() == REFERENCE + " now"
    assert box.textCursor().position() == 4


def test_typing_in_the_note_survives_a_save_of_the_reference(
        qtbot: QtBot, typing_session: ReviewSession) -> None:
    """The landed panel refilled every field when any part of the decision was saved,
    wiping a note being typed."""
    panel = open_panel(qtbot, typing_session)
    panel.reference.setFocus()
    qtbot.keyClick(panel.reference, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.reference, "s")
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "check the scan")
    qtbot.wait(COMMIT_DELAY_MS * 2)  # the reference is saved meanwhile
    assert typing_session.decision("l1").corrected_reference == REFERENCE + "s"
    assert panel.note.text() == "check the scan"
    assert panel.note.cursorPosition() == len("check the scan")
    qtbot.keyClick(panel.note, Qt.Key.Key_Return)
    settle(qtbot, panel, typing_session)
    assert typing_session.decision("l1").note == "check the scan"


def test_a_note_typed_then_left_by_moving_on_is_kept(
        qtbot: QtBot, typing_session: ReviewSession) -> None:
    panel = open_panel(qtbot, typing_session)
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "blurred")
    typing_session.set_current_item("l2")  # e.g. a click in the item list
    assert typing_session.flush()
    assert typing_session.decision("l1").note == "blurred"
    assert panel.note.text() == ""


def test_what_is_typed_is_saved_when_the_project_closes(qtbot: QtBot, tmp_path: Path) -> None:
    from reviewer.core.items import Benchmark
    from reviewer.store.decisions import get_decision
    from reviewer.store.importer import import_benchmark
    from reviewer.store.project import Project

    path = tmp_path / "closing.db"
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", [Item("l1", REFERENCE)],
                                            {"ocr": {"l1": "The light turned red"}}))
    session = ReviewSession(path, "tester")
    panel = open_panel(qtbot, session)
    panel.reference.setFocus()
    qtbot.keyClick(panel.reference, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.reference, "!")  # closed before the autosave delay is over
    panel.note.setFocus()
    qtbot.keyClicks(panel.note, "faded ink")
    QThreadPool.globalInstance().waitForDone(30_000)
    assert session.close() == 0
    with Project(path) as project:
        decision = get_decision(project, "l1")
    assert decision.corrected_reference == REFERENCE + "!"
    assert decision.note == "faded ink"


def _cursor_at(cursor: QTextCursor, position: int) -> QTextCursor:
    cursor.setPosition(position)
    return cursor


# -- the property: whatever the timing, box == store == what was typed -------------------------
@dataclass(frozen=True)
class Key:
    """One step of typing: a character, or a cursor move (``"<"`` left, ``">"`` end)."""

    text: str
    pause_ms: int


FAST_DELAY_MS = 40  # the autosave delay during the property test, to keep it short

keys = st.lists(
    st.builds(Key, st.sampled_from([*"abcXYZ ,", "<", ">"]),
              # Pauses around the delay: well under it, near it on both sides, well over it.
              st.sampled_from([0, 5, FAST_DELAY_MS - 10, FAST_DELAY_MS, FAST_DELAY_MS + 10,
                               2 * FAST_DELAY_MS + 30])),
    min_size=1, max_size=14)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=keys)
def test_autosave_never_drops_reorders_or_moves_a_key(
        qtbot: QtBot, tmp_path_factory: pytest.TempPathFactory,
        monkeypatch: pytest.MonkeyPatch, steps: list[Key]) -> None:
    from reviewer.core.items import Benchmark
    from reviewer.store.importer import import_benchmark
    from reviewer.store.project import Project

    monkeypatch.setattr(decision_panel, "COMMIT_DELAY_MS", FAST_DELAY_MS)
    path = Path(tmp_path_factory.mktemp("typing")) / "typing.db"
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark("text", [Item("l1", REFERENCE)],
                                            {"ocr": {"l1": "The light turned red"}}))
    session = ReviewSession(path, "tester")
    try:
        panel = open_panel(qtbot, session)
        box = panel.reference
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        expected, cursor = REFERENCE, len(REFERENCE)
        for step in steps:
            if step.text == "<":
                qtbot.keyClick(box, Qt.Key.Key_Left)
                cursor = max(cursor - 1, 0)
            elif step.text == ">":
                qtbot.keyClick(box, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
                cursor = len(expected)
            else:
                qtbot.keyClicks(box, step.text)
                expected = expected[:cursor] + step.text + expected[cursor:]
                cursor += 1
            if step.pause_ms:
                qtbot.wait(step.pause_ms)
        settle(qtbot, panel, session)
        assert box.toPlainText() == expected
        assert box.textCursor().position() == cursor
        assert session.current_reference("l1") == expected
    finally:
        QThreadPool.globalInstance().waitForDone(30_000)
        session.close()
