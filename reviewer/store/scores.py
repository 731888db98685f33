"""Scores of every system on the original or the cleaned set (DESIGN §6).

How a system's per-item scores add up is the task kind's business
(:mod:`reviewer.core.kinds`); this module picks the rows of the chosen set.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import cast

from reviewer.core.counts import LevelRole, PairCounts
from reviewer.core.errors import ProjectError
from reviewer.core.items import Kind
from reviewer.core.kern.missing import DEFAULT_MISSING, MISSING_CHOICES, MISSING_META
from reviewer.core.kinds import ScoredItem, StatOptions, spec
from reviewer.core.lattice_summary import SUMMARY_KEY
from reviewer.core.metrics import item_rate
from reviewer.core.score_types import Scores, ScoreSet, SystemScores
from reviewer.store.decisions import all_decisions
from reviewer.store.project import COUNT_COLUMNS, Project, decode_json
from reviewer.store.text_totals import cleaning_of, text_summaries

__all__ = ["SCORE_SETS", "ItemRate", "ScoreSet", "Scores", "SystemScores", "item_rates",
           "kept_items", "metric_names", "missing_choice", "ranking", "score_project",
           "set_missing_choice", "system_rows"]

SCORE_SETS: tuple[str, ...] = ("original", "cleaned")
_NO_META: dict[str, str] = {}  # shared by the many items without metadata (never changed)


def kept_items(project: Project, set_name: ScoreSet,
               only: set[str] | None = None) -> tuple[set[str] | None, set[str]]:
    """``(ids in the set or None for all, ids whose cleaned variant applies)``.

    ``only`` restricts the set further (for example to the items an export keeps).
    """
    if set_name == "original":
        return only, set()
    decisions = all_decisions(project)
    revised = {k for k, v in decisions.items() if v.status == "revised"}
    if set_name == "current":
        return only, revised
    removed = {k for k, v in decisions.items() if v.status == "removed"}
    keep = set(project.item_ids()) - removed
    return (keep if only is None else keep & only), revised


def system_rows(project: Project, set_name: ScoreSet = "original",
                only: set[str] | None = None, *, edits: bool = True,
                positions: range | Sequence[int] | None = None) -> dict[str, list[ScoredItem]]:
    """Each system's scored items of the set (restricted to ``only``), in item order.

    ``edits=False`` leaves the stored edits out (``"[]"``): summaries do not read them, and on
    a large project they are most of the memory. ``positions`` (a range or a list of item
    positions) reads those items alone, each looked up by its position: a large project is
    read a part at a time so.
    """
    keep, revised = kept_items(project, set_name, only)
    decisions = all_decisions(project) if revised else {}
    cols = ", ".join(f"a.{c}" if edits or c != "edits" else "'[]'" for c in COUNT_COLUMNS)
    columns = (f"a.system, a.item_id, a.variant, i.reference, i.meta, p.text, "
               f"json_extract(p.meta, '$.{SUMMARY_KEY}'), {cols}")
    joined = "LEFT JOIN predictions p ON p.system = a.system AND p.item_id = a.item_id"
    args: list[object] = []
    if positions is None:
        sql = (f"SELECT {columns} FROM alignments a JOIN items i ON i.id = a.item_id "
               f"{joined} ORDER BY i.pos")
    else:
        if isinstance(positions, range) and positions.step == 1:
            where, args = "i.pos >= ? AND i.pos < ?", [positions.start, positions.stop]
        else:
            where, args = "i.pos IN (SELECT value FROM json_each(?))", [json.dumps(
                list(positions))]
        # The items drive (CROSS JOIN keeps them first), each system's row found by key.
        sql = (f"SELECT {columns} FROM items i CROSS JOIN alignments a "
               "ON a.system IN (SELECT name FROM systems) AND a.item_id = i.id "
               f"{joined} WHERE {where} ORDER BY i.pos")
    out: dict[str, list[ScoredItem]] = {s: [] for s in project.systems()}
    metas: dict[str, dict[str, str]] = {}
    for system, item_id, variant, reference, meta, text, summary, *counts in project.db.execute(
            sql, args):
        if keep is not None and item_id not in keep:
            continue
        cleaned = item_id in revised
        if variant != ("cleaned" if cleaned else "original"):
            continue
        if cleaned:
            reference = decisions[item_id].corrected_reference
        if item_id not in metas:
            metas[item_id] = (decode_json(project.path, f"the metadata of item {item_id!r}",
                                          meta) if meta != "{}" else _NO_META)
        out[system].append(ScoredItem(item_id, PairCounts(*counts), reference, text,
                                      metas[item_id], summary))
    return out


def score_project(project: Project, set_name: ScoreSet = "original", *,
                  confidence: float = 0.95, resamples: int = 1000,
                  seed: int = 0, only: set[str] | None = None,
                  interval: str = "beta") -> Scores:
    """The score report (the stable JSON of ``reviewer score --format json``).

    Systems come in the project's order; ``only`` restricts the set (an export's kept items).
    """
    kind = spec(project.kind)
    stats = StatOptions(confidence, resamples, seed, interval)
    skip = missing_choice(project) == "skip"
    # A large text project's sets are summed up from its score groups (the same summary,
    # without a row object per item).
    fast = (text_summaries(project, stats, set_name)
            if only is None and set_name in SCORE_SETS else None)
    systems: list[SystemScores] = [cast(SystemScores, s) for s in fast or []]
    if fast is not None:
        removed = cleaning_of(project).removed if set_name == "cleaned" else frozenset()
        items = project.item_count() - len(removed)
    else:
        keep, _ = kept_items(project, set_name, only)
        items = project.item_count() if keep is None else len(keep)
        for name, rows in system_rows(project, set_name, only, edits=False).items():
            missing = sum(1 for r in rows if r.prediction is None)
            if skip:
                rows = [r for r in rows if r.prediction is not None]
            # The kind's summary keeps its own key order after these three (the JSON's order).
            systems.append(cast(SystemScores, {"name": name, "items_scored": len(rows),
                                               "missing": missing,
                                               **kind.summarise(rows, stats)}))
    report: Scores = {
        "project": project.name, "kind": project.kind, "set": set_name,
        "normalize": project.normalize,
        "items": items,
        "confidence": confidence, "primary_metric": kind.primary.id, "systems": systems}
    if project.kind == "answer":  # what its pairs were scored with
        report["extract"], report["matcher"] = project.extract, project.matcher
    if skip:
        report["missing_predictions"] = "skip"
    return report


def missing_choice(project: Project) -> str:
    """How the project's missing kern predictions count (:mod:`reviewer.core.kern.missing`)."""
    if project.kind != "kern":
        return DEFAULT_MISSING
    return project.meta(MISSING_META) or DEFAULT_MISSING


