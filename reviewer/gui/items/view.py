"""The item list dock: filters, the sortable table and the count of shown items."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.decisions import VERDICT_NAMES, VERDICTS
from reviewer.core.item_list.filters import UNREVIEWED
from reviewer.gui.items.model import ItemRole, ItemTableModel
from reviewer.gui.items.proxy import ItemFilterProxy
from reviewer.gui.items.text_index import TextIndexBuild
from reviewer.gui.session import ReviewSession
from reviewer.gui.shortcuts import SHORTCUTS
from reviewer.gui.theme import category_colour

FILTER_DELAY_MS = 250
RESIZE_SAMPLE_ROWS = 100
# A filter box is this many characters wide at least: the list dock may be narrow.
COMBO_MIN_CHARACTERS = 6


def _review_keys() -> frozenset[int]:
    """The unmodified single keys of the review shortcuts (verdicts, J, K, N, R, ...)."""
    keys: set[int] = set()
    for _, sequences, _ in SHORTCUTS:
        for text in sequences:
            if len(text) == 1:
                # The stubs of some PySide6 releases do not declare indexing.
                sequence: Any = QKeySequence(text)
                keys.add(sequence[0].key().value)
    return frozenset(keys)


REVIEW_KEYS = _review_keys()


class ItemTable(QTableView):
    """A table view that leaves the review keys to the window.

    Otherwise a typed letter would start the view's keyboard search and a digit would
    never reach the verdict shortcuts.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        plain = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in REVIEW_KEYS and plain in (Qt.KeyboardModifier.NoModifier,
                                                    Qt.KeyboardModifier.ShiftModifier):
            event.ignore()
            return
        super().keyPressEvent(event)


