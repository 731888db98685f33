"""The item table: one row per item id, its numbers read from the store page by page."""

from __future__ import annotations

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
from reviewer.core.item_list.columns import ColumnRole, ItemColumn, item_columns, title, tooltip
from reviewer.core.item_list.table import ItemTable
from reviewer.gui.rich_text import literal
from reviewer.gui.session import ReviewSession
from reviewer.gui.suspicion import tracker
from reviewer.gui.theme import category_colour, text_colour
from reviewer.store.summaries import (
    item_position,
    items_between,
    load_summaries,
    load_summaries_after,
    refresh_item,
)

ItemRole = Qt.ItemDataRole.UserRole  # the item id, in every column
SortRole = Qt.ItemDataRole.UserRole + 1  # a number or text to sort by; None sorts last

Index: TypeAlias = QModelIndex | QPersistentModelIndex
_MAIN_CATEGORY_ROLES = (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.ToolTipRole)
PAGE_ROWS = 2_000  # rows read at open and each time the view scrolls to the last one read
# Reaching an item further than this many unread rows away reads every row in bulk: one
# bulk read is faster than paging through that many.
BULK_ROWS = 50_000


class ItemTableModel(QAbstractTableModel):
    """Rows are item ids; the columns are :func:`item_columns` (id, verdict, per system the
    item rate and errors, main category), their cells and order an :class:`ItemTable`'s.

    Sorting reorders the id list here (see :meth:`sort`): with 100,000 rows, a proxy
    comparing rows through Python ``data()`` calls would take seconds.

    Rows are read on demand (Qt's ``canFetchMore``/``fetchMore``): the project opens with
    its first :data:`PAGE_ROWS` items, and the view asks for the next page as it scrolls,
    so opening costs the same whatever the project's size. While only some rows are read
    the list is in item order and unfiltered; sorting, filtering and going to the end read
    the rest first (:meth:`fetch_all`). :attr:`total` is the project's item count.
    """

    summariesReloaded = Signal()  # new data is in place; the reset is about to end
    allFetched = Signal()  # every row is read now; the reset is about to end

    def __init__(self, session: ReviewSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.systems = list(session.systems)
        self._categories: dict[str, Category] = {c.id: c for c in session.categories}
        self.suspicion = tracker(session)
        if self.suspicion.available:
            self.suspicion.ready.connect(self._suspicion_ready)
        self.columns: tuple[ItemColumn, ...] = item_columns(
            self.systems, suspicion=self.suspicion.available)
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.total = session.item_total
        self.summaries, self._last_pos = load_summaries_after(session.project, -1, PAGE_ROWS)
        self.complete = len(self.summaries) >= self.total
        self.table = ItemTable(self.summaries, self.columns,
                               {c.id: c.name for c in session.categories}, self._scores)
        self.ids: list[str] = list(self.summaries.ids)
        # In natural order the rows are the summaries' positions (no second map to build).
        self._rows: dict[str, int] | None = self.summaries.positions
        self._sorted = False  # whether the rows are in (sort_column, sort_order) order
        session.decisionChanged.connect(self.refresh_item)
        session.decisionsReset.connect(self.reload)
        session.categoryVisibilityChanged.connect(self._recolour)

    # -- lookups -------------------------------------------------------------------------
    def row_of(self, item_id: str) -> int | None:
        """Current row of ``item_id`` (``None``: no such item)."""
        if self._rows is None:
            self._rows = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self._rows.get(item_id)

    def ensure_item(self, item_id: str) -> None:
        """Read the rows up to ``item_id`` (and a page more) unless it is read already."""
        if self.complete or item_id in self.summaries.positions:
            return
        pos = item_position(self.session.project, item_id)
        if pos is None:
            return
        if items_between(self.session.project, self._last_pos, pos) > BULK_ROWS:
            self.fetch_all()
        else:
            self._fetch(PAGE_ROWS, through_pos=pos)
            self._fetch(PAGE_ROWS)

    def ensure_rows(self, count: int) -> None:
        """Read rows until at least ``count`` are read (or every row is)."""
        missing = count - len(self.ids)
        if missing <= 0 or self.complete:
            return
        if missing > BULK_ROWS:
            self.fetch_all()
        else:
            self._fetch(missing)

    def fetch_all(self) -> bool:
        """Read every row not read yet, in bulk; returns whether the model was reset."""
        if self.complete:
            return False
        self.beginResetModel()
        self.summaries = load_summaries(self.session.project)
        self.total = len(self.summaries)
        self.table.set_rows(self.summaries)
        self.ids = list(self.summaries.ids)  # unsorted until now (see sort)
        self._rows = self.summaries.positions
        self.complete = True
        self.allFetched.emit()
        self.endResetModel()
        return True

    def _fetch(self, limit: int | None, through_pos: int | None = None) -> None:
        if self.complete:
            return
        page, last = load_summaries_after(self.session.project, self._last_pos, limit,
                                          through_pos)
        if through_pos is None and (limit is None or len(page) < limit):
            self.complete = True  # the end of the items
        if not page.ids:
            return
        start = len(self.ids)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self.summaries.extend(page)
        self.table.set_rows(self.summaries)
        self.ids.extend(page.ids)
        self._last_pos = last
        self.complete = self.complete or len(self.ids) >= self.total
        self.endInsertRows()

    def item_id(self, row: int) -> str:
        """The id of the item in ``row``."""
        return self.ids[row]

    def category(self, category_id: str) -> Category | None:
        """The category with ``category_id`` (``None``: not of this kind, or '')."""
        return self._categories.get(category_id)

    @property
    def main_system(self) -> str | None:
        """Whose main category the last column shows (``None``: the worst system's)."""
        return self.table.main_system

    def set_main_system(self, system: str | None) -> None:
        """Show the main category of ``system`` (``None``: of the worst system)."""
        if system != self.table.main_system:
            self.table.main_system = system
            self._column_changed(len(self.columns) - 1)

    # -- Qt model interface --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self.complete

    def fetchMore(self, parent: Index) -> None:
        if not parent.isValid():
            self._fetch(PAGE_ROWS)

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
        metric = self.session.spec.main_level.metric
        if role == Qt.ItemDataRole.DisplayRole:
            return title(self.columns[section], metric)
        if role == Qt.ItemDataRole.ToolTipRole:
            return literal(tooltip(self.columns[section], metric))  # names from the project
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, c = index.row(), index.column()
        if not (0 <= row < len(self.ids) and 0 <= c < len(self.columns)):
            return None
        item_id = self.ids[row]
        if role == ItemRole:
            return item_id
        column = self.columns[c]
        k = self.summaries.positions[item_id]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.table.text(column, k)
        if role == SortRole:
            return self.table.sort_key(column)(k)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column.role is ColumnRole.MAIN_CATEGORY and role in _MAIN_CATEGORY_ROLES:
            cat = self.category(self.table.main_category(k))
            if cat is None:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                return category_colour(cat)
            if role == Qt.ItemDataRole.ForegroundRole:
                return text_colour()
            return cat.definition
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.role is ColumnRole.SUSPICION:
                note = self.suspicion.note(item_id)  # texts from the benchmark
                return None if note is None else literal(note)
            return self.table.counts_text(column, k)
        return None

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
        self.fetch_all()  # a sort orders every row
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
        by = self.columns[column] if 0 <= column < len(self.columns) else None
        return self.table.sorted_ids(by, order == Qt.SortOrder.DescendingOrder)

    # -- updates -------------------------------------------------------------------------
    def refresh_item(self, item_id: str) -> None:
        """Re-read one item after its decision changed."""
        if refresh_item(self.session.project, self.summaries, item_id) is None:
            return
        self._sorted = False  # the row may now belong elsewhere; a new sort request re-sorts
        row = self.row_of(item_id)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def reload(self) -> None:
        """Re-read every item (several decisions changed at once), keeping the sort."""
        self.beginResetModel()
        if self.complete:
            self.summaries = load_summaries(self.session.project)
        else:  # the rows read so far (in item order: nothing sorts a part of the rows)
            self.summaries, _ = load_summaries_after(self.session.project, -1,
                                                     through_pos=self._last_pos)
            self.total = self.session.project.item_count()
        self.table.set_rows(self.summaries)
        self.ids = self._sorted_ids(self.sort_column, self.sort_order)
        self._sorted = True
        self._rows = None
        self.summariesReloaded.emit()
        self.endResetModel()

    def suspicion_column(self) -> int | None:
        """The column of the suspicion scores (``None`` for kinds without a ranking)."""
        if not self.suspicion.available:
            return None
        return self.columns.index(ItemColumn(ColumnRole.SUSPICION))

    def _scores(self) -> dict[str, float] | None:
        suspects = self.suspicion.suspects
        return None if suspects is None else suspects.scores

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
