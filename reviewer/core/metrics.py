"""Corpus rates with seeded bootstrap intervals (DESIGN §6).

A corpus rate is Σ errors / Σ reference units over items; an item with an empty
reference adds its errors but no units, and its own rate is undefined (``None``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_CONFIDENCE = 0.95
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0
# Resamples drawn at once: bounds memory to about _BLOCK × items integers.
_BLOCK = 50


@dataclass(frozen=True, slots=True)
class Rate:
    """A corpus-level rate with its interval; ``None`` where it is undefined."""

    value: float | None
    errors: int
    units: int
    low: float | None = None
    high: float | None = None

    def as_dict(self) -> dict[str, float | int | None]:
        return {"value": self.value, "errors": self.errors, "units": self.units,
                "low": self.low, "high": self.high}


def item_rate(errors: int, units: int) -> float | None:
    """Rate of one item; undefined (``None``) for an empty reference with errors.

    An empty reference with an empty prediction has nothing wrong: 0 (dinglehopper agrees).
    """
    if units:
        return errors / units
    return 0.0 if errors == 0 else None


def corpus_rate(
    errors: Sequence[int],
    units: Sequence[int],
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Rate:
    """Σ errors / Σ units, with a percentile bootstrap interval over items."""
    total_errors, total_units = int(sum(errors)), int(sum(units))
    value = item_rate(total_errors, total_units)
    if value is None or total_units == 0 or len(errors) < 2:
        return Rate(value, total_errors, total_units, value, value)
    low, high = bootstrap_ratio(errors, units, confidence=confidence,
                                resamples=resamples, seed=seed)
    return Rate(value, total_errors, total_units, low, high)


def bootstrap_ratio(
    numerators: Sequence[int],
    denominators: Sequence[int],
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[float, float]:
    """Percentile interval of Σ num / Σ den when items are resampled with replacement
    (from :data:`~reviewer.core.bootstrap_grouped.GROUPED_FROM` items on, drawn from the
    histogram of the items' pairs: :mod:`reviewer.core.bootstrap_grouped`)."""
    import numpy as np

    from reviewer.core.bootstrap_grouped import (
        GROUPED_FROM,
        PairHistogram,
        grouped_bootstrap_ratio,
    )

    num = np.asarray(numerators, dtype=np.int64)
    den = np.asarray(denominators, dtype=np.int64)
    n = len(num)
    if n >= GROUPED_FROM and den.min() >= 0:
        return grouped_bootstrap_ratio(PairHistogram.of(num, den), confidence=confidence,
                                       resamples=resamples, seed=seed)
    rng = np.random.default_rng(seed)
    ratios = np.empty(resamples)
    # Numerator and denominator packed into one integer, so each resample is a single
    # gather and sum; exact while no resample's sums can reach 2**31.
    bound = 2**31 // max(n, 1)
    fits = n and num.min() >= 0 and num.max() < bound and den.min() >= 0 and den.max() < bound
    packed = (num << 32) | den if fits else None
    done = 0
    while done < resamples:
        block = min(_BLOCK, resamples - done)
        idx = rng.integers(0, n, size=(block, n))
        if packed is not None:
            sums = packed[idx].sum(axis=1)
            top, bottom = sums >> 32, sums & 0xFFFFFFFF
        else:
            top, bottom = num[idx].sum(axis=1), den[idx].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios[done:done + block] = np.where(bottom > 0, top / bottom, np.nan)
        done += block
    alpha = (1 - confidence) / 2
    low, high = np.nanquantile(ratios, [alpha, 1 - alpha])
    return float(low), float(high)


def bootstrap_mean(
    values: Sequence[float],
    *,
    confidence: float = DEFAULT_CONFIDENCE,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[float | None, float | None, float | None]:
    """The mean of per-item ``values`` and its percentile bootstrap interval over items
    (``None`` for no items; the interval is the value itself for one item)."""
    import numpy as np

    n = len(values)
    if n == 0:
        return None, None, None
    data = np.asarray(values, dtype=np.float64)
    mean = float(data.mean())
    if n < 2:
        return mean, mean, mean
    rng = np.random.default_rng(seed)
    means = np.empty(resamples)
    done = 0
    while done < resamples:
        block = min(_BLOCK, resamples - done)
        means[done:done + block] = data[rng.integers(0, n, size=(block, n))].mean(axis=1)
        done += block
    alpha = (1 - confidence) / 2
    low, high = np.quantile(means, [alpha, 1 - alpha])
    return mean, float(low), float(high)
