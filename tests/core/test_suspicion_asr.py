"""asr suspicion, word by word: systems rejecting a word where they hear the words around it."""

from __future__ import annotations

import pytest

from reviewer.core.counts import ScoreOptions
from reviewer.core.kinds import ScoredItem, spec
from reviewer.core.suspicion import SuspicionScores
from reviewer.core.word_suspicion import alike, word_suspects

OPTIONS = ScoreOptions(normalize="basic")
Items = dict[str, tuple[str, dict[str, str]]]


def rows_of(items: Items) -> dict[str, list[ScoredItem]]:
    """Stored-like rows: every system's transcript of every item, scored as asr."""
    score = spec("asr").score_pair
    systems = sorted({s for _, preds in items.values() for s in preds})
    return {s: [ScoredItem(i, score(ref, preds[s], OPTIONS), ref, preds[s])
                for i, (ref, preds) in items.items()] for s in systems}


SLIPS = (("walked", "worked"), ("river", "liver"), ("noon", "moon"), ("times", "time"),
         ("along", "a long"), ("before", "for"), ("she", "he"), ("the", "a"))


def clean(n: int, systems: tuple[str, ...] = ("a", "b")) -> Items:
    """Utterances every system hears right, but for a scattered slip of one of them (a
    word misheard as one like it)."""
    out: Items = {}
    for k in range(n):
        ref = f"she walked along the river {k} times before noon"
        preds = {s: ref for s in systems}
        if k % 2 == 0:
            said, heard = SLIPS[k // 2 % len(SLIPS)]
            preds[systems[k // 2 % len(systems)]] = ref.replace(said, heard, 1)
        out[f"c{k}"] = (ref, preds)
    return out


def ranked(scores: dict[str, float]) -> list[str]:
    return sorted(scores, key=lambda i: -scores[i])


def test_a_word_both_systems_reject_in_a_clean_utterance_outranks_garbled_ones() -> None:
    items = clean(30)
    # The landed ranking put these first: both systems garble everything alike.
    for k in range(5):
        items[f"garbled{k}"] = (f"now I am opening out like the largest telescope {k}",
                                {"a": f"wow i open you know like that are just as coke {k}",
                                 "b": f"wow i opening up like that are just as kill {k}"})
    items["planted"] = ("I think rabbit could if I only knew how to begin",
                        {"a": "i think i could if i only knew how to begin",
                         "b": "i think I could if i only knew how to begin"})
    scores = word_suspects(rows_of(items))
    assert ranked(scores)[0] == "planted"
    assert scores["planted"] > 0.9
    assert max(scores[f"garbled{k}"] for k in range(5)) < 0.5


def test_systems_rejecting_a_word_in_different_ways_still_point_at_it() -> None:
    items = clean(30)
    items["planted"] = ("I think rabbit could if I only knew how to begin",
                        {"a": "i think so could if i only knew how to begin",
                         "b": "i think like could if i only knew how to begin"})
    scores = word_suspects(rows_of(items))
    assert isinstance(scores, SuspicionScores)
    assert ranked(scores)[0] == "planted" and scores["planted"] > 0.5
    (span, *_) = scores.spans["planted"]
    assert span.ref_text == "rabbit"
    assert span.readings == (("so", ("a",)), ("like", ("b",)))
    assert scores.notes["planted"] == "'rabbit' → 'so' (a), 'like' (b): 2 of 2 systems"
    # the alignment view marks each system's own edit there
    assert {text for _, _, text in span.changes} == {"so", "like"}


def test_a_missing_reference_word_is_found_in_its_gap() -> None:
    items = clean(30)
    items["planted"] = ("stop this moment tell you", {"a": "stop this moment i tell you",
                                                      "b": "stop this moment i tell you"})
    scores = word_suspects(rows_of(items))
    assert ranked(scores)[0] == "planted" and scores["planted"] > 0.5
    assert scores.notes["planted"] == ("'moment tell' → 'i': 2 of 2 systems (a, b)")


def test_a_system_keeping_the_word_speaks_against_it() -> None:
    items = clean(30, ("a", "b", "c"))
    items["two"] = ("I think rabbit could", {"a": "i think so could", "b": "i think so could",
                                             "c": "i think rabbit could"})
    items["three"] = ("I think rabbit could", {"a": "i think so could", "b": "i think so could",
                                               "c": "i think so could"})
    scores = word_suspects(rows_of(items))
    assert scores["three"] > scores["two"] > 0


def test_a_word_the_systems_hear_alike_counts_less_than_another_word() -> None:
    items = clean(40)
    items["alike"] = ("so she set to work at once", {"a": "so she sent to work at once",
                                                     "b": "so she sent to work at once"})
    items["unlike"] = ("so she ran to work at once", {"a": "so she went to work at once",
                                                      "b": "so she went to work at once"})
    scores = word_suspects(rows_of(items))
    assert scores["unlike"] > scores["alike"]


def test_a_confusion_the_systems_make_elsewhere_counts_less() -> None:
    items = clean(40)
    for k in range(3):  # both systems write "really" for "very" in other utterances too
        ref = f"the {k} river was very deep and cold"
        items[f"habit{k}"] = (ref, {"a": ref.replace("very", "really"), "b": ref})
    items["again"] = ("there was nothing so very remarkable in that",
                      {"a": "there was nothing so really remarkable in that",
                       "b": "there was nothing so really remarkable in that"})
    items["once"] = ("there was nothing so truly remarkable in that",
                     {"a": "there was nothing so fairly remarkable in that",
                      "b": "there was nothing so fairly remarkable in that"})
    scores = word_suspects(rows_of(items))
    assert scores["once"] > scores["again"] > 0


@pytest.mark.parametrize(("ref", "heard", "expected"), [
    ("set", "sent", True), ("fallen", "fall", True), ("I'll", "i", True),
    ("rabbit", "so", False), ("tell", "i", False), ("Centre,", "center", True)])
def test_alike(ref: str, heard: str, expected: bool) -> None:
    assert alike(ref, heard) is expected


def test_one_system_ranks_nothing() -> None:
    items = {k: (ref, {"a": preds["a"]}) for k, (ref, preds) in clean(10).items()}
    items["x"] = ("I think rabbit could", {"a": "i think i could"})
    assert set(word_suspects(rows_of(items)).values()) == {0.0}


def test_a_system_without_a_transcript_abstains() -> None:
    items = clean(30, ("a", "b", "c"))
    rows = rows_of({**items, "x": ("I think rabbit could", {"a": "i think so could",
                                                            "b": "i think so could",
                                                            "c": "i think so could"})})
    rows["c"] = [ScoredItem(r.item_id, r.counts, r.reference, None) if r.item_id == "x" else r
                 for r in rows["c"]]
    scores = word_suspects(rows)
    assert scores.spans["x"][0].voters == 2
    assert scores.notes["x"] == "'rabbit' → 'so': 2 of 2 systems (a, b)"
