"""The item table: one row per item id, its numbers read in bulk from the store."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeAlias

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from reviewer.core.categories import Category
from reviewer.core.labels import VERDICT_NAMES, VERDICTS
from reviewer.gui.rich_text import literal
from reviewer.gui.session import ReviewSession
from reviewer.gui.suspicion import tracker
from reviewer.gui.theme import category_colour, text_colour
from reviewer.store.summaries import ItemSummaries, load_summaries, refresh_item

ItemRole = Qt.ItemDataRole.UserRole  # the item id, in every column
SortRole = Qt.ItemDataRole.UserRole + 1  # a number or text to sort by; None sorts last
UNDEFINED = "—"

Index: TypeAlias = QModelIndex | QPersistentModelIndex
_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts ``l2`` before ``l10``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.casefold())
                 for part in _DIGITS.split(text) if part)


class ItemTableModel(QAbstractTableModel):
    """Rows are item ids; columns are Id, Verdict, per system CER and errors, Main category.

    Sorting reorders the id list here (see :meth:`sort`): with 100,000 rows, a proxy
    comparing rows through Python ``data()`` calls would take seconds.
    """

    summariesReloaded = Signal()  # new data is in place; the reset is about to end

    def __init__(self, session: ReviewSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.systems = list(session.systems)
        self._categories: dict[str, Category] = {c.id: c for c in session.categories}
        # (kind, system): kind is id, verdict, cer, errors or main.
        self.columns: list[tuple[str, str | None]] = [("id", None), ("verdict", None)]
        self.suspicion = tracker(session)
        if self.suspicion.available:
            self.columns.append(("suspicion", None))
            self.suspicion.ready.connect(self._suspicion_ready)
        for system in self.systems:
            self.columns += [("cer", system), ("errors", system)]
        self.columns.append(("main", None))
        self.main_system: str | None = None
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.summaries: ItemSummaries = load_summaries(session.project)
        self.ids: list[str] = list(self.summaries.ids)
        # In natural order the rows are the summaries' positions (no second map to build).
        self._rows: dict[str, int] | None = self.summaries.positions
        self._natural: list[int] | None = None  # summaries positions in natural id order
        self._sorted = False  # whether the rows are in (sort_column, sort_order) order
        session.labelChanged.connect(self.refresh_item)
        session.labelsReset.connect(self.reload)
        session.categoryVisibilityChanged.connect(self._recolour)

    # -- lookups -------------------------------------------------------------------------
    def row_of(self, item_id: str) -> int | None:
        """Current row of ``item_id`` (``None``: no such item)."""
        if self._rows is None:
            self._rows = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self._rows.get(item_id)

    def item_id(self, row: int) -> str:
        return self.ids[row]

    def category(self, category_id: str) -> Category | None:
        return self._categories.get(category_id)

    def main_category_of(self, position: int) -> str:
        """Main category of the item at ``position`` in the summaries.

        Of :attr:`main_system` when set, else of the system with the most errors there.
        """
        s = self.summaries
        if self.main_system is not None and self.main_system in s.main_category:
            return s.main_category[self.main_system][position]
        best, best_errors = "", 0
        for system in self.systems:
            errors = s.char_errors[system][position]
            if errors > best_errors:
                best, best_errors = s.main_category[system][position], errors
        return best

    def set_main_system(self, system: str | None) -> None:
        """Whose main category the last column shows (``None``: the worst system's)."""
        if system != self.main_system:
            self.main_system = system
            self._column_changed(len(self.columns) - 1)

    # -- Qt model interface --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        kind, system = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            # Two lines for the per-system columns keep the table narrow enough for a dock.
            metric = self.session.spec.item_metric
            return {"id": "Id", "verdict": "Verdict", "cer": f"{system}\n{metric}",
                    "errors": f"{system}\nerrors", "main": "Main category",
                    "suspicion": "Suspicion"}[kind]
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = {"id": "Item id", "verdict": "Your verdict on the item",
                    "cer": f"{self.session.spec.item_metric} of {system} against the current "
                           "reference",
                    "errors": f"Errors of {system}",
                    "main": "The error category with the most errors",
                    "suspicion": "How likely the reference is wrong (0 to 1), from how the "
                                 "systems agree against it"}
            return literal(tips[kind])  # system names come from the project
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self.ids) and 0 <= column < len(self.columns)):
            return None
        item_id = self.ids[row]
        if role == ItemRole:
            return item_id
        kind, system = self.columns[column]
        s = self.summaries
        k = s.positions[item_id]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(kind, system, item_id, k)
        if role == SortRole:
            return self._sort_value(kind, system, item_id, k)
        if role == Qt.ItemDataRole.TextAlignmentRole and kind in ("cer", "errors", "suspicion"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if kind == "main" and role in (Qt.ItemDataRole.BackgroundRole,
                                       Qt.ItemDataRole.ForegroundRole,
                                       Qt.ItemDataRole.ToolTipRole):
            cat = self.category(self.main_category_of(k))
            if cat is None:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                return category_colour(cat)
            if role == Qt.ItemDataRole.ForegroundRole:
                return text_colour()
            return cat.definition
        if role == Qt.ItemDataRole.ToolTipRole and kind == "cer" and system is not None:
            return f"{s.char_errors[system][k]} errors / {s.char_units[system][k]} units"
        return None

    def _display(self, kind: str, system: str | None, item_id: str, k: int) -> str:
        s = self.summaries
        if kind == "id":
            return item_id
        if kind == "verdict":
            verdict = s.verdicts.get(item_id)
            return VERDICT_NAMES.get(verdict, verdict) if verdict else ""
        if kind == "main":
            main = self.main_category_of(k)
            cat = self.category(main)
            return cat.name if cat is not None else main
        if kind == "suspicion":
            score = self.suspicion.score(item_id)
            return "…" if score is None else f"{score:.2f}"
        assert system is not None
        if kind == "errors":
            return str(s.char_errors[system][k])
        rate = s.rate(system, k)
        return UNDEFINED if rate is None else f"{rate * 100:.2f}%"

    def _sort_value(self, kind: str, system: str | None, item_id: str, k: int) -> Any:
        return self._sort_key(kind, system)(k)

    def _sort_key(self, kind: str, system: str | None) -> Callable[[int], Any]:
        """A function of a summaries position giving the sort value (``None``: last)."""
        s = self.summaries
        if kind == "id":
            return lambda k: natural_key(s.ids[k])
        if kind == "verdict":
            order = {v: n for n, v in enumerate(VERDICTS)}
            return lambda k: order.get(s.verdicts.get(s.ids[k], ""))
        if kind == "main":
            names = {c.id: c.name.casefold() for c in self._categories.values()}

            def main_name(k: int) -> str | None:
                main = self.main_category_of(k)
                return names.get(main, main) or None

            return main_name
        if kind == "suspicion":
            scores = self.suspicion.suspects.scores if self.suspicion.suspects else {}
            return lambda k: scores.get(s.ids[k])
        assert system is not None
        if kind == "errors":
            errors = s.char_errors[system]
            return errors.__getitem__
        return lambda k: s.rate(system, k)

    def _sort_values(self, kind: str, system: str | None) -> list[Any]:
        """Every item's sort value, in summaries order (built in bulk for speed)."""
        s = self.summaries
        if kind == "cer" and system is not None:
            return [e / u if u else (None if e else 0.0)
                    for e, u in zip(s.char_errors[system], s.char_units[system], strict=True)]
        if kind == "errors" and system is not None:
            return s.char_errors[system]
        key = self._sort_key(kind, system)
        return [key(k) for k in range(len(s.ids))]

    # -- sorting -------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows by ``column`` (-1: item order); undefined values sort last.

        Ties keep item order, in both directions.
        """
        if (column < 0 and self.sort_column < 0) or (
                self._sorted and (column, order) == (self.sort_column, self.sort_order)):
            # Already in that order (QTableView.sortByColumn asks twice); a layout change
            # would make the proxy filter every row again.
            return
        self.sort_column, self.sort_order = column, order
        self._sorted = True
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        moved = [self.ids[p.row()] for p in persistent]
        self.ids = self._sorted_ids(column, order)
        self._rows = None
        self.changePersistentIndexList(
            persistent, [self.index(self.row_of(item_id) or 0, p.column())
                         for item_id, p in zip(moved, persistent, strict=True)])
        self.layoutChanged.emit()

    def _sorted_ids(self, column: int, order: Qt.SortOrder) -> list[str]:
        s = self.summaries
        if not 0 <= column < len(self.columns):
            return list(s.ids)
        descending = order == Qt.SortOrder.DescendingOrder
        if self.columns[column][0] == "id":
            # Ids are unique, so their order is computed once and reversed as needed.
            if self._natural is None:
                keys = [natural_key(i) for i in s.ids]
                self._natural = sorted(range(len(keys)), key=keys.__getitem__)
            return [s.ids[k] for k in (reversed(self._natural) if descending else self._natural)]
        values = self._sort_values(*self.columns[column])
        defined = [k for k, v in enumerate(values) if v is not None]
        undefined = [k for k, v in enumerate(values) if v is None]
        # Python's sort is stable with reverse=True too, so ties keep item order.
        defined.sort(key=values.__getitem__, reverse=descending)
        return [s.ids[k] for k in defined + undefined]

    # -- updates -------------------------------------------------------------------------
    def refresh_item(self, item_id: str) -> None:
        """Re-read one item after its label changed."""
        if refresh_item(self.session.project, self.summaries, item_id) is None:
            return
        self._sorted = False  # the row may now belong elsewhere; a new sort request re-sorts
        row = self.row_of(item_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def reload(self) -> None:
        """Re-read every item (several labels changed at once), keeping the sort."""
        self.beginResetModel()
        self.summaries = load_summaries(self.session.project)
        self._natural = None
        self.ids = self._sorted_ids(self.sort_column, self.sort_order)
        self._sorted = True
        self._rows = None
        self.summariesReloaded.emit()
        self.endResetModel()

    def suspicion_column(self) -> int | None:
        """The column of the suspicion scores (``None`` for kinds without a ranking)."""
        return self.columns.index(("suspicion", None)) if self.suspicion.available else None

    def _suspicion_ready(self) -> None:
        column = self.suspicion_column()
        if column is None:
            return
        if self.sort_column == column:  # the queue: re-sort by the new scores
            self._sorted = False
            self.sort(column, self.sort_order)
        self._column_changed(column)

    def _recolour(self) -> None:
        self._column_changed(len(self.columns) - 1)

    def _column_changed(self, column: int) -> None:
        if self.ids:
            self.dataChanged.emit(self.index(0, column), self.index(len(self.ids) - 1, column))
