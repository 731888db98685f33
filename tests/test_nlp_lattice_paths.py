"""The lattice alignment's paths against independent least costs, and synonym rules that
share their first words (the rules are looked up by first word)."""

from __future__ import annotations

import random

from rapidfuzz.distance import Levenshtein

from reviewer.core.lattice_wer import (
    DEL_COST,
    INS_COST,
    SUB_COST,
    LatticeResult,
    RefToken,
    _pieces,
    align,
    build_units,
)

VOCABULARY = ["a", "b", "c", "d", "e"]


def _cost(result: LatticeResult) -> float:
    return (SUB_COST * result.count("substitute") + DEL_COST * result.count("delete")
            + INS_COST * result.count("insert"))


def _least(ref: list[str], hyp: list[str]) -> float:
    """The least cost of an alignment of plain words (weights doubled to be whole)."""
    weights = (int(2 * INS_COST), int(2 * DEL_COST), int(2 * SUB_COST))
    return Levenshtein.distance(ref, hyp, weights=weights) / 2


def _words(rng: random.Random, most: int) -> list[str]:
    return [rng.choice(VOCABULARY) for _ in range(rng.randint(0, most))]


def _one_piece(ref: list[str], hyp: list[str]) -> bool:
    """True when the alignment is not cut into pieces (then it is the least-cost one)."""
    return len(_pieces(build_units([RefToken(w) for w in ref], {}, {}), hyp)) == 1


def test_plain_words_take_a_least_cost_path() -> None:
    rng = random.Random(20)
    checked = 0
    for _ in range(400):
        ref, hyp = _words(rng, 9), _words(rng, 9)
        if not _one_piece(ref, hyp):
            continue
        result = align([RefToken(w) for w in ref], hyp)
        assert _cost(result) == _least(ref, hyp), (ref, hyp)
        assert [s.ref for s in result.steps if s.op != "insert"] == ref
        assert [s.hyp for s in result.steps if s.op != "delete"] == hyp
        assert [s.row for s in result.steps if s.op != "insert"] == list(range(len(ref)))
        checked += 1
    assert checked > 200


def test_a_span_is_read_as_its_cheapest_verbalisation() -> None:
    rng = random.Random(21)
    checked = 0
    for _ in range(300):
        before, written, after = _words(rng, 4), _words(rng, 3) or ["a"], _words(rng, 4)
        readings = [tuple(_words(rng, 3)) for _ in range(rng.randint(1, 3))]
        hyp = _words(rng, 10)
        rows = ([RefToken(w) for w in before] + [RefToken(w, "7:CARDINAL") for w in written]
                + [RefToken(w) for w in after])
        whole = [before + list(r) + after for r in [*readings, tuple(written)]]
        if not all(_one_piece(words, hyp) for words in whole):
            continue
        result = align(rows, hyp, {"7": readings})
        assert _cost(result) == min(_least(words, hyp) for words in whole), (rows, hyp)
        assert [s.ref for s in result.steps if s.op != "insert"] in whole
        assert [s.hyp for s in result.steps if s.op != "delete"] == hyp
        checked += 1
    assert checked > 100


RULES = {("a", "b"): [("x",)], ("a", "b", "c"): [("y",)], ("a",): [("z",)]}


def test_the_longest_synonym_sharing_a_first_word_applies() -> None:
    rows = [RefToken(w) for w in "a b c d a b e a f".split()]
    result = align(rows, "y d x e z f".split(), {}, RULES)
    assert (result.errors, result.units) == (0, 6)
    # the written words still read as themselves
    written = align(rows, "a b c d a b e a f".split(), {}, RULES)
    assert (written.errors, written.units) == (0, 9)
    # a shorter rule does not apply inside a longer LHS that matched
    assert align(rows, "x c d x e z f".split(), {}, RULES).errors > 0


def test_normalisations_take_the_longest_synonym_too() -> None:
    rows = [RefToken("q", "1:CARDINAL")]
    norms = {"1": [("a", "b", "c"), ("a", "b", "d")]}
    # "a b c" reads as "y" (its longest rule), never as "z b c"
    for hyp, errors in (("y", 0), ("x d", 0), ("x c", 1), ("z b c", 1)):
        assert align(rows, hyp.split(), norms, RULES).errors == errors, hyp
