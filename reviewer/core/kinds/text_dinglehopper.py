"""The text kind's pairs scored with the ``dinglehopper`` preset (see
:mod:`reviewer.core.normalize.dinglehopper`): CER over its grapheme clusters, WER over its
words, both after its substitutions.

Counts are stored as the text kind stores them, so corpus CER and WER are Σ errors /
Σ reference units over the items. On one pair this is dinglehopper's value, except for an
empty reference with a non-empty prediction: dinglehopper calls that rate infinite,
reviewer counts the errors and shows the item's rate as undefined (DESIGN §3), and the
corpus rate stays finite.
"""

from __future__ import annotations

from reviewer.core.align import align, count
from reviewer.core.categories.text import categorise
from reviewer.core.counts import Level, PairCounts, pair_counts
from reviewer.core.normalize import dinglehopper


def score_dinglehopper_pair(ref: str, hyp: str) -> PairCounts:
    """Align one pair as dinglehopper compares it: graphemes (main) and words (second)."""
    ref_norm, hyp_norm = dinglehopper.normalise(ref), dinglehopper.normalise(hyp)
    ref_words = dinglehopper.words(ref_norm.text)
    hyp_words = dinglehopper.words(hyp_norm.text)
    ref_chars = dinglehopper.graphemes(ref_norm)
    if ref_norm.text == hyp_norm.text:
        return pair_counts(Level.equal(len(ref_chars)), Level.equal(len(ref_words)))
    a = align(ref_chars, dinglehopper.graphemes(hyp_norm), categorise)
    words = Level.counted(count(ref_words, hyp_words), len(ref_words), len(hyp_words))
    return pair_counts(Level.of(a), words, a)
