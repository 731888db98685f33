"""Runs of adjacent non-equal edits of an exact alignment, read from rapidfuzz's edit list.

The same ``(i1, i2, j1, j2)`` runs as merging adjacent non-equal opcodes, at half the cost:
an edit continues the current run when it starts where the previous one ended, and an
equal stretch between two edits is a gap in their positions.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import cast

from rapidfuzz.distance import Levenshtein

from reviewer.core.long_align import Block


def exact_runs(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Block]:
    """``(i1, i2, j1, j2)`` of each run of adjacent non-equal edits of ``a`` to ``b``."""
    runs: list[Block] = []
    i1 = j1 = i2 = j2 = -1
    # ``as_list`` gives ``(tag, i, j)`` tuples (typed as Editop objects, which unpack alike).
    ops = cast(list[tuple[str, int, int]], Levenshtein.editops(a, b).as_list())
    for tag, i, j in ops:
        if i != i2 or j != j2:
            if i1 >= 0:
                runs.append((i1, i2, j1, j2))
            i1 = i2 = i
            j1 = j2 = j
        if tag == "replace":
            i2 += 1
            j2 += 1
        elif tag == "delete":
            i2 += 1
        else:
            j2 += 1
    if i1 >= 0:
        runs.append((i1, i2, j1, j2))
    return runs


def run_counts(runs: list[Block]) -> tuple[int, int, int]:
    """``(substitutions, deletions, insertions)`` of ``runs``: a run of ``n`` reference and
    ``m`` predicted units is ``min(n, m)`` substitutions plus the difference in length."""
    s = d = i = 0
    for i1, i2, j1, j2 in runs:
        n, m = i2 - i1, j2 - j1
        if n > m:
            s += m
            d += n - m
        else:
            s += n
            i += m - n
    return s, d, i
