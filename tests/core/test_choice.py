"""The choice kind: keys, scoring, accuracy intervals, paired comparison and vote suspicion."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import numpy as np
import pytest
from scipy import stats

from reviewer.core.choice_keys import is_correct, join_key, key_letters, options_of
from reviewer.core.counts import ScoreOptions
from reviewer.core.kinds import ScoredItem, StatOptions, spec
from reviewer.core.paired import compare_accuracy, mcnemar_exact
from reviewer.core.suspicion import TIE_WEIGHT, SuspicionScores
from reviewer.core.votes import collect_votes, item_score

CHOICE = spec("choice")
OPTIONS = json.dumps(["w", "x", "y", "z"])


def test_keys_are_letters_joined_by_bars() -> None:
    assert key_letters("A|c") == ("A", "C")
    assert key_letters("") == ()
    assert join_key(["c", "A", "C"]) == "A|C"
    assert options_of({"options": OPTIONS}) == ["w", "x", "y", "z"]
    assert options_of({"options": "not json"}) == [] and options_of({}) == []
    assert is_correct("A|C", "c") and not is_correct("A|C", "B") and not is_correct("", "A")
    assert not is_correct("A", "")


@pytest.mark.parametrize(("key", "answer", "errors", "category"), [
    ("B", "B", 0, ""), ("B", "b", 0, ""), ("A|C", "C", 0, ""), ("B", "A", 1, "wrong_option"),
    ("B", "", 1, "no_answer"), ("", "A", 1, "no_key"), ("", "", 1, "no_answer"),
])
def test_score_pair(key: str, answer: str, errors: int, category: str) -> None:
    counts = CHOICE.score_pair(key, answer, ScoreOptions())
    assert (counts.main_errors, counts.main_units) == (errors, 1)
    assert counts.main_category == category
    assert json.loads(counts.categories) == ({category: 1} if category else {})


def rows(key_answers: Sequence[tuple[str, str | None]]) -> list[ScoredItem]:
    return [ScoredItem(f"i{k}", CHOICE.score_pair(key, answer or "", ScoreOptions()), key,
                       answer, {"options": OPTIONS})
            for k, (key, answer) in enumerate(key_answers)]


@pytest.mark.parametrize("method", ["beta", "wilson", "clopper-pearson"])
def test_accuracy_and_its_interval(method: str) -> None:
    data = [("A", "A")] * 17 + [("B", "C")] * 2 + [("C", None)]
    out = CHOICE.summarise(rows(data), StatOptions(confidence=0.9, interval=method))
    acc = out["metrics"]["accuracy"]
    assert (acc["value"], acc["errors"], acc["units"], acc["correct"]) == (17 / 20, 3, 20, 17)
    # Independent formulas: Beta posterior quantiles, Wilson score, exact binomial.
    if method == "beta":
        low, high = stats.beta.ppf([0.05, 0.95], 18, 4)
    elif method == "clopper-pearson":
        low, high = stats.beta.ppf(0.05, 17, 4), stats.beta.ppf(0.95, 18, 3)
    else:
        z, p, n = stats.norm.ppf(0.95), 17 / 20, 20
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        low, high = centre - half, centre + half
    assert acc["low"] == pytest.approx(low) and acc["high"] == pytest.approx(high)
    assert out["categories"] == {"wrong_option": 2, "no_answer": 1}


def test_perfect_accuracy_keeps_an_honest_interval() -> None:
    acc = CHOICE.summarise(rows([("A", "A")] * 20), StatOptions())["metrics"]["accuracy"]
    assert acc["value"] == 1.0 and acc["high"] == pytest.approx(stats.beta.ppf(0.975, 21, 1))
    assert acc["low"] < 0.9  # not the collapsed [1, 1] of the normal approximation


def test_mcnemar_matches_the_binomial_sum() -> None:
    # Two-sided exact test: twice the smaller tail of Binomial(b + c, 1/2), capped at 1.
    b, c = 3, 11
    tail = sum(math.comb(b + c, k) for k in range(0, b + 1)) / 2 ** (b + c)
    assert mcnemar_exact(b, c) == pytest.approx(min(1.0, 2 * tail))
    assert mcnemar_exact(0, 0) == 1.0


def test_paired_comparison_counts_and_bootstrap() -> None:
    rng = np.random.default_rng(3)
    a = rng.random(400) < 0.8
    b = np.where(rng.random(400) < 0.85, a, ~a)
    result = compare_accuracy(list(a), list(b), resamples=2000, seed=1)
    assert result.items == 400
    assert result.only_a == int(np.sum(a & ~b)) and result.only_b == int(np.sum(~a & b))
    assert result.both_right + result.both_wrong + result.only_a + result.only_b == 400
    assert result.difference == pytest.approx(a.mean() - b.mean())
    assert result.low is not None and result.high is not None and result.difference is not None
    assert result.low <= result.difference <= result.high
    # The bootstrap interval is close to the normal one of a paired difference.
    d = a.astype(float) - b.astype(float)
    se = d.std(ddof=1) / math.sqrt(len(d))
    assert result.low == pytest.approx(d.mean() - 1.96 * se, abs=0.01)
    assert result.high == pytest.approx(d.mean() + 1.96 * se, abs=0.01)
    assert compare_accuracy(list(a), list(b), seed=1) == compare_accuracy(list(a), list(b), seed=1)
    with pytest.raises(ValueError):
        compare_accuracy([True], [True, False])


def voted(key: str, answers: list[str], item: str = "q") -> dict[str, list[ScoredItem]]:
    return {f"m{k}": [ScoredItem(item, CHOICE.score_pair(key, a, ScoreOptions()), key, a,
                                 {"options": OPTIONS})] for k, a in enumerate(answers)}


def test_votes_against_the_key_make_an_item_suspicious() -> None:
    agree = item_score(collect_votes(voted("A", ["A", "A", "A", "A"]))["q"])
    split = item_score(collect_votes(voted("A", ["A", "A", "C", "C"]))["q"])
    against = item_score(collect_votes(voted("A", ["C", "C", "C", "C"]))["q"])
    assert 0 <= agree < split < against <= 1
    # 1 − p(key) under the smoothed vote share, p(key) = (0 + 0.5) / (4 + 4 × 0.5).
    top_other = 4.5 / 6
    assert against == pytest.approx((1 - TIE_WEIGHT) * (1 - 0.5 / 6) + TIE_WEIGHT * top_other)


def test_ties_are_broken_by_agreement_on_one_other_option() -> None:
    concentrated = item_score(collect_votes(voted("A", ["A", "C", "C", "C"]))["q"])
    scattered = item_score(collect_votes(voted("A", ["A", "B", "C", "D"]))["q"])
    assert concentrated > scattered
    # Both have three votes against the key: the gap is the tie-break term only.
    assert concentrated - scattered < TIE_WEIGHT


def test_unanswered_items_and_multi_letter_keys() -> None:
    assert item_score(collect_votes(voted("A", ["", ""]))["q"]) == 0.0
    both = item_score(collect_votes(voted("A|C", ["A", "C", "C"]))["q"])
    one = item_score(collect_votes(voted("A", ["A", "C", "C"]))["q"])
    assert both < one
    none_key = item_score(collect_votes(voted("", ["B", "B", "B"]))["q"])
    assert none_key == pytest.approx(3.5 / 5)


def test_suspicion_ranks_every_item_with_notes() -> None:
    data: dict[str, list[ScoredItem]] = {f"m{k}": [] for k in range(3)}
    for item, key, answers in (("ok", "A", "AAA"), ("bad", "B", "DDD"), ("half", "A", "AAD")):
        for name, rows_ in voted(key, list(answers), item).items():
            data[name] += rows_
    scores = CHOICE.suspicion(data)  # type: ignore[misc]
    assert sorted(scores, key=lambda i: -scores[i]) == ["bad", "half", "ok"]
    assert isinstance(scores, SuspicionScores)
    assert scores.notes["bad"] == "key B; votes D 3"


def test_cleanlab_method_matches_cleanlab_on_the_vote_distribution() -> None:
    pytest.importorskip("cleanlab")
    from cleanlab.rank import get_label_quality_scores

    data: dict[str, list[ScoredItem]] = {f"m{k}": [] for k in range(4)}
    cases = (("a", "A", "AAAB"), ("b", "B", "CCCD"), ("c", "C", "ABCD"), ("d", "D", "DDDC"))
    for item, key, answers in cases:
        for name, rows_ in voted(key, list(answers), item).items():
            data[name] += rows_
    scores = CHOICE.suspicion_methods["cleanlab"](data)
    probs = np.array([[(answers.count(x) + 0.5) / 6 for x in "ABCD"] for _, _, answers in cases])
    labels = np.array(["ABCD".index(key) for _, key, _ in cases])
    quality = get_label_quality_scores(labels, probs, method="normalized_margin")
    assert [scores[i] for i, _, _ in cases] == pytest.approx(list(1 - quality))
