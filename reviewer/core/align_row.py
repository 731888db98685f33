"""The stored row of an aligned pair, built without :class:`~reviewer.core.items.Edit` objects.

Importing scores every pair once and keeps only its counts, categories and encoded edits,
so this writes them straight from the alignment's runs: the same numbers and text as
``pair_counts(Level.of(a), second, a)`` on ``a = align(ref, hyp, categorise)``, at a
fraction of the cost. The diff view still builds the :class:`~reviewer.core.align.Alignment`.
"""

from __future__ import annotations

from reviewer.core.align import merged_blocks
from reviewer.core.categories import Categoriser
from reviewer.core.codec import edit_entry, encode_counts
from reviewer.core.counts import Level, PairCounts
from reviewer.core.tokenize import Tokens


def aligned_row(ref: Tokens, hyp: Tokens, categorise: Categoriser, second: Level,
                extra: str = "{}") -> PairCounts:
    """The stored counts of ``ref`` aligned with ``hyp`` (main level) and ``second``."""
    ref_text, hyp_text = ref.text, hyp.text
    ref_starts, ref_ends = ref.starts, ref.ends
    hyp_starts, hyp_ends = hyp.starts, hyp.ends
    ref_len, hyp_len = len(ref.seq), len(hyp.seq)
    s = d = i = 0
    categories: dict[str, int] = {}
    encoded: list[str] = []
    for i1, i2, j1, j2 in merged_blocks(ref.seq, hyp.seq):
        n, m = i2 - i1, j2 - j1
        if ref_starts is None or ref_ends is None:
            rs, re_ = i1, i2
        elif n:
            rs, re_ = ref_starts[i1], ref_ends[i2 - 1]
        else:
            rs = re_ = ref_starts[i1] if i1 < ref_len else len(ref_text)
        if hyp_starts is None or hyp_ends is None:
            hs, he = j1, j2
        elif m:
            hs, he = hyp_starts[j1], hyp_ends[j2 - 1]
        else:
            hs = he = hyp_starts[j1] if j1 < hyp_len else len(hyp_text)
        if n > m:
            s += m
            d += n - m
            op = "S" if m else "D"
            cost = n
        else:
            s += n
            i += m - n
            op = "S" if n else "I"
            cost = m
        category = categorise(ref_text[rs:re_], hyp_text[hs:he])
        categories[category] = categories.get(category, 0) + cost
        encoded.append(edit_entry(op, rs, re_, hs, he, category, n, m))
    top = max(categories, key=categories.__getitem__) if categories else ""
    return PairCounts(s + d + i, ref_len, hyp_len, s, d, i, *second,
                      encode_counts(categories), top, "[" + ",".join(encoded) + "]", extra)
