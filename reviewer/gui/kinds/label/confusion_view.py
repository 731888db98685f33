"""The confusion matrix of a label project: gold classes by one system's predicted classes.

Counts use the current labels (corrected ones where the reviewer set them). Clicking a
cell shows only its items in the item list; "Show all items" lifts that filter.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.label_codec import class_order
from reviewer.gui.items.view import ItemListWidget
from reviewer.gui.rich_text import literal
from reviewer.gui.session import ReviewSession
from reviewer.gui.theme import swatch_colour
from reviewer.store.label_answers import Cell, answer_cells

NONE_COLUMN = "(none)"  # the column of items the system gave no class for
REFRESH_DELAY_MS = 300


def _blend(base: QColor, colour: QColor, share: float) -> QColor:
    """``share`` of ``colour`` over ``base``."""
    return QColor.fromRgbF(*(b + (c - b) * share for b, c in
                             ((base.redF(), colour.redF()), (base.greenF(), colour.greenF()),
                              (base.blueF(), colour.blueF()))))


class ConfusionView(QWidget):
    """A system's confusion matrix; a click on a cell filters the item list to its items."""

    def __init__(self, session: ReviewSession, items: ItemListWidget,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.items = items
        self.cells: dict[Cell, list[str]] = {}
        self.rows: list[str] = []
        self.columns: list[str] = []
        self.selected: Cell | None = None
        self._stale = True  # recounted when next shown: 100,000 items take a fifth of a second

        self.system = QComboBox()
        self.system.addItems(session.systems)
        self.system.setToolTip("The system whose predictions are the columns")
        self.system.currentIndexChanged.connect(lambda _k: self.refresh())
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip("Rows: gold label; columns: predicted label. Click a cell to "
                              "list its items.")
        self.table.cellClicked.connect(self.select_cell)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_button = QPushButton("Show all items")
        self.clear_button.setEnabled(False)
        self.clear_button.clicked.connect(self.clear_filter)

        top = QHBoxLayout()
        top.addWidget(QLabel("Predicted by"))
        top.addWidget(self.system, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(QLabel("Gold label (rows) by predicted label (columns)"))
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self._refresh_if_shown)
        session.decisionChanged.connect(lambda _id: self._timer.start())
        session.decisionsReset.connect(self._timer.start)

    def _refresh_if_shown(self) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # -- drawing -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recount the matrix from the project (current labels)."""
        self._stale = False
        system = self.system.currentText()
        self.cells = answer_cells(self.session.project, system) if system else {}
        classes = class_order({g for g, _ in self.cells} | {p for _, p in self.cells if p})
        self.rows = classes
        missing = any(not p for _, p in self.cells)
        self.columns = classes + ([NONE_COLUMN] if missing else [])
        self.table.setRowCount(len(self.rows))
        self.table.setColumnCount(len(self.columns))
        self.table.setVerticalHeaderLabels(self.rows)
        self.table.setHorizontalHeaderLabels(self.columns)
        off = [len(ids) for (g, p), ids in self.cells.items() if g != p]
        top_off = max(off, default=1)
        top_diag = max((len(ids) for (g, p), ids in self.cells.items() if g == p), default=1)
        base = self.table.palette().color(QPalette.ColorRole.Base)
        right, wrong = swatch_colour("mint"), swatch_colour("orange")
        for r, gold in enumerate(self.rows):
            for c, column in enumerate(self.columns):
                count = len(self.cells.get(self._cell(r, c), []))
                cell = QTableWidgetItem(str(count) if count else "")
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if count:
                    diagonal = column == gold
                    share = 0.25 + 0.75 * count / (top_diag if diagonal else top_off)
                    cell.setBackground(_blend(base, right if diagonal else wrong, share))
                    cell.setToolTip(literal(f"gold {gold}, {self.system.currentText()} "
                                            f"{column}: {count} items"))
                self.table.setItem(r, c, cell)
        total = sum(len(ids) for ids in self.cells.values())
        wrong_count = sum(off)
        if self.selected is None:
            self.status.setText(f"{total:,} items; {wrong_count:,} off the diagonal")

    def _cell(self, row: int, column: int) -> Cell:
        predicted = self.columns[column]
        return self.rows[row], "" if predicted == NONE_COLUMN else predicted

    # -- filtering -----------------------------------------------------------------------
    def select_cell(self, row: int, column: int) -> None:
        """List only the items of one cell in the item list, and show the first."""
        if not (0 <= row < len(self.rows) and 0 <= column < len(self.columns)):
            return
        cell = self._cell(row, column)
        ids = self.cells.get(cell, [])
        self.selected = cell
        self.items.proxy.set_ids(set(ids))
        gold, predicted = cell
        said = predicted or "no class"
        self.status.setText(f"Showing {len(ids):,} items: gold {gold}, "
                            f"{self.system.currentText()} {said}")
        self.clear_button.setEnabled(True)
        if ids:
            self.items.select_id(ids[0])

    def clear_filter(self) -> None:
        self.selected = None
        self.items.proxy.set_ids(None)
        self.table.clearSelection()
        self.clear_button.setEnabled(False)
        self.refresh()
