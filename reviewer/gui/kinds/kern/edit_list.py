"""The list of musicdiff's edits of the current kern item, and of its syntax problems.

One row per edit: system, category (with its colour), OMR-ED cost and where it is in the
kern (``pred`` and ``ref`` lines and fields); one row per syntax problem of a prediction.
Edits musicdiff made on objects with no place in the kern body say "not in the kern".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from reviewer.core.kern.omr_categories import omr_category
from reviewer.core.kern.omr_ned import OmrOp
from reviewer.gui.theme import swatch_colour

Key = tuple[str, int]  # (system, op index); index -1 - k: the system's k-th syntax problem
_KEY = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class SyntaxRow:
    """A syntax problem of a prediction, as shown."""

    line: int
    text: str


def where(op: OmrOp) -> str:
    """Kern places of an op, e.g. ``pred 10:2 · ref 11:2`` (line:field)."""
    parts = []
    for side, locs in (("pred", op.pred), ("ref", op.gt)):
        if locs:
            shown = ", ".join(f"{line}:{field}" for line, field in locs[:3])
            parts.append(f"{side} {shown}" + (" …" if len(locs) > 3 else ""))
    return " · ".join(parts) if parts else "not in the kern"


def _chip(colour: QColor) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(colour)
    return QIcon(pixmap)


class KernEditList(QTreeWidget):
    """musicdiff edits and syntax problems of every system on one item."""

    rowChosen = Signal(str, int)  # system, op index (negative: a syntax problem)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(4)
        self.setHeaderLabels(["System", "musicdiff edit", "OMR-ED", "Kern line:field"])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setToolTip("musicdiff's edits (prediction → reference) and the predictions' "
                        "syntax problems; click one to select it in every view")
        self._rows: dict[Key, QTreeWidgetItem] = {}
        self._quiet = False
        self.itemClicked.connect(self._clicked)
        self.currentItemChanged.connect(lambda item, _: self._clicked(item))

    def show_edits(self, edits: Sequence[tuple[str, Sequence[OmrOp], Sequence[SyntaxRow]]],
                   theme: str) -> None:
        """Fill the list: for each system its ops and its syntax problems."""
        self._quiet = True
        self.clear()
        self._rows = {}
        for system, ops, problems in edits:
            for k, op in enumerate(ops):
                cat = omr_category(op.category)
                row = QTreeWidgetItem([system, f"{cat.name} ({op.op})", str(op.cost), where(op)])
                row.setIcon(1, _chip(swatch_colour(cat.swatch, theme)))
                row.setToolTip(1, cat.definition)
                self._add(row, (system, k))
            for k, problem in enumerate(problems):
                row = QTreeWidgetItem([system, "syntax problem", "", problem.text])
                row.setIcon(1, _chip(swatch_colour("pale_grey", theme)))
                self._add(row, (system, -1 - k))
        for column in range(3):
            self.resizeColumnToContents(column)
        self._quiet = False

    def _add(self, row: QTreeWidgetItem, key: Key) -> None:
        row.setData(0, _KEY, key)
        self.addTopLevelItem(row)
        self._rows[key] = row

    def select_keys(self, keys: Sequence[Key]) -> None:
        """Select (and show) these rows without telling anyone."""
        self._quiet = True
        self.clearSelection()
        first = None
        for key in keys:
            row = self._rows.get(key)
            if row is not None:
                row.setSelected(True)
                first = first or row
        if first is not None:
            self.scrollToItem(first)
        self._quiet = False

    def row_keys(self) -> list[Key]:
        """Every row's key, in display order."""
        rows = (self.topLevelItem(k) for k in range(self.topLevelItemCount()))
        return [row.data(0, _KEY) for row in rows if row is not None]

    def step(self, step: int) -> None:
        """Choose the next (``+1``) or previous (``-1``) row."""
        keys = self.row_keys()
        if not keys:
            return
        current = self.currentItem()
        k = keys.index(current.data(0, _KEY)) + step if current is not None else 0
        k = max(0, min(len(keys) - 1, k))
        self.setCurrentItem(self._rows[keys[k]])

    def _clicked(self, item: QTreeWidgetItem | None) -> None:
        if item is None or self._quiet:
            return
        system, index = item.data(0, _KEY)
        self.rowChosen.emit(system, index)