class ItemListWidget(QWidget):
    """Filters over a sortable table of items; the selected row is the session's item."""

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ItemTableModel(session, self)
        self.proxy = ItemFilterProxy(self.model, self)
        self._syncing = False
        # The item the queue was switched on at, until its new ranking arrives.
        self._top_pending: str | None = None

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("itemFilter")
        self.filter_edit.setAccessibleName("Filter items")
        self.filter_edit.setPlaceholderText("Filter: text in reference or prediction")
        self.filter_edit.setToolTip("Items whose reference or a prediction contains this text; "
                                    "key:value (e.g. speaker:spk07, subject:virology) matches "
                                    "item metadata")
        self.filter_edit.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_text)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        session.closing.connect(self._filter_timer.stop)
        # Enter: the filter is done; back to the list, where the review keys work again.
        self.filter_edit.returnPressed.connect(self.focus_list)
        # A large project's texts are indexed for this filter the first time it is used.
        self.text_index = TextIndexBuild(session, self)
        self.text_index.progressed.connect(lambda _share: self._update_count())
        self.text_index.ready.connect(self._text_index_ready)

        self.verdict_combo = QComboBox()
        self.verdict_combo.setToolTip("Show items with this verdict")
        self.verdict_combo.addItem("All verdicts", None)
        self.verdict_combo.addItem("Unreviewed", UNREVIEWED)
        for verdict in VERDICTS:
            self.verdict_combo.addItem(VERDICT_NAMES[verdict], verdict)
        self.category_combo = QComboBox()
        self.category_combo.setToolTip("Show items with an edit of this category")
        self.category_combo.addItem("All categories", None)
        for cat in session.categories:
            self.category_combo.addItem(_swatch_icon(category_colour(cat)), cat.name, cat.id)
        self.system_combo = QComboBox()
        self.system_combo.setToolTip(
            "Apply the category and error filters, and the main category, to one system")
        self.system_combo.addItem("All systems", None)
        for system in session.systems:
            self.system_combo.addItem(system, system)
        self.errors_check = QCheckBox("Only items with errors")
        self.disagreements_check = QCheckBox("Only disagreements")
        self.disagreements_check.setToolTip(
            "Show items on which annotators gave different verdicts, error types or "
            "corrected references")
        for combo in (self.verdict_combo, self.category_combo, self.system_combo):
            # As wide as the dock allows, not as the longest category name.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(COMBO_MIN_CHARACTERS)
            combo.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.verdict_combo.currentIndexChanged.connect(
            lambda _k: self.proxy.set_verdict(self.verdict_combo.currentData()))
        self.category_combo.currentIndexChanged.connect(
            lambda _k: self.proxy.set_category(self.category_combo.currentData()))
        self.system_combo.currentIndexChanged.connect(
            lambda _k: self.proxy.set_system(self.system_combo.currentData()))
        self.errors_check.toggled.connect(self.proxy.set_only_errors)
        self.disagreements_check.toggled.connect(self.proxy.set_disagreements_only)
        self.queue_check = QCheckBox("Likely label errors first")
        self.queue_check.setToolTip(
            "The suspicion queue: items whose reference is most likely wrong first (the "
            "ranking is computed again when this is switched on)")
        self.queue_check.setEnabled(self.model.suspicion.available)
        self.queue_check.toggled.connect(self.set_queue)

        self.table = ItemTable()
        self.table.setObjectName("itemList")
        self.table.setAccessibleName("Items")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        rows = self.table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        # No sort indicator at first: item order, and no sorting pass on a large project.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        # Sized once, from the first rows only: measuring 1,000 rows costs most of a second.
        header.setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
        self.table.resizeColumnsToContents()

        self.count_label = QLabel()
        self.done_banner = QLabel()
        self.done_banner.setObjectName("allReviewed")
        self.done_banner.setWordWrap(True)
        self.done_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.done_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.done_banner.setMargin(6)
        bold = self.done_banner.font()
        bold.setBold(True)
        self.done_banner.setFont(bold)
        self.done_banner.hide()

        filters = QGridLayout()
        filters.addWidget(self.filter_edit, 0, 0, 1, 2)
        filters.addWidget(self.verdict_combo, 1, 0)
        filters.addWidget(self.category_combo, 1, 1)
        filters.addWidget(self.system_combo, 2, 0, 1, 2)
        # One check box a row: the dock stays narrow enough for a laptop screen.
        for row, check in enumerate((self.errors_check, self.disagreements_check,
                                     self.queue_check), start=3):
            filters.addWidget(check, row, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.done_banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        session.currentItemChanged.connect(self._show_item)
        self.proxy.filtersChanged.connect(self._filters_changed)
        self.proxy.modelReset.connect(self._filters_changed)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.layoutChanged, self.proxy.modelReset):
            signal.connect(self._update_count)
        # After the view's own handler, which sorts.
        header.sortIndicatorChanged.connect(self._sort_changed)
        # The queue's order may change once its scores arrive (after the model re-sorts).
        self.model.suspicion.ready.connect(self._queue_ready)
        self._update_count()
        if session.current_item is not None:
            self._show_item(session.current_item)
        self.model.suspicion.start()

    # -- public API ----------------------------------------------------------------------
    def current_id(self) -> str | None:
        """The id of the selected row (``None`` when no row is selected)."""
        index = self.table.currentIndex()
        return index.data(ItemRole) if index.isValid() else None

    def visible_ids(self) -> list[str]:
        """The ids of the shown rows, top to bottom (every row is read: small lists)."""
        return self.model.ids

    def select_next(self, step: int = 1) -> bool:
        """Select the row ``step`` rows below (above, when negative); no wrapping.

        With no row selected, selects the first row. Returns whether the selection moved.
        """
        current = self.table.currentIndex()
        target = current.row() + step if current.isValid() else 0
        count = self.proxy.rowCount()
        if count == 0:
            return False
        if not 0 <= target < count:
            return False
        self._select_proxy_row(target)
        return True

    def select_row(self, row: int) -> bool:
        """Select the shown row ``row``, clamped to the list; returns whether a row is shown."""
        count = self.proxy.rowCount()
        if count == 0:
            return False
        self._select_proxy_row(min(max(row, 0), count - 1))
        return True

    def select_first(self) -> bool:
        """Select the top row (Home)."""
        return self.select_row(0)

    def select_last(self) -> bool:
        """Select the bottom row (End); its page is read from the end of the order."""
        return self.select_row(self.proxy.rowCount() - 1)

    def select_page(self, pages: int) -> bool:
        """Move ``pages`` screens of rows down (up, when negative), stopping at the ends."""
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else 0
        return self.select_row(row + pages * self.page_rows())

    def page_rows(self) -> int:
        """How many rows one screen of the list shows (at least one)."""
        height = self.table.verticalHeader().defaultSectionSize()
        return max(1, self.table.viewport().height() // max(height, 1) - 1)

    def focus_list(self) -> None:
        """Put the keyboard focus in the list, where the review keys work, applying a filter
        still being typed; selects the top row when no shown row is selected."""
        self._apply_text()
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.currentIndex().isValid():
            self.select_first()

    def show_all_reviewed(self, text: str | None) -> None:
        """Show ``text`` as a banner above the list (``None``: hide it)."""
        self.done_banner.setText(text or "")
        self.done_banner.setVisible(text is not None)

    def select_next_unreviewed(self) -> bool:
        """Select the next shown item without a verdict, continuing from the top.

        Returns whether one was found.
        """
        # From the session's item even when a filter hides it.
        current = self.current_id() or self.session.current_item
        item_id = self.model.next_unreviewed(current)
        return item_id is not None and self.select_id(item_id)

    def select_id(self, item_id: str) -> bool:
        """Select the row of ``item_id`` if it is shown; returns whether it is."""
        index = self._proxy_index(item_id)
        if not index.isValid():
            return False
        self._select_proxy_row(index.row())
        return True

    def set_queue(self, on: bool) -> None:
        """Sort the most suspicious items first (``on``), or back to item order."""
        column = self.model.suspicion_column()
        if column is None:
            return
        if self.queue_check.isChecked() != on:
            self.queue_check.setChecked(on)  # comes back here through the signal
            return
        if on:
            self.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
            self.model.suspicion.refresh()
        elif self.model.sort_column == column:
            self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            self.proxy.sort(-1)
        self._go_to_top()
        # The ranking is computed again: when it arrives, the top may be another item.
        self._top_pending = self.session.current_item if on else None

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        queue = (column == self.model.suspicion_column() and column is not None
                 and order == Qt.SortOrder.DescendingOrder)
        if queue == self.queue_check.isChecked():
            return  # another column's order: the item in view stays selected
        self.queue_check.blockSignals(True)
        self.queue_check.setChecked(queue)
        self.queue_check.blockSignals(False)
        self._go_to_top()  # into or out of the queue by its column: review from the top

    def _go_to_top(self) -> None:
        self._top_pending = None
        self.select_first()

    def _queue_ready(self) -> None:
        """The queue's scores arrived: go to its new top, unless the reviewer moved on."""
        pending, self._top_pending = self._top_pending, None
        if (pending is not None and self.queue_check.isChecked()
                and self.session.current_item == pending):
            self.select_first()

    def focus_filter(self) -> None:
        """Put the keyboard focus in the filter field, its text selected."""
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # -- selection <-> session -----------------------------------------------------------
    def _select_proxy_row(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        self.session.set_current_item(current.data(ItemRole))

    def _show_item(self, item_id: str) -> None:
        index = self._proxy_index(item_id)
        self._syncing = True
        try:
            selection = self.table.selectionModel()
            if index.isValid():
                selection.setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
            else:
                selection.clear()
        finally:
            self._syncing = False

    def _proxy_index(self, item_id: str) -> QModelIndex:
        row = self.model.row_of(item_id)
        if row is None:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, 0))

    # -- filters -------------------------------------------------------------------------
    def _apply_text(self) -> None:
        self._filter_timer.stop()
        self.proxy.set_text(self.filter_edit.text())
        if self.proxy.text:
            self.text_index.start_if_wanted()
            self._update_count()

    def _text_index_ready(self) -> None:
        if self.proxy.text:  # found by the scan so far: found again through the index
            self.model.reload()
        self._update_count()

    def _filters_changed(self) -> None:
        proxy = self.proxy
        self.model.set_main_system(proxy.system)
        # The proxy may also be driven directly (by the window or a test): show its state.
        for combo, value in ((self.verdict_combo, proxy.verdict),
                             (self.category_combo, proxy.category),
                             (self.system_combo, proxy.system)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        for check, on in ((self.errors_check, proxy.only_errors),
                          (self.disagreements_check, proxy.disagreements_only)):
            check.blockSignals(True)
            check.setChecked(on)
            check.blockSignals(False)
        self._update_count()
        # Keep the session's item selected (and in view) when it is still shown.
        if self.session.current_item is not None:
            self._show_item(self.session.current_item)

    def _update_count(self) -> None:
        total = self.model.total
        shown = self.proxy.rowCount()
        share = self.text_index.share
        indexing = "" if share is None else f" · indexing texts for search: {share:.0%}"
        self.count_label.setText(f"{shown:,} of {total:,} items{indexing}")


def _swatch_icon(colour: QColor) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(colour)
    return QIcon(pixmap)
