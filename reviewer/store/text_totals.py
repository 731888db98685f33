"""The score summary of a large text project computed in SQL, without a Python object per
item (issue 19 §2).

A text summary needs, per system, only sums (errors, units, S/D/I of both levels), the
histogram of the items' (errors, units) pairs that the bootstrap of a large benchmark
draws from (:mod:`reviewer.core.bootstrap_grouped`), and the category totals. SQLite
computes those in a few scans, where building a row object per item costs minutes and
gigabytes at ten million items. The result is the very summary
:func:`reviewer.core.kinds.text.summarise` gives (same numbers, same key order); it is
used for the original set of a project of :data:`~reviewer.core.bootstrap_grouped.GROUPED_FROM`
items or more, where that summary's bootstrap also draws from the histogram.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np

from reviewer.core import bootstrap_grouped
from reviewer.core.bootstrap_grouped import PairHistogram, grouped_bootstrap_ratio
from reviewer.core.codec import decode_counts
from reviewer.core.kind_spec import StatOptions
from reviewer.core.kinds.text import RATE_LEVELS
from reviewer.core.metrics import Rate, item_rate
from reviewer.store.project import Project

_BITS = 31  # each of a level's errors and units is packed into this many bits


def text_summaries(project: Project, stats: StatOptions) -> list[dict[str, Any]] | None:
    """``{"name", "items_scored", "missing", "metrics", "categories"}`` of each system on
    the original set, or ``None`` when the project is not a text project whose systems
    each score :data:`~reviewer.core.bootstrap_grouped.GROUPED_FROM` items or more (or its
    counts are too large to pack): then the item-by-item summary computes it."""
    if project.kind != "text" or project.item_count() < bootstrap_grouped.GROUPED_FROM:
        return None
    out = []
    for name in project.systems():
        summary = _system_summary(project, name, stats)
        if summary is None:
            return None
        out.append(summary)
    return out


def _system_summary(project: Project, system: str, stats: StatOptions
                    ) -> dict[str, Any] | None:
    conn = project.db.conn
    sdi = ", ".join(f"sum({level}_{field})" for level in ("main", "second")
                    for field in ("s", "d", "i"))
    raw = [f"{level}_{field}" for level in ("main", "second") for field in ("errors", "units")]
    bounds = ", ".join([*(f"max({c})" for c in raw), *(f"min({c})" for c in raw)])
    groups = conn.execute(
        f"SELECT categories, count(*), {sdi}, {bounds} FROM alignments "
        "WHERE system = ? AND variant = 'original' GROUP BY categories", [system]).fetchall()
    rows = sum(g[1] for g in groups)
    # Each level's (errors, units) is packed into one integer: exact while both fit.
    packable = all(max(g[8:12]) < 1 << _BITS and min(g[12:16]) >= 0 for g in groups)
    if rows < bootstrap_grouped.GROUPED_FROM or not packable:
        return None
    predicted = conn.execute("SELECT count(*) FROM predictions WHERE system = ?",
                             [system]).fetchone()[0]
    hists = _histograms(project, system)
    metrics = {}
    for metric, role in RATE_LEVELS.items():
        first = 2 if role == "main" else 5
        s, d, i = (sum(g[first + k] for g in groups) for k in range(3))
        metrics[metric] = _level_rate(hists[role], (s, d, i), rows, stats)
    return {"name": system, "items_scored": rows, "missing": rows - predicted,
            "metrics": metrics, "categories": _category_totals(project, system, groups)}


def _histograms(project: Project, system: str) -> dict[str, PairHistogram]:
    """Each level's histogram of the system's (errors, units) pairs, from one scan, in the
    order of :meth:`PairHistogram.of` (by errors, then units)."""
    cursor = project.db.conn.execute(
        f"SELECT (main_errors << {_BITS}) | main_units, (second_errors << {_BITS}) | "
        "second_units FROM alignments WHERE system = ? AND variant = 'original'", [system])
    packed = np.fromiter(chain.from_iterable(cursor), dtype=np.int64).reshape(-1, 2)
    mask = (1 << _BITS) - 1
    out = {}
    for column, role in enumerate(("main", "second")):
        keys, items = np.unique(packed[:, column], return_counts=True)
        out[role] = PairHistogram(keys >> _BITS, keys & mask, items.astype(np.int64))
    return out


def _level_rate(hist: PairHistogram, sdi: tuple[int, int, int], rows: int,
                stats: StatOptions) -> dict[str, Any]:
    """What :func:`reviewer.core.kinds.text.level_rate` gives for these counts."""
    errors = int(hist.errors @ hist.items)
    units = int(hist.units @ hist.items)
    value = item_rate(errors, units)
    if value is None or units == 0 or rows < 2:
        rate = Rate(value, errors, units, value, value)
    else:
        low, high = grouped_bootstrap_ratio(hist, confidence=stats.confidence,
                                            resamples=stats.resamples, seed=stats.seed)
        rate = Rate(value, errors, units, low, high)
    s, d, i = sdi
    return {**rate.as_dict(), "substitutions": s, "deletions": d, "insertions": i,
            "hits": units - s - d}


def _category_totals(project: Project, system: str, groups: list[Any]) -> dict[str, int]:
    """Σ errors per category, in the order the categories first occur in item order (the
    order of :func:`reviewer.core.kinds.text.category_totals`)."""
    decoded = {g[0]: decode_counts(g[0]) for g in groups}
    sums: dict[str, int] = {}
    for text, items, *_ in groups:
        for category, errors in decoded[text].items():
            sums[category] = sums.get(category, 0) + errors * items
    ordered: dict[str, int] = {}
    # Items in order until every category has been met: usually within the first few.
    cursor = project.db.conn.execute(
        # CROSS JOIN: walk the items in order (no sort of all rows before the first).
        "SELECT a.categories FROM items i CROSS JOIN alignments a ON a.item_id = i.id "
        "WHERE a.system = ? AND a.variant = 'original' ORDER BY i.pos", [system])
    for (text,) in cursor:
        for category in decoded[text]:
            ordered.setdefault(category, sums[category])
        if len(ordered) == len(sums):
            break
    return ordered
