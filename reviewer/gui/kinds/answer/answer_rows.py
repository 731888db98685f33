"""The distinct answers the models gave to one item: a row per answer with a vote bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from reviewer.gui.kinds.answer.model_answers import AnswerGroup
from reviewer.gui.kinds.choice.options import VoteBar
from reviewer.gui.rich_text import escape, literal
from reviewer.gui.theme import swatch_colour, text_colour


class AnswerRow(QFrame):
    """One distinct answer: its text, gold marks, how many models gave it and which; a click
    asks for it to be picked as the corrected gold (see :attr:`picked`)."""

    picked = Signal(int)  # the row's index

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.answer = ""
        self.text = QLabel()  # the answer, on its colour when it is the gold
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.marks = QLabel()
        self.marks.setTextFormat(Qt.TextFormat.RichText)
        self.bar = VoteBar()
        self.models = QLabel()
        self.models.setTextFormat(Qt.TextFormat.PlainText)
        self.models.setWordWrap(True)
        self.models.setMinimumWidth(140)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(self.text, 2)
        layout.addWidget(self.marks)
        layout.addWidget(self.bar)
        layout.addWidget(self.models, 1)

    def show_group(self, group: AnswerGroup, answered: int, corrected: bool) -> None:
        """Show ``group`` of ``answered`` models that gave an answer; ``corrected``: the
        gold was corrected (right means right against the corrected gold)."""
        self.answer = group.text
        self.marks.setText(_marks(group, corrected))
        self.bar.set_votes(len(group.models), answered, "mint" if group.right else "light_blue")
        names = [f"{m.number} {m.system}" for m in group.models]
        self.models.setText(", ".join(names))
        self.bar.setToolTip(literal(f"Given by {len(names)} of {answered}:\n" + "\n".join(names)))
        swatch = "light_blue" if group.right and corrected else "mint" if group.right else None
        text = f"<b>{escape(group.text)}</b>"
        self.text.setText(text if swatch is None else
                          f"<span style='background:{swatch_colour(swatch).name()}; "
                          f"color:{text_colour().name()}'>&nbsp;{text}&nbsp;</span>")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.picked.emit(self.index)
            event.accept()
            return
        super().mousePressEvent(event)


def _marks(group: AnswerGroup, corrected: bool) -> str:
    """``gold`` / ``corrected gold`` / struck-out ``original gold`` labels of an answer."""
    if not corrected:
        return "<b>✓ gold</b>" if group.right else ""
    if group.right:
        return "<b>✓ corrected gold</b>"
    return "<s>gold</s> (original)" if group.right_originally else ""
