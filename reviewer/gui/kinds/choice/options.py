"""The options of a multiple-choice item: letter, text, key marks and a vote bar per option."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from reviewer.gui.rich_text import literal
from reviewer.gui.theme import swatch_colour, text_colour

BAR_WIDTH = 170


@dataclass(frozen=True, slots=True)
class OptionState:
    """What one option row shows."""

    letter: str
    text: str
    voters: tuple[str, ...]  # the systems that chose this option
    total: int  # systems that answered at all
    in_key: bool  # in the original key
    in_cleaned: bool | None  # in the corrected key (None: the key was not corrected)
    # Each system's probability of the option, where it gave option probabilities (an
    # evaluation harness's log-likelihoods); their mean is shown beside the vote bar.
    probabilities: tuple[tuple[str, float], ...] = ()


class VoteBar(QWidget):
    """A horizontal bar: the share of systems that chose an option, the count beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.votes, self.total, self.swatch = 0, 0, "light_blue"
        self.setFixedWidth(BAR_WIDTH)
        self.setMinimumHeight(18)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

    def set_votes(self, votes: int, total: int, swatch: str) -> None:
        self.votes, self.total, self.swatch = votes, total, swatch
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(BAR_WIDTH, 20)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        count = f"{self.votes}/{self.total}"
        text_width = self.fontMetrics().horizontalAdvance("00/00") + 6
        track = QRectF(0, 3, self.width() - text_width, self.height() - 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(swatch_colour("pale_grey"))
        painter.drawRoundedRect(track, 3, 3)
        if self.total and self.votes:
            filled = QRectF(track)
            filled.setWidth(track.width() * self.votes / self.total)
            painter.setBrush(swatch_colour(self.swatch))
            painter.drawRoundedRect(filled, 3, 3)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(QRectF(track.right() + 4, 0, text_width, self.height()),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, count)
        painter.end()


class OptionRow(QFrame):
    """One option; a click asks for its letter to be picked (see :attr:`picked`)."""

    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.letter = ""
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.badge = QLabel()
        self.badge.setFixedWidth(28)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.badge.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 2)
        self.badge.setFont(font)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.marks = QLabel()
        self.marks.setTextFormat(Qt.TextFormat.RichText)
        self.bar = VoteBar()
        self.probability = QLabel()  # the systems' mean probability of the option
        self.probability.setTextFormat(Qt.TextFormat.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.badge)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.marks)
        layout.addWidget(self.bar)
        layout.addWidget(self.probability)

    def show_option(self, state: OptionState) -> None:
        self.letter = state.letter
        self.badge.setText(state.letter)
        self.text.setText(state.text or "(empty option)")
        self.marks.setText(_marks(state))
        key_now = state.in_key if state.in_cleaned is None else state.in_cleaned
        self.bar.set_votes(len(state.voters), state.total, "mint" if key_now else "light_blue")
        names = "\n".join(state.voters) if state.voters else "nobody"
        self._show_probability(state.probabilities)
        self.bar.setToolTip(literal(f"Chosen by {len(state.voters)} of {state.total}:\n{names}"))
        swatch = "suspect" if state.in_cleaned and not state.in_key else (
            "mint" if key_now else None)
        if swatch is None:
            self.badge.setStyleSheet("")
        else:
            self.badge.setStyleSheet(
                f"background: {swatch_colour(swatch).name()}; color: {text_colour().name()};"
                "border-radius: 4px;")

    def _show_probability(self, given: tuple[tuple[str, float], ...]) -> None:
        self.probability.setVisible(bool(given))
        if given:
            self.probability.setText(f"p {sum(p for _, p in given) / len(given):.2f}")
            self.probability.setToolTip(literal(
                "Mean probability of the option over the systems that gave probabilities:\n"
                + "\n".join(f"{system}: {p:.3f}" for system, p in given)))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.letter:
            self.picked.emit(self.letter)
            event.accept()
            return
        super().mousePressEvent(event)


def _marks(state: OptionState) -> str:
    """``key`` / ``corrected key`` / struck-out ``original key`` labels of an option."""
    out = []
    if state.in_key and state.in_cleaned is False:
        out.append("<s>key</s> (original)")
    elif state.in_key:
        out.append("<b>✓ key</b>")
    if state.in_cleaned and not state.in_key:
        out.append("<b>✓ corrected key</b>")
    return " ".join(out)
