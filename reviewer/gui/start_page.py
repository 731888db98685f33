"""The page shown when no project is open: open, create, try the demo, or reopen a recent one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from reviewer.gui.rich_text import literal

APP_NAME = "reviewer"
TAGLINE = ("Look at every OCR error next to its reference, decide whether the model or the "
           "benchmark is wrong, and export a cleaned benchmark with honest scores.")
PATH_ROLE = Qt.ItemDataRole.UserRole


class StartPage(QWidget):
    """Buttons and recent projects; it only emits signals, the main window does the work."""

    openRequested = Signal(str)  # a project path, or "" to ask with a file dialog
    newRequested = Signal()
    demoRequested = Signal()
    filesDropped = Signal(list)  # local paths of dropped files and folders

    def __init__(self, recent: Sequence[str | Path] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)

        title = QLabel(APP_NAME)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.4)
        font.setBold(True)
        title.setFont(font)
        tagline = QLabel(TAGLINE)
        tagline.setWordWrap(True)
        tag_font = tagline.font()
        tag_font.setPointSizeF(tag_font.pointSizeF() * 1.1)
        tagline.setFont(tag_font)

        self.open_button = _big_button("Open project…", "Open a reviewer project (.db)")
        self.new_button = _big_button("New project from files…",
                                      "Import a reference and systems' predictions")
        self.demo_button = _big_button("Open demo", "A small OCR benchmark to try reviewer on")
        self.open_button.clicked.connect(lambda: self.openRequested.emit(""))
        self.new_button.clicked.connect(self.newRequested)
        self.demo_button.clicked.connect(self.demoRequested)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.new_button, self.demo_button):
            buttons.addWidget(button)

        self.recent = QListWidget()
        self.recent.setAlternatingRowColors(True)
        self.recent.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        self.recent.setMaximumHeight(320)
        self.recent.itemActivated.connect(self._on_activated)
        for path in recent:
            self.recent.addItem(_recent_item(str(path)))
        recent_label = QLabel("Recent projects" if recent else "No recent projects yet")
        recent_font = recent_label.font()
        recent_font.setBold(True)
        recent_label.setFont(recent_font)
        self.recent.setVisible(bool(recent))
        hint = QLabel("Tip: drop a reference file or folder (and prediction files) here "
                      "to start a new project from them.")
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        column = QVBoxLayout()
        column.addStretch(1)
        column.addWidget(title)
        column.addWidget(tagline)
        column.addSpacing(24)
        column.addLayout(buttons)
        column.addSpacing(24)
        column.addWidget(recent_label)
        column.addWidget(self.recent, 3)
        column.addWidget(hint)
        column.addStretch(1)
        content = QWidget()
        content.setLayout(column)
        content.setMaximumWidth(760)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(content, 10)
        outer.addStretch(1)

    def _on_activated(self, item: QListWidgetItem) -> None:
        self.openRequested.emit(str(item.data(PATH_ROLE)))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept drags that carry local files or folders."""
        if _local_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Emit ``filesDropped`` with the dropped paths."""
        paths = _local_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.filesDropped.emit(paths)


def _big_button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setMinimumHeight(64)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    font = button.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    button.setFont(font)
    return button


def _recent_item(path: str) -> QListWidgetItem:
    where = Path(path)
    item = QListWidgetItem(f"{where.name}    —    {where.parent}")
    item.setData(PATH_ROLE, path)
    item.setToolTip(literal(path))
    if not where.exists():
        item.setText(item.text() + "    (missing)")
        item.setForeground(QPalette().color(QPalette.ColorGroup.Disabled,
                                            QPalette.ColorRole.Text))
    return item


def _local_paths(urls: Sequence[QUrl]) -> list[str]:
    return [url.toLocalFile() for url in urls if url.isLocalFile()]
