"""fstalign's standard composition (reviewer.core.fstalign_standard) on our own small
references: the lazy composition the walker follows is OpenFst's, arc by arc, with spans,
their empty arcs and labels, synonyms and anchors; and the path reads a span's
verbalisation as fstalign's tests expect it to."""

from __future__ import annotations

import pytest

from reviewer.core.lattice_wer import RefToken, align, build_units, hyphen_synonyms

fstalign_standard = pytest.importorskip(
    "reviewer.core.fstalign_standard", reason="pip install 'reviewer[fstalign]'")
pytest.importorskip("pywrapfst", reason="pip install 'reviewer[fstalign]'")

ROWS = [RefToken(w) for w in "so we will report that".split()] + [
    RefToken("$40", "7:MONEY"), RefToken("million", "7:MONEY")] + [
    RefToken(w) for w in "in revenue for the long-term quarter and we are done".split()]
NORMS = {"7": [("forty", "million", "dollars"), ("forty", "million")]}
SYNONYMS = {("we", "will"): [("we'll",)], ("okay",): [("ok",)]}
HYPS = [
    "so we'll report that forty million dollars in revenue for the long term quarter and "
    "we are done",
    "so we report it forty dollars in revenue revenue for the quarter and we're done",
    "uh so we will report that 40 million in revenue for long-term quarter and we are done "
    "okay",
    "",
]


def _units(hyp: list[str]):  # type: ignore[no-untyped-def]
    vocabulary = [r.token.lower() for r in ROWS] + hyp + [
        w for cands in NORMS.values() for c in cands for w in c]
    return build_units(ROWS, NORMS, hyphen_synonyms(vocabulary, SYNONYMS))


@pytest.mark.parametrize("anchors", [True, False])
@pytest.mark.parametrize("hyp", HYPS)
def test_the_walk_follows_openfsts_own_composition(hyp: str, anchors: bool) -> None:
    words = hyp.split()
    assert fstalign_standard.check_expansion(_units(words), words, anchors) > len(words)


def test_a_span_read_as_a_verbalisation_and_a_synonym_are_no_errors() -> None:
    result = align(ROWS, HYPS[0].split(), NORMS, SYNONYMS, search="fstalign-standard")
    assert (result.errors, result.units) == (0, 18)  # "we will" read as one word
    # the labelled readings: the synonym, the verbalisation, the compound's parts
    assert [(s.op, s.hyp) for s in result.steps if s.span >= 0] == [
        ("equal", w) for w in ("we'll", "forty", "million", "dollars", "long", "term")]


def test_errors_inside_a_span_belong_to_it() -> None:
    result = align(ROWS, HYPS[1].split(), NORMS, SYNONYMS, search="fstalign-2021")
    inside = [(s.op, s.ref, s.hyp) for s in result.steps if s.span >= 0]
    assert ("delete", "million", None) in inside
    assert result.errors == sum(1 for s in result.steps if s.op != "equal")
    assert result.errors >= 6
