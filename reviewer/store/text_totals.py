"""The score summary of a large text project from its ``score_groups``, without a Python
object per item (issue 19 §2).

A text summary needs, per system, only sums (errors, units, S/D/I of both levels), the
histogram of the items' (errors, units) pairs that the bootstrap of a large benchmark
draws from (:mod:`reviewer.core.bootstrap_grouped`), and the category totals. The
groups of :mod:`reviewer.store.score_groups` hold the original alignments grouped by
exactly those values, so a summary reads a few thousand rows instead of a Python object
per item. The result is the very summary
:func:`reviewer.core.kinds.text.summarise` gives (same numbers, same key order); it is
used for the original set of a project of :data:`~reviewer.core.bootstrap_grouped.GROUPED_FROM`
items or more, where that summary's bootstrap also draws from the histogram.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from reviewer.core import bootstrap_grouped
from reviewer.core.bootstrap_grouped import PairHistogram, grouped_bootstrap_ratio
from reviewer.core.codec import decode_counts
from reviewer.core.kind_spec import StatOptions
from reviewer.core.kinds.text import RATE_LEVELS
from reviewer.core.metrics import Rate, item_rate
from reviewer.store.decisions import all_decisions
from reviewer.store.project import Project
from reviewer.store.score_groups import GROUP_COLUMNS, GROUP_KEY, Group, system_groups


def text_summaries(project: Project, stats: StatOptions, set_name: str = "original"
                   ) -> list[dict[str, Any]] | None:
    """``{"name", "items_scored", "missing", "metrics", "categories"}`` of each system on
    the ``original`` or ``cleaned`` set, or ``None`` when the project is not a text project
    whose systems each score :data:`~reviewer.core.bootstrap_grouped.GROUPED_FROM` items or
    more in that set: then the item-by-item summary computes it.

    The cleaned set is the original groups less the original rows of the removed and
    revised items, plus the revised items' cleaned rows: a few rows per decision."""
    if project.kind != "text" or project.item_count() < bootstrap_grouped.GROUPED_FROM:
        return None
    cleaning = cleaning_of(project) if set_name == "cleaned" else None
    out = []
    for name, groups in system_groups(project).items():
        changes = _changes(project, name, cleaning) if cleaning else []
        summary = _system_summary(project, name, groups, changes, stats, cleaning)
        if summary is None:
            return None
        out.append(summary)
    return out


@dataclass(frozen=True, slots=True)
class Cleaning:
    """The items the cleaned set leaves out, and those it scores on a corrected reference."""

    removed: frozenset[str]
    revised: frozenset[str]


def cleaning_of(project: Project) -> Cleaning:
    """The project's removed and revised items (as :func:`reviewer.store.scores.kept_items`
    counts them)."""
    decisions = all_decisions(project)
    return Cleaning(frozenset(k for k, v in decisions.items() if v.status == "removed"),
                    frozenset(k for k, v in decisions.items() if v.status == "revised"))


def _changes(project: Project, system: str, cleaning: Cleaning) -> list[Group]:
    """Group rows of one item each (items -1: an original row the cleaned set leaves out;
    +1: a revised item's cleaned row), each followed by its change of the missing count."""
    numbers = [c for c in GROUP_COLUMNS if c not in ("categories", "items")]
    rows = project.db.conn.execute(
        f"SELECT a.variant, {', '.join(f'a.{c}' for c in GROUP_COLUMNS if c != 'items')}, "
        "p.item_id IS NULL FROM alignments a LEFT JOIN predictions p "
        "ON p.system = a.system AND p.item_id = a.item_id WHERE a.system = ? AND "
        "((a.variant = 'original' AND a.item_id IN (SELECT value FROM json_each(?))) OR "
        "(a.variant = 'cleaned' AND a.item_id IN (SELECT value FROM json_each(?))))",
        [system, json.dumps(sorted(cleaning.removed | cleaning.revised)),
         json.dumps(sorted(cleaning.revised))]).fetchall()
    out = []
    for variant, *values, no_prediction in rows:
        sign = -1 if variant == "original" else 1
        named = dict(zip([c for c in GROUP_COLUMNS if c != "items"], values, strict=True))
        named.update({c: sign * named[c] for c in numbers if c not in GROUP_KEY})
        named["items"] = sign
        out.append((*(named[c] for c in GROUP_COLUMNS), sign * no_prediction))
    return out


