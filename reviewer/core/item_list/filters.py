"""The item list's filters: the criteria, and the set of item ids they let through.

Each criterion is turned into a set of ids when it changes, so testing a row is one set
lookup. Sets that need the store (text, category, disagreements) come from a
:class:`FilterQueries`; membership is not recomputed when a decision changes, so the row
being reviewed never jumps out of view, but it is when a filter changes or every decision
is read anew (:meth:`ItemFilterState.requery`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from reviewer.core.item_list.rows import ItemRows

UNREVIEWED = "unreviewed"  # the verdict filter's value for items without a verdict


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """What the item list shows: the items passing every criterion that is set."""

    text: str = ""  # in the reference, corrected reference or a prediction; key:value: meta
    verdict: str | None = None  # this verdict, UNREVIEWED for none (None: any)
    category: str | None = None  # an edit of this category (None: any)
    system: str | None = None  # the category and errors criteria of one system (None: any)
    only_errors: bool = False  # the system (or any system) makes errors
    disagreements_only: bool = False  # annotators gave different decisions
    ids: frozenset[str] | None = None  # only these items (a confusion-matrix cell)


class FilterQueries(Protocol):
    """The stored data the filters need, answered in sets of item ids."""

    def ids_matching_text(self, text: str) -> set[str]:
        """Items whose reference, corrected reference or a prediction contains ``text``
        (``key:value``: whose metadata ``key`` contains ``value``)."""
        ...

    def disagreements(self) -> set[str]:
        """Items on which annotators gave different decisions."""
        ...

    def ids_with_category(self, category_id: str, system: str | None) -> set[str]:
        """Items whose current alignment (of ``system``, or of any) has ``category_id``."""
        ...


class ItemFilterState:
    """The current :class:`ItemFilter` and the ids it allows (``None``: every item)."""

    def __init__(self, queries: FilterQueries) -> None:
        self.queries = queries
        self.criteria = ItemFilter()
        self.allowed: set[str] | None = None
        self._text_ids: set[str] | None = None
        self._disputed: set[str] | None = None

    def update(self, criteria: ItemFilter) -> bool:
        """Take ``criteria``; returns whether they changed (then :meth:`apply` them).

        The text is stripped; the stored data it needs is queried now.
        """
        criteria = replace(criteria, text=criteria.text.strip())
        old = self.criteria
        if criteria == old:
            return False
        self.criteria = criteria
        if criteria.text != old.text:
            self._text_ids = (self.queries.ids_matching_text(criteria.text)
                              if criteria.text else None)
        if criteria.disagreements_only != old.disagreements_only:
            self._disputed = self.queries.disagreements() if criteria.disagreements_only else None
        return True

    def requery(self, rows: ItemRows) -> None:
        """Query the stored data again (every decision may have changed) and :meth:`apply`."""
        if self._text_ids is not None:
            self._text_ids = self.queries.ids_matching_text(self.criteria.text)
        if self._disputed is not None:
            self._disputed = self.queries.disagreements()
        self.apply(rows)

    def apply(self, rows: ItemRows) -> None:
        """Compute the allowed ids over ``rows``."""
        self.allowed = self._allowed_ids(rows)

    def accepts(self, item_id: str) -> bool:
        """Whether ``item_id`` passes the filters (as last applied)."""
        return self.allowed is None or item_id in self.allowed

    def _allowed_ids(self, rows: ItemRows) -> set[str] | None:
        criteria = self.criteria
        sets: list[set[str]] = []
        if self._text_ids is not None:
            sets.append(self._text_ids)
        if self._disputed is not None:
            sets.append(self._disputed)
        if criteria.ids is not None:
            sets.append(set(criteria.ids))
        known = criteria.system if criteria.system in rows.main_errors else None
        if criteria.verdict == UNREVIEWED:
            sets.append({i for i in rows.ids if i not in rows.verdicts})
        elif criteria.verdict is not None:
            sets.append({i for i, v in rows.verdicts.items() if v == criteria.verdict})
        if criteria.category is not None:
            sets.append(self.queries.ids_with_category(criteria.category, known))
        if criteria.only_errors:
            with_errors: set[str] = set()
            for system in [known] if known is not None else rows.systems:
                with_errors.update(i for i, e in zip(rows.ids, rows.main_errors[system],
                                                     strict=True) if e)
            sets.append(with_errors)
        if not sets:
            return None
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])
