"""Alignment of pairs too long to align exactly (reviewer.core.long_align).

The exact-alignment limit is lowered to a few hundred cells so that short random pairs take
every route: lines, words, unique anchors, the band and whole blocks. Whatever the route,
the blocks must describe a real alignment (the stretches between them equal), their cost
can only be at or above the true edit distance, and the opcodes must turn one side into the
other.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from reviewer.core import long_align
from reviewer.core.align import merged_blocks

TEXT = st.text("ab \n", max_size=60)
WORDS = st.lists(st.sampled_from(["the", "cat", "sat", "on", "a", "mat"]), max_size=40)


@pytest.fixture(autouse=True)
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(long_align, "ALIGN_EXACT_CELLS", 150)


def cost(blocks: list[tuple[int, int, int, int]]) -> int:
    return sum(max(i2 - i1, j2 - j1) for i1, i2, j1, j2 in blocks)


def check_blocks(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int, int, int]]:
    blocks = merged_blocks(a, b)
    i = j = 0
    for i1, i2, j1, j2 in blocks:
        assert i <= i1 <= i2 and j <= j1 <= j2 and (i2 > i1 or j2 > j1)
        assert a[i:i1] == b[j:j1]
        i, j = i2, j2
    assert a[i:] == b[j:]
    assert cost(blocks) >= Levenshtein.distance(a, b)
    return blocks


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(TEXT, TEXT)
def test_long_text_blocks_are_a_real_alignment_never_below_the_distance(a: str, b: str) -> None:
    check_blocks(a, b)
    check_blocks([ord(c) for c in a], [ord(c) for c in b])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(WORDS, WORDS)
def test_long_word_blocks_are_a_real_alignment_never_below_the_distance(
        a: list[str], b: list[str]) -> None:
    check_blocks(a, b)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(WORDS, WORDS)
def test_bounded_opcodes_turn_one_side_into_the_other(a: list[str], b: list[str]) -> None:
    out: list[str] = []
    for op in long_align.bounded_opcodes(a, b):
        if op.tag == "replace":
            assert op.src_end - op.src_start == op.dest_end - op.dest_start
        if op.tag == "equal":
            assert a[op.src_start:op.src_end] == b[op.dest_start:op.dest_end]
        out.extend(b[op.dest_start:op.dest_end])
    assert out == b


def test_pairs_differing_in_few_places_stay_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(long_align, "ALIGN_EXACT_CELLS", 1000)  # a differing line's words fit
    line = "the quick brown fox jumps over the lazy dog and runs far away"
    a = "\n".join(f"{line} {k}" for k in range(20))
    b = a.replace("fox jumps over the lazy dog and runs far away 7", "fix jumps")
    assert cost(check_blocks(a, b)) == Levenshtein.distance(a, b)


def test_texts_with_no_character_in_common_count_exactly() -> None:
    a, b = "ab ab\nab" * 10, "xy" * 37
    assert cost(check_blocks(a, b)) == max(len(a), len(b)) == Levenshtein.distance(a, b)
