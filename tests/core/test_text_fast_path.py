"""The text import's fast per-pair path gives exactly what the edit-object path gives.

Speed changes only: every function here is compared with the slower code it replaces, on
randomised inputs with combining marks, CR LF, scripts above U+0300 and empty strings.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from reviewer.core import categorise_cache, tokenize
from reviewer.core.align import align, count
from reviewer.core.align_row import aligned_row
from reviewer.core.categories.asr import categorise as categorise_words
from reviewer.core.categories.text import categorise
from reviewer.core.categorise_cache import remembering
from reviewer.core.counts import Level, PairCounts, pair_counts
from reviewer.core.edit_runs import exact_runs, run_counts
from reviewer.core.kinds.text import score_text_pair
from reviewer.core.long_align import exact_blocks
from reviewer.core.pair_text import align_text
from reviewer.core.tokenize import CHAR_MODES, CharMode, Tokens

# Units that make every path of the tokenizer and the categoriser run: ASCII, Latin-1 and
# Latin Extended letters (below U+0300), combining marks, CR LF, Greek, Hangul jamo that
# join, an emoji ZWJ sequence, digits, punctuation and spaces.
UNITS = st.sampled_from([
    *"abcmnrl01O5S .,;:!'\t", "rn", "cl", "é", "É", "ü", "ß", "ſ", "Æ", "ø", "ǅ",
    "n\u0303", "e\u0301", "a\u0308\u0304", "\r\n", "\r", "\n", "\u00a0",
    "α", "ά", "\u1100\u1161", "\uac00", "👍🏽", "👩\u200d💻", "\u200d", "\u0300",
])
TEXT = st.lists(UNITS, max_size=24).map("".join)
MODE = st.sampled_from(CHAR_MODES)


def old_graphemes(text: str) -> Tokens:
    """The tokenizer before its fast check: every non-ASCII text searched for joiners."""
    text = tokenize.nfc(text)
    clusters = tokenize._GRAPHEME.findall(text)
    if len(clusters) == len(text):
        return Tokens(text, text)
    starts, ends, seq, pos = [], [], [], 0
    for cluster in clusters:
        starts.append(pos)
        pos += len(cluster)
        ends.append(pos)
        seq.append(ord(cluster) if len(cluster) == 1 else tokenize._cluster_id(cluster))
    return Tokens(text, seq, starts, ends)


def old_score_text_pair(ref: str, hyp: str, mode: CharMode) -> PairCounts:
    """The row as it was built: the alignment's edit objects, then their counts and codes."""
    ref_words, hyp_words = ref.split(), hyp.split()
    if ref == hyp:
        return pair_counts(Level.equal(len(tokenize.chars(ref, mode))),
                           Level.equal(len(ref_words)))
    a = align_text(ref, hyp, mode)
    words = Level.counted(count(ref_words, hyp_words), len(ref_words), len(hyp_words))
    return pair_counts(Level.of(a), words, a)


def test_no_code_point_below_u0300_joins_but_carriage_return() -> None:
    joining = [c for c in range(0x300) if tokenize._JOINING.search(chr(c))]
    assert joining == [0x0D]
    assert tokenize._ABOVE_JOINERS.search("\u02ff" * 3) is None
    assert tokenize._ABOVE_JOINERS.search("ab\u0300") is not None


@settings(max_examples=600, deadline=None)
@given(TEXT)
def test_graphemes_equal_the_full_search(text: str) -> None:
    assert tokenize.graphemes(text) == old_graphemes(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from("abcdé \u0301"), max_size=40).map("".join),
       st.lists(st.sampled_from("abcdé \u0301"), max_size=40).map("".join))
def test_exact_runs_equal_merged_opcodes(a: str, b: str) -> None:
    assert exact_runs(a, b) == exact_blocks(a, b)
    assert exact_runs(a.split(), b.split()) == exact_blocks(a.split(), b.split())
    ids_a, ids_b = [ord(c) + 0x110000 for c in a], [ord(c) for c in b]
    assert exact_runs(ids_a, ids_b) == exact_blocks(ids_a, ids_b)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_run_counts_are_the_opcode_counts(a: str, b: str) -> None:
    s = d = i = 0
    for op in Levenshtein.opcodes(a, b):
        n, m = op.src_end - op.src_start, op.dest_end - op.dest_start
        s += n if op.tag == "replace" else 0
        d += n if op.tag == "delete" else 0
        i += m if op.tag == "insert" else 0
    assert run_counts(exact_runs(a, b)) == (s, d, i)


@settings(max_examples=800, deadline=None)
@given(TEXT, TEXT, MODE)
def test_text_row_equals_the_edit_object_row(ref: str, hyp: str, mode: CharMode) -> None:
    assert score_text_pair(ref, hyp, mode) == old_score_text_pair(ref, hyp, mode)


@pytest.mark.parametrize("mode", CHAR_MODES)
@pytest.mark.parametrize(("ref", "hyp"), [
    ("", ""), ("", "abc"), ("abc", ""), ("  ", ""), (" a ", "a"), ("e\u0301", "é"),
    ("café", "cafe\u0301 "), ("rn m", "m rn"), ("a\r\nb", "a\rb"), ("\u0301", ""),
    ("👩\u200d💻 x", "👩 x"), ("Ærø 1848", "Aero 1B48"),
])
def test_text_row_equals_the_edit_object_row_on_edge_cases(ref: str, hyp: str,
                                                           mode: CharMode) -> None:
    assert score_text_pair(ref, hyp, mode) == old_score_text_pair(ref, hyp, mode)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_aligned_row_of_words_equals_the_edit_object_row(ref: str, hyp: str) -> None:
    ref_t, hyp_t = tokenize.words(ref), tokenize.words(hyp)
    second = Level(3, 2, 1, 1, 1, 1)
    a = align(ref_t, hyp_t, categorise_words)
    assert aligned_row(ref_t, hyp_t, categorise_words, second, '{"x":1}') == pair_counts(
        Level.of(a), second, a, '{"x":1}')


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), max_size=30))
def test_remembered_categories_equal_the_rules(pairs: list[tuple[str, str]]) -> None:
    cached = remembering(categorise)
    for ref, hyp in pairs + pairs:
        if ref or hyp:
            assert cached(ref, hyp) == categorise(ref, hyp)


def test_the_memory_starts_afresh_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(categorise_cache, "REMEMBERED", 3)
    calls: list[tuple[str, str]] = []

    def counting(ref: str, hyp: str) -> str:
        calls.append((ref, hyp))
        return categorise(ref, hyp)

    cached = remembering(counting)
    edits = [("a", "b"), ("c", ""), ("", "d"), ("e", "E"), ("a", "b")]
    assert [cached(r, h) for r, h in edits] == [categorise(r, h) for r, h in edits]
    # The fourth edit found the memory full and cleared it, so ("a", "b") is asked again.
    assert calls == edits
    long_edit = ("x" * 20, "y")
    assert cached(*long_edit) == cached(*long_edit) == "substitution"
    assert calls.count(long_edit) == 2
