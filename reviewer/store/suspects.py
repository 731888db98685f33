"""Rank a project's items by how likely their reference is wrong (the suspicion queue).

The task kind scores the items (``KindSpec.suspicion``, or a named method of
``KindSpec.suspicion_methods``) from every system's stored rows against the *current*
references: an item whose key or text the reviewer corrected is scored against the
correction. Nothing is cached: a 100,000-item text project takes a few seconds.

:func:`compute_suspects` holds every item's rows at once (about 4 KB an item). The default
ranking of the sequence kinds (:func:`reviewer.core.suspicion.sequence_suspicion`) also
runs a part of the project at a time (:func:`rank_in_passes`), its memory bounded whatever
the project's size: the corpus's figures are counted first, then the few items that two
systems change alike are scored, and every item's score goes to the item facts as it comes.
"""

from __future__ import annotations

import heapq
import inspect
import json
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

from reviewer.core.errors import ProjectError
from reviewer.core.items import Kind
from reviewer.core.kinds import ScoredItem, Suspicion, spec
from reviewer.core.progress import NullProgress, Progress, check_cancelled
from reviewer.core.suspicion import (
    ChangeTally,
    SuspectSpan,
    SystemItem,
    items_of,
    scored_items,
    sequence_suspicion,
    shared,
)
from reviewer.store import kept_ranking
from reviewer.store.db import connection_settings, write_transaction
from reviewer.store.kept_ranking import KeptItem
from reviewer.store.list_facts import keep_suspicion, keep_zero_suspicion
from reviewer.store.project import Project
from reviewer.store.scores import system_rows
from reviewer.store.word_times import acoustic_fits, prediction_word_times

DEFAULT_METHOD = "default"
ITEMS_PER_READ = 10_000  # items read at a time by :func:`rank_in_passes`
# Per write transaction, so that a decision made meanwhile waits for a few milliseconds:
ZEROS_PER_WRITE = 500  # positions given a score of 0 (a range of the facts)
SCORES_PER_WRITE = 200  # scores above 0 (an item looked up for each: 10-40 µs at 10M items)
EXPLAINED = 50_000  # the most suspicious items whose spans and notes it returns
# From this many items ``reviewer suspects`` ranks a text or kern project a part at a time.
IN_PASSES_FROM = 20_000


