"""The whole words around an edit, for "the reference is wrong here".

Character-level alignments split a misspelt word into several small edits (``tunred`` →
``turned`` is an insertion and a deletion of ``r``). A reviewer who says the reference is
wrong there means the system's word: this module widens an edit to the whitespace-bounded
words it touches on both sides, and to what those words align with, until the two sides
correspond. On word- and token-level alignments an edit already covers whole tokens and
stays as it is.
"""

from __future__ import annotations

from reviewer.core.align import Alignment, with_equal
from reviewer.core.items import Edit

Span = tuple[int, int]


def _word_bounds(text: str, start: int, end: int) -> Span:
    """``[start, end)`` widened to the whitespace-bounded words it reaches into (a span
    starting or ending with whitespace does not reach into the word beyond it)."""
    empty = start == end
    if empty or not text[start].isspace():
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    if empty or not text[end - 1].isspace():
        while end < len(text) and not text[end].isspace():
            end += 1
    return start, end


def _mapped(segments: list[Edit], span: Span, ref_side: bool) -> Span:
    """The other side's span aligned with ``span``: exact through equal stretches, whole
    edits where the span reaches into one."""
    start, end = span
    lo: int | None = None
    hi = 0
    for seg in segments:
        mine, other = (seg.ref_span, seg.hyp_span) if ref_side else (seg.hyp_span, seg.ref_span)
        inside = ((mine[0] < end and start < mine[1])
                  or (mine[0] == mine[1] and start <= mine[0] <= end)
                  or start == end == mine[0])
        if not inside:
            continue
        if seg.op == "equal":
            a = other[0] + max(start - mine[0], 0)
            b = other[0] + min(end, mine[1]) - mine[0]
        else:
            a, b = other
        lo = a if lo is None else min(lo, a)
        hi = max(hi, b)
    if lo is None:  # an empty span past the end
        side = segments[-1].hyp_span if ref_side else segments[-1].ref_span
        return side[1], side[1]
    return lo, hi


def word_spans(alignment: Alignment, edit: Edit) -> tuple[Span, Span]:
    """``(ref_span, hyp_span)`` of the whole words around ``edit`` on both sides."""
    ref, hyp = alignment.ref, alignment.hyp
    segments = with_equal(alignment)
    if not segments:
        return edit.ref_span, edit.hyp_span
    ref_span, hyp_span = edit.ref_span, edit.hyp_span
    while True:
        r = _word_bounds(ref, *ref_span)
        h = _word_bounds(hyp, *hyp_span)
        mh = _mapped(segments, r, ref_side=True)
        h = (min(h[0], mh[0]), max(h[1], mh[1]))
        h = _word_bounds(hyp, *h)
        mr = _mapped(segments, h, ref_side=False)
        r = (min(r[0], mr[0]), max(r[1], mr[1]))
        if (r, h) == (ref_span, hyp_span):
            return r, h
        ref_span, hyp_span = r, h
