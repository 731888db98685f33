"""A pair's stored counts come in two levels named by their role, and every kind says what
its levels hold."""

from __future__ import annotations

import pytest

from reviewer.core.counts import Level, PairCounts, ScoreOptions, pair_counts, zero_counts
from reviewer.core.kind_spec import LevelName
from reviewer.core.kinds import SPECS, spec


def test_pair_counts_keeps_each_level_in_its_role() -> None:
    main = Level.counted((1, 2, 3), 10, 8)
    second = Level.equal(4, 5)
    counts = pair_counts(main, second)
    assert counts.main == main == Level(6, 10, 8, 1, 2, 3)
    assert counts.second == second == Level(0, 4, 5, 0, 0, 0)
    assert (counts.level("main"), counts.level("second")) == (main, second)
    assert (counts.main_errors, counts.main_units, counts.main_hyp_units) == (6, 10, 8)
    assert (counts.second_units, counts.second_hyp_units) == (4, 5)
    assert [f for f in PairCounts._fields if f.startswith(("main_", "second_"))] == [
        f"{role}_{name}" for role in ("main", "second")
        for name in ("errors", "units", "hyp_units", "s", "d", "i")] + ["main_category"]


def test_zero_counts_hold_only_a_main_error_total() -> None:
    counts = zero_counts(4, 2, hyp_units=3)
    assert counts.main == Level(4, 2, 3, 0, 0, 0)  # gec: FP + FN on TP + FN, TP + FP
    assert counts.second == Level(0, 0, 0, 0, 0, 0)
    assert zero_counts(1, 1).main_hyp_units == 1


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_kind_names_its_main_level_and_its_rate(kind: str) -> None:
    found = spec(kind)
    assert found.main_level.unit and found.main_level.metric
    assert found.rated_levels[0] == ("main", found.main_level)


def test_text_and_asr_rate_both_levels_in_their_own_order() -> None:
    assert spec("text").rated_levels == (("main", LevelName("characters", "CER")),
                                         ("second", LevelName("words", "WER")))
    assert spec("asr").rated_levels == (("main", LevelName("words", "WER")),
                                        ("second", LevelName("characters", "CER")))
    assert spec("kern").second_level == LevelName("records", "")
    assert spec("kern").rated_levels == (("main", LevelName("kern tokens", "SER")),)


def test_text_counts_characters_first_and_asr_words_first() -> None:
    ref, hyp = "the cat sat", "the cot sat"
    text = spec("text").score_pair(ref, hyp, ScoreOptions())
    asr = spec("asr").score_pair(ref, hyp, ScoreOptions())
    assert (text.main.units, text.main.errors, text.second.units) == (len(ref), 1, 3)
    assert (asr.main.units, asr.main.errors, asr.second.units) == (3, 1, len(ref))
