"""The fstalign-style figures of an asr project with NLP references, summed over its items.

At import each prediction of an NLP reference is scored as fstalign scores it
(:mod:`reviewer.core.lattice_wer`: normalised spans, synonyms; entity classes from
:mod:`reviewer.core.entity_wer`) and the counts are kept in the prediction's metadata
under :data:`SUMMARY_KEY`, with a digest of the reference they were counted on. The score
report adds them up per system: ``"fstalign"`` (WER with S/D/I) and ``"entities"``
(``{CLASS: {value, errors, units}}``). Items whose reference was corrected since are left
out of both (their counts belong to the old reference), and the report says how many.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from reviewer.core.kind_spec import ScoredItem

SUMMARY_KEY = "summary"  # the prediction metadata holding the counts


def reference_digest(reference: str) -> str:
    """A short digest of the reference the counts were made on."""
    return hashlib.sha1(reference.encode("utf-8")).hexdigest()[:16]


def _rate(errors: int, units: int) -> float | None:
    """WER; None without reference words (fstalign prints -nan)."""
    return errors / units if units else None


def lattice_summary(rows: Sequence[ScoredItem]) -> dict[str, Any]:
    """``{"fstalign": ..., "entities": ...}`` over the rows carrying counts; ``{}`` when
    none does (a project without NLP references: its report is unchanged)."""
    found = [(row, json.loads(row.summary)) for row in rows if row.summary]
    if not found:
        return {}
    s = d = i = units = 0
    stale = 0
    entities: dict[str, list[int]] = {}
    for row, counts in found:
        if counts.get("ref") != reference_digest(row.reference):
            stale += 1
            continue
        s, d, i, units = s + counts["s"], d + counts["d"], i + counts["i"], units + counts["units"]
        for name, values in counts.get("entities", {}).items():
            total = entities.setdefault(name, [0, 0, 0, 0])
            for k, v in enumerate(values):
                total[k] += v
    overall: dict[str, Any] = {"value": _rate(s + d + i, units), "errors": s + d + i,
                               "units": units, "substitutions": s, "deletions": d,
                               "insertions": i, "items": len(found) - stale}
    if stale:
        overall["items_corrected"] = stale
    return {"fstalign": overall,
            "entities": {name: {"value": _rate(sum(v[:3]), v[3]), "errors": sum(v[:3]),
                                "units": v[3]} for name, v in sorted(entities.items())}}
