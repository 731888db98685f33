"""``kern`` (OMR): symbol error rate over kern tokens and musicdiff's OMR-NED (DESIGN §4.4).

References and predictions are Humdrum **kern text, stored as they are. A pair is scored
at once at the token level: counted tokens (no null tokens, no comments) aligned with
rapidfuzz; SER = token edits / reference tokens, in the main level (``main_*``). The
second level (``second_*``) counts whole records (lines of counted tokens) the same way.
``extra`` holds the prediction's syntax problems (``syntax``: [line, field, severity,
message]) and, once
:mod:`reviewer.store.omr_ned` has filled it in, musicdiff's result (``omr``: key, ed, gt,
pred, categories, error).

A system's summary: ``metrics.ser`` (errors = token edits, units = reference tokens) and
``metrics.omr_ned`` (errors = Σ edit cost, units = Σ symbols of both scores, over the items
whose OMR-NED is known), both with bootstrap intervals over items; ``categories`` holds
musicdiff's per-category costs under musicdiff's names ("wrong note", ...) and the token
categories under their ids ("pitch", ...): names with spaces are musicdiff's.
``omr_ned_status`` says how many items are computed, pending or failed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from reviewer.core.align import align, count
from reviewer.core.categories.kern import CATALOGUE, categorise
from reviewer.core.codec import decode_counts
from reviewer.core.counts import Level, PairCounts, ScoreOptions, pair_counts
from reviewer.core.kern import syntax
from reviewer.core.kern.omr_ned import pair_key
from reviewer.core.kern.tokens import counted_tokens, records
from reviewer.core.kind_spec import KindSpec, LevelName, MetricInfo, ScoredItem, StatOptions
from reviewer.core.kinds.text import level_rate
from reviewer.core.metrics import corpus_rate
from reviewer.core.pair_text import display_text
from reviewer.core.suspicion import SEQUENCE_SUSPICION_ABOUT, sequence_suspicion
from reviewer.core.tokenize import Tokens


def kern_tokens(text: str) -> Tokens:
    """The counted tokens of displayed kern ``text``, as the aligner compares them."""
    found = counted_tokens(text)
    return Tokens(text, [t.text for t in found], [t.start for t in found],
                  [t.end for t in found])


def record_texts(text: str) -> list[str]:
    """Each record's counted tokens, tab-joined (records of only comments or nulls left out)."""
    out = []
    for record in records(text):
        kept = [t.text for t in record if t.counted]
        if kept:
            out.append("\t".join(kept))
    return out


def score_pair(ref: str, hyp: str, options: ScoreOptions) -> PairCounts:
    ref_d, hyp_d = display_text(ref, options.char_mode), display_text(hyp, options.char_mode)
    problems = [[p.line, p.field, p.severity, p.message] for p in syntax.check(hyp_d)] \
        if hyp_d.strip() else []
    extra = json.dumps({"syntax": problems}) if problems else "{}"
    a = align(kern_tokens(ref_d), kern_tokens(hyp_d), categorise)
    ref_records, hyp_records = record_texts(ref_d), record_texts(hyp_d)
    records = Level.counted(count(ref_records, hyp_records), len(ref_records), len(hyp_records))
    return pair_counts(Level.of(a), records, a, extra)


def extra_of(counts: PairCounts) -> dict[str, Any]:
    """The kind-specific part of a stored pair (syntax problems, OMR-NED)."""
    return dict(json.loads(counts.extra or "{}"))


def omr_of(row: ScoredItem) -> dict[str, Any] | None:
    """The row's stored OMR-NED result, if it is the one of its current texts."""
    omr = extra_of(row.counts).get("omr")
    if not isinstance(omr, dict):
        return None
    if omr.get("key") != pair_key(row.reference, row.prediction or ""):
        return None  # computed for another reference (the item was corrected since)
    return omr


def omr_ned_rate(rows: Sequence[ScoredItem], stats: StatOptions) -> dict[str, Any]:
    """Corpus OMR-NED (Σ cost / Σ symbols) over the rows whose OMR-NED is known."""
    known = [o for r in rows if (o := omr_of(r)) is not None and not o.get("error")]
    errors = [int(o["ed"]) for o in known]
    units = [int(o["gt"]) + int(o["pred"]) for o in known]
    if not known:
        return {"value": None, "errors": 0, "units": 0, "low": None, "high": None,
                "gt_symbols": 0, "pred_symbols": 0}
    rate = corpus_rate(errors, units, confidence=stats.confidence, resamples=stats.resamples,
                       seed=stats.seed)
    return {**rate.as_dict(), "gt_symbols": sum(int(o["gt"]) for o in known),
            "pred_symbols": sum(int(o["pred"]) for o in known)}


def summarise(rows: Sequence[ScoredItem], stats: StatOptions) -> dict[str, Any]:
    categories: Counter[str] = Counter()
    status = Counter({"computed": 0, "pending": 0, "failed": 0, "syntax_errors_fixed": 0})
    for r in rows:
        categories.update(decode_counts(r.counts.categories))
        omr = omr_of(r)
        if omr is None:
            status["pending"] += 1
        elif omr.get("error"):
            status["failed"] += 1
        else:
            status["computed"] += 1
            categories.update(omr.get("categories", {}))
            status["syntax_errors_fixed"] += int(omr.get("categories", {})
                                                 .get("bad kern syntax", 0))
    return {"metrics": {"ser": level_rate(rows, "main", stats),
                        "omr_ned": omr_ned_rate(rows, stats)},
            "categories": dict(categories), "omr_ned_status": dict(status)}


SPEC = KindSpec(
    name="kern", title="OMR (Humdrum **kern)", score_pair=score_pair, summarise=summarise,
    metrics=(MetricInfo("ser", "SER"), MetricInfo("omr_ned", "OMR-NED")),
    catalogue=CATALOGUE, categorise=categorise,
    main_level=LevelName("kern tokens", "SER"), second_level=LevelName("records", ""),
    category_unit="kern-token edits (rows named by musicdiff: its OMR edit cost)",
    suspicion=sequence_suspicion, suspicion_about=SEQUENCE_SUSPICION_ABOUT,
    reference_column="kern",
    suspicion_min_systems=2,
)
