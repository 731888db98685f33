"""How far a review has got: items reviewed, reference errors found, and the time left at
the reviewer's own pace. One place for these figures: the status bar and the Statistics
view show the same numbers, worded the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

# Decisions needed before the time left is estimated: fewer say too little about a pace.
MIN_PACE_DECISIONS = 5
# The pace is taken from this many latest decisions: it follows the reviewer's current speed.
PACE_WINDOW = 50


@dataclass(frozen=True, slots=True)
class ReviewProgress:
    """Items with a verdict out of all items, and how many of them are reference errors."""

    reviewed: int
    total: int
    reference_errors: int

    def __post_init__(self) -> None:
        if not 0 <= self.reviewed <= max(self.total, 0) or self.reference_errors < 0:
            raise ValueError(f"inconsistent review progress: {self.reviewed} reviewed of "
                             f"{self.total}, {self.reference_errors} reference errors")

    @classmethod
    def from_counts(cls, verdict_counts: Mapping[str, int], total: int) -> ReviewProgress:
        """From the number of items with each verdict and the number of items."""
        return cls(reviewed=sum(verdict_counts.values()), total=total,
                   reference_errors=verdict_counts.get("reference_error", 0))

    @property
    def left(self) -> int:
        """Items without a verdict."""
        return self.total - self.reviewed

    @property
    def complete(self) -> bool:
        """Whether every item has a verdict (a project without items is not complete)."""
        return self.total > 0 and self.reviewed == self.total

    @property
    def percent(self) -> int:
        """The share reviewed in whole percent, rounded down: 100 only once every item is
        reviewed, and the same figure Qt's progress bar draws."""
        return 100 * self.reviewed // self.total if self.total else 0

    def summary(self, seconds_left: float | None = None) -> str:
        """``412 of 1,797 reviewed · 38 reference errors · 3 h left at your pace``; once
        complete, ``All 1,797 items reviewed · 38 reference errors``."""
        errors = f"{self.reference_errors:,} reference error" + (
            "" if self.reference_errors == 1 else "s")
        if self.complete:
            return f"All {self.total:,} items reviewed · {errors}"
        parts = [f"{self.reviewed:,} of {self.total:,} reviewed", errors]
        if seconds_left is not None:
            parts.append(f"{duration_text(seconds_left)} left at your pace")
        return " · ".join(parts)


def seconds_per_item(times: Sequence[float]) -> float | None:
    """The reviewer's pace, in seconds per newly reviewed item, from the times (in seconds,
    ascending) at which items got their verdict in this session.

    The median gap between the latest :data:`PACE_WINDOW` decisions: a coffee break is
    one long gap and barely moves it. ``None`` until there are :data:`MIN_PACE_DECISIONS`.
    """
    if len(times) < MIN_PACE_DECISIONS:
        return None
    recent = times[-PACE_WINDOW:]
    return float(median(b - a for a, b in pairwise(recent)))


def seconds_left(progress: ReviewProgress, times: Sequence[float]) -> float | None:
    """How long the items left take at the pace of ``times`` (``None``: pace not known yet,
    or nothing left)."""
    pace = seconds_per_item(times)
    if pace is None or progress.left == 0:
        return None
    return pace * progress.left


def duration_text(seconds: float) -> str:
    """A rough duration: ``under a minute``, ``25 min``, ``1 h 40 min``, ``3 h``."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours >= 3:  # beyond a few hours the minutes are noise
        return f"{round(minutes / 60)} h"
    return f"{hours} h {rest} min" if rest else f"{hours} h"
