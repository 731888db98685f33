"""fstalign's own test cases (its test/data), through the NLP reader and the lattice WER.

The data are not in the repository: set REVIEWER_FSTALIGN_DATA to a checkout of
fstalign's ``test/data`` folder (its ``sample_data/synonyms.rules.txt`` is looked for in
``../../sample_data`` from there). The expected values are those test/fstalign_Test.cc
asserts for the adapted composition, fstalign's default: ``search="fstalign-adapted"``
reproduces every one; the exact (least-cost) search all but the two where fstalign's
search does not find the least-cost path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviewer.core.entity_wer import per_tag
from reviewer.core.lattice_wer import SEARCHES, LatticeResult, RefToken, Search, align
from reviewer.formats.nist import parse_ctm
from reviewer.formats.nlp import parse_nlp, read_normalizations, read_synonym_file

_ENV = "REVIEWER_FSTALIGN_DATA"
DATA = Path(os.environ[_ENV]) if os.environ.get(_ENV) else None
pytestmark = pytest.mark.skipif(DATA is None, reason=f"{_ENV} is not set (a checkout of "
                                "fstalign's test/data folder)")
SAMPLE = "SAMPLE"  # the sample synonym rules fstalign's tests pass as TEST_SYNONYMS

# name, ref, hyp, synonyms, norm json, disable cutoffs, (errors, words, ins, del, sub)
CASES: list[tuple[str, str, str, str | None, str | None, bool,
                  tuple[int, int, int, int, int]]] = [
    ("empty_hyp_ctm", "empty.ref.txt", "empty.hyp.ctm", None, None, False, (3, 3, 0, 3, 0)),
    ("empty_hyp_nlp", "empty.ref.txt", "empty.hyp.nlp", None, None, False, (3, 3, 0, 3, 0)),
    ("empty_hyp_txt", "empty.ref.txt", "empty.hyp.txt", None, None, False, (3, 3, 0, 3, 0)),
    ("empty_ref_nlp", "empty.hyp.nlp", "empty.ref.txt", None, None, False, (3, 0, 3, 0, 0)),
    ("empty_ref_txt", "empty.hyp.txt", "empty.ref.txt", None, None, False, (3, 0, 3, 0, 0)),
    ("syn_1", "syn_1.ref.txt", "syn_1.hyp.txt", None, None, False, (8, 21, 3, 2, 3)),
    ("syn_1_synonyms", "syn_1.ref.txt", "syn_1.hyp.txt", SAMPLE, None, False, (5, 21, 3, 2, 0)),
    ("syn_2", "syn_2.ref.txt", "syn_2.hyp.txt", SAMPLE, None, False, (0, 1, 0, 0, 0)),
    ("syn_3", "syn_3.ref.txt", "syn_3.hyp.txt", SAMPLE, None, False, (0, 2, 0, 0, 0)),
    ("syn_4", "syn_4.ref.txt", "syn_4.hyp.txt", SAMPLE, None, False, (2, 2, 0, 1, 1)),

    ("syn_6", "syn_6.ref.txt", "syn_6.hyp.txt", SAMPLE, None, False, (1, 5, 0, 1, 0)),
    ("syn_6_no_cutoffs", "syn_6.ref.txt", "syn_6.hyp.txt", SAMPLE, None, True, (2, 5, 0, 1, 1)),
    ("syn_7_hyp1", "syn_7.ref.nlp", "syn_7.hyp.txt", "syn_7.synonym.rules.txt", "syn_7.norm.json",
     False, (1, 20, 1, 0, 0)),
    ("syn_7_hyp3", "syn_7.ref.nlp", "syn_7.hyp3.txt", "syn_7.synonym.rules.txt",
     "syn_7.norm.json", False, (1, 19, 1, 0, 0)),
    ("syn_7_hyp4", "syn_7_ref4.nlp", "syn_7.hyp4.txt", "syn_7.synonym.rules.txt",
     "syn_7.norm.json", False, (0, 2, 0, 0, 0)),
    ("syn_9", "syn_9.ref.txt", "syn_9.hyp.txt", "syn_9.synonym.rules.txt", None, False,
     (0, 6, 0, 0, 0)),
    ("syn_10", "syn_10.ref.txt", "syn_10.hyp.txt", "syn_9.synonym.rules.txt", None, False,
     (1, 6, 0, 0, 1)),
    ("noise_1_hyp1", "noise_1.ref.nlp", "noise.hyp1.ctm", SAMPLE, None, False, (2, 12, 0, 2, 0)),
    ("noise_1_hyp2", "noise_1.ref.nlp", "noise.hyp2.ctm", SAMPLE, None, False, (0, 12, 0, 0, 0)),
    ("short", "short.ref.nlp", "short.hyp.nlp", SAMPLE, None, False, (6, 32, 0, 3, 3)),
    ("align_1", "align_1.ref.nlp", "align_1.hyp.ctm", SAMPLE, "align_1.norm.json", False,
     (1, 12, 0, 1, 0)),
    ("align_2", "align_2.ref.nlp", "align_2.hyp.ctm", SAMPLE, "align_2.norm.json", False,
     (2, 10, 0, 1, 1)),
    ("align_3", "align_3.ref.nlp", "align_3.hyp.ctm", SAMPLE, "align_3.norm.json", False,
     (1, 13, 0, 1, 0)),
    ("align_4_hyp1", "align_4.ref.nlp", "align_4.hyp1.ctm", SAMPLE, "align_4.norm.json", False,
     (1, 13, 1, 0, 0)),
    ("align_4_hyp2", "align_4.ref.nlp", "align_4.hyp2.ctm", SAMPLE, "align_4.norm.json", False,
     (1, 13, 0, 1, 0)),
    ("align_5_hyp1", "align_5.ref.nlp", "align_5.hyp1.ctm", SAMPLE, None, False, (3, 11, 2, 0, 1)),
    ("align_5_hyp2", "align_5.ref.nlp", "align_5.hyp2.ctm", SAMPLE, None, False, (1, 11, 0, 0, 1)),
    ("align_6", "align_6.ref.nlp", "align_6.hyp.ctm", SAMPLE, None, False, (3, 11, 2, 0, 1)),
    ("syn_compound_1", "syn_compound_1.ref.txt", "syn_compound_1.hyp.txt", SAMPLE, None, False,
     (0, 9, 0, 0, 0)),
    ("syn_compound_2", "syn_compound_2.ref.txt", "syn_compound_2.hyp.txt", SAMPLE, None, False,
     (2, 7, 0, 0, 2)),
    ("wer_utf", "wer_utf.ref.txt", "wer_utf.hyp.txt", SAMPLE, None, False, (2, 7, 1, 0, 1)),
    ("bigram_1", "test1.ref.txt", "test1.hyp.txt", None, None, False, (10, 76, 1, 2, 7)),
]


Case = tuple[str, str, str, str | None, str | None, bool, tuple[int, int, int, int, int]]
# fstalign's search does not take the least-cost path here (a synonym's reading is entered
# only where the hypothesis reads it exactly; the end of the hypothesis is a symbol of its
# own), so it reports more errors than the exact search finds.
PRUNED: list[Case] = [
    ("syn_5", "syn_5.ref.txt", "syn_5.hyp.txt", SAMPLE, None, False, (2, 1, -1, -1, -1)),
    ("syn_7_hyp2", "syn_7.ref.nlp", "syn_7.hyp2.txt", "syn_7.synonym.rules.txt",
     "syn_7.norm.json", False, (4, 18, 2, 0, 2)),
]


def _words(path: Path) -> list[str]:
    if path.suffix == ".nlp":
        return [r.token for r in parse_nlp(path)] if path.stat().st_size else []
    if path.suffix == ".ctm":
        return [w.word for w in parse_ctm(path)] if path.read_text("utf-8").strip() else []
    return path.read_text("utf-8").split()


def _reference(path: Path) -> list[RefToken]:
    if path.suffix == ".nlp" and path.stat().st_size:
        return [r.ref_token() for r in parse_nlp(path)]
    return [RefToken(w) for w in _words(path)]


def run(ref: str, hyp: str, synonyms: str | None, norm: str | None,
        no_cutoffs: bool = False, search: Search = "exact"
        ) -> tuple[LatticeResult, list[RefToken]]:
    """fstalign's ``wer`` on one of its cases."""
    assert DATA is not None
    rules = {}
    if synonyms == SAMPLE:
        rules = read_synonym_file(DATA.parent.parent / "sample_data" / "synonyms.rules.txt")
    elif synonyms:
        rules = read_synonym_file(DATA / synonyms)
    norms = read_normalizations(DATA / norm) if norm else {}
    rows = _reference(DATA / ref)
    return align(rows, _words(DATA / hyp), norms, rules, cutoffs=not no_cutoffs,
                 search=search), rows


