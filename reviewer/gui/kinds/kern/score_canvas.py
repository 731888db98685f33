"""One engraved score (verovio SVG through QtSvg): marked elements clickable, selection boxed.

The page is drawn on white paper in either theme. Each marked element gets a rounded
background in its category's light colour (its notes are drawn in the darker one, by
:func:`reviewer.core.kern.engrave.colour`); selected elements are outlined.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QByteArray, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen, QResizeEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

_PAD = 3.0  # pixels around a marked element's box
_MESSAGE_HEIGHT = 48


class ScoreCanvas(QWidget):
    """An SVG page scaled to the widget's width, or a message where there is none."""

    elementClicked = Signal(str)  # the id of the marked element clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer: QSvgRenderer | None = None
        self.message = ""
        self.marks: dict[str, QColor] = {}  # element id -> background colour
        self.selected: set[str] = set()
        self._boxes: dict[str, QRectF] = {}  # element id -> box in SVG coordinates
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setFixedHeight(_MESSAGE_HEIGHT)

    # -- content -------------------------------------------------------------------------
    def set_svg(self, svg: str | None, message: str = "") -> None:
        """Show ``svg`` (already coloured), or ``message`` when it is ``None``."""
        self.renderer = None
        self._boxes = {}
        self.message = message
        if svg is not None:
            renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
            if renderer.isValid():
                self.renderer = renderer
            else:
                self.message = "The engraving cannot be shown (QtSvg refused verovio's SVG)"
        self._fit_height()
        self.update()

    def set_marks(self, marks: Mapping[str, QColor]) -> None:
        """Element id -> background colour of each marked (clickable) element."""
        self.marks = dict(marks)
        self._boxes = {}
        if self.renderer is not None:
            for element_id in self.marks:
                if self.renderer.elementExists(element_id):
                    bounds = self.renderer.boundsOnElement(element_id)
                    box = self.renderer.transformForElement(element_id).mapRect(bounds)
                    if box.width() > 0 and box.height() > 0:  # empty groups draw nothing
                        self._boxes[element_id] = box
        self.update()

    def set_selected(self, ids: set[str]) -> None:
        self.selected = set(ids)
        self.update()

    def element_at(self, pos: QPointF) -> str | None:
        """The marked element under widget point ``pos`` (the smallest, where boxes overlap)."""
        hits = [(r.width() * r.height(), k) for k, r in self._widget_boxes().items()
                if r.contains(pos)]
        return min(hits)[1] if hits else None

    def element_centre(self, element_id: str) -> QPointF | None:
        """Where a marked element is drawn (for tests and keyboard focus)."""
        box = self._widget_boxes().get(element_id)
        return box.center() if box is not None else None

    # -- geometry ------------------------------------------------------------------------
    def _scale(self) -> float:
        if self.renderer is None:
            return 1.0
        view = self.renderer.viewBoxF()
        return self.width() / view.width() if view.width() > 0 else 1.0

    def _widget_boxes(self) -> dict[str, QRectF]:
        s = self._scale()
        return {k: QRectF(r.x() * s - _PAD, r.y() * s - _PAD, r.width() * s + 2 * _PAD,
                          r.height() * s + 2 * _PAD) for k, r in self._boxes.items()}

    def _fit_height(self) -> None:
        if self.renderer is None:
            self.setFixedHeight(_MESSAGE_HEIGHT)
            return
        view = self.renderer.viewBoxF()
        ratio = view.height() / view.width() if view.width() > 0 else 0.3
        self.setFixedHeight(max(24, round(self.width() * ratio)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_height()

    # -- painting and clicks -------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.renderer is None:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect().adjusted(8, 0, -8, 0),
                             Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                             self.message)
            painter.end()
            return
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        boxes = self._widget_boxes()
        painter.setPen(Qt.PenStyle.NoPen)
        for element_id, box in boxes.items():
            painter.setBrush(self.marks[element_id])
            painter.drawRoundedRect(box, 3, 3)
        view = self.renderer.viewBoxF()
        self.renderer.render(painter, QRectF(0, 0, self.width(), view.height() * self._scale()))
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2.5)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for element_id in self.selected:
            if element_id in boxes:
                painter.drawRoundedRect(boxes[element_id].adjusted(-2, -2, 2, 2), 4, 4)
        painter.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self.element_at(event.position()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            element_id = self.element_at(event.position())
            if element_id is not None:
                self.elementClicked.emit(element_id)
                event.accept()
                return
        super().mousePressEvent(event)
