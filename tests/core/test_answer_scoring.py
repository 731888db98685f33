"""Scoring answer pairs: extraction and matcher from the score options, the categories of
wrong (and of notable right) answers, what ``extra`` keeps, and the summary's metrics."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reviewer.core.answers.encoding import encode_answer_prediction, encode_gold
from reviewer.core.answers.extra import EXTRA_KEYS, pair_extra
from reviewer.core.categories.answer import CATALOGUE, RIGHT_CATEGORIES, numerically_close
from reviewer.core.counts import PairCounts, ScoreOptions
from reviewer.core.kind_spec import ScoredItem, StatOptions
from reviewer.core.kinds import spec

ANSWER = spec("answer")
AUTO = ScoreOptions()


def scored(gold: list[str], output: str, options: ScoreOptions = AUTO,
           harness: str | None = None) -> tuple[PairCounts, dict[str, Any]]:
    counts = ANSWER.score_pair(encode_gold(gold),
                               encode_answer_prediction(output, harness), options)
    return counts, dict(pair_extra(counts))


def test_a_right_answer_keeps_what_was_found_and_where() -> None:
    output = "She has 6 + 12 = 18 apples.\n#### 18"
    counts, extra = scored(["18"], output)
    assert (counts.main_errors, counts.main_units, counts.main_category) == (0, 1, "")
    assert extra["answer"] == "18" and extra["rule"] == "answer-line"
    start, end = extra["span"]
    assert output[start:end] == "18" and start == output.index("#### 18") + 5
    assert extra["matcher"] == "numeric" and extra["f1"] == 1.0
    assert set(extra) <= set(EXTRA_KEYS)


@pytest.mark.parametrize(("gold", "output", "category"), [
    (["18"], "", "no_answer"),
    (["18"], "I'm sorry, but I can't help with that.", "no_answer"),
    (["18"], "The answer is 180.", "numerically_close"),  # a factor of 10
    (["2.5"], "The answer is 150.", "numerically_close"),  # hours -> minutes
    (["3.14"], "Answer: 3.14159", "numerically_close"),  # rounding
    (["18"], "The answer is 19.", "wrong"),
    (["Paris"], "Answer: Lyon", "wrong"),
])
def test_wrong_answers_are_categorised(gold: list[str], output: str, category: str) -> None:
    counts, _ = scored(gold, output)
    assert counts.main_errors == 1 and counts.main_category == category
    assert json.loads(counts.categories) == {category: 1}


def test_partial_answers_need_the_f1_matcher() -> None:
    counts, extra = scored(["Denver Broncos"], "Answer: Denver", ScoreOptions(matcher="f1"))
    assert counts.main_category == "partial" and extra["f1"] == pytest.approx(2 / 3)
    counts, extra = scored(["Denver Broncos"], "Answer: Denver")
    assert counts.main_category == "wrong" and extra["f1"] == 0.0


def test_a_right_answer_written_otherwise_is_counted_right_but_shown() -> None:
    counts, _ = scored(["18"], "The answer is $18.00.")
    assert counts.main_errors == 0 and counts.main_category == "equal_except_format"
    assert json.loads(counts.categories) == {}
    counts, _ = scored(["Paris"], "Answer: paris")
    assert counts.main_errors == 0 and counts.main_category == "equal_except_format"


def test_the_harness_answer_is_kept_and_a_disagreement_flagged() -> None:
    counts, extra = scored(["18"], "So she has 18.\nThe answer is 18", harness="[invalid]")
    assert counts.main_errors == 0 and counts.main_category == "extraction_disagrees"
    assert extra["harness_answer"] == "[invalid]" and extra["harness_right"] is False
    # The harness read 18 too (written otherwise): no disagreement.
    counts, extra = scored(["18"], "The answer is 18", harness="18.0")
    assert counts.main_category == ""
    assert extra["harness_right"] is True
    # Wrong either way, but the two readings differ: the disagreement is what to look at.
    counts, _ = scored(["18"], "First 12, then 7.", harness="12")
    assert counts.main_errors == 1 and counts.main_category == "extraction_disagrees"
    # Both found nothing: they agree.
    counts, _ = scored(["18"], "", harness="[invalid]")
    assert counts.main_category == "no_answer"


def test_extraction_preset_and_matcher_come_from_the_score_options() -> None:
    output = "#### 7\nThe answer is \\boxed{8}"
    assert scored(["8"], output)[0].main_errors == 0  # auto: boxed first
    gsm = ScoreOptions(extract="gsm8k")
    assert scored(["8"], output, gsm)[0].main_errors == 1
    assert scored(["7"], output, gsm)[0].main_errors == 0
    pattern = ScoreOptions(extract="regex:#### (\\d+)")
    assert scored(["7"], output, pattern)[1]["rule"] == "regex"
    math = ScoreOptions(matcher="math")
    assert scored(["x+1"], "\\boxed{1+x}", math)[0].main_errors == 0
    assert scored(["x+1"], "\\boxed{1+x}")[0].main_errors == 1  # the default: exact
    assert scored(["\\frac{1}{2}"], "\\boxed{0.5}")[0].main_errors == 0  # numeric


def test_an_item_without_acceptable_answers_has_every_answer_wrong() -> None:
    counts, _ = scored([], "Answer: 18")
    assert counts.main_errors == 1 and counts.main_category == "wrong"


def test_a_corrected_reference_typed_as_plain_text_is_one_gold_answer() -> None:
    counts = ANSWER.score_pair("42", "The answer is 42", AUTO)
    assert counts.main_errors == 0


def test_numerically_close_is_documented_as_it_is_computed() -> None:
    assert numerically_close("18", "1800")
    assert numerically_close("90", "1.5")  # minutes -> hours
    assert numerically_close("100", "99.5")
    assert not numerically_close("18", "25")
    assert not numerically_close("18", "18.0")  # equal is not close
    assert not numerically_close("Paris", "18")


def test_the_categoriser_names_catalogue_categories() -> None:
    ids = {c.id for c in CATALOGUE}
    assert ids >= RIGHT_CATEGORIES
    assert {ANSWER.categorise("18", ""), ANSWER.categorise("18", "180"),
            ANSWER.categorise("18", "Paris")} == {"no_answer", "numerically_close", "wrong"}


def rows(pairs: list[tuple[list[str], str]],
         options: ScoreOptions = AUTO) -> list[ScoredItem]:
    out = []
    for k, (gold, output) in enumerate(pairs):
        reference = encode_gold(gold)
        out.append(ScoredItem(f"q{k}", ANSWER.score_pair(reference, output, options),
                              reference, output))
    return out


def test_summary_has_accuracy_with_its_interval_and_mean_f1() -> None:
    items = rows([(["18"], "#### 18"), (["7"], "#### 8"), (["Denver Broncos"], "Denver"),
                  (["3"], "The answer is $3.00")])
    summary = ANSWER.summarise(items, StatOptions(resamples=200))
    accuracy = summary["metrics"]["accuracy"]
    assert (accuracy["value"], accuracy["correct"], accuracy["units"], accuracy["errors"]) == (
        0.5, 2, 4, 2)
    assert accuracy["low"] < 0.5 < accuracy["high"]
    f1 = summary["metrics"]["f1"]
    assert f1["value"] == 0.5 and f1["low"] <= 0.5 <= f1["high"]
    assert summary["categories"] == {"wrong": 2, "equal_except_format": 1}
    assert summary["matchers"] == {"exact": 1, "numeric": 3}


def test_mean_f1_is_squad_f1_with_the_f1_matcher() -> None:
    items = rows([(["Denver Broncos"], "Denver"), (["Paris"], "Paris")],
                 ScoreOptions(matcher="f1"))
    summary = ANSWER.summarise(items, StatOptions(resamples=200))
    assert summary["metrics"]["f1"]["value"] == pytest.approx((2 / 3 + 1) / 2)
    assert summary["metrics"]["accuracy"]["value"] == 0.5
    assert summary["categories"] == {"partial": 1}


def test_no_items_give_undefined_metrics() -> None:
    summary = ANSWER.summarise([], StatOptions())
    assert summary["metrics"]["accuracy"]["value"] is None
    assert summary["metrics"]["f1"] == {"value": None, "low": None, "high": None}
