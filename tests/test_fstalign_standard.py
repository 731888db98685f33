"""fstalign's standard composition (reviewer.core.fstalign_standard) on our own small
references: the lazy composition the walker follows is OpenFst's, arc by arc, with spans,
their empty arcs and labels, synonyms and anchors; and the path reads a span's
verbalisation as fstalign's tests expect it to."""

from __future__ import annotations

from typing import Any

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


def _one_at_a_time(lazy):  # type: ignore[no-untyped-def]
    """fstalign's walker as its C++ runs it, path by path (Walker::walkComposed): the
    reference the batched walker must equal."""
    logbook: dict[int, int] = {}
    generation = [(0, 0, 0, None, None)]  # state, errors, doubled cost, parent, move
    complete: list[Any] = []
    since_cut = 0
    while generation and len(complete) < 100:
        following: dict[tuple[int, int, int], Any] = {}
        for entry in generation:
            if len(complete) >= 100:
                break
            s, errors, cost = entry[0], entry[1], entry[2]
            for nxt, w2, k in lazy.walk(s):
                total = cost + w2
                if nxt in logbook and logbook[nxt] < total:
                    continue
                logbook[nxt] = total
                key = (errors + (w2 > 0), total, nxt)
                following.setdefault(key, (nxt, key[0], total, entry, (s, k)))
            if lazy.final(s):
                complete.append(entry)
        keys = sorted(following)
        if keys and since_cut >= 50:
            limit = keys[:20][-1][0] + 20
            keys = keys[:20] + [k for k in keys[20:] if k[0] <= limit]
            since_cut = 0
        since_cut += 1
        generation = [following[k] for k in keys]
    paths = []
    for entry in complete:
        moves: list[tuple[int, int]] = []
        while entry[3] is not None:
            moves.append(entry[4])
            entry = entry[3]
        paths.append(moves[::-1])
    return paths


@pytest.mark.parametrize("anchors", [True, False])
@pytest.mark.parametrize("hyp", [*HYPS, " ".join(HYPS[:3]) * 3])
def test_the_batched_walker_collects_the_paths_fstalign_does(hyp: str, anchors: bool) -> None:
    # a long hypothesis against a short reference too: generations past the first cut
    words = hyp.split()
    units = _units(words)
    a, b, _ = fstalign_standard._halves(units, words, anchors)
    expected = _one_at_a_time(fstalign_standard._Lazy(a, b))
    assert fstalign_standard._walk_batched(fstalign_standard._Lazy(a, b)) == expected
    # dropping the entries no live path goes through, every few generations
    for every in (1, 3, 64):
        lazy = fstalign_standard._Lazy(a, b)
        assert fstalign_standard._walk_batched(lazy, compact_every=every) == expected
    assert expected and (len(words) < 30 or min(map(len, expected)) > 100)  # cut twice
