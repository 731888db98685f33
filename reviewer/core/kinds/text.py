"""``text`` (OCR/HTR): CER over grapheme clusters (or code points) and WER (DESIGN §4.1)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from reviewer.core import tokenize
from reviewer.core.align import count
from reviewer.core.categories.text import CATALOGUE, categorise
from reviewer.core.codec import decode_counts
from reviewer.core.counts import Level, PairCounts, ScoreOptions, pair_counts
from reviewer.core.kind_spec import KindSpec, MetricInfo, ScoredItem, StatOptions
from reviewer.core.metrics import corpus_rate
from reviewer.core.pair_text import align_text
from reviewer.core.suspicion import sequence_suspicion
from reviewer.core.tokenize import CharMode

# Metric id -> prefix of its columns in PairCounts
RATE_LEVELS: dict[str, str] = {"cer": "char", "wer": "word"}


def score_text_pair(ref: str, hyp: str, mode: CharMode = "grapheme") -> PairCounts:
    """Align one pair at character and word level."""
    ref_words = ref.split()
    hyp_words = hyp.split()
    if ref == hyp:
        return pair_counts(Level.equal(len(tokenize.chars(ref, mode))), Level.equal(len(ref_words)))
    a = align_text(ref, hyp, mode)
    words = Level(*count(ref_words, hyp_words), len(ref_words), len(hyp_words))
    return pair_counts(Level.of(a), words, a)


def score_pair(ref: str, hyp: str, options: ScoreOptions) -> PairCounts:
    return score_text_pair(ref, hyp, options.char_mode)


def level_rate(rows: Sequence[ScoredItem], level: str, stats: StatOptions) -> dict[str, Any]:
    """Corpus rate of one level (``char`` or ``word``) with its S/D/I totals."""
    counts = [r.counts for r in rows]
    errors = [getattr(c, f"{level}_errors") for c in counts]
    units = [getattr(c, f"{level}_units") for c in counts]
    rate = corpus_rate(errors, units, confidence=stats.confidence, resamples=stats.resamples,
                       seed=stats.seed)
    s = sum(getattr(c, f"{level}_s") for c in counts)
    d = sum(getattr(c, f"{level}_d") for c in counts)
    i = sum(getattr(c, f"{level}_i") for c in counts)
    return {**rate.as_dict(), "substitutions": s, "deletions": d, "insertions": i,
            "hits": rate.units - s - d}


def category_totals(rows: Sequence[ScoredItem]) -> dict[str, int]:
    """Σ errors per category over the items."""
    # Items share few distinct category objects ("{}" above all): decode each once.
    texts = Counter(r.counts.categories for r in rows)
    totals: Counter[str] = Counter()
    for text, items in texts.items():
        for category, errors in decode_counts(text).items():
            totals[category] += errors * items
    return dict(totals)


def summarise(rows: Sequence[ScoredItem], stats: StatOptions) -> dict[str, Any]:
    return {"metrics": {m: level_rate(rows, level, stats) for m, level in RATE_LEVELS.items()},
            "categories": category_totals(rows)}


SPEC = KindSpec(
    name="text", title="OCR/HTR text", score_pair=score_pair, summarise=summarise,
    metrics=(MetricInfo("cer", "CER"), MetricInfo("wer", "WER")),
    catalogue=CATALOGUE, categorise=categorise,
    item_level="char", item_metric="CER", item_rates=(("char", "CER"), ("word", "WER")),
    suspicion=sequence_suspicion,
    suspicion_min_systems=2,
)
