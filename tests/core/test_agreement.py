"""Cohen's kappa and Krippendorff's alpha against values worked by hand."""

from __future__ import annotations

from collections import defaultdict
from itertools import permutations

import pytest

from reviewer.core.agreement import (
    alpha_reason,
    annotator_agreement,
    cohen_kappa,
    kappa_reason,
    krippendorff_alpha,
)
from reviewer.core.decisions import Decision


def test_kappa_of_the_classic_two_by_two_table() -> None:
    # 50 items rated yes/no by A and B:      B yes  B no
    #                                 A yes    20     5
    #                                 A no     10    15
    # p_o = (20 + 15) / 50 = 0.7
    # A says yes 25/50 = 0.5, B says yes 30/50 = 0.6
    # p_e = 0.5·0.6 + 0.5·0.4 = 0.3 + 0.2 = 0.5
    # κ = (0.7 − 0.5) / (1 − 0.5) = 0.4
    pairs = ([("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10
             + [("no", "no")] * 15)
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert kappa_reason(pairs) is None


def test_kappa_of_three_categories() -> None:
    # 10 items, categories ok / model_error / reference_error (o, m, r):
    #   (o,o)×4, (m,m)×2, (r,r)×1, (o,m)×1, (m,r)×1, (r,o)×1
    # p_o = 7/10 = 0.7
    # A: o 5, m 3, r 2;  B: o 5, m 3, r 2
    # p_e = (5·5 + 3·3 + 2·2) / 100 = 38/100 = 0.38
    # κ = (0.7 − 0.38) / (1 − 0.38) = 0.32 / 0.62 = 0.516129...
    pairs = ([("o", "o")] * 4 + [("m", "m")] * 2 + [("r", "r")]
             + [("o", "m"), ("m", "r"), ("r", "o")])
    assert cohen_kappa(pairs) == pytest.approx(0.32 / 0.62)


def test_kappa_edge_cases_are_defined() -> None:
    # Perfect agreement over two categories: p_o = 1, p_e = 0.5 → κ = 1.
    assert cohen_kappa([("a", "a"), ("b", "b")]) == 1
    # Always opposite, each annotator using one category: p_o = 0, p_e = 0 → κ = 0.
    assert cohen_kappa([("a", "b"), ("a", "b")]) == 0
    # One category only: p_o = p_e = 1, κ = 0/0 → None, with the reason.
    assert cohen_kappa([("ok", "ok")] * 5) is None
    assert kappa_reason([("ok", "ok")] * 5) == "undefined: every rating is 'ok'"
    assert cohen_kappa([]) is None
    assert kappa_reason([]) == "no item was rated by both annotators"


# Three annotators (A, B, C), six items, nominal values a/b/c; None = not rated.
ALPHA_UNITS: list[list[str | None]] = [
    ["a", "a", "a"],
    ["a", "b", None],
    ["b", "b", "a"],
    ["c", None, None],  # one rating: cannot be paired, skipped
    ["b", "b", None],
    ["a", "c", "b"],
]


def test_alpha_on_a_small_three_annotator_table() -> None:
    # Pairable values: a 6 (3+1+1+1), b 6 (1+2+2+1), c 1 → n = 13.
    # Per unit, (m² − Σ n_uc²) / (m − 1):
    #   u1 (9 − 9)/2 = 0, u2 (4 − 2)/1 = 2, u3 (9 − 5)/2 = 2, u5 (4 − 4)/1 = 0,
    #   u6 (9 − 3)/2 = 3                          → Σ = 7 (off-diagonal coincidences)
    # n² − Σ n_c² = 169 − (36 + 36 + 1) = 96
    # α = 1 − (n − 1)·7/96 = 1 − 12·7/96 = 1 − 0.875 = 0.125
    assert krippendorff_alpha(ALPHA_UNITS) == pytest.approx(0.125)


def test_alpha_matches_the_coincidence_matrix_step_by_step() -> None:
    # o_ck = Σ_u (ordered pairs of values c, k from different annotators in u) / (m_u − 1)
    o: defaultdict[tuple[str, str], float] = defaultdict(float)
    for unit in ALPHA_UNITS:
        values = [v for v in unit if v is not None]
        if len(values) < 2:
            continue
        for c, k in permutations(values, 2):
            o[c, k] += 1 / (len(values) - 1)
    # u1 gives o_aa 6/2 = 3; u2 o_ab = o_ba = 1; u3 o_bb 2/2 = 1, o_ab = o_ba += 2/2;
    # u5 o_bb += 2; u6 every off-diagonal pair of a, b, c += 1/2.
    assert o["a", "a"] == 3 and o["b", "b"] == 3 and o["c", "c"] == 0
    assert o["a", "b"] == o["b", "a"] == 2.5
    assert o["a", "c"] == o["c", "a"] == o["b", "c"] == o["c", "b"] == 0.5
    n_c = {c: sum(v for (x, _), v in o.items() if x == c) for c in "abc"}
    assert n_c == {"a": 6, "b": 6, "c": 1}
    n = sum(n_c.values())
    d_o = sum(v for (c, k), v in o.items() if c != k) / n  # 7 / 13
    d_e = sum(n_c[c] * n_c[k] for c in "abc" for k in "abc" if c != k) / (n * (n - 1))  # 96/156
    assert d_o == pytest.approx(7 / 13) and d_e == pytest.approx(96 / 156)
    assert krippendorff_alpha(ALPHA_UNITS) == pytest.approx(1 - d_o / d_e)


def test_alpha_on_krippendorffs_published_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C:
    # four coders, twelve units, nominal alpha = 0.743.
    coders = ["1 2 3 3 2 1 4 1 2 . . .", "1 2 3 3 2 2 4 1 2 5 . 3",
              ". 3 3 3 2 3 4 2 2 5 1 .", "1 2 3 3 2 4 4 1 2 5 1 ."]
    rows = [[None if v == "." else v for v in c.split()] for c in coders]
    units = [list(u) for u in zip(*rows, strict=True)]
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


def test_alpha_of_two_annotators_on_the_kappa_table() -> None:
    # The 2×2 table above: 100 values, yes 25 + 30 = 55, no 45; 15 disagreeing units,
    # each (4 − 2)/1 = 2 → 30. α = 1 − 99·30 / (100² − 55² − 45²) = 1 − 2970/4950 = 0.4.
    units = ([["yes", "yes"]] * 20 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10
             + [["no", "no"]] * 15)
    assert krippendorff_alpha(units) == pytest.approx(0.4)


def test_alpha_undefined_cases() -> None:
    assert krippendorff_alpha([["ok", "ok", None], ["ok", "ok", "ok"]]) is None
    assert alpha_reason([["ok", "ok", None]]) == "undefined: every rating is 'ok'"
    assert krippendorff_alpha([["a", None], [None, "b"]]) is None
    assert alpha_reason([["a", None]]) == "no item was rated by two annotators"
    assert alpha_reason(ALPHA_UNITS) is None


def test_report_per_verdict_and_error_type() -> None:
    ok, model, ref = "ok", "model_error", "reference_error"
    alice = {"i1": Decision(ok), "i2": Decision(ref, "wrong_groundtruth"),
             "i3": Decision(model), "i4": Decision(ref, "no_correct_answer"),
             "i5": Decision(ok)}  # only alice: not counted
    bob = {"i1": Decision(ok), "i2": Decision(ref, "wrong_groundtruth"),
           "i3": Decision(ok), "i4": Decision(ref, "wrong_groundtruth"),
           "i6": Decision(None, note="no verdict")}  # not a rating
    report = annotator_agreement({"bob": bob, "alice": alice})
    assert report.annotators == ("alice", "bob")
    assert report.n_items == 4
    # Verdicts on i1..i4: (ok,ok) (ref,ref) (model,ok) (ref,ref): p_o = 3/4;
    # alice ok 1, model 1, ref 2; bob ok 2, ref 2: p_e = (1·2 + 0 + 2·2)/16 = 6/16
    # κ = (12/16 − 6/16) / (10/16) = 0.6
    assert report.verdict.kappa == pytest.approx(0.6)
    assert report.verdict.alpha is not None
    by_type = {a.question: a for a in report.error_types}
    assert sorted(by_type) == ["no_correct_answer", "wrong_groundtruth"]
    # wrong_groundtruth marked: (yes,yes) on i2, (no,yes) on i4, (no,no) on i1, i3
    # p_o = 3/4; alice yes 1/4, bob yes 2/4: p_e = 1/4·2/4 + 3/4·2/4 = 2/16 + 6/16 = 0.5
    # κ = (0.75 − 0.5) / 0.5 = 0.5
    assert by_type["wrong_groundtruth"].kappa == pytest.approx(0.5)
    assert by_type["wrong_groundtruth"].n_items == 4
    assert report.to_dict()["verdict"]["n_items"] == 4


def test_report_with_three_annotators_gives_alpha_only() -> None:
    labels = {name: {f"i{k}": Decision(v) for k, v in enumerate(row)}
              for name, row in (("a", ["ok", "ok", "unusable"]), ("b", ["ok", "ok", "ok"]),
                                ("c", ["ok", "unusable", "unusable"]))}
    report = annotator_agreement(labels)
    assert report.verdict.kappa is None and report.verdict.reason is None
    units = [["ok", "ok", "ok"], ["ok", "ok", "unusable"], ["unusable", "ok", "unusable"]]
    assert report.verdict.alpha == pytest.approx(krippendorff_alpha(units))
    single = annotator_agreement({"a": {"i": Decision("ok")}, "b": {"i": Decision("ok")}})
    assert single.verdict.kappa is None and single.verdict.alpha is None
    assert single.verdict.reason == "undefined: every rating is 'ok'"
