"""The statistics view's rows for asr projects with NLP references: each system's WER as
fstalign counts it (normalisations, synonyms) and its WER per entity class, original set
against cleaned set (items with a corrected reference are left out of both figures)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reviewer.core.lattice_summary import SUMMARY_KEY
from reviewer.core.score_types import Scores

Row = tuple[str, str, str, str, str, str]  # system, metric, original, cleaned, change, tip


def _text(rate: Mapping[str, Any] | None) -> str:
    if rate is None or rate.get("value") is None:
        return "—"
    return f"{rate['value'] * 100:.2f}%"


def _change(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> str:
    if not before or not after or before.get("value") is None or after.get("value") is None:
        return "—"
    return f"{(after['value'] - before['value']) * 100:+.2f} pp".replace("-", "−")


def _tip(rate: Mapping[str, Any] | None) -> str:
    return "" if rate is None else f"{rate['errors']:,} errors / {rate['units']:,} words"


def entity_rows(original: Scores, cleaned: Scores) -> list[Row]:
    """Rows ``(system, metric, original, cleaned, change, tooltip)``; none for a project
    without NLP references."""
    after = {s["name"]: s for s in cleaned["systems"]}
    rows: list[Row] = []
    for system in original["systems"]:
        if "fstalign" not in system:
            continue
        name = system["name"]
        other: Mapping[str, Any] = after.get(name) or {}
        before_f, after_f = system["fstalign"], other.get("fstalign")
        rows.append((name, "WER (fstalign)", _text(before_f), _text(after_f),
                     _change(before_f, after_f), _tip(before_f)))
        entities = system.get("entities", {})
        for entity, rate in entities.items():
            later = other.get("entities", {}).get(entity)
            rows.append((name, f"WER {entity}", _text(rate), _text(later),
                         _change(rate, later), _tip(rate)))
    return rows


def item_fstalign_text(metas: Mapping[str, Mapping[str, Any]]) -> str:
    """``fstalign WER sys 1/9 (11.11%)`` for the systems whose prediction metadata
    (``system -> metadata``) holds the counts made at import; ``""`` when none does."""
    parts = []
    for system, meta in metas.items():
        counts = meta.get(SUMMARY_KEY)
        if not isinstance(counts, Mapping):
            continue
        errors = counts["s"] + counts["d"] + counts["i"]
        units = counts["units"]
        rate = f" ({errors / units * 100:.2f}%)" if units else ""
        parts.append(f"{system} {errors:,}/{units:,}{rate}")
    return "fstalign WER " + ", ".join(parts) if parts else ""
