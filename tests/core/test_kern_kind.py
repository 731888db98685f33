"""The kern kind: token-level scoring of a pair and a system's summary."""

from __future__ import annotations

import json

import pytest

from reviewer.core.codec import decode_counts, decode_edits
from reviewer.core.counts import ScoreOptions
from reviewer.core.kern.omr_ned import pair_key
from reviewer.core.kind_spec import LevelName
from reviewer.core.kinds import ScoredItem, StatOptions, spec
from reviewer.core.kinds.kern import omr_of, score_pair
from reviewer.core.pair_text import display_text

GT = "**kern\n*clefG2\n*M4/4\n=1\n4c\n8dL\n8eJ\n4f#\n==\n*-"


def test_ser_counts_token_edits_over_reference_tokens() -> None:
    hyp = GT.replace("==", "=").replace("8dL", "8d").replace("8eJ", "8e")
    counts = score_pair(GT, hyp, ScoreOptions())
    assert counts.main_units == 10 and counts.main_hyp_units == 10
    assert counts.main_errors == 3 and counts.main_s == 3
    cats = decode_counts(counts.categories)
    assert cats == {"beam": 2, "barline": 1} and counts.main_category == "beam"
    edits = decode_edits(counts.edits, display_text(GT), display_text(hyp))
    assert [e.ref_text for e in edits] == ["8dL\n8eJ", "=="]  # adjacent edits merge
    assert counts.second_units == 10 and counts.second_errors == 3  # whole records
    assert counts.extra == "{}"


def test_comments_and_null_tokens_do_not_count() -> None:
    hyp = GT.replace("=1\n", "=1\n!! a comment\n!local\n")
    counts = score_pair(GT, hyp, ScoreOptions())
    assert counts.main_errors == 0 and counts.second_errors == 0


def test_prediction_syntax_problems_are_kept_at_their_line() -> None:
    broken = "**kern\t**kern\n4c\t4d\n4e\n*-\t*-"
    counts = score_pair("**kern\t**kern\n4c\t4d\n4e\t4f\n*-\t*-", broken, ScoreOptions())
    problems = json.loads(counts.extra)["syntax"]
    assert problems == [[3, 0, "error", "1 field where 2 spines are open"]]
    assert score_pair(GT, "", ScoreOptions()).main_errors == 10  # no prediction


def _row(item: str, hyp: str, omr: dict | None) -> ScoredItem:
    counts = score_pair(GT, hyp, ScoreOptions())
    if omr is not None:
        counts = counts._replace(extra=json.dumps({"omr": omr}))
    return ScoredItem(item, counts, GT, hyp)


def test_summary_takes_omr_ned_only_from_results_of_the_current_texts() -> None:
    hyp = GT.replace("4c", "4d")
    good = {"key": pair_key(GT, hyp), "ed": 4, "gt": 20, "pred": 20,
            "categories": {"wrong note": 4}, "error": ""}
    stale = {**good, "key": pair_key("**kern\n4e\n*-", hyp)}
    failed = {**good, "key": pair_key(GT, GT), "error": "musicdiff failed: boom"}
    rows = [_row("a", hyp, good), _row("b", hyp, stale), _row("c", GT, failed),
            _row("d", GT, None)]
    assert omr_of(rows[0]) == good and omr_of(rows[1]) is None
    summary = spec("kern").summarise(rows, StatOptions(resamples=200))
    omr = summary["metrics"]["omr_ned"]
    assert (omr["errors"], omr["units"], omr["value"]) == (4, 40, 0.1)
    assert summary["omr_ned_status"] == {"computed": 1, "pending": 2, "failed": 1,
                                         "syntax_errors_fixed": 0}
    assert summary["categories"]["wrong note"] == 4 and summary["categories"]["pitch"] == 2
    ser = summary["metrics"]["ser"]
    assert (ser["errors"], ser["units"]) == (2, 40)


def test_no_omr_ned_yet_is_undefined_not_zero() -> None:
    summary = spec("kern").summarise([_row("a", GT, None)], StatOptions())
    assert summary["metrics"]["omr_ned"]["value"] is None
    assert summary["metrics"]["ser"]["value"] == 0.0


@pytest.mark.parametrize("metric", ["ser", "omr_ned"])
def test_metrics_are_rates_where_lower_is_better(metric: str) -> None:
    info = spec("kern").metric(metric)
    assert info.lower_is_better and info.percent
    assert spec("kern").main_level == LevelName("kern tokens", "SER")
