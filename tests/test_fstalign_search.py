"""fstalign's path choice (search="fstalign-adapted") against the least-cost path ("exact"),
on small cases made here; each expected path is argued from fstalign's rules as
reviewer.core.fstalign_search states them."""

from __future__ import annotations

import pytest

from reviewer.core.entity_wer import per_span_class
from reviewer.core.lattice_wer import SEARCHES, LatticeResult, RefToken, Search, Words, align


def _ops(result: LatticeResult) -> list[tuple[str, str | None, str | None]]:
    return [(s.op, s.ref, s.hyp) for s in result.steps]


def test_last_substitution_reads_as_insertion_and_deletion() -> None:
    # The end of the hypothesis is a symbol of its own: "insert 'loan', then substitute
    # 'lone' by the end" and "substitute 'lone' by 'loan', then insert the end" both cost
    # 2.5 and meet in the same state; the walker reaches it first from the cheaper
    # insertion (1.0 < 1.5) and keeps that path: one insertion and one deletion.
    rows = [RefToken("lone")]
    assert _ops(align(rows, ["loan"])) == [("substitute", "lone", "loan")]
    fst = align(rows, ["loan"], search="fstalign-adapted")
    assert _ops(fst) == [("insert", None, "loan"), ("delete", "lone", None)]
    assert (fst.errors, fst.units) == (2, 1)


def test_fewest_errors_among_complete_paths_wins_over_least_cost() -> None:
    # Thirteen words each side, so the word alignment anchors the matching runs. Around
    # "dog mat" / "the a a" the least-cost path deletes two words and inserts two (cost 4,
    # 4 errors); three substitutions cost 4.5 but make 3 errors. The walker meets the
    # substitution path first (fewer moves), then the cheaper one, and keeps the one with
    # the lower WER, as fstalign does.
    ref = "mat sat on dog mat the the cat sat a sat on end".split()
    hyp = "mat sat on the a a the cat sat a sat on end".split()
    rows = [RefToken(w) for w in ref]
    exact = align(rows, hyp)
    fst = align(rows, hyp, search="fstalign-adapted")
    assert (exact.errors, exact.count("substitute")) == (4, 0)
    assert (fst.errors, fst.count("substitute"), fst.units) == (3, 3, 13)
    assert [op for op in _ops(fst) if op[0] != "equal"] == [
        ("substitute", "dog", "the"), ("substitute", "mat", "a"), ("substitute", "the", "a")]


def test_insertion_before_a_span_falls_inside_it() -> None:
    # A span's boundary offers only its own (free) move: a word before the span's first
    # word can only be inserted once the span is entered, so fstalign counts it to the
    # span's class; the least-cost path puts it outside.
    rows = [RefToken("now"), RefToken("$10", "0:MONEY", ("0",))]
    norms = {"0": [("ten", "dollars")]}
    hyp = ["now", "uh", "ten", "dollars"]
    exact = align(rows, hyp, norms)
    fst = align(rows, hyp, norms, search="fstalign-adapted")
    assert (exact.errors, fst.errors) == (1, 1)
    assert per_span_class(exact, rows)["MONEY"].errors == 0
    assert per_span_class(fst, rows)["MONEY"].errors == 1


def test_synonym_inside_a_verbalisation_needs_the_exact_reading() -> None:
    # fstalign enters a synonym's reading only where the hypothesis reads it word for
    # word: "ten bricks" (a reading of "ten billions") is closed at "bricks now", so the
    # span's cheapest open reading is its written token, substituted (1.5); the exact
    # search takes the reading and deletes "ten" (1.0), one more reference word.
    rows = [RefToken("$10B", "0:MONEY"), RefToken("now")]
    norms = {"0": [("ten", "billions")]}
    rules: dict[Words, list[Words]] = {("ten", "billions"): [("ten", "bricks")]}
    hyp = ["bricks", "now"]
    exact = align(rows, hyp, norms, rules)
    fst = align(rows, hyp, norms, rules, search="fstalign-adapted")
    assert _ops(exact) == [("delete", "ten", None), ("equal", "bricks", "bricks"),
                           ("equal", "now", "now")]
    assert _ops(fst) == [("substitute", "$10b", "bricks"), ("equal", "now", "now")]
    assert (exact.units, fst.units) == (3, 2)


@pytest.mark.parametrize("search", SEARCHES)
def test_both_searches_agree_on_a_clean_match(search: Search) -> None:
    rows = [RefToken("it"), RefToken("$5", "0:MONEY"), RefToken("ok")]
    result = align(rows, ["it", "five", "dollars", "ok"], {"0": [("five", "dollars")]},
                   search=search)
    assert (result.errors, result.units, len(result.spans)) == (0, 4, 1)


def test_unknown_search_is_refused() -> None:
    with pytest.raises(ValueError, match="fstalign-adapted"):
        align([RefToken("a")], ["a"], search="beam")  # type: ignore[arg-type]
