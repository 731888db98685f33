"""Rank a project's items by how likely their reference is wrong (the suspicion queue).

The task kind scores the items (``KindSpec.suspicion``, or a named method of
``KindSpec.suspicion_methods``) from every system's stored rows against the *current*
references: an item whose key or text the reviewer corrected is scored against the
correction. Nothing is cached: a 100,000-item text project takes a few seconds.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import cast

from reviewer.core.errors import ProjectError
from reviewer.core.items import Kind
from reviewer.core.kinds import ScoredItem, Suspicion, spec
from reviewer.core.progress import NullProgress, Progress, check_cancelled
from reviewer.core.suspicion import SuspectSpan
from reviewer.store.project import Project
from reviewer.store.scores import system_rows
from reviewer.store.word_times import acoustic_fits, prediction_word_times

DEFAULT_METHOD = "default"


@dataclass(frozen=True, slots=True)
class Suspects:
    """Every item's suspicion, with the spans and notes behind it where the method has them."""

    method: str
    scores: dict[str, float]  # item id -> score in [0, 1], every item of the project
    order: list[str]  # item ids, most suspicious first (ties keep item order)
    spans: dict[str, list[SuspectSpan]] = field(default_factory=dict)
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
