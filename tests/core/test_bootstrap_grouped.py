"""The corpus-rate bootstrap of large benchmarks works on the histogram of the items'
(errors, units) pairs: its cost does not grow with the items (issue 19 §2)."""

from __future__ import annotations

import numpy as np
import pytest

from reviewer.core import bootstrap_grouped
from reviewer.core.bootstrap_grouped import GROUPED_FROM, PairHistogram, grouped_bootstrap_ratio
from reviewer.core.metrics import bootstrap_ratio, corpus_rate


def lines(n: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """``n`` lines of 20 to 79 characters with a few errors each."""
    rng = np.random.default_rng(seed)
    units = rng.integers(20, 80, size=n)
    errors = rng.binomial(units, 0.03)
    return errors, units


def test_histogram_counts_each_distinct_pair() -> None:
    hist = PairHistogram.of(np.array([1, 0, 1, 2, 1]), np.array([5, 5, 5, 0, 7]))
    assert sorted(zip(hist.errors.tolist(), hist.units.tolist(), hist.items.tolist(),
                      strict=True)) == [(0, 5, 1), (1, 5, 2), (1, 7, 1), (2, 0, 1)]
    assert hist.total_items == 5


def test_a_large_benchmark_interval_depends_only_on_its_items_not_their_order() -> None:
    errors, units = lines(GROUPED_FROM)
    order = np.random.default_rng(7).permutation(GROUPED_FROM)
    first = bootstrap_ratio(errors.tolist(), units.tolist(), resamples=200)
    shuffled = bootstrap_ratio(errors[order].tolist(), units[order].tolist(), resamples=200)
    assert first == shuffled
    value = errors.sum() / units.sum()
    assert first[0] < value < first[1]


@pytest.mark.parametrize("limit", ["multinomial", "normal"])
def test_grouped_interval_agrees_with_resampling_item_by_item(
        limit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if limit == "normal":
        monkeypatch.setattr(bootstrap_grouped, "_MAX_DISTINCT", 0)
    errors, units = lines(20_000)
    by_item = bootstrap_ratio(errors.tolist(), units.tolist(), resamples=2000)
    grouped = grouped_bootstrap_ratio(PairHistogram.of(errors, units), confidence=0.95,
                                      resamples=2000, seed=0)
    width = by_item[1] - by_item[0]
    assert abs(grouped[0] - by_item[0]) < 0.1 * width
    assert abs(grouped[1] - by_item[1]) < 0.1 * width


def test_corpus_rate_of_a_large_benchmark_keeps_its_totals() -> None:
    errors, units = lines(GROUPED_FROM)
    rate = corpus_rate(errors.tolist(), units.tolist(), resamples=100)
    assert (rate.errors, rate.units) == (int(errors.sum()), int(units.sum()))
    assert rate.low is not None and rate.high is not None and rate.value is not None
    assert rate.low < rate.value < rate.high
