"""The filtering proxy of the item list: a Qt adapter over :class:`ItemFilterState`."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from reviewer.core.item_list.filters import ItemFilter, ItemFilterState
from reviewer.gui.items.model import ItemTableModel, SortRole
from reviewer.store.item_queries import ProjectItemQueries


class ItemFilterProxy(QSortFilterProxyModel):
    """Shows the items that pass every active filter, in the source model's order.

    The filters and the ids they allow are an :class:`ItemFilterState`'s (computed when a
    filter changes or every decision is reloaded, not when one decision changes, so the row
    being reviewed never jumps out of view); :meth:`filterAcceptsRow` is one set lookup
    per row. Sorting is delegated to the source model, so the proxy's order is always
    the source's order minus the rows filtered out.
    """

    filtersChanged = Signal()

    def __init__(self, model: ItemTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.state = ItemFilterState(ProjectItemQueries(model.session.project))
        self.setSortRole(SortRole)
        self.setSourceModel(model)
        # Recomputed inside the model's reset, so the proxy maps the rows only once.
        model.summariesReloaded.connect(self._requery)
        model.allFetched.connect(self._apply)

    # -- the filters, as last set --------------------------------------------------------
    @property
    def criteria(self) -> ItemFilter:
        """Every criterion of the filters."""
        return self.state.criteria

    @property
    def text(self) -> str:
        return self.state.criteria.text

    @property
    def verdict(self) -> str | None:
        return self.state.criteria.verdict

    @property
    def category(self) -> str | None:
        return self.state.criteria.category

    @property
    def system(self) -> str | None:
        return self.state.criteria.system

    @property
    def only_errors(self) -> bool:
        return self.state.criteria.only_errors

    @property
    def disagreements_only(self) -> bool:
        return self.state.criteria.disagreements_only

    # -- setting them --------------------------------------------------------------------
    def set_filter(self, criteria: ItemFilter) -> None:
        """Show the items passing ``criteria`` (nothing happens when they are the same)."""
        if self.state.update(criteria):
            # A filter selects among every row: the rows not read yet are read (a reset,
            # in which the filters are applied), else the filters are applied here.
            if not self._model.fetch_all():
                self.state.apply(self._model.summaries)
                # A layout change rebuilds the mapping in one pass; an incremental filter
                # change would emit one removal per gap, which takes seconds on 100,000
                # scattered rows.
                self.invalidate()
            self.filtersChanged.emit()

    def set_text(self, text: str) -> None:
        """Items whose reference, corrected reference or a prediction contains ``text``."""
        self.set_filter(replace(self.criteria, text=text))

    def set_verdict(self, verdict: str | None) -> None:
        """Items with this verdict, ``"unreviewed"`` for those without one, ``None``: all."""
        self.set_filter(replace(self.criteria, verdict=verdict))

    def set_category(self, category_id: str | None) -> None:
        """Items whose current alignment has an edit of this category (``None``: all)."""
        self.set_filter(replace(self.criteria, category=category_id))

    def set_system(self, system: str | None) -> None:
        """Restrict the category and errors filters to one system (``None``: any system)."""
        self.set_filter(replace(self.criteria, system=system))

    def set_only_errors(self, only: bool) -> None:
        """Only items on which the system (or any system) makes errors."""
        self.set_filter(replace(self.criteria, only_errors=only))

    def set_disagreements_only(self, only: bool) -> None:
        """Only items on which two annotators gave different verdicts."""
        self.set_filter(replace(self.criteria, disagreements_only=only))

    def set_ids(self, ids: set[str] | None) -> None:
        """Only the items in ``ids`` (``None``: no such restriction)."""
        self.set_filter(replace(self.criteria, ids=None if ids is None else frozenset(ids)))

    def _apply(self) -> None:
        self.state.apply(self._model.summaries)

    def _requery(self) -> None:
        self.state.requery(self._model.summaries)

    def is_filtered(self) -> bool:
        """Whether a filter hides any item."""
        return self.state.allowed is not None

    def accepts_id(self, item_id: str) -> bool:
        """Whether ``item_id`` passes the filters (as last computed)."""
        return self.state.accepts(item_id)

    # -- Qt proxy interface --------------------------------------------------------------
    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        allowed = self.state.allowed
        return allowed is None or self._model.ids[source_row] in allowed

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by asking the source model to reorder itself (fast on 100,000 rows)."""
        self._model.sort(column, order)
