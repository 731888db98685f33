"""Alignment of two token sequences with rapidfuzz, into categorised edits with spans.

Adjacent non-equal opcodes are merged into one edit, so that a glyph confusion such as
``rn`` → ``m`` is seen whole. Inside a merged edit the cost is the larger side: an
optimal alignment never puts a deletion next to an insertion, so such a run costs
``min(n, m)`` substitutions plus ``|n - m|`` deletions or insertions, exactly the
counts of the opcodes it was merged from.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from reviewer.core.categories import Categoriser
from reviewer.core.edit_runs import exact_runs, run_counts
from reviewer.core.items import Edit, EditOp
from reviewer.core.long_align import Block, fits, long_blocks
from reviewer.core.tokenize import Tokens


@dataclass(frozen=True, slots=True)
class Alignment:
    """The non-equal edits between a displayed reference and prediction."""

    ref: str
    hyp: str
    ref_units: int
    hyp_units: int
    edits: tuple[Edit, ...]

    @property
    def errors(self) -> int:
        """Levenshtein distance in units."""
        return sum(e.cost for e in self.edits)

    @property
    def substitutions(self) -> int:
        return sum(min(e.ref_units, e.hyp_units) for e in self.edits)

    @property
    def deletions(self) -> int:
        return sum(max(e.ref_units - e.hyp_units, 0) for e in self.edits)

    @property
    def insertions(self) -> int:
        return sum(max(e.hyp_units - e.ref_units, 0) for e in self.edits)

    @property
    def hits(self) -> int:
        return self.ref_units - self.substitutions - self.deletions

    def categories(self) -> dict[str, int]:
        """Errors per category (their sum is :attr:`errors`)."""
        counts: dict[str, int] = {}
        for e in self.edits:
            counts[e.category] = counts.get(e.category, 0) + e.cost
        return counts


def comparable(a: Sequence[Hashable],
               b: Sequence[Hashable]) -> tuple[Sequence[Hashable], Sequence[Hashable]]:
    """Both sequences in one representation: strings stay strings, else code-point ids."""
    if isinstance(a, str) and not isinstance(b, str):
        a = [ord(c) for c in a]
    elif isinstance(b, str) and not isinstance(a, str):
        b = [ord(c) for c in b]
    return a, b


def merged_blocks(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Block]:
    """``(i1, i2, j1, j2)`` of each run of adjacent non-equal opcodes.

    Pairs longer than :data:`~reviewer.core.limits.ALIGN_EXACT_CELLS` allows are aligned by
    :func:`~reviewer.core.long_align.long_blocks` (seconds, not hours; counts an upper bound).
    """
    if isinstance(a, str) is not isinstance(b, str):
        a, b = comparable(a, b)
    if fits(len(a), len(b)):
        return exact_runs(a, b)
    return long_blocks(a, b)


def align(ref: Tokens, hyp: Tokens, categorise: Categoriser) -> Alignment:
    """Align ``ref`` with ``hyp`` and categorise every non-equal edit."""
    edits: list[Edit] = []
    for i1, i2, j1, j2 in merged_blocks(ref.seq, hyp.seq):
        rs, re_ = ref.span(i1, i2)
        hs, he = hyp.span(j1, j2)
        ref_text = ref.text[rs:re_]
        hyp_text = hyp.text[hs:he]
        op: EditOp = "substitute" if i2 > i1 and j2 > j1 else ("delete" if i2 > i1 else "insert")
        edits.append(
            Edit(op, (rs, re_), (hs, he), ref_text, hyp_text,
                 categorise(ref_text, hyp_text), i2 - i1, j2 - j1)
        )
    return Alignment(ref.text, hyp.text, len(ref), len(hyp), tuple(edits))


def count(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[int, int, int]:
    """``(substitutions, deletions, insertions)`` of the alignment, without building edits."""
    return run_counts(merged_blocks(a, b))


def with_equal(alignment: Alignment) -> list[Edit]:
    """All segments in order, the equal stretches between edits included (for display)."""
    out: list[Edit] = []
    r = h = 0
    for e in alignment.edits:
        if e.ref_span[0] > r or e.hyp_span[0] > h:
            out.append(Edit("equal", (r, e.ref_span[0]), (h, e.hyp_span[0]),
                            alignment.ref[r:e.ref_span[0]], alignment.hyp[h:e.hyp_span[0]], ""))
        out.append(e)
        r, h = e.ref_span[1], e.hyp_span[1]
    if r < len(alignment.ref) or h < len(alignment.hyp):
        out.append(Edit("equal", (r, len(alignment.ref)), (h, len(alignment.hyp)),
                        alignment.ref[r:], alignment.hyp[h:], ""))
    return out
