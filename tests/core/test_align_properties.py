"""Properties of the alignment: counts equal the Levenshtein distance, spans rebuild both
strings, categories partition the errors."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from reviewer.core import tokenize
from reviewer.core.align import with_equal
from reviewer.core.categories import catalogue
from reviewer.core.pair_text import align_text

ALPHABET = st.sampled_from([*"abcmnrl01O .,;AÉé", "n\u0303", "e\u0301", "\r\n"])
TEXT = st.lists(ALPHABET, max_size=30).map("".join)
CATEGORY_IDS = {c.id for c in catalogue("text")}


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT)
def test_edit_cost_is_the_levenshtein_distance_over_graphemes(ref: str, hyp: str) -> None:
    a = align_text(ref, hyp)
    ref_g = tokenize._GRAPHEME.findall(tokenize.nfc(ref))
    hyp_g = tokenize._GRAPHEME.findall(tokenize.nfc(hyp))
    assert a.errors == Levenshtein.distance(ref_g, hyp_g)
    assert a.ref_units == len(ref_g)
    assert a.substitutions + a.deletions + a.hits == len(ref_g)
    assert a.substitutions + a.insertions + a.hits == len(hyp_g)


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT)
def test_spans_rebuild_both_strings(ref: str, hyp: str) -> None:
    a = align_text(ref, hyp)
    segments = with_equal(a)
    assert "".join(s.ref_text for s in segments) == a.ref == tokenize.nfc(ref)
    assert "".join(s.hyp_text for s in segments) == a.hyp == tokenize.nfc(hyp)
    for s in segments:
        assert a.ref[s.ref_span[0]:s.ref_span[1]] == s.ref_text
        assert a.hyp[s.hyp_span[0]:s.hyp_span[1]] == s.hyp_text


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT)
def test_categories_partition_the_errors(ref: str, hyp: str) -> None:
    a = align_text(ref, hyp)
    counts = a.categories()
    assert set(counts) <= CATEGORY_IDS
    assert sum(counts.values()) == a.errors
    assert all(e.category in CATEGORY_IDS for e in a.edits)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_codepoint_mode_matches_rapidfuzz_opcodes(ref: str, hyp: str) -> None:
    a = align_text(ref, hyp, mode="codepoint")
    r, h = ref.strip(), hyp.strip()
    s = d = i = 0
    for op in Levenshtein.opcodes(r, h):
        if op.tag == "replace":
            s += op.src_end - op.src_start
        elif op.tag == "delete":
            d += op.src_end - op.src_start
        elif op.tag == "insert":
            i += op.dest_end - op.dest_start
    assert (a.substitutions, a.deletions, a.insertions) == (s, d, i)
