"""An item's stored data, read for :mod:`reviewer.core.item_facts`: one item at a time
(``reviewer show``), or every item in a few sorted streams (the report)."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from itertools import groupby
from operator import attrgetter
from typing import Any

from reviewer.core.counts import PairCounts
from reviewer.core.decisions import Decision
from reviewer.core.errors import ProjectError
from reviewer.core.item_facts import ItemData
from reviewer.store.decisions import get_decision
from reviewer.store.project import Project
from reviewer.store.shown_alignment import has_lattice_paths, lattice_of


def _variant(decision: Decision) -> str:
    """The stored alignments of an item that hold its current reference."""
    return "original" if decision.corrected_reference is None else "cleaned"


def item_data(project: Project, item_id: str, systems: Iterable[str],
              decision: Decision | None = None) -> ItemData:
    """The data of ``item_id`` for ``systems``; :class:`ProjectError` if there is no such item."""
    item = project.item(item_id)
    decision = decision if decision is not None else get_decision(project, item_id)
    names = tuple(systems)
    predictions: dict[str, str] = {}
    counts: dict[str, PairCounts] = {}
    for name in names:
        if (hyp := project.prediction(name, item_id)) is not None:
            predictions[name] = hyp
        with contextlib.suppress(ProjectError):
            counts[name] = project.alignment_row(name, item_id, _variant(decision)).counts
    shown = {name: a for name in names if name in counts
             and (a := lattice_of(project, name, item_id, decision)) is not None}
    return ItemData(item, decision, names, predictions, counts, project.char_mode, shown)


class _Stream:
    """Rows grouped by item id, taken in item order (every source is sorted like the items)."""

    def __init__(self, rows: Iterable[Any], key: Any) -> None:
        self._groups = groupby(rows, key=key)
        self._next = next(self._groups, None)

    def take(self, item_id: str) -> list[Any]:
        if self._next is None or self._next[0] != item_id:
            return []
        rows = list(self._next[1])
        self._next = next(self._groups, None)
        return rows


def every_item_data(project: Project, decisions: Mapping[str, Decision],
                    wanted: Collection[str] | None = None) -> Iterator[ItemData]:
    """The data of every item (``wanted``: only those), in item order.

    Every item is read in three sorted streams rather than a few queries per item, which
    would take many seconds on 100,000 items; a few wanted items are looked up one by one,
    as reading every row would cost more.
    """
    systems = tuple(project.systems())
    if wanted is not None and len(wanted) * 20 < project.item_count():
        for item_id in (i for i in project.item_ids() if i in wanted):
            yield item_data(project, item_id, systems, decisions.get(item_id, Decision()))
        return
    mode = project.char_mode
    lattices = has_lattice_paths(project)
    alignments = _Stream(project.alignment_rows(), attrgetter("item_id"))
    predictions = _Stream(project.prediction_rows(), lambda r: r[0])
    for item in project.items():
        rows, hyps = alignments.take(item.id), predictions.take(item.id)
        if wanted is not None and item.id not in wanted:
            continue
        decision = decisions.get(item.id, Decision())
        variant = _variant(decision)
        counts = {r.system: r.counts for r in rows if r.variant == variant}
        shown = {s: a for s in counts if lattices
                 and (a := lattice_of(project, s, item.id, decision)) is not None}
        yield ItemData(item, decision, systems, {r[1]: r[2] for r in hyps}, counts, mode, shown)