def _counts(result: LatticeResult, expected: tuple[int, ...]) -> tuple[int, ...]:
    got = (result.errors, result.units, result.count("insert"), result.count("delete"),
           result.count("substitute"))
    return tuple(g if e >= 0 else -1 for g, e in zip(got, expected, strict=True))


@pytest.mark.parametrize("case", [
    *CASES, *(pytest.param(c, marks=pytest.mark.xfail(
        strict=True, reason="fstalign's search is not least-cost")) for c in PRUNED)],
    ids=[c[0] for c in CASES + PRUNED])
def test_fstalign_case(case: Case) -> None:
    _, ref, hyp, synonyms, norm, no_cutoffs, expected = case
    result, _ = run(ref, hyp, synonyms, norm, no_cutoffs)
    assert _counts(result, expected) == expected


@pytest.mark.parametrize("case", CASES + PRUNED, ids=[c[0] for c in CASES + PRUNED])
def test_fstalign_case_fstalign_search(case: Case) -> None:
    _, ref, hyp, synonyms, norm, no_cutoffs, expected = case
    result, _ = run(ref, hyp, synonyms, norm, no_cutoffs, search="fstalign-adapted")
    assert _counts(result, expected) == expected


@pytest.mark.parametrize("search", SEARCHES)
def test_compound_hyphens_off(search: Search) -> None:
    # "syn_compound_1 (disabled hyphen ignore)": WER 2/8, INS 1 SUB 1
    assert DATA is not None
    rules = read_synonym_file(DATA.parent.parent / "sample_data" / "synonyms.rules.txt")
    result = align(_reference(DATA / "syn_compound_1.ref.txt"),
                   _words(DATA / "syn_compound_1.hyp.txt"), {}, rules, hyphens=False,
                   search=search)
    assert (result.errors, result.units, result.count("insert"), result.count("substitute")) == (
        2, 8, 1, 1)


