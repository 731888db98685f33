"""Intervals for a proportion x / n (DESIGN §6): Beta posterior, Wilson and Clopper–Pearson."""

from __future__ import annotations

import math
from typing import Literal

IntervalMethod = Literal["beta", "wilson", "clopper-pearson"]
INTERVAL_METHODS: tuple[str, ...] = ("beta", "wilson", "clopper-pearson")


def proportion_interval(x: int, n: int, confidence: float = 0.95,
                        method: str = "beta") -> tuple[float | None, float | None]:
    """Two-sided interval of the proportion ``x / n`` (``None`` bounds when ``n`` is 0).

    ``beta``: equal-tailed Beta(x+1, n−x+1) posterior (uniform prior), the default;
    ``wilson``: Wilson score interval; ``clopper-pearson``: exact binomial interval.
    """
    if not 0 <= x <= n:
        raise ValueError(f"need 0 <= x <= n, got x={x}, n={n}")
    if n == 0:
        return None, None
    alpha = 1 - confidence
    from scipy import stats

    if method == "beta":
        dist = stats.beta(x + 1, n - x + 1)
        return float(dist.ppf(alpha / 2)), float(dist.ppf(1 - alpha / 2))
    if method == "clopper-pearson":
        low = 0.0 if x == 0 else float(stats.beta.ppf(alpha / 2, x, n - x + 1))
        high = 1.0 if x == n else float(stats.beta.ppf(1 - alpha / 2, x + 1, n - x))
        return low, high
    if method == "wilson":
        z = float(stats.norm.ppf(1 - alpha / 2))
        p = x / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return max(0.0, centre - half), min(1.0, centre + half)
    raise ValueError(f"unknown interval method {method!r}; choose one of "
                     f"{', '.join(INTERVAL_METHODS)}")


def accuracy_metric(correct: int, n: int, confidence: float = 0.95,
                    method: str = "beta") -> dict[str, float | int | str | None]:
    """An accuracy as score reports give it: value, errors, units, correct, low, high, and
    the interval method."""
    low, high = proportion_interval(correct, n, confidence, method)
    return {"value": correct / n if n else None, "errors": n - correct, "units": n,
            "correct": correct, "low": low, "high": high, "interval": method}
