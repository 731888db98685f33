"""Aligning pairs too long for an exact alignment in seconds (a whole book on one line).

rapidfuzz's exact alignment takes time proportional to the product of the two lengths:
about 0.7 s for two lines of 100,000 characters, a minute for a million. Pairs whose product
exceeds :data:`~reviewer.core.limits.ALIGN_EXACT_CELLS` are aligned here, in memory linear in
their length:

1. The common prefix and suffix are set aside.
2. The texts are cut into lines, and the lines aligned as units (exactly, or when there
   are too many of them, anchored on the lines found once on each side, as patience diff
   does); each run of differing lines is aligned the same way, cut into words, and each
   run of differing words exactly when it is short enough. Sequences of words or tokens
   are anchored on the units found once on each side.
3. A run that cannot be cut further but differs in few places (a distance up to the
   limit divided by its length) is aligned exactly in a band around the diagonal.
4. A run still too long to align is one block of substitutions (plus insertions or
   deletions for the difference in length).

The error counts are then an upper bound of the edit distance: exact for texts with no
character in common, close to it for texts whose lines or words mostly match.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Iterable, Sequence

from rapidfuzz.distance import Levenshtein, Opcode

from reviewer.core.limits import ALIGN_EXACT_CELLS

Block = tuple[int, int, int, int]
Seq = Sequence[Hashable]

def exact_blocks(a: Seq, b: Seq, score_hint: int | None = None) -> list[Block]:
    """``(i1, i2, j1, j2)`` of each run of adjacent non-equal opcodes (rapidfuzz, exact)."""
    blocks: list[Block] = []
    current: list[int] | None = None
    for op in Levenshtein.opcodes(a, b, score_hint=score_hint):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "equal":
            if current is not None:
                blocks.append((current[0], current[1], current[2], current[3]))
                current = None
        elif current is None:
            current = [i1, i2, j1, j2]
        else:
            current[1] = i2
            current[3] = j2
    if current is not None:
        blocks.append((current[0], current[1], current[2], current[3]))
    return blocks


def fits(n: int, m: int) -> bool:
    """Whether a pair of ``n`` and ``m`` units is aligned exactly at once."""
    return n * m <= ALIGN_EXACT_CELLS


def long_blocks(a: Seq, b: Seq, level: int = 0) -> list[Block]:
    """The blocks of a pair too long for :func:`exact_blocks` (see the module docstring)."""
    n, m = len(a), len(b)
    start = _common_prefix(a, b)
    end = _common_suffix(a, b, min(n, m) - start)
    a_mid, b_mid = a[start:n - end], b[start:m - end]
    return _shift(_middle_blocks(a_mid, b_mid, level), start, start)


def _middle_blocks(a: Seq, b: Seq, level: int) -> list[Block]:
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return [(0, n, 0, m)] if n or m else []
    if fits(n, m):
        return exact_blocks(a, b)
    levels = _CHAR_LEVELS if _char_like(a) and _char_like(b) else _UNIT_LEVELS
    while level < len(levels):
        cut = levels[level]
        level += 1
        pieces_a, pieces_b = cut.pieces(a), cut.pieces(b)
        if len(pieces_a) > 1 or len(pieces_b) > 1:
            return _by_pieces(a, b, pieces_a, pieces_b, level)
    band = ALIGN_EXACT_CELLS // max(n, m)
    if abs(n - m) <= band:
        distance = Levenshtein.distance(a, b, score_cutoff=band)
        if distance <= band:
            return exact_blocks(a, b, score_hint=max(distance, 1))
    return [(0, n, 0, m)]


def _by_pieces(a: Seq, b: Seq, pieces_a: list[tuple[int, int]], pieces_b: list[tuple[int, int]],
               level: int) -> list[Block]:
    """Align the pieces as units; align each run of differing pieces one level finer."""
    ids: dict[Hashable, int] = {}

    def key(seq: Seq, piece: tuple[int, int]) -> int:
        part = seq[piece[0]:piece[1]]
        return ids.setdefault(part if isinstance(part, str) else tuple(part), len(ids))

    if len(pieces_a) == len(a) and len(pieces_b) == len(b):  # each unit is a piece
        keys_a = [ids.setdefault(unit, len(ids)) for unit in a]
        keys_b = [ids.setdefault(unit, len(ids)) for unit in b]
    else:
        keys_a = [key(a, p) for p in pieces_a]
        keys_b = [key(b, p) for p in pieces_b]
    out: list[Block] = []
    for p1, p2, q1, q2 in piece_blocks(keys_a, keys_b):
        i1 = pieces_a[p1][0] if p1 < len(pieces_a) else len(a)
        i2 = pieces_a[p2 - 1][1] if p2 > p1 else i1
        j1 = pieces_b[q1][0] if q1 < len(pieces_b) else len(b)
        j2 = pieces_b[q2 - 1][1] if q2 > q1 else j1
        out.extend(_shift(_middle_blocks(a[i1:i2], b[j1:j2], level), i1, j1))
    return out


def piece_blocks(a: list[int], b: list[int]) -> list[Block]:
    """Non-equal runs of two sequences of piece ids, exact where that fits in the limit.

    Otherwise pieces that occur once on each side are matched in order (the longest
    increasing run of their positions, as patience diff does), and the stretches between
    them aligned exactly where they fit, or else taken whole.
    """
    if fits(len(a), len(b)):
        return exact_blocks(a, b)
    out: list[Block] = []
    i = j = 0
    for ai, bj in [*_unique_anchors(a, b), (len(a), len(b))]:
        if ai > i and bj > j and fits(ai - i, bj - j):
            out.extend(_shift(exact_blocks(a[i:ai], b[j:bj]), i, j))
        elif ai > i or bj > j:
            out.append((i, ai, j, bj))
        i, j = ai + 1, bj + 1
    return out


def _unique_anchors(a: list[int], b: list[int]) -> list[tuple[int, int]]:
    """``(i, j)`` of ids found once in ``a`` and once in ``b``, kept in order on both sides."""
    once_b = _once(b)
    pairs = [(i, once_b[key]) for key, i in _once(a).items() if key in once_b]
    pairs.sort()
    # The longest run of pairs increasing in j too (patience sorting).
    tails: list[int] = []  # tails[k]: the j of the smallest end of a run of length k + 1
    ends: list[int] = []  # the index into pairs of that end
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        at = bisect.bisect_left(tails, j)
        if at:
            back[k] = ends[at - 1]
        if at == len(tails):
            tails.append(j)
            ends.append(k)
        else:
            tails[at], ends[at] = j, k
    chain: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _once(seq: list[int]) -> dict[int, int]:
    """``id -> position`` of the ids that occur exactly once in ``seq``."""
    seen: dict[int, int] = {}
    twice: set[int] = set()
    for k, key in enumerate(seq):
        if key in seen:
            twice.add(key)
        else:
            seen[key] = k
    return {key: k for key, k in seen.items() if key not in twice}


def _char(unit: Hashable) -> str:
    """A unit as a character when it is one (a string's character or a code point id)."""
    if isinstance(unit, str):
        return unit if len(unit) == 1 else ""
    if isinstance(unit, int) and 0 <= unit < 0x110000:
        return chr(unit)
    return ""


def _char_like(seq: Seq) -> bool:
    """Whether ``seq`` is characters (a string, or grapheme and code-point ids)."""
    return isinstance(seq, str) or (len(seq) > 0 and isinstance(seq[0], int))


class _Cut:
    """Where a sequence is cut into pieces: after each unit in ``chars``, or after every unit."""

    def __init__(self, chars: str | None) -> None:
        self.chars = frozenset(chars or "")
        self.every = chars is None
        self.pattern = re.compile(f"[{re.escape(chars)}]") if chars else None

    def pieces(self, seq: Seq) -> list[tuple[int, int]]:
        """``(start, end)`` of each piece of ``seq``."""
        if self.every:
            return [(k, k + 1) for k in range(len(seq))]
        if isinstance(seq, str) and self.pattern is not None:
            ends: Iterable[int] = (match.end() for match in self.pattern.finditer(seq))
        else:
            ends = (k + 1 for k, unit in enumerate(seq) if _char(unit) in self.chars)
        out: list[tuple[int, int]] = []
        start = 0
        for end in ends:
            out.append((start, end))
            start = end
        if start < len(seq) or not out:
            out.append((start, len(seq)))
        return out


_CHAR_LEVELS = (_Cut("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"),  # lines
                _Cut("".join(chr(c) for c in range(0x3001) if chr(c).isspace())))  # words
_UNIT_LEVELS = (_Cut(None),)  # words, tokens, records: each unit is a piece


def _common_prefix(a: Seq, b: Seq) -> int:
    if isinstance(a, str) and isinstance(b, str):
        lo, hi = 0, min(len(a), len(b))
        while lo < hi:  # binary search on slices: C-speed comparisons
            mid = (lo + hi + 1) // 2
            if a[:mid] == b[:mid]:
                lo = mid
            else:
                hi = mid - 1
        return lo
    k, limit = 0, min(len(a), len(b))
    while k < limit and a[k] == b[k]:
        k += 1
    return k


def _common_suffix(a: Seq, b: Seq, limit: int) -> int:
    n, m = len(a), len(b)
    if isinstance(a, str) and isinstance(b, str):
        lo, hi = 0, limit
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if a[n - mid:] == b[m - mid:]:
                lo = mid
            else:
                hi = mid - 1
        return lo
    k = 0
    while k < limit and a[n - 1 - k] == b[m - 1 - k]:
        k += 1
    return k


def _shift(blocks: list[Block], di: int, dj: int) -> list[Block]:
    return [(i1 + di, i2 + di, j1 + dj, j2 + dj) for i1, i2, j1, j2 in blocks]


def bounded_opcodes(a: Seq, b: Seq) -> list[Opcode]:
    """rapidfuzz's opcodes of ``a`` to ``b``, or for a pair too long to align exactly the
    opcodes of :func:`long_blocks`: each block as substitutions, then the deletions or
    insertions of the difference in length."""
    if fits(len(a), len(b)):
        return list(Levenshtein.opcodes(a, b))
    out: list[Opcode] = []
    i = j = 0
    for i1, i2, j1, j2 in long_blocks(a, b):
        if i1 > i:
            out.append(Opcode("equal", i, i1, j, j1))
        common = min(i2 - i1, j2 - j1)
        if common:
            out.append(Opcode("replace", i1, i1 + common, j1, j1 + common))
        if i2 - i1 > common:
            out.append(Opcode("delete", i1 + common, i2, j2, j2))
        if j2 - j1 > common:
            out.append(Opcode("insert", i2, i2, j1 + common, j2))
        i, j = i2, j2
    if i < len(a) or j < len(b):
        out.append(Opcode("equal", i, len(a), j, len(b)))
    return out