@pytest.mark.parametrize("search", SEARCHES)
def test_wer_tag_ids(search: Search) -> None:
    # "wer_tag wer": Wer Entity ID 1 WER: 1/1, ID 0: 1/2, ID 2: 1/2, ID 3: 1/3
    result, rows = run("twenty.ref.testing.nlp", "twenty.hyp.txt", SAMPLE,
                       "twenty.ref.testing.norm.json", search=search)
    tags = per_tag(result, rows)
    assert {k: (v.errors, v.units) for k, v in tags.items() if k in "0123"} == {
        "0": (1, 2), "1": (1, 1), "2": (1, 2), "3": (1, 3)}


# What fstalign_Test.cc asserts under --composition-approach standard where it differs
# from the adapted composition (the other cases assert the same numbers under both).
# "short file" asserts "WER: 5/31" and "INS:0 DEL:2 SUB:2", which do not add up to 5 (the
# second is a substring match that another report line may satisfy): its errors and
# words are checked.
STANDARD = {"syn_5": (1, 2, 0, 1, 0), "syn_7_hyp2": (2, 20, 1, 1, 0),
            "short": (5, 31, -1, -1, -1), "align_5_hyp1": (1, 12, 1, 0, 0),
            "align_5_hyp2": (1, 12, 0, 1, 0)}
ADAPTED_ONLY = {"syn_compound_1", "syn_compound_2", "wer_utf", "align_6"}
STANDARD_CASES = [(*c[:6], STANDARD.get(c[0], c[6])) for c in CASES + PRUNED
                  if c[0] not in ADAPTED_ONLY]


@pytest.mark.parametrize("case", STANDARD_CASES, ids=[c[0] for c in STANDARD_CASES])
def test_fstalign_case_standard_composition(case: Case) -> None:
    pytest.importorskip("pywrapfst", reason="pip install 'reviewer[fstalign]'")
    _, ref, hyp, synonyms, norm, no_cutoffs, expected = case
    result, _ = run(ref, hyp, synonyms, norm, no_cutoffs, search="fstalign-standard")
    assert _counts(result, expected) == expected