@dataclass(frozen=True, slots=True)
class Suspects:
    """Every item's suspicion, with the spans and notes behind it where the method has them."""

    method: str
    scores: dict[str, float]  # item id -> score in [0, 1], every item of the project
    order: list[str]  # item ids, most suspicious first (ties keep item order)
    spans: Mapping[str, list[SuspectSpan]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def top(self, n: int | None = None) -> list[tuple[str, float]]:
        """The ``n`` most suspicious items (all with ``None`` or 0) with their scores."""
        ids = self.order if not n else self.order[:n]
        return [(item_id, self.scores[item_id]) for item_id in ids]


def methods(kind: Kind) -> list[str]:
    """The ranking methods of ``kind``: ``default`` and the kind's named ones."""
    found = spec(kind)
    if found.suspicion is None:
        return []
    return [DEFAULT_METHOD, *(m for m in found.suspicion_methods if m != DEFAULT_METHOD)]


def ranking_function(kind: Kind, method: str | None = None) -> Suspicion:
    """The suspicion function of ``kind`` named ``method`` (the kind's default for ``None``)."""
    found = spec(kind)
    if found.suspicion is None:
        raise ProjectError(f"task kind {kind!r} has no suspicion ranking")
    if method in (None, DEFAULT_METHOD):
        return found.suspicion
    chosen = found.suspicion_methods.get(method)
    if chosen is None:
        raise ProjectError(f"task kind {kind!r} has no ranking method {method!r}; choose one "
                           f"of {', '.join(methods(kind))}")
    return chosen


def compute_suspects(project: Project, method: str | None = None,
                     progress: Progress | None = None) -> Suspects:
    """Score every item of ``project`` (see the module docstring)."""
    progress = progress or NullProgress()
    rank = ranking_function(project.kind, method)
    progress.status("Reading the stored alignments")
    rows = system_rows(project, "current")
    check_cancelled(progress)
    if project.char_mode == "codepoint":
        rows = _stripped(rows)  # edits' spans point into the stripped texts there
    progress.status("Scoring the references")
    progress.set(0.5)
    if "times" in inspect.signature(rank).parameters:  # asr: the systems' word times too
        timed = cast(Callable[..., dict[str, float]], rank)
        extra = {"acoustic": acoustic_fits(project)} if (
            "acoustic" in inspect.signature(rank).parameters) else {}
        scores = timed(rows, times=prediction_word_times(project), **extra)
    else:
        scores = rank(rows)
    check_cancelled(progress)
    ids = project.item_ids()
    full = {item_id: float(scores.get(item_id, 0.0)) for item_id in ids}
    order = sorted(ids, key=lambda i: -full[i])  # stable: ties keep item order
    progress.set(1.0)
    return Suspects(method or DEFAULT_METHOD, full, order,
                    dict(getattr(scores, "spans", {})), dict(getattr(scores, "notes", {})))


def _stripped(rows: Mapping[str, list[ScoredItem]]) -> dict[str, list[ScoredItem]]:
    return {system: [replace(r, reference=r.reference.strip(),
                             prediction=None if r.prediction is None else r.prediction.strip())
                     for r in items] for system, items in rows.items()}


def ranks_in_passes(project: Project, method: str | None = None) -> bool:
    """Whether :func:`rank_in_passes` can rank ``project`` by ``method``: the default
    sequence ranking, on a project it may write its scores to."""
    return (project.read_only is None
            and ranking_function(project.kind, method) is sequence_suspicion)


def rank_in_passes(project: Project, progress: Progress | None = None,
                   items_per_read: int = ITEMS_PER_READ, explained: int = EXPLAINED
                   ) -> Suspects:
    """The default ranking of a sequence kind's project, ``items_per_read`` items at a time,
    each item's score written to the item facts (what the item list sorts by).

    The same scores as :func:`compute_suspects`. What it returns holds the ``explained``
    most suspicious items alone (ties in item order), with their spans and notes; every
    item's score is in the facts. What it returns is also kept in the project
    (:func:`kept_suspects` reads it back).
    """
    progress = progress or NullProgress()
    db = project.db
    # Scores are derived data, made again by the next ranking: committed without waiting
    # for the disk (the write-ahead log keeps the file whole), the window's decisions,
    # which do wait, do not queue behind thousands of syncs.
    with connection_settings(db, synchronous="NORMAL"):
        return _rank_in_passes(project, progress, items_per_read, explained)


def _rank_in_passes(project: Project, progress: Progress, items_per_read: int,
                    explained: int) -> Suspects:
    db = project.db
    with write_transaction(db):
        kept_ranking.forget(db)  # the facts' scores change from now on
    last = db.execute("SELECT coalesce(max(pos), -1) FROM items").fetchone()[0]
    tally = ChangeTally()
    candidates = array("q")  # positions of the items two systems change alike (few)
    progress.status("Counting the systems' changes")
    for start in range(0, last + 1, items_per_read):
        check_cancelled(progress)
        read = range(start, min(start + items_per_read, last + 1))
        items = _items_at(project, read)
        tally.add(items.values())
        found = _positions(project, [i for i, (_, by_system) in items.items()
                                     if shared(by_system)])
        candidates.extend(found)
        keep_zero_suspicion(db, read, found, ZEROS_PER_WRITE)
        progress.set(0.8 * (read.stop / (last + 1)))
    stats = tally.stats()
    progress.status("Scoring the references")
    best: list[tuple[float, int, str]] = []  # a min-heap of (score, -rank, id)
    spans: dict[str, list[SuspectSpan]] = {}
    notes: dict[str, str] = {}
    for start in range(0, len(candidates), items_per_read):
        check_cancelled(progress)
        scored = scored_items(_items_at(project, candidates[start:start + items_per_read]),
                              stats)
        keep_suspicion(db, scored.items(), SCORES_PER_WRITE)
        for rank, (item_id, score) in enumerate(scored.items(), start):
            entry = (score, -rank, item_id)
            if score <= 0 or (len(best) >= explained and entry <= best[0]):
                continue
            if len(best) >= explained:
                dropped = heapq.heapreplace(best, entry)[2]
                spans.pop(dropped, None)
                notes.pop(dropped, None)
            else:
                heapq.heappush(best, entry)
            spans[item_id] = scored.spans[item_id]
            notes[item_id] = scored.notes[item_id]
        progress.set(0.8 + 0.2 * min(start + items_per_read, len(candidates))
                     / len(candidates))
    best.sort(reverse=True)
    kept_ranking.keep(db, DEFAULT_METHOD,
                      (KeptItem(i, score, spans[i], notes[i]) for score, _, i in best))
    progress.set(1.0)
    return Suspects(DEFAULT_METHOD, {i: score for score, _, i in best}, [i for _, _, i in best],
                    spans, notes)


def kept_suspects(project: Project, *, unchanged: bool = False) -> Suspects | None:
    """The ranking :func:`rank_in_passes` last kept in ``project``, as it returned it;
    ``None`` when none is kept (or, with ``unchanged``, when a reference was corrected
    since)."""
    found = kept_ranking.kept(project.db, DEFAULT_METHOD, unchanged=unchanged)
    if found is None:
        return None
    return Suspects(DEFAULT_METHOD, found.scores, found.order, found.spans, found.notes)


def _items_at(project: Project, positions: range | Sequence[int]
              ) -> dict[str, tuple[str, dict[str, SystemItem]]]:
    """The sequence ranking's items (:func:`~reviewer.core.suspicion.items_of`) at
    ``positions``, against their current references."""
    rows = system_rows(project, "current", positions=positions)
    return items_of(_stripped(rows) if project.char_mode == "codepoint" else rows)


def _positions(project: Project, ids: list[str]) -> list[int]:
    """The positions of the items ``ids``, in item order."""
    return [r[0] for r in project.db.execute(
        "SELECT pos FROM items WHERE id IN (SELECT value FROM json_each(?)) ORDER BY pos",
        [json.dumps(ids)])]