def set_missing_choice(project: Project, choice: str) -> None:
    """Keep ``choice`` (``empty`` or ``skip``) as the project's rule for missing predictions."""
    if project.kind != "kern":
        raise ProjectError(f"{project.path}: --missing applies to kern projects, not "
                           f"{project.kind}")
    if choice not in MISSING_CHOICES:
        raise ProjectError(f"unknown --missing choice {choice!r}; choose one of "
                           f"{', '.join(MISSING_CHOICES)}")
    project.set_meta(MISSING_META, choice)


ItemRate = tuple[str, float | None, int, int]


def item_rates(project: Project, system: str, level: LevelRole = "main") -> list[ItemRate]:
    """``(item id, rate, errors, units)`` of one system on every item, current references,
    on the stored ``level`` (the main one, of the kind's per-item metric, by default)."""
    out: list[ItemRate] = []
    for row in system_rows(project, "current", edits=False).get(system, []):
        counted = row.counts.level(level)
        out.append((row.item_id, item_rate(counted.errors, counted.units), counted.errors,
                    counted.units))
    return out


def ranking(report: Scores, metric: str | None = None) -> list[str]:
    """System names from best to worst on ``metric`` (the kind's first); undefined last."""
    kind = spec(report["kind"])
    info = kind.metric(metric or kind.primary.id)

    def key(system: SystemScores) -> tuple[bool, float]:
        value = system["metrics"][info.id]["value"]
        if value is None:
            return (True, 0.0)
        return (False, value if info.lower_is_better else -value)

    return [s["name"] for s in sorted(report["systems"], key=key)]


def metric_names(kind: Kind) -> dict[str, str]:
    """Metric id -> display name of the kind's headline metrics, in order."""
    return {m.id: m.name for m in spec(kind).metrics}

