"""asr suspicion on a gap (a reference word missing): a system that inserts nothing there
but changes a word beside it may have heard the missing word inside that change, so its
transcript neither confirms nor denies the gap."""

from __future__ import annotations

from dataclasses import replace

from reviewer.core.counts import ScoreOptions
from reviewer.core.kinds import spec
from reviewer.core.word_suspicion import word_suspects

from .test_suspicion_asr import clean, rows_of

MISSING = "stop this moment tell you"  # spoken: "stop this moment I tell you"
HEARD = "stop this moment i tell you"  # system a
ELSE = "stop this moment like dual you"  # system b inserts another word there


def test_a_system_whose_word_the_aligner_put_beside_the_gap_has_no_say_on_it() -> None:
    items = clean(30, ("a", "b", "c"))
    # c heard "I" too but wrote "moment I do": the aligner pairs its "I" with "tell".
    items["absorbed"] = (MISSING, {"a": HEARD, "b": ELSE, "c": "stop this moment i do"})
    items["no transcript"] = (MISSING, {"a": HEARD, "b": ELSE, "c": ""})
    # c wrote the words either side of the gap as they are, and nothing between them.
    items["kept"] = (MISSING, {"a": HEARD, "b": ELSE, "c": MISSING})
    rows = rows_of(items)
    missing = spec("asr").score_pair(MISSING, "", ScoreOptions(normalize="basic"))
    rows["c"] = [replace(r, counts=missing, prediction=None) if r.item_id == "no transcript"
                 else r for r in rows["c"]]
    scores = word_suspects(rows)
    assert scores["absorbed"] == scores["no transcript"] > scores["kept"] > 0
    assert scores.notes["absorbed"] == ("'moment tell' → 'i' (a), 'like' (b): "
                                        "2 of 3 systems")
