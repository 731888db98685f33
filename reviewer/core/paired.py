"""Paired comparison of two systems' accuracy on the same items (DESIGN §6).

The exact McNemar test looks only at the discordant items (one system right, the other
wrong): under "equally accurate" each is equally likely to favour either system, so the
count favouring A is Binomial(b + c, 1/2). The difference in accuracy gets a seeded
percentile bootstrap interval that resamples items, keeping each item's pair together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from reviewer.core.metrics import DEFAULT_CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED

_BLOCK = 50  # resamples drawn at once


@dataclass(frozen=True, slots=True)
class PairedAccuracy:
    """Two systems on the same ``items``: accuracies, their difference and the tests."""

    items: int
    accuracy_a: float | None
    accuracy_b: float | None
    difference: float | None  # accuracy_a − accuracy_b
    low: float | None  # bootstrap interval of the difference
    high: float | None
    both_right: int
    only_a: int  # A right, B wrong
    only_b: int  # B right, A wrong
    both_wrong: int
    p_value: float  # exact two-sided McNemar test

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def mcnemar_exact(only_a: int, only_b: int) -> float:
    """Two-sided exact McNemar p-value from the discordant counts (1.0 when there are none)."""
    if only_a + only_b == 0:
        return 1.0
    from scipy.stats import binomtest

    return float(binomtest(only_a, only_a + only_b, 0.5).pvalue)


def compare_accuracy(right_a: Sequence[bool], right_b: Sequence[bool], *,
                     confidence: float = DEFAULT_CONFIDENCE, resamples: int = DEFAULT_RESAMPLES,
                     seed: int = DEFAULT_SEED) -> PairedAccuracy:
    """Compare per-item correctness of A and B (item ``k`` of both lists is the same item)."""
    if len(right_a) != len(right_b):
        raise ValueError(f"paired lists differ in length: {len(right_a)} and {len(right_b)}")
    import numpy as np

    a = np.asarray(right_a, dtype=bool)
    b = np.asarray(right_b, dtype=bool)
    n = len(a)
    only_a, only_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
    both_right, both_wrong = int(np.sum(a & b)), int(np.sum(~a & ~b))
    p_value = mcnemar_exact(only_a, only_b)
    if n == 0:
        return PairedAccuracy(0, None, None, None, None, None, 0, 0, 0, 0, p_value)
    diff = a.astype(np.int8) - b.astype(np.int8)
    low = high = float(diff.mean())
    if n > 1 and resamples > 0:
        rng = np.random.default_rng(seed)
        means = np.empty(resamples)
        done = 0
        while done < resamples:
            block = min(_BLOCK, resamples - done)
            means[done:done + block] = diff[rng.integers(0, n, size=(block, n))].mean(axis=1)
            done += block
        alpha = (1 - confidence) / 2
        low, high = (float(x) for x in np.quantile(means, [alpha, 1 - alpha]))
    return PairedAccuracy(n, float(a.mean()), float(b.mean()), float(diff.mean()), low, high,
                          both_right, only_a, only_b, both_wrong, p_value)
