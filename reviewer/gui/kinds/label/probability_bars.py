"""A horizontal bar chart of one system's class probabilities, painted with QPainter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from reviewer.core.label_codec import class_order
from reviewer.gui.rich_text import literal
from reviewer.gui.theme import swatch_colour

MAX_BARS = 10  # with more classes, the most probable ones (and the gold and chosen class)
ROW_HEIGHT = 18
GAP = 3
VALUE_WIDTH = 48
# What a bar's class is to the item: its swatch in the palette.
ROLE_SWATCH = {"gold": "mint", "chosen": "orange", "corrected": "light_blue",
               "other": "pale_grey"}


def shown_classes(probs: Mapping[str, float], classes: Sequence[str],
                  keep: Sequence[str] = ()) -> list[str]:
    """The classes to draw: all of them up to :data:`MAX_BARS`, else the most probable ones
    plus ``keep`` (the gold and chosen class), in class order."""
    names = list(classes) or class_order(probs)
    if len(names) <= MAX_BARS:
        return names
    ranked = sorted(names, key=lambda c: -probs.get(c, 0.0))
    wanted = [c for c in keep if c in names]
    top = wanted + [c for c in ranked if c not in wanted][:MAX_BARS - len(wanted)]
    return [c for c in names if c in set(top)]


class ProbabilityBars(QWidget):
    """One bar per class: the gold class in mint, a wrongly chosen class in orange."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, float, str]] = []  # (class, probability, role)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_probabilities(self, probs: Mapping[str, float], classes: Sequence[str], gold: str,
                          chosen: str, corrected: str | None = None) -> None:
        """Show ``probs`` over ``classes``; ``gold``, ``chosen`` and ``corrected`` are marked."""
        rows = []
        for cls in shown_classes(probs, classes, [c for c in (gold, chosen, corrected) if c]):
            role = ("corrected" if cls == corrected else "gold" if cls == gold
                    else "chosen" if cls == chosen else "other")
            rows.append((cls, float(probs.get(cls, 0.0)), role))
        self._rows = rows
        self.setToolTip(literal("\n".join(f"{c}: {p:.4f}" for c, p, _ in rows)))
        self.updateGeometry()
        self.update()

    def rows(self) -> list[tuple[str, float, str]]:
        """What is drawn: ``(class, probability, role)`` from top to bottom."""
        return list(self._rows)

    def sizeHint(self) -> QSize:
        return QSize(280, len(self._rows) * (ROW_HEIGHT + GAP) + GAP)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        track = self.palette().color(QPalette.ColorRole.AlternateBase)
        metrics = self.fontMetrics()
        label_width = max([metrics.horizontalAdvance(c) for c, _, _ in self._rows] or [0]) + 10
        bar_left = label_width
        bar_width = max(10, self.width() - bar_left - VALUE_WIDTH)
        for k, (cls, p, role) in enumerate(self._rows):
            top = GAP + k * (ROW_HEIGHT + GAP)
            painter.setPen(text)
            painter.drawText(QRectF(0, top, label_width - 6, ROW_HEIGHT),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(cls, Qt.TextElideMode.ElideRight,
                                                label_width - 6))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRect(QRectF(bar_left, top + 2, bar_width, ROW_HEIGHT - 4))
            colour = swatch_colour(ROLE_SWATCH[role])
            painter.setBrush(colour)
            painter.drawRect(QRectF(bar_left, top + 2, max(1.0, bar_width * p), ROW_HEIGHT - 4))
            if role != "other":
                painter.setPen(colour.darker(150))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(bar_left, top + 2, bar_width, ROW_HEIGHT - 4))
            painter.setPen(text)
            painter.drawText(QRectF(bar_left + bar_width + 4, top, VALUE_WIDTH - 4, ROW_HEIGHT),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{p:.2f}")
        painter.end()
