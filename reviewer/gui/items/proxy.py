"""Filters of the item list, each a set of item ids computed once when it changes."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)

from reviewer.gui.items.model import ItemTableModel, SortRole
from reviewer.store.annotations import disagreements
from reviewer.store.summaries import ids_matching_text, ids_with_category

UNREVIEWED = "unreviewed"


class ItemFilterProxy(QSortFilterProxyModel):
    """Shows the items that pass every active filter, in the source model's order.

    Each filter is turned into a set of ids when it is set, so :meth:`filterAcceptsRow`
    is one set lookup per row. Membership is not recomputed when a label changes,
    so the row being reviewed never jumps out of view; it is when a filter changes
    or every label is reloaded. Sorting is delegated to the source model, so the
    proxy's order is always the source's order minus the rows filtered out.
    """

    filtersChanged = Signal()

    def __init__(self, model: ItemTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.text = ""
        self.verdict: str | None = None
        self.category: str | None = None
        self.system: str | None = None
        self.only_errors = False
        self.disagreements_only = False
        self._disputed: set[str] | None = None
        self._text_ids: set[str] | None = None
        self._allowed: set[str] | None = None
        self.id_set: set[str] | None = None  # only these items (a confusion-matrix cell)
        self.setSortRole(SortRole)
        self.setSourceModel(model)
        # Recomputed inside the model's reset, so the proxy maps the rows only once.
        model.summariesReloaded.connect(self._recompute)

    # -- filters -------------------------------------------------------------------------
    def set_text(self, text: str) -> None:
        """Items whose reference, corrected reference or a prediction contains ``text``."""
        text = text.strip()
        if text == self.text:
            return
        self.text = text
        self._text_ids = ids_matching_text(self._model.session.project, text) if text else None
        self._refilter()

    def set_verdict(self, verdict: str | None) -> None:
        """Items with this verdict, ``"unreviewed"`` for those without one, ``None``: all."""
        if verdict != self.verdict:
            self.verdict = verdict
            self._refilter()

    def set_category(self, category_id: str | None) -> None:
        """Items whose current alignment has an edit of this category (``None``: all)."""
        if category_id != self.category:
            self.category = category_id
            self._refilter()

    def set_system(self, system: str | None) -> None:
        """Restrict the category and errors filters to one system (``None``: any system)."""
        if system != self.system:
            self.system = system
            self._refilter()

    def set_only_errors(self, only: bool) -> None:
        """Only items on which the system (or any system) makes character errors."""
        if only != self.only_errors:
            self.only_errors = only
            self._refilter()

    def set_disagreements_only(self, only: bool) -> None:
        """Only items on which two annotators gave different verdicts."""
        if only != self.disagreements_only:
            self.disagreements_only = only
            self._disputed = disagreements(self._model.session.project) if only else None
            self._refilter()

    def set_ids(self, ids: set[str] | None) -> None:
        """Only the items in ``ids`` (``None``: no such restriction)."""
        if ids != self.id_set:
            self.id_set = None if ids is None else set(ids)
            self._refilter()

    def is_filtered(self) -> bool:
        return self._allowed is not None

    def accepts_id(self, item_id: str) -> bool:
        """Whether ``item_id`` passes the filters (as last computed)."""
        return self._allowed is None or item_id in self._allowed

    def _recompute(self) -> None:
        if self._text_ids is not None:
            self._text_ids = ids_matching_text(self._model.session.project, self.text)
        if self._disputed is not None:
            self._disputed = disagreements(self._model.session.project)
        self._allowed = self._allowed_ids()

    def _refilter(self) -> None:
        self._allowed = self._allowed_ids()
        # A layout change rebuilds the mapping in one pass; an incremental filter change
        # would emit one removal per gap, which takes seconds on 100,000 scattered rows.
        self.invalidate()
        self.filtersChanged.emit()

    def _allowed_ids(self) -> set[str] | None:
        sets: list[set[str]] = []
        if self._text_ids is not None:
            sets.append(self._text_ids)
        if self._disputed is not None:
            sets.append(self._disputed)
        if self.id_set is not None:
            sets.append(self.id_set)
        s = self._model.summaries
        systems = [self.system] if self.system in s.char_errors else s.systems
        if self.verdict == UNREVIEWED:
            sets.append({i for i in s.ids if i not in s.verdicts})
        elif self.verdict is not None:
            sets.append({i for i, v in s.verdicts.items() if v == self.verdict})
        if self.category is not None:
            sets.append(ids_with_category(self._model.session.project, self.category,
                                          self.system if self.system in s.char_errors else None))
        if self.only_errors:
            with_errors: set[str] = set()
            for system in systems:
                errors = s.char_errors[system]
                with_errors.update(i for i, e in zip(s.ids, errors, strict=True) if e)
            sets.append(with_errors)
        if not sets:
            return None
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])

    # -- Qt proxy interface --------------------------------------------------------------
    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        allowed = self._allowed
        return allowed is None or self._model.ids[source_row] in allowed

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by asking the source model to reorder itself (fast on 100,000 rows)."""
        self._model.sort(column, order)
