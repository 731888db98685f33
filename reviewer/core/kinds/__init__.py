"""Task kinds (DESIGN §2): each kind is one module here exposing ``SPEC``, a :class:`KindSpec`.

A kind says how one (reference, prediction) pair is scored, how a system's per-item scores
add up to its metrics, and which metric ranks systems. Readers (``reviewer.formats``) and
views (``reviewer.gui.kinds``) are registered separately, each in their own layer.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reviewer.core.evaluate import PairCounts, ScoreOptions
from reviewer.core.items import KINDS
from reviewer.core.metrics import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED

__all__ = ["KindSpec", "MetricInfo", "PairCounts", "ScoreOptions", "ScoredItem", "StatOptions",
           "available_kinds", "spec"]

@dataclass(frozen=True, slots=True)
class StatOptions:
    """Interval settings of a score report (DESIGN §6)."""

    confidence: float = DEFAULT_CONFIDENCE
    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    interval: str = "beta"  # accuracy intervals: beta (default), wilson or clopper-pearson


@dataclass(frozen=True, slots=True)
class ScoredItem:
    """One system's stored score on one item, with what a summary may need to look at."""

    item_id: str
    counts: PairCounts
    reference: str
    prediction: str | None  # None: the system has no prediction for the item
    meta: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MetricInfo:
    """A headline metric: id in score reports, display name, and its direction."""

    id: str
    name: str
    lower_is_better: bool = True
    percent: bool = True  # shown as a percentage


ScorePair = Callable[[str, str, ScoreOptions], PairCounts]
# A system's items -> {"metrics": {id: {...}}, "categories": {...}, and kind-specific keys}
Summarise = Callable[[Sequence[ScoredItem], StatOptions], dict[str, Any]]
# Every system's items (system -> items, in item order) -> item id -> suspicion in [0, 1]
Suspicion = Callable[[Mapping[str, Sequence[ScoredItem]]], dict[str, float]]


@dataclass(frozen=True, slots=True)
class KindSpec:
    """What the pipeline needs to know of one task kind."""

    name: str
    title: str  # e.g. "OCR/HTR text"
    score_pair: ScorePair
    summarise: Summarise
    metrics: tuple[MetricInfo, ...]  # the first one ranks systems
    # Prefix of the alignments columns (``char`` or ``word``) the item list shows, and its name.
    item_level: str = "char"
    item_metric: str = "CER"
    # Every per-item rate worth showing, as (column prefix, name); the item level alone if empty.
    item_rates: tuple[tuple[str, str], ...] = ()
    suspicion: Suspicion | None = None
    # Column names of a table export, chosen so that the kind's table reader reads it back.
    reference_column: str = "reference"
    media_column: str = "image"
    # Other ways to rank items, by name (``reviewer suspects --method``); ``suspicion`` is
    # the default and may be listed here too under its own name.
    suspicion_methods: Mapping[str, Suspicion] = field(default_factory=dict)
    # Systems the ranking needs to say anything (sequence kinds compare systems' changes).
    suspicion_min_systems: int = 1
    # A summary's "categories" as errors per catalogue category, for kinds whose summary
    # holds more than counts there (gec: ERRANT type -> [tp, fp, fn]); None: already counts.
    category_errors: Callable[[Mapping[str, Any]], dict[str, int]] | None = None

    @property
    def primary(self) -> MetricInfo:
        return self.metrics[0]

    @property
    def rate_levels(self) -> tuple[tuple[str, str], ...]:
        """``(column prefix, name)`` of the per-item rates a report shows, first the item's."""
        return self.item_rates or ((self.item_level, self.item_metric),)

    def errors_by_category(self, categories: Mapping[str, Any]) -> dict[str, int]:
        """Errors per catalogue category of a summary's ``categories`` (charts and tables)."""
        if self.category_errors is None:
            return dict(categories)
        return self.category_errors(categories)

    def metric(self, metric_id: str) -> MetricInfo:
        for m in self.metrics:
            if m.id == metric_id:
                return m
        known = ", ".join(m.id for m in self.metrics)
        raise KeyError(f"{self.name} has no metric {metric_id!r}; it has {known}")


_CACHE: dict[str, KindSpec] = {}


def spec(kind: str) -> KindSpec:
    """The specification of task kind ``kind``."""
    found = _CACHE.get(kind)
    if found is None:
        if kind not in available_kinds():
            raise ValueError(f"task kind {kind!r} is not available; choose one of "
                             f"{', '.join(available_kinds())}")
        found = importlib.import_module(f"reviewer.core.kinds.{kind}").SPEC
        _CACHE[kind] = found
    return found


def available_kinds() -> tuple[str, ...]:
    """The kinds of DESIGN §2 this installation implements, in DESIGN order."""
    return tuple(k for k in KINDS
                 if importlib.util.find_spec(f"reviewer.core.kinds.{k}") is not None)
