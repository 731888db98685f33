"""Keeping an editable field and the stored value it edits in step, without touching typing.

A field is refilled only when the stored value changed from elsewhere (an undo, another
window); then its cursor, selection and scroll position stay where they were relative to
the text around them. Saving what the field holds never writes back into it (DESIGN §9:
typing is never altered by autosave).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit


@dataclass(slots=True)
class Synced:
    """What a field and the store last agreed on, and the value the field last sent."""

    value: str = ""
    sent: str | None = None

    def load(self, value: str) -> None:
        """The field now shows ``value``, read from the store."""
        self.value, self.sent = value, None

    def send(self, value: str) -> None:
        """``value`` is on its way to the store."""
        self.sent = value

    def changed_elsewhere(self, stored: str) -> bool:
        """Whether ``stored`` (read from the store now) came from somewhere else than this
        field; either way it is what the field is in step with from now on."""
        ours = stored in (self.value, self.sent)
        self.load(stored)
        return not ours


def _units(text: str) -> list[int]:
    # Qt counts positions in UTF-16 code units.
    return list(memoryview(text.encode("utf-16-le")).cast("H"))


def _is_low_surrogate(unit: int) -> bool:
    return 0xDC00 <= unit <= 0xDFFF


def _changed_range(old: str, new: str) -> tuple[int, int, int]:
    """``(prefix, old_end, new_end)`` in UTF-16 units: ``old[prefix:old_end]`` became
    ``new[prefix:new_end]``, the rest is common to both (never splitting a character)."""
    a, b = _units(old), _units(new)
    n, m = len(a), len(b)
    prefix = 0
    while prefix < min(n, m) and a[prefix] == b[prefix]:
        prefix += 1
    if ((prefix < n and _is_low_surrogate(a[prefix]))
            or (prefix < m and _is_low_surrogate(b[prefix]))):
        prefix -= 1  # the pairs differ in their second half: the whole character changed
    suffix = 0
    while suffix < min(n, m) - prefix and a[n - suffix - 1] == b[m - suffix - 1]:
        suffix += 1
    if suffix and _is_low_surrogate(a[n - suffix]):
        suffix -= 1  # keep a character's two halves together
    return prefix, n - suffix, m - suffix


def mapped_position(old: str, new: str, position: int) -> int:
    """Where a cursor at ``position`` (UTF-16 units) in ``old`` belongs in ``new``: the same
    place in the unchanged text before or after the change, else the end of the change."""
    prefix, old_end, new_end = _changed_range(old, new)
    if position <= prefix:
        return position
    if position >= old_end:
        return position + new_end - old_end
    return new_end


def plain_text(box: QPlainTextEdit) -> str:
    """The box's text as typed: unlike ``toPlainText`` it keeps no-break spaces."""
    return box.document().toRawText().replace("\u2029", "\n")


def show_text(field: QPlainTextEdit | QLineEdit, text: str) -> None:
    """Put ``text`` into ``field`` as an edit of the changed part only, keeping the cursor,
    the selection and the scroll position where they were relative to the text around."""
    if isinstance(field, QLineEdit):
        old = field.text()
        if old == text:
            return
        anchor = field.selectionStart() if field.hasSelectedText() else field.cursorPosition()
        end = anchor + field.selectionLength() if field.hasSelectedText() else anchor
        if field.hasSelectedText() and field.cursorPosition() == anchor:
            anchor, end = end, anchor  # the cursor is at the selection's start
        field.setText(text)
        new_anchor, new_pos = mapped_position(old, text, anchor), mapped_position(old, text, end)
        if new_pos == new_anchor:
            field.setCursorPosition(new_pos)
        else:
            field.setSelection(new_anchor, new_pos - new_anchor)
        return
    old = plain_text(field)
    if old == text:
        return
    bars = (field.verticalScrollBar(), field.horizontalScrollBar())
    scroll = [bar.value() for bar in bars]
    cursor = field.textCursor()
    anchor, position = cursor.anchor(), cursor.position()
    prefix, old_end, new_end = _changed_range(old, text)
    edit = QTextCursor(field.document())
    edit.setPosition(prefix)
    edit.setPosition(old_end, QTextCursor.MoveMode.KeepAnchor)
    units = text.encode("utf-16-le")
    replacement = units[2 * prefix:2 * new_end].decode("utf-16-le")
    edit.insertText(replacement)
    kept = QTextCursor(field.document())
    kept.setPosition(mapped_position(old, text, anchor))
    kept.setPosition(mapped_position(old, text, position), QTextCursor.MoveMode.KeepAnchor)
    field.setTextCursor(kept)
    for bar, value in zip(bars, scroll, strict=True):
        bar.setValue(value)
