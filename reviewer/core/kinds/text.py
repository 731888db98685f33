"""``text`` (OCR/HTR): CER over grapheme clusters (or code points) and WER (DESIGN §4.1)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from reviewer.core import tokenize
from reviewer.core.align import count
from reviewer.core.align_row import aligned_row
from reviewer.core.categories.text import CATALOGUE, categorise
from reviewer.core.categorise_cache import remembering
from reviewer.core.codec import decode_counts
from reviewer.core.counts import Level, LevelRole, PairCounts, ScoreOptions, pair_counts
from reviewer.core.kind_spec import KindSpec, LevelName, MetricInfo, ScoredItem, StatOptions
from reviewer.core.metrics import corpus_rate
from reviewer.core.normalize.kind_presets import DINGLEHOPPER
from reviewer.core.pair_text import display_text
from reviewer.core.suspicion import SEQUENCE_SUSPICION_ABOUT, sequence_suspicion
from reviewer.core.tokenize import CharMode

# Metric id -> the stored level it is computed on
RATE_LEVELS: dict[str, LevelRole] = {"cer": "main", "wer": "second"}


# Every pair's edits are categorised: the short ones, most of them, are looked up once.
_categorise = remembering(categorise)


def score_text_pair(ref: str, hyp: str, mode: CharMode = "grapheme") -> PairCounts:
    """Align one pair at character (main) and word (second) level.

    The stored row is the one of ``align_text(ref, hyp, mode)``'s alignment (what the diff
    view shows), built from its runs without edit objects (:func:`aligned_row`).
    """
    if ref == hyp:
        return pair_counts(Level.equal(len(tokenize.chars(ref, mode))),
                           Level.equal(len(ref.split())))
    ref_words = ref.split()
    hyp_words = hyp.split()
    words = Level.counted(count(ref_words, hyp_words), len(ref_words), len(hyp_words))
    return aligned_row(tokenize.chars(display_text(ref, mode), mode),
                       tokenize.chars(display_text(hyp, mode), mode), _categorise, words)


def score_pair(ref: str, hyp: str, options: ScoreOptions) -> PairCounts:
    if options.normalize == DINGLEHOPPER:
        from reviewer.core.kinds.text_dinglehopper import score_dinglehopper_pair

        return score_dinglehopper_pair(ref, hyp)
    return score_text_pair(ref, hyp, options.char_mode)


def level_rate(rows: Sequence[ScoredItem], role: LevelRole, stats: StatOptions) -> dict[str, Any]:
    """Corpus rate of one stored level (``main`` or ``second``) with its S/D/I totals."""
    levels = [r.counts.level(role) for r in rows]
    errors = [lv.errors for lv in levels]
    units = [lv.units for lv in levels]
    rate = corpus_rate(errors, units, confidence=stats.confidence, resamples=stats.resamples,
                       seed=stats.seed)
    s = sum(lv.s for lv in levels)
    d = sum(lv.d for lv in levels)
    i = sum(lv.i for lv in levels)
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
    main_level=LevelName("characters", "CER"), second_level=LevelName("words", "WER"),
    category_unit="character edits",
    suspicion=sequence_suspicion,
    suspicion_min_systems=2,
    suspicion_about=SEQUENCE_SUSPICION_ABOUT,
)
