"""The question line of the question-answering kinds' views (choice, answer)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def question_label() -> QLabel:
    """A wrapped, selectable, slightly larger label for an item's question (plain text:
    benchmark text is never read as markup)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() + 2)
    label.setFont(font)
    return label
