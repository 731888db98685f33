"""What the pipeline knows of one task kind (DESIGN §2): the :class:`KindSpec` type.

Each kind's spec is defined in ``reviewer.core.kinds.<kind>`` and registered in
:mod:`reviewer.core.kinds`. This module holds only the types, so that the modules a kind is
built from can use them without importing every kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reviewer.core.categories import Categoriser, Category
from reviewer.core.counts import LevelRole, PairCounts, ScoreOptions
from reviewer.core.decisions import Decision
from reviewer.core.items import Kind
from reviewer.core.metrics import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED


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
    # The JSON the prediction keeps for summaries (asr NLP: fstalign-style counts), or None
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class MetricInfo:
    """A headline metric: id in score reports, display name, and its direction."""

    id: str
    name: str
    lower_is_better: bool = True
    percent: bool = True  # shown as a percentage


@dataclass(frozen=True, slots=True)
class LevelName:
    """What one stored level of a kind counts, and the per-item rate it gives."""

    unit: str  # what the level counts, e.g. "characters", "words", "kern tokens"
    metric: str  # the per-item rate's name (CER, WER, ...); '' when none is shown


ScorePair = Callable[[str, str, ScoreOptions], PairCounts]
# A system's items -> {"metrics": {id: {...}}, "categories": {...}, and kind-specific keys}
Summarise = Callable[[Sequence[ScoredItem], StatOptions], dict[str, Any]]
# Every system's items (system -> items, in item order) -> item id -> suspicion in [0, 1]
Suspicion = Callable[[Mapping[str, Sequence[ScoredItem]]], dict[str, float]]


@dataclass(frozen=True, slots=True)
class ExportMarks:
    """Columns a kind adds to a table export (after the predictions) and to each item of
    the export's manifest: their names, and their values for an item's decision."""

    columns: tuple[str, ...]
    values: Callable[[Decision], Mapping[str, str]]


@dataclass(frozen=True, slots=True)
class KindSpec:
    """What the pipeline needs to know of one task kind."""

    name: Kind
    title: str  # e.g. "OCR/HTR text"
    score_pair: ScorePair
    summarise: Summarise
    metrics: tuple[MetricInfo, ...]  # the first one ranks systems
    # The error categories (DESIGN §4), in display order, and the function that names the
    # category of an edit ``(ref_text, hyp_text)``.
    catalogue: tuple[Category, ...]
    categorise: Categoriser
    # What the two stored levels of a pair (PairCounts.main_*, .second_*) hold: the main
    # level gives the per-item rate the item list shows; None: the kind has no second level.
    main_level: LevelName
    second_level: LevelName | None = None
    suspicion: Suspicion | None = None
    # Column names of a table export, chosen so that the kind's table reader reads it back.
    reference_column: str = "reference"
    media_column: str = "image"
    # Other ways to rank items, by name (``reviewer suspects --method``); ``suspicion`` is
    # the default and may be listed here too under its own name.
    suspicion_methods: Mapping[str, Suspicion] = field(default_factory=dict)
    # Systems the ranking needs to say anything (sequence kinds compare systems' changes).
    suspicion_min_systems: int = 1
    # What the default ranking weighs, in a few words (``reviewer suspects --help``).
    suspicion_about: str = ""
    # A summary's "categories" as errors per catalogue category, for kinds whose summary
    # holds more than counts there (gec: ERRANT type -> [tp, fp, fn]); None: already counts.
    category_errors: Callable[[Mapping[str, Any]], dict[str, int]] | None = None
    # What one count of :meth:`errors_by_category` is, in words for a chart's caption
    # ("character edits", "wrong answers").
    category_unit: str = "errors"
    # What a cleaned export marks each item with beyond its status (answer: kept / revised /
    # removed as the platinum benchmarks have it, and the reason); None: nothing.
    export_marks: ExportMarks | None = None

    @property
    def primary(self) -> MetricInfo:
        """The metric that ranks systems."""
        return self.metrics[0]

    @property
    def rated_levels(self) -> tuple[tuple[LevelRole, LevelName], ...]:
        """The stored levels whose per-item rates a report shows, the main level first."""
        second = self.second_level
        if second is None or not second.metric:
            return (("main", self.main_level),)
        return (("main", self.main_level), ("second", second))

    def errors_by_category(self, categories: Mapping[str, Any]) -> dict[str, int]:
        """Errors per catalogue category of a summary's ``categories`` (charts and tables)."""
        if self.category_errors is None:
            return dict(categories)
        return self.category_errors(categories)

    def metric(self, metric_id: str) -> MetricInfo:
        """The metric ``metric_id``; ``KeyError`` naming the kind's metrics if it has none."""
        for m in self.metrics:
            if m.id == metric_id:
                return m
        known = ", ".join(m.id for m in self.metrics)
        raise KeyError(f"{self.name} has no metric {metric_id!r}; it has {known}")

    def category(self, category_id: str) -> Category:
        """The catalogue's category ``category_id``; ``KeyError`` if it has none."""
        for cat in self.catalogue:
            if cat.id == category_id:
                return cat
        raise KeyError(f"{self.name} has no category {category_id!r}")
