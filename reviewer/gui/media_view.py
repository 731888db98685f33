"""The current item's image: decoded off the main thread, fitted to width, zoom and pan."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPalette, QPixmap, QResizeEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QStackedLayout,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.errors import InputError
from reviewer.core.progress import Progress
from reviewer.formats.image_decode import decode_image as decode_display_image
from reviewer.formats.speech import AUDIO_SUFFIXES
from reviewer.gui.session import ReviewSession
from reviewer.gui.tasks import run_task

log = logging.getLogger("reviewer.gui")

MAX_SIDE = 4000  # larger images are shown downscaled, so that scans never freeze the window
LOADING_DELAY_MS = 150  # show "Loading…" only if decoding takes longer than this
ZOOM_LIMITS = (0.02, 16.0)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """An image decoded for display, or why there is none."""

    request: int
    item_id: str
    image: QImage | None
    message: str  # the placeholder text when there is no image
    size: tuple[int, int] = (0, 0)  # the file's own pixel size


def decode_image(path: str) -> tuple[QImage | None, str, tuple[int, int]]:
    """Decode ``path`` into an RGB or greyscale QImage of at most MAX_SIDE px
    (:func:`reviewer.formats.image_decode.decode_image`: regular files only, Pillow's
    decompression-bomb limit kept); ``(None, why not, size)`` when it cannot be shown.
    """
    if not os.path.exists(path):
        return None, f"Image not found: {path}", (0, 0)
    try:
        image, size = decode_display_image(path, MAX_SIDE)
    except InputError as exc:  # a FIFO, a device, a huge file, a bomb: never waited for
        return None, f"Cannot show {path}: {exc.message}", (0, 0)
    data = image.tobytes()
    grey = image.mode == "L"
    fmt = QImage.Format.Format_Grayscale8 if grey else QImage.Format.Format_RGB888
    stride = image.width * (1 if grey else 3)
    # copy() gives the QImage its own buffer, so ``data`` may go.
    qimage = QImage(data, image.width, image.height, stride, fmt).copy()
    return qimage, "", size


def load_image(request: int, item_id: str, path: str, progress: Progress) -> LoadResult:
    """Background task: :func:`decode_image`, tagged with the request it answers."""
    image, message, size = decode_image(path)
    return LoadResult(request, item_id, image, message, size)


class _ImageView(QGraphicsView):
    def __init__(self, owner: MediaView) -> None:
        super().__init__(owner)
        self._owner = owner
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._owner.zoom(1.25 ** (event.angleDelta().y() / 120))
            event.accept()
        else:
            super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._owner.fitting:
            self._owner.fit_width()


class MediaView(QWidget):
    """The image of the session's current item."""

    loaded = Signal(str)  # item id, once its image or placeholder is shown

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.fitting = True  # fit to width until the user zooms
        self._request = 0
        self._item: str | None = None
        self._status = "No image for this item"
        self._pixmap_item: QGraphicsPixmapItem | None = None

        self.scene = QGraphicsScene(self)
        self.view = _ImageView(self)
        self.view.setScene(self.scene)
        self.placeholder = QLabel(self._status)
        self.placeholder.setTextFormat(Qt.TextFormat.PlainText)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.placeholder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fit_button = QToolButton()
        self.fit_button.setText("Fit width")
        self.fit_button.setToolTip("Fit the image to the width of the pane "
                                   "(Ctrl+wheel zooms, drag pans)")
        self.fit_button.clicked.connect(self.fit_width)
        self.info = QLabel()
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        bar = QHBoxLayout()
        bar.setContentsMargins(2, 2, 2, 2)
        bar.setSpacing(8)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.info, 1)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addLayout(self.stack, 1)

        self._loading = QTimer(self)
        self._loading.setSingleShot(True)
        self._loading.setInterval(LOADING_DELAY_MS)
        self._loading.timeout.connect(lambda: self._show_placeholder("Loading image…"))
        self._show_placeholder(self._status)
        session.currentItemChanged.connect(self.show_item)
        if session.current_item is not None:
            self.show_item(session.current_item)

    # -- public API ----------------------------------------------------------------------
    def show_item(self, item_id: str) -> None:
        """Show the image of ``item_id`` (decoded in the background)."""
        self._request += 1
        self._item = item_id
        media = self.session.project.item(item_id).media
        if not media:
            self._loading.stop()
            self._show_placeholder("No image for this item")
            self.loaded.emit(item_id)
            return
        path = Path(media)
        if not path.is_absolute():
            path = self.session.path.parent / path
        if path.suffix.lower() in AUDIO_SUFFIXES:  # asr: the kind's view plays it
            self._loading.stop()
            self._show_placeholder(f"Audio item ({path.name}): played in the audio player")
            self.loaded.emit(item_id)
            return
        self._loading.start()
        run_task(load_image, self._request, item_id, str(path),
                 on_done=self._on_loaded, on_error=self._on_error)

    def status_text(self) -> str:
        """What the placeholder says; '' while an image is shown."""
        return self._status

    def has_image(self) -> bool:
        """Whether an image (not a placeholder) is shown."""
        return self._pixmap_item is not None and self.stack.currentWidget() is self.view

    def fit_width(self) -> None:
        """Scale the image to the width of the pane and show its top."""
        self.fitting = True
        if self._pixmap_item is None:
            return
        # The widget's width with room for a scroll bar, so that a scroll bar coming or
        # going cannot change the fit and resize again.
        avail = (self.view.width() - 2 * self.view.frameWidth()
                 - self.view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent))
        scale = max(avail, 1) / max(self._pixmap_item.pixmap().width(), 1)
        self.view.setTransform(QTransform.fromScale(scale, scale))
        self.view.verticalScrollBar().setValue(self.view.verticalScrollBar().minimum())

    def zoom(self, factor: float) -> None:
        """Zoom by ``factor`` around the mouse; stops fitting to width."""
        if self._pixmap_item is None:
            return
        current = self.view.transform().m11()
        target = min(max(current * factor, ZOOM_LIMITS[0]), ZOOM_LIMITS[1])
        self.fitting = False
        self.view.scale(target / current, target / current)

    # -- results ---------------------------------------------------------------------------
    def _on_loaded(self, result: LoadResult) -> None:
        if result.request != self._request:
            return  # the user moved on to another item meanwhile
        self._loading.stop()
        if result.image is None:
            self._show_placeholder(result.message)
        else:
            self._show_image(result)
        self.loaded.emit(result.item_id)

    def _on_error(self, exc: BaseException) -> None:
        log.error("image loading failed: %s", exc)

    def _show_placeholder(self, text: str) -> None:
        self.scene.clear()
        self._pixmap_item = None
        self._status = text
        self.placeholder.setText(text)
        self.info.clear()
        self.fit_button.setEnabled(False)
        self.stack.setCurrentWidget(self.placeholder)

    def _show_image(self, result: LoadResult) -> None:
        assert result.image is not None
        self.scene.clear()
        pixmap = QPixmap.fromImage(result.image)
        self._pixmap_item = self.scene.addPixmap(pixmap)
        self._pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene.setSceneRect(self._pixmap_item.boundingRect())
        self._status = ""
        w, h = result.size
        reduced = " (shown reduced)" if max(pixmap.width(), pixmap.height()) < max(w, h) else ""
        self.info.setText(f"{w}×{h} px{reduced}")
        self.fit_button.setEnabled(True)
        self.stack.setCurrentWidget(self.view)
        self.fit_width()
