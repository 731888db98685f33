"""The item list's filters as a Qt proxy: the filter API over the table model, which
filters and sorts in SQL itself (the proxy maps rows one to one)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QIdentityProxyModel, QObject, Qt, Signal

from reviewer.core.item_list.filters import ItemFilter
from reviewer.gui.items.model import ItemTableModel


class ItemFilterProxy(QIdentityProxyModel):
    """Shows the rows of :class:`ItemTableModel`, which holds the filters: a sorting and
    filtering proxy would map every row of the project in Python.

    The ids a filter allows are decided when a filter changes or every decision is read
    anew, not when one decision changes, so the row being reviewed never jumps out of view.
    """

    filtersChanged = Signal()

    def __init__(self, model: ItemTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setSourceModel(model)

    # -- the filters, as last set --------------------------------------------------------
    @property
    def criteria(self) -> ItemFilter:
        """Every criterion of the filters."""
        return self._model.criteria

    @property
    def text(self) -> str:
        return self.criteria.text

    @property
    def verdict(self) -> str | None:
        return self.criteria.verdict

    @property
    def category(self) -> str | None:
        return self.criteria.category

    @property
    def system(self) -> str | None:
        return self.criteria.system

    @property
    def only_errors(self) -> bool:
        return self.criteria.only_errors

    @property
    def disagreements_only(self) -> bool:
        return self.criteria.disagreements_only

    # -- setting them --------------------------------------------------------------------
    def set_filter(self, criteria: ItemFilter) -> None:
        """Show the items passing ``criteria`` (nothing happens when they are the same)."""
        if self._model.set_filter(criteria):
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

    def is_filtered(self) -> bool:
        """Whether a filter hides any item."""
        return self._model.is_filtered()

    def accepts_id(self, item_id: str) -> bool:
        """Whether ``item_id`` is shown."""
        return self._model.row_of(item_id) is not None

    # -- Qt proxy interface --------------------------------------------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by asking the source model to reorder itself (in SQL)."""
        self._model.sort(column, order)
