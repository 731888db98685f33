"""Refilling a field with a value changed elsewhere keeps the cursor where it belongs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from reviewer.gui.field_sync import Synced, mapped_position, plain_text, show_text


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@pytest.mark.parametrize(("old", "new", "position", "expected"), [
    ("Hello world", "Hello brave world", 2, 2),  # before the change: stays
    ("Hello world", "Hello brave world", 8, 14),  # after it: moves with the text
    ("Hello world", "Hello there", 8, 11),  # inside it: the change's end
    ("So The light", "The light", 0, 0),
    ("a😀b", "a😃b", 3, 3),  # a character outside the BMP is never split
])
def test_mapped_position(old: str, new: str, position: int, expected: int) -> None:
    assert mapped_position(old, new, position) == expected


def text(*letters: str) -> st.SearchStrategy[str]:
    return st.text(alphabet=st.sampled_from(letters), max_size=8)


def units(text: str) -> bytes:
    return text.encode("utf-16-le")


@settings(max_examples=300, deadline=None)
@given(text("a", "b", " "), text("x", "é", "\n", "😀", "😃"), text("x", "é", "\n", "😀", "😃"),
       text("c", "d", " "))
def test_the_text_beside_the_cursor_stays_beside_it(before: str, old: str, new: str,
                                                    after: str) -> None:
    """A cursor before the change keeps the text before it; one after it, the text after.
    (Different letters around the change, so that its place is not ambiguous.)"""
    old_text, new_text = before + old + after, before + new + after
    a, b = units(old_text), units(new_text)
    # Every cursor position (never between the two halves of a character).
    new_positions = {utf16(new_text[:k]) for k in range(len(new_text) + 1)}
    for position in sorted({utf16(old_text[:k]) for k in range(len(old_text) + 1)}):
        moved = mapped_position(old_text, new_text, position)
        assert moved in new_positions
        if position <= utf16(before):
            assert b[:2 * moved] == a[:2 * position]
        if position > utf16(before + old):
            assert b[2 * moved:] == a[2 * position:]


def test_show_text_keeps_a_selection_in_a_text_box(qtbot: QtBot) -> None:
    box = QPlainTextEdit()
    qtbot.addWidget(box)
    box.setPlainText("one two\u00a0three")
    cursor = box.textCursor()
    cursor.setPosition(4)
    cursor.setPosition(7, cursor.MoveMode.KeepAnchor)  # "two"
    box.setTextCursor(cursor)
    show_text(box, "zero one two\u00a0three")
    assert plain_text(box) == "zero one two\u00a0three"  # the no-break space is kept
    assert box.textCursor().selectedText() == "two"
    assert box.document().isUndoAvailable()  # an edit, not a reset of the box


def test_show_text_keeps_a_backward_selection_in_a_line(qtbot: QtBot) -> None:
    line = QLineEdit("check the scan")
    qtbot.addWidget(line)
    line.setSelection(9, -3)  # "the", cursor at its start
    show_text(line, "please check the scan")
    assert line.selectedText() == "the"
    assert line.cursorPosition() == len("please check ")


def test_synced_tells_own_values_from_changes_made_elsewhere() -> None:
    synced = Synced()
    synced.load("a")
    synced.send("ab")
    assert not synced.changed_elsewhere("ab")  # ours, landed
    assert not synced.changed_elsewhere("ab")  # unchanged
    assert synced.changed_elsewhere("a")  # an undo
