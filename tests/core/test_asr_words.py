"""The per-word error table and confusion pairs."""

from __future__ import annotations

import pytest

from reviewer.core.counts import ScoreOptions
from reviewer.core.kinds.asr import score_pair
from reviewer.core.word_errors import word_errors

PAIRS = [
    ("the cat sat on the mat", "the cap sat on a mat"),
    ("The cat ate", "a cat eight"),
    ("the dog", "the dog barked"),
    ("sat down", "down"),
]


def test_table_counts_each_reference_word() -> None:
    table = word_errors(PAIRS, "basic")
    the = table.words["the"]
    assert (the.count, the.substituted, the.deleted) == (4, 2, 0)
    assert the.by == {"a": 2} and the.rate == pytest.approx(0.5)
    sat = table.words["sat"]
    assert (sat.count, sat.substituted, sat.deleted, sat.rate) == (2, 0, 1, 0.5)
    assert table.words["mat"].errors == 0
    assert table.insertions == {"barked": 1}
    assert table.top_confusions(1) == [("the", "a", 2)]
    assert [s.word for s in table.ranked()][:1] == ["the"]


def test_totals_agree_with_the_scored_wer() -> None:
    table = word_errors(PAIRS, "basic")
    totals = table.totals()
    scored = [score_pair(r, h, ScoreOptions("grapheme", "basic")) for r, h in PAIRS]
    assert totals["ref_words"] == sum(c.main_units for c in scored)
    assert totals["substitutions"] == sum(c.main_s for c in scored)
    assert totals["deletions"] == sum(c.main_d for c in scored)
    assert totals["insertions"] == sum(c.main_i for c in scored)


def test_preset_matters() -> None:
    assert word_errors([("The cat", "the cat")], "none").words["The"].substituted == 1
    assert word_errors([("The cat", "the cat")], "basic").ranked() == []


def test_as_dict_is_limited_and_plain() -> None:
    out = word_errors(PAIRS, "basic").as_dict(top=2)
    assert len(out["words"]) <= 2 and len(out["confusions"]) <= 2
    assert out["words"][0] == {"word": "the", "count": 4, "substituted": 2, "deleted": 0,
                               "errors": 2, "rate": 0.5, "substituted_by": [["a", 2]]}
    assert out["totals"]["pairs"] == 4
