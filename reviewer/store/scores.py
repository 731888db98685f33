"""Scores of every system on the original or the cleaned set (DESIGN §6)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from reviewer.core.metrics import corpus_rate, item_rate
from reviewer.store.labels import all_labels
from reviewer.store.project import Project

# "current": every item, each against its corrected reference where it has one.
ScoreSet = Literal["original", "cleaned", "current"]
SCORE_SETS: tuple[str, ...] = ("original", "cleaned")
# Metric id -> (column prefix in the alignments table, display name)
METRICS: dict[str, tuple[str, str]] = {"cer": ("char", "CER"), "wer": ("word", "WER")}


@dataclass
class SystemRows:
    """Per-item counts of one system on the chosen set, in item order."""

    item_ids: list[str] = field(default_factory=list)
    counts: dict[str, list[tuple[int, int, int, int, int]]] = field(
        default_factory=lambda: defaultdict(list))  # metric -> (errors, units, s, d, i)
    categories: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def kept_items(project: Project, set_name: ScoreSet,
               only: set[str] | None = None) -> tuple[set[str] | None, set[str]]:
    """``(ids in the set or None for all, ids whose cleaned variant applies)``.

    ``only`` restricts the set further (for example to the items an export keeps).
    """
    if set_name == "original":
        return only, set()
    labels = all_labels(project)
    revised = {k for k, v in labels.items() if v.status == "revised"}
    if set_name == "current":
        return only, revised
    removed = {k for k, v in labels.items() if v.status == "removed"}
    keep = set(project.item_ids()) - removed
    return (keep if only is None else keep & only), revised


def system_rows(project: Project, set_name: ScoreSet = "original",
                only: set[str] | None = None) -> dict[str, SystemRows]:
    """Counts of each system on each item of the set (restricted to ``only``)."""
    keep, revised = kept_items(project, set_name, only)

    def wanted(item_id: str, variant: str) -> bool:
        if keep is not None and item_id not in keep:
            return False
        return variant == ("cleaned" if item_id in revised else "original")

    out: dict[str, SystemRows] = {s: SystemRows() for s in project.systems()}
    for system, item_id, variant, *c in project.metric_rows():
        if not wanted(item_id, variant):
            continue
        rows = out[system]
        rows.item_ids.append(item_id)
        rows.counts["cer"].append((c[0], c[1], c[2], c[3], c[4]))
        rows.counts["wer"].append((c[5], c[6], c[7], c[8], c[9]))
    for system, item_id, variant, category, errors in project.category_rows():
        if wanted(item_id, variant):
            out[system].categories[category] += errors
    return out


def score_project(project: Project, set_name: ScoreSet = "original", *,
                  confidence: float = 0.95, resamples: int = 1000,
                  seed: int = 0, only: set[str] | None = None) -> dict[str, Any]:
    """The score report (the stable JSON of ``reviewer score --format json``)."""
    keep, _ = kept_items(project, set_name, only)
    predicted = _predicted(project)
    systems = []
    for name, rows in system_rows(project, set_name, only).items():
        metrics: dict[str, Any] = {}
        for metric, values in rows.counts.items():
            errors = [v[0] for v in values]
            units = [v[1] for v in values]
            rate = corpus_rate(errors, units, confidence=confidence, resamples=resamples,
                               seed=seed)
            metrics[metric] = {**rate.as_dict(),
                               "substitutions": sum(v[2] for v in values),
                               "deletions": sum(v[3] for v in values),
                               "insertions": sum(v[4] for v in values)}
        have = predicted.get(name, set())
        missing = sum(1 for i in rows.item_ids if i not in have)
        systems.append({"name": name, "items_scored": len(rows.item_ids), "missing": missing,
                        "metrics": metrics, "categories": dict(rows.categories)})
    return {"project": project.name, "kind": project.kind, "set": set_name,
            "items": project.item_count() if keep is None else len(keep),
            "confidence": confidence, "systems": systems}


ItemRate = tuple[str, float | None, int, int]


def item_rates(project: Project, system: str, metric: str = "cer") -> list[ItemRate]:
    """``(item id, rate, errors, units)`` of one system on every item, current references."""
    data = system_rows(project, "current").get(system)
    out: list[ItemRate] = []
    if data is None:
        return []
    for item_id, (errors, units, *_rest) in zip(data.item_ids, data.counts[metric], strict=True):
        out.append((item_id, item_rate(errors, units), errors, units))
    return out


def _predicted(project: Project) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for system, item_id in project.db.execute("SELECT system, item_id FROM predictions"):
        out[system].add(item_id)
    return out


def ranking(report: dict[str, Any], metric: str = "cer") -> list[str]:
    """System names from best (lowest rate) to worst; undefined rates last."""
    def key(system: dict[str, Any]) -> tuple[bool, float]:
        value = system["metrics"][metric]["value"]
        return (value is None, value if value is not None else 0.0)

    return [s["name"] for s in sorted(report["systems"], key=key)]