def _system_summary(project: Project, system: str, groups: list[Group], changes: list[Group],
                    stats: StatOptions, cleaning: Cleaning | None) -> dict[str, Any] | None:
    numbers = [c for c in GROUP_COLUMNS if c != "categories"]
    scored = [*groups, *(c[:-1] for c in changes)]
    counts = np.array([g[:_CATEGORIES] + g[_CATEGORIES + 1:] for g in scored],
                      dtype=np.int64).reshape(-1, len(numbers))
    column = {name: counts[:, k] for k, name in enumerate(numbers)}
    items = column["items"]
    rows = int(items.sum())
    if rows < bootstrap_grouped.GROUPED_FROM:
        return None
    predicted = project.db.conn.execute("SELECT count(*) FROM predictions WHERE system = ?",
                                        [system]).fetchone()[0]
    missing = sum(g[_ITEMS] for g in groups) - predicted + sum(c[-1] for c in changes)
    metrics = {}
    for metric, role in RATE_LEVELS.items():
        s, d, i = (int(column[f"{role}_{op}"].sum()) for op in "sdi")  # sums of each group
        hist = PairHistogram.of_counts(column[f"{role}_errors"], column[f"{role}_units"], items)
        kept = hist.items != 0  # not a pair only the left-out items had
        hist = PairHistogram(hist.errors[kept], hist.units[kept], hist.items[kept])
        metrics[metric] = _level_rate(hist, (s, d, i), rows, stats)
    return {"name": system, "items_scored": rows, "missing": missing, "metrics": metrics,
            "categories": _category_totals(project, system, scored, cleaning)}


# Where a group's categories and item count are (GROUP_COLUMNS).
_CATEGORIES = GROUP_COLUMNS.index("categories")
_ITEMS = GROUP_COLUMNS.index("items")


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


def _category_totals(project: Project, system: str, groups: list[Group],
                     cleaning: Cleaning | None) -> dict[str, int]:
    """Σ errors per category of the categories some scored item has, in the order they
    first occur in item order (the order of
    :func:`reviewer.core.kinds.text.category_totals`)."""
    decoded: dict[str, dict[str, int]] = {}
    sums: dict[str, int] = {}
    holders: dict[str, int] = {}  # how many scored items have the category
    for group in groups:
        text, items = group[_CATEGORIES], group[_ITEMS]
        counts = decoded.get(text)
        if counts is None:
            counts = decoded[text] = decode_counts(text)
        for category, errors in counts.items():
            sums[category] = sums.get(category, 0) + errors * items
            holders[category] = holders.get(category, 0) + items
    wanted = {c for c, n in holders.items() if n}
    ordered: dict[str, int] = {}
    if not wanted:
        return ordered
    # Items in order until every category has been met: usually within the first few.
    variants = "" if cleaning else "AND a.variant = 'original' "
    cursor = project.db.conn.execute(
        # CROSS JOIN: walk the items in order (no sort of all rows before the first).
        "SELECT a.item_id, a.variant, a.categories FROM items i CROSS JOIN alignments a "
        f"ON a.item_id = i.id WHERE a.system = ? {variants}ORDER BY i.pos", [system])
    for item_id, variant, text in cursor:
        if cleaning is not None and (item_id in cleaning.removed or variant != (
                "cleaned" if item_id in cleaning.revised else "original")):
            continue
        for category in decoded[text]:
            ordered.setdefault(category, sums[category])
        if len(ordered) == len(wanted):
            break
    return ordered
