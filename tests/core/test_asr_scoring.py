"""The asr kind: counts, word edits on the original text, categories, summaries."""

from __future__ import annotations

import json

import pytest

from reviewer.core.categories import catalogue
from reviewer.core.categories.asr import categorise
from reviewer.core.codec import decode_counts
from reviewer.core.counts import ScoreOptions
from reviewer.core.kind_spec import LevelName
from reviewer.core.kinds import ScoredItem, StatOptions, spec
from reviewer.core.kinds.asr import score_pair
from reviewer.core.pair_text import alignment_of

BASIC = ScoreOptions("grapheme", "basic")


def edits(ref: str, hyp: str, options: ScoreOptions = BASIC) -> list[tuple[str, str, str, str]]:
    counts = score_pair(ref, hyp, options)
    a = alignment_of(ref, hyp, counts, options.char_mode)
    return [(e.op, e.ref_text, e.hyp_text, e.category) for e in a.edits]


def test_spec() -> None:
    s = spec("asr")
    assert [m.id for m in s.metrics] == ["wer", "cer"]
    assert (s.main_level, s.second_level) == (LevelName("words", "WER"),
                                             LevelName("characters", "CER"))
    assert [c.id for c in catalogue("asr")][-3:] == ["substitution", "insertion", "deletion"]


def test_jiwer_line_counts() -> None:
    """fastwer's first pair: jiwer gives words S15 D0 I1, characters S40 D5 I15 (60/65)."""
    ref = "the wind told me that you know about love the boy said to the sun"
    hyp = "a couple of the automobile of the ball as well as well in a national school"
    c = score_pair(ref, hyp, ScoreOptions("codepoint", "none"))
    assert (c.main_errors, c.main_units, c.main_s, c.main_d, c.main_i) == (16, 15, 15, 0, 1)
    assert c.second == (60, 65, c.second_hyp_units, 40, 5, 15)


def test_edits_highlight_the_original_text() -> None:
    ref = "'Well,' said the Cat, 'we're all mad here.'"
    hyp = "well said the cap we are all mad hair"
    assert edits(ref, hyp) == [
        ("substitute", "Cat", "cap", "near_match"),
        ("substitute", "we're", "we are", "compound"),
        ("substitute", "here", "hair", "substitution"),
    ]
    c = score_pair(ref, hyp, BASIC)
    assert (c.main_s, c.main_d, c.main_i, c.main_units) == (3, 0, 1, 8)
    assert decode_counts(c.categories) == {"near_match": 1, "compound": 2, "substitution": 1}


def test_normalisation_changes_the_count_not_the_shown_text() -> None:
    ref, hyp = "Twenty-one colours, please!", "twenty one colors please"
    assert score_pair(ref, hyp, ScoreOptions("grapheme", "whisper-en")).main_errors == 0
    assert edits(ref, hyp, ScoreOptions("grapheme", "basic")) == [
        ("substitute", "Twenty-one", "twenty one", "compound"),
        ("substitute", "colours", "colors", "near_match")]
    none = edits(ref, hyp, ScoreOptions("grapheme", "none"))
    assert ("substitute", "please!", "please", "case_punct") in none


def test_insertion_and_deletion_points() -> None:
    got = edits("the cat sat", "the black cat")
    assert got == [("insert", "", "black", "insertion"), ("delete", "sat", "", "deletion")]
    c = score_pair("the cat sat", "the black cat", BASIC)
    a = alignment_of("the cat sat", "the black cat", c)
    assert a.edits[0].ref_span == (4, 4)  # inserted before "cat"


def test_empty_sides() -> None:
    c = score_pair("", "not really empty", BASIC)
    assert (c.main_errors, c.main_units, c.main_i) == (3, 0, 3)
    c = score_pair("not really empty", "", BASIC)
    assert (c.main_errors, c.main_units, c.main_d) == (3, 3, 3)
    c = score_pair("Hello!", "hello", BASIC)
    assert c.main_errors == 0 and c.edits == "[]"


@pytest.mark.parametrize(("ref", "hyp", "category"), [
    ("we will", "well", "compound"), ("we'll", "we will", "compound"),
    ("data base", "database", "compound"), ("next-level", "next level", "compound"),
    ("twenty-one", "21", "number"), ("3.5", "three point five", "number"),
    ("1,000", "one thousand", "number"), ("first", "1st", "number"),
    ("then", "than", "near_match"), ("The", "the", "case_punct"),
    ("hello,", "hello", "case_punct"), ("cat", "dog", "substitution"),
    ("15", "50", "substitution"), ("", "uh", "insertion"), ("it", "", "deletion"),
])
def test_categories(ref: str, hyp: str, category: str) -> None:
    assert categorise(ref, hyp) == category


def _row(item: str, ref: str, hyp: str, speaker: str | None) -> ScoredItem:
    meta = {"speaker": speaker} if speaker else {}
    return ScoredItem(item, score_pair(ref, hyp, BASIC), ref, hyp, meta)


def test_summary_has_wer_first_and_speakers() -> None:
    rows = [_row("a", "one two three four", "one two three four", "ann"),
            _row("b", "one two three four", "one too three", "ann"),
            _row("c", "five six", "five sex", "bob")]
    out = spec("asr").summarise(rows, StatOptions(resamples=200))
    wer = out["metrics"]["wer"]
    assert list(out["metrics"]) == ["wer", "cer"]
    assert (wer["errors"], wer["units"], wer["substitutions"], wer["deletions"],
            wer["insertions"], wer["hits"]) == (3, 10, 2, 1, 0, 7)
    assert out["speakers"]["ann"]["errors"] == 2 and out["speakers"]["ann"]["units"] == 8
    assert out["speakers"]["bob"]["value"] == 0.5 and out["speakers"]["bob"]["items"] == 1
    assert json.dumps(out)  # plain data


def test_summary_without_speakers_has_no_speaker_key() -> None:
    out = spec("asr").summarise([_row("a", "x y", "x z", None)], StatOptions(resamples=50))
    assert "speakers" not in out
