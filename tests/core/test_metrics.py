"""Corpus rates and bootstrap intervals."""

from __future__ import annotations

import random

import pytest

from reviewer.core.metrics import bootstrap_ratio, corpus_rate, item_rate


def test_corpus_rate_is_sum_over_sum_not_mean_of_rates() -> None:
    rate = corpus_rate([1, 9], [10, 10])
    assert rate.value == pytest.approx(0.5)
    rate = corpus_rate([1, 0], [1, 99])
    assert rate.value == pytest.approx(0.01)


def test_empty_references() -> None:
    assert item_rate(3, 0) is None
    assert item_rate(0, 0) == 0.0
    # Errors on an empty reference still count in the corpus rate.
    assert corpus_rate([3, 1], [0, 4]).value == pytest.approx(1.0)
    assert corpus_rate([3], [0]).value is None


def test_bootstrap_is_seeded_and_brackets_the_value() -> None:
    rng = random.Random(7)
    errors = [rng.randint(0, 6) for _ in range(300)]
    units = [rng.randint(20, 60) for _ in range(300)]
    a = corpus_rate(errors, units, seed=3)
    b = corpus_rate(errors, units, seed=3)
    assert a == b
    assert a.low is not None and a.high is not None and a.value is not None
    assert a.low < a.value < a.high
    assert corpus_rate(errors, units, seed=4).low != a.low
    wide = bootstrap_ratio(errors[:30], units[:30])
    assert wide[1] - wide[0] > a.high - a.low


def test_interval_level_widens_with_confidence() -> None:
    errors, units = [1, 2, 0, 5, 3, 1, 0, 2], [10] * 8
    narrow = corpus_rate(errors, units, confidence=0.5)
    wide = corpus_rate(errors, units, confidence=0.99)
    assert wide.low <= narrow.low and wide.high >= narrow.high  # type: ignore[operator]
