"""The percentile bootstrap of a corpus rate Σ errors / Σ units from the rate's sufficient
statistics, for benchmarks too large to resample item by item (DESIGN §6).

Resampling n items with replacement draws each item a Multinomial(n, 1/n) number of
times, so items with the same ``(errors, units)`` pair are interchangeable: the resample
is fully described by how often each distinct pair is drawn, a Multinomial(n, share of
each pair) vector. Drawing that vector gives exactly the bootstrap distribution of the
item-by-item resampling at a cost proportional to the number of distinct pairs (a few
thousand for lines of text), not to n. When the distinct pairs are too many for that, the
resampled sums are drawn from their normal limit, whose mean and covariance are the sums
and the (co)variances of errors and units over the items; at the sizes this module is used
for (:data:`GROUPED_FROM` items and more) that limit and the bootstrap agree to far below
the precision any report prints.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# From this many items on, corpus rates are bootstrapped here rather than item by item:
# resampling n items a thousand times costs n thousand gathers (minutes at ten million).
GROUPED_FROM = 50_000
# Above this many distinct (errors, units) pairs the multinomial draw is no cheaper than
# the normal limit's.
_MAX_DISTINCT = 50_000
# Resamples drawn at once: bounds memory to about _BLOCK × distinct pairs integers.
_BLOCK = 50


@dataclass(frozen=True, slots=True)
class PairHistogram:
    """How many items have each distinct ``(errors, units)`` pair."""

    errors: np.ndarray
    units: np.ndarray
    items: np.ndarray

    @property
    def total_items(self) -> int:
        """The number of items counted."""
        return int(self.items.sum())

    @classmethod
    def of(cls, errors: np.ndarray, units: np.ndarray) -> PairHistogram:
        """The histogram of per-item ``errors`` and ``units`` (non-negative integers)."""
        errors = np.asarray(errors, dtype=np.int64)
        units = np.asarray(units, dtype=np.int64)
        # One integer per pair sorts far faster than rows of two.
        width = int(units.max()) + 1 if len(units) else 1
        keys, items = np.unique(errors * width + units, return_counts=True)
        return cls(keys // width, keys % width, items.astype(np.int64))

    @classmethod
    def of_counts(cls, errors: np.ndarray, units: np.ndarray, items: np.ndarray
                  ) -> PairHistogram:
        """The histogram of groups of ``items[k]`` items that each have the pair
        ``(errors[k], units[k])`` (pairs may repeat), in the order of :meth:`of`: by errors,
        then units."""
        errors = np.asarray(errors, dtype=np.int64)
        units = np.asarray(units, dtype=np.int64)
        items = np.asarray(items, dtype=np.int64)
        if not len(items):
            return cls(errors, units, items)
        order = np.lexsort((units, errors))
        errors, units, items = errors[order], units[order], items[order]
        starts = np.flatnonzero(np.r_[True, (errors[1:] != errors[:-1])
                                      | (units[1:] != units[:-1])])
        return cls(errors[starts], units[starts], np.add.reduceat(items, starts))


def grouped_bootstrap_ratio(hist: PairHistogram, *, confidence: float, resamples: int,
                            seed: int) -> tuple[float, float]:
    """Percentile interval of Σ errors / Σ units when the counted items are resampled with
    replacement ``resamples`` times (resamples whose Σ units is 0 are left out)."""
    rng = np.random.default_rng(seed)
    if len(hist.items) <= _MAX_DISTINCT:
        top, bottom = _multinomial_sums(hist, resamples, rng)
    else:
        top, bottom = _normal_sums(hist, resamples, rng)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(bottom > 0, top / bottom, np.nan)
    alpha = (1 - confidence) / 2
    low, high = np.nanquantile(ratios, [alpha, 1 - alpha])
    return float(low), float(high)


def _multinomial_sums(hist: PairHistogram, resamples: int, rng: np.random.Generator
                      ) -> tuple[np.ndarray, np.ndarray]:
    n = hist.total_items
    shares = hist.items / n
    top = np.empty(resamples)
    bottom = np.empty(resamples)
    done = 0
    while done < resamples:
        block = min(_BLOCK, resamples - done)
        drawn = rng.multinomial(n, shares, size=block)
        top[done:done + block] = drawn @ hist.errors
        bottom[done:done + block] = drawn @ hist.units
        done += block
    return top, bottom


def _normal_sums(hist: PairHistogram, resamples: int, rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray]:
    n = hist.total_items
    weights = hist.items.astype(np.float64)
    errors = hist.errors.astype(np.float64)
    units = hist.units.astype(np.float64)
    mean_e = float(weights @ errors) / n
    mean_u = float(weights @ units) / n
    cov = np.array([
        [weights @ (errors - mean_e) ** 2, weights @ ((errors - mean_e) * (units - mean_u))],
        [weights @ ((errors - mean_e) * (units - mean_u)), weights @ (units - mean_u) ** 2],
    ])  # n × the items' covariance: the covariance of the resampled sums
    sums = rng.multivariate_normal([n * mean_e, n * mean_u], cov, size=resamples,
                                   method="eigh")
    return sums[:, 0], sums[:, 1]
