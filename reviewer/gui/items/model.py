"""The item table: rows in the order and under the filters of one SQL query, read a page
at a time (Anki's browser is the model: the database sorts, the table asks for rows)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import Any, TypeAlias

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from reviewer.core.categories import Category
from reviewer.core.decisions import VERDICT_NAMES
from reviewer.core.item_list.columns import ColumnRole, ItemColumn, item_columns, title, tooltip
from reviewer.core.item_list.filters import UNREVIEWED, ItemFilter
from reviewer.core.item_list.table import UNDEFINED, UNKNOWN_SCORE
from reviewer.core.metrics import item_rate
from reviewer.gui.rich_text import literal
from reviewer.gui.session import ReviewSession
from reviewer.gui.suspicion import tracker
from reviewer.gui.theme import category_colour, text_colour
from reviewer.store.annotations import disagreements
from reviewer.store.item_list_sql import (
    ItemListSql,
    ItemRow,
    ListQuery,
    PositionSet,
    close_snapshot,
    end_snapshot,
    id_at,
    open_snapshot,
    position_of,
    positions_matching_text,
    positions_of,
    renew_snapshot,
    stored_verdict,
)
from reviewer.store.list_facts import ensure_list_facts, item_total

ItemRole = Qt.ItemDataRole.UserRole  # the item id, in every column
SortRole = Qt.ItemDataRole.UserRole + 1  # the value the column sorts by; None sorts last

Index: TypeAlias = QModelIndex | QPersistentModelIndex
_MAIN_CATEGORY_ROLES = (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                        Qt.ItemDataRole.ToolTipRole)
PAGE_ROWS = 500  # rows read from the store at a time (a screen shows a few dozen)
CACHED_PAGES = 8  # pages kept (the least recently used goes first)
_Entry = tuple[ItemRow, Any]  # a row and its sort key when it was read


class ItemTableModel(QAbstractTableModel):
    """Rows are items; the columns are :func:`item_columns` (id, verdict, per system the
    item rate and errors, main category).

    The order and the filters are one SQL query over the indexed item facts
    (:class:`~reviewer.store.item_list_sql.ItemListSql`): the row count is its cached
    count, rows are read :data:`PAGE_ROWS` at a time and at most :data:`CACHED_PAGES`
    pages are held, so opening, sorting and filtering cost the same whatever the
    project's size. :attr:`total` is the project's item count.

    A row whose decision changes stays where it is and stays shown (its cells are read
    again) until the order or the filters change, or every decision is read anew.
    """

    def __init__(self, session: ReviewSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.systems = list(session.systems)
        self._categories: dict[str, Category] = {c.id: c for c in session.categories}
        self.category_names = {c.id: c.name for c in session.categories}
        self.suspicion = tracker(session)
        self.suspicion_failure: str | None = None  # why the ranking failed, if it did
        if self.suspicion.available:
            self.suspicion.ready.connect(self._suspicion_ready)
            self.suspicion.failed.connect(self._suspicion_failed)
        self.columns: tuple[ItemColumn, ...] = item_columns(
            self.systems, suspicion=self.suspicion.available)
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.main_system: str | None = None  # whose main category is shown (None: worst)
        self._sort_main_system: str | None = None  # ... when the list was sorted by it
        self.criteria = ItemFilter()
        self._text: PositionSet | None = None
        self._disputed: PositionSet | None = None
        self._ids: PositionSet | None = None
        self.total = session.item_total
        self._pages: OrderedDict[int, list[_Entry]] = OrderedDict()
        self._rows: dict[str, int] = {}  # item id -> row, for the rows of the held pages
        # The order and the filters are read from a snapshot of the project, taken anew
        # whenever they change: a row whose decision changes keeps its place (and stays
        # shown) until then. Cells are read from the project as it is.
        ensure_list_facts(session.project)  # rows another path wrote without them
        self._snapshot = open_snapshot(session.project)
        self._list = self._new_list()
        self._count = self._list.count(self.total)
        session.closing.connect(self._close_snapshot)
        session.decisionChanged.connect(self.refresh_item)
        session.decisionsReset.connect(self.reload)
        session.categoryVisibilityChanged.connect(self._recolour)

    # -- the query -----------------------------------------------------------------------
    def _query(self) -> ListQuery:
        c = self.criteria
        column = self.columns[self.sort_column] if 0 <= self.sort_column < len(
            self.columns) else None
        role = None if column is None else column.role
        system = column.system if column is not None else None
        if role is ColumnRole.MAIN_CATEGORY:
            system = self._sort_main_system
        filter_system = c.system if c.system in self.systems else None
        verdict = "" if c.verdict == UNREVIEWED else c.verdict
        sets = tuple(s for s in (self._text, self._disputed, self._ids) if s is not None)
        return ListQuery(role, system, self.sort_order == Qt.SortOrder.DescendingOrder,
                         verdict, c.category, filter_system, c.only_errors, sets)

    def _new_list(self) -> ItemListSql:
        """The query over a new snapshot of the project, or over the project itself when
        no decision can move or hide a row (item or id order, no filter): a snapshot held
        for long keeps the project's write-ahead log from being folded back into it."""
        query = self._query()
        live = self.session.project
        if query.filtered or query.role not in (None, ColumnRole.ID):
            renew_snapshot(self._snapshot, live)
            return ItemListSql(self._snapshot, query, live)
        end_snapshot(self._snapshot, live)
        return ItemListSql(live, query)

    def _close_snapshot(self) -> None:
        close_snapshot(self._snapshot, self.session.project)

    def _requery(self, recount: bool) -> None:
        """Make the query anew over a new snapshot; forget the rows read (inside a reset or
        layout change)."""
        self._list = self._new_list()
        if recount:
            self._count = self._list.count(self.total)
        else:
            self._list.size = self._count
        self._pages.clear()
        self._rows.clear()

    def is_filtered(self) -> bool:
        """Whether a filter is set."""
        return self._list.query.filtered

    def set_filter(self, criteria: ItemFilter) -> bool:
        """Show the items passing ``criteria`` (the text is stripped); returns whether they
        changed. The stored data a criterion needs is read now."""
        criteria = replace(criteria, text=criteria.text.strip())
        old = self.criteria
        if criteria == old:
            return False
        project = self.session.project
        if criteria.text != old.text:
            self._text = (positions_matching_text(project, criteria.text)
                          if criteria.text else None)
        if criteria.disagreements_only != old.disagreements_only:
            self._disputed = (positions_of(project, disagreements(project))
                              if criteria.disagreements_only else None)
        if criteria.ids != old.ids:
            self._ids = None if criteria.ids is None else positions_of(project, criteria.ids)
        self.criteria = criteria
        self.beginResetModel()
        self._requery(recount=True)
        self.endResetModel()
        return True

    # -- rows ----------------------------------------------------------------------------
    def _entry(self, row: int) -> _Entry | None:
        if not 0 <= row < self._count:
            return None
        number = row // PAGE_ROWS
        page = self._pages.get(number)
        if page is None:
            page = self._read_page(number)
        else:
            self._pages.move_to_end(number)
        k = row - number * PAGE_ROWS
        return page[k] if k < len(page) else None

    def _read_page(self, number: int) -> list[_Entry]:
        start = number * PAGE_ROWS
        keyed = self._list.page(start, PAGE_ROWS, self._count)
        rows = self._list.rows([pos for pos, _ in keyed])
        page = [(rows[pos], key) for pos, key in keyed if pos in rows]
        while len(self._pages) >= CACHED_PAGES:
            old_number, old = self._pages.popitem(last=False)
            for k, (item, _) in enumerate(old):
                if self._rows.get(item.id) == old_number * PAGE_ROWS + k:
                    del self._rows[item.id]
        self._pages[number] = page
        for k, (item, _) in enumerate(page):
            self._rows[item.id] = start + k
        return page

    def held_rows(self) -> int:
        """How many rows are held in memory now (at most a few pages)."""
        return sum(len(page) for page in self._pages.values())

    def row_of(self, item_id: str) -> int | None:
        """Current row of ``item_id`` (``None``: no such item, or the filters hide it)."""
        row = self._rows.get(item_id)
        if row is not None:
            return row
        pos = position_of(self.session.project, item_id)
        return None if pos is None else self._list.row_of(pos)

    def item_id(self, row: int) -> str:
        """The id of the item in ``row``."""
        entry = self._entry(row)
        if entry is None:
            raise IndexError(f"no row {row} in the item list of {self._count} rows")
        return entry[0].id

    @property
    def ids(self) -> list[str]:
        """Every shown id, top to bottom (reads every row: for small lists and tests)."""
        return [self.item_id(row) for row in range(self._count)]

    def verdict(self, item_id: str) -> str | None:
        """The item's verdict as the list shows it (``None``: none)."""
        row = self._rows.get(item_id)
        if row is not None:
            entry = self._entry(row)
            if entry is not None:
                return entry[0].verdict
        return stored_verdict(self.session.project, item_id)

    def next_unreviewed(self, current: str | None) -> str | None:
        """The first shown item without a verdict after ``current`` in the list's order,
        wrapping round to the top (``None``: there is none but ``current``). ``current``
        may be hidden by a filter: the search still starts where it would be."""
        row = None if current is None else self._rows.get(current)
        if row is not None:  # the rows read after it first: no query while reviewing
            number = row // PAGE_ROWS
            while number in self._pages:
                page = self._pages[number]
                for k in range(max(row + 1 - number * PAGE_ROWS, 0), len(page)):
                    item = page[k][0]
                    if item.verdict is None and item.id != current:
                        return item.id
                number += 1
                if number * PAGE_ROWS >= self._count:
                    break
        after: tuple[Any, int] | None = None
        skip: int | None = None
        if current is not None:
            skip = position_of(self.session.project, current)
            if row is not None:
                entry = self._entry(row)
                if entry is not None:
                    after = (entry[1], entry[0].pos)
            elif skip is not None:
                after = (self._list.sort_key(skip), skip)
        pos = self._list.next_unreviewed(after, skip)
        return None if pos is None else id_at(self.session.project, pos)

    def category(self, category_id: str) -> Category | None:
        """The category with ``category_id`` (``None``: not of this kind, or '')."""
        return self._categories.get(category_id)

    def set_main_system(self, system: str | None) -> None:
        """Show the main category of ``system`` (``None``: of the worst system)."""
        if system != self.main_system:
            self.main_system = system
            self._column_changed(len(self.columns) - 1)

    def main_category(self, item: ItemRow) -> str:
        """The main category id shown for ``item`` ('' for none)."""
        if self.main_system in self.systems:
            return item.main_category[self.systems.index(self.main_system)]
        return item.worst_category

    # -- Qt model interface --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

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
            tip = tooltip(self.columns[section], metric)
            if section == self.suspicion_column() and self.suspicion_failure:
                tip += f"\n\nNo ranking: {self.suspicion_failure}"
            return literal(tip)  # names from the project
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.columns):
            return None
        entry = self._entry(index.row())
        if entry is None:
            return None
        item = entry[0]
        if role == ItemRole:
            return item.id
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(column, item)
        if role == SortRole:
            return self.sort_value(column, item)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column.role is ColumnRole.MAIN_CATEGORY and role in _MAIN_CATEGORY_ROLES:
            cat = self.category(self.main_category(item))
            if cat is None:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                return category_colour(cat)
            if role == Qt.ItemDataRole.ForegroundRole:
                return text_colour()
            return cat.definition
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.role is ColumnRole.SUSPICION:
                note = self.suspicion.note(item.id)  # texts from the benchmark
                return None if note is None else literal(note)
            if column.role is ColumnRole.RATE:
                k = self.systems.index(column.system or "")
                return f"{item.errors[k]} errors / {item.units[k]} units"
        return None

    # -- cells ---------------------------------------------------------------------------
    def _score(self, item: ItemRow) -> float | None:
        # The stored score; a read-only project keeps none, the ranking's own then.
        return item.suspicion if item.suspicion is not None else self.suspicion.score(item.id)

    def text(self, column: ItemColumn, item: ItemRow) -> str:
        """What the cell of ``column`` shows for ``item``."""
        role = column.role
        if role is ColumnRole.ID:
            return item.id
        if role is ColumnRole.VERDICT:
            return VERDICT_NAMES.get(item.verdict, item.verdict) if item.verdict else ""
        if role is ColumnRole.MAIN_CATEGORY:
            main = self.main_category(item)
            return self.category_names.get(main, main)
        if role is ColumnRole.SUSPICION:
            score = self._score(item)
            if score is None:  # being ranked, or not ranked (the header says why)
                return UNDEFINED if self.suspicion_failure else UNKNOWN_SCORE
            return f"{score:.2f}"
        k = self.systems.index(column.system or "")
        if role is ColumnRole.ERRORS:
            return str(item.errors[k])
        rate = item_rate(item.errors[k], item.units[k])
        return UNDEFINED if rate is None else f"{rate * 100:.2f}%"

    def sort_value(self, column: ItemColumn, item: ItemRow) -> Any:
        """The value ``column`` sorts ``item`` by (``None``: undefined, sorted last)."""
        role = column.role
        if role is ColumnRole.ID:
            return item.id
        if role is ColumnRole.VERDICT:
            return item.verdict
        if role is ColumnRole.MAIN_CATEGORY:
            main = self.main_category(item)
            return self.category_names.get(main, main).casefold() or None
        if role is ColumnRole.SUSPICION:
            return self._score(item)
        k = self.systems.index(column.system or "")
        if role is ColumnRole.ERRORS:
            return item.errors[k]
        return item_rate(item.errors[k], item.units[k])

    # -- sorting -------------------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column`` (-1: item order) in SQL; undefined values sort
        last, ties keep item order in both directions. Selected rows stay selected."""
        if column >= len(self.columns):
            column = -1
        if column < 0:
            order = Qt.SortOrder.AscendingOrder
        if (column, order) == (self.sort_column, self.sort_order):
            return  # already in that order (QTableView.sortByColumn asks twice)
        self.sort_column, self.sort_order = column, order
        self._sort_main_system = self.main_system if self.main_system in self.systems else None
        self._relayout()

    def _relayout(self) -> None:
        """Read the rows in the current order again, keeping persistent indexes (the
        selection) on their items."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        moved = []
        for p in persistent:
            entry = self._entry(p.row())
            moved.append(None if entry is None else entry[0].id)
        self._requery(recount=False)
        rows: dict[str, int | None] = {}
        for item_id in moved:
            if item_id is not None and item_id not in rows:
                rows[item_id] = self.row_of(item_id)
        self.changePersistentIndexList(
            persistent, [self.index(row, p.column()) if (row := rows.get(item_id or ""))
                         is not None else QModelIndex()
                         for item_id, p in zip(moved, persistent, strict=True)])
        self.layoutChanged.emit()

    # -- updates -------------------------------------------------------------------------
    def refresh_item(self, item_id: str) -> None:
        """Read one item's cells again after its decision changed; it keeps its row."""
        row = self._rows.get(item_id)
        if row is None:
            return
        number = row // PAGE_ROWS
        page = self._pages.get(number)
        k = row - number * PAGE_ROWS
        if page is None or k >= len(page):
            return
        old, key = page[k]
        fresh = self._list.rows([old.pos]).get(old.pos)
        if fresh is None:
            return
        page[k] = (fresh, key)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def reload(self) -> None:
        """Read every row anew (several decisions changed at once), keeping the order and
        the filters (whose sets are read again)."""
        project = self.session.project
        self.beginResetModel()
        if self.criteria.text:
            self._text = positions_matching_text(project, self.criteria.text)
        if self._disputed is not None:
            self._disputed = positions_of(project, disagreements(project))
        self.total = item_total(project)
        self._requery(recount=True)
        self.endResetModel()

    def suspicion_column(self) -> int | None:
        """The column of the suspicion scores (``None`` for kinds without a ranking)."""
        if not self.suspicion.available:
            return None
        return self.columns.index(ItemColumn(ColumnRole.SUSPICION))

    def _suspicion_ready(self) -> None:
        column = self.suspicion_column()
        if column is None:
            return
        if self.suspicion_failure is not None:
            self.suspicion_failure = None
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)
        if self.sort_column == column:  # the queue: in the order of the new scores
            self._relayout()
        else:
            self._pages.clear()
            self._rows.clear()
            self._column_changed(column)

    def _suspicion_failed(self, message: str) -> None:
        """The ranking failed: its column's cells show no score, its header says why."""
        self.suspicion_failure = message
        column = self.suspicion_column()
        if column is not None:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)
            self._column_changed(column)

    def _recolour(self) -> None:
        self._column_changed(len(self.columns) - 1)

    def _column_changed(self, column: int) -> None:
        if self._count:
            self.dataChanged.emit(self.index(0, column), self.index(self._count - 1, column))
