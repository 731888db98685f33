"""Which keys a text field keeps and which reach the window's shortcuts.

In a field one types: letters, digits, the cursor keys (Up, Down, Home, End, Page Up,
Page Down) and the field's own undo and redo (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y) belong to the
field, even where the window binds the same key (J, Down, Home, Ctrl+Z, ...). Every other
key (Esc, F1, Ctrl+F, ...) reaches the window: Esc leaves the field for the item list.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

# Keys a field uses for moving its cursor or editing, beyond the keys that type text.
_FIELD_KEYS = frozenset({
    Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home,
    Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Backspace,
    Qt.Key.Key_Delete, Qt.Key.Key_Return, Qt.Key.Key_Enter,
})
_PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
_UNDO_REDO = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def is_text_field(widget: QWidget | None) -> bool:
    """Whether ``widget`` is a field one can type text into."""
    if isinstance(widget, QLineEdit | QAbstractSpinBox):
        return not widget.isReadOnly()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return not widget.isReadOnly()
    return isinstance(widget, QComboBox) and widget.isEditable()


def field_keeps(event: QKeyEvent) -> bool:
    """Whether a text field keeps this key for itself rather than the window's shortcut."""
    if any(event.matches(key) for key in _UNDO_REDO):
        return True
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if modifiers not in _PLAIN:
        return False
    key = event.key()
    return key in _FIELD_KEYS or (key < Qt.Key.Key_Escape and bool(event.text()))


class FieldKeys(QObject):
    """Keeps a text field's keys in the field, for the fields inside the watched windows.

    Before a key triggers a shortcut, Qt asks the focused widget whether it wants it (a
    ``ShortcutOverride`` event, passed on to its parents while nobody accepts it); this
    answers "yes" for the keys :func:`field_keeps` names, when the focus is in a text
    field, whatever the field's class says itself. It watches the main window and each
    dock (a floating dock is a window of its own), not the whole application: every
    event of the application would pass through Python otherwise.
    """

    def watch(self, widget: QWidget) -> None:
        """Answer for the fields inside ``widget`` (until it is gone)."""
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and is_text_field(_field_of(QApplication.focusWidget()))
                and field_keeps(event)):
            event.accept()
            return True
        return False


def _field_of(widget: QWidget | None) -> QWidget | None:
    """The field a focused widget belongs to (an editable combo box's line edit: the combo)."""
    if widget is None:
        return None
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, QComboBox):
        return parent
    return widget
