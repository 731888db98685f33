"""Suspicion explained in words: the reference word(s) and what the systems wrote there."""

from __future__ import annotations

import pytest

from reviewer.core.kinds import ScoredItem
from reviewer.core.kinds.text import score_text_pair
from reviewer.core.suspect_words import hyp_span, readings, word_span
from reviewer.core.suspicion import SuspectSpan, describe, sequence_suspects

Items = dict[str, tuple[str, dict[str, str]]]


def rows_of(items: Items) -> dict[str, list[ScoredItem]]:
    systems = sorted({s for _, preds in items.values() for s in preds})
    return {s: [ScoredItem(i, score_text_pair(ref, preds[s]), ref, preds[s])
                for i, (ref, preds) in items.items()] for s in systems}


def filler(n: int, systems: tuple[str, ...] = ("a", "b")) -> Items:
    out: Items = {}
    for k in range(n):
        ref = f"line number {k} reads plainly"
        preds = dict.fromkeys(systems, ref)
        if k % 5 == 0:
            preds[systems[0]] = ref.replace("plainly", "plainIy")
        out[f"f{k}"] = (ref, preds)
    return out


def note(items: Items, item_id: str) -> str:
    scores = sequence_suspects(rows_of(items))
    assert scores[item_id] == max(scores.values()) > 0
    return scores.notes[item_id]


def test_a_swapped_pair_of_letters_is_explained_by_its_word() -> None:
    items = filler(40)
    items["typo"] = ("when she tunred the corner", {"a": "when she turned the corner",
                                                   "b": "when she turned the corner"})
    assert note(items, "typo") == "'tunred' → 'turned': 2 of 2 systems (a, b)"


def test_systems_writing_the_word_differently_are_each_named() -> None:
    items = filler(40)
    items["typo"] = ("when she tunred the corner", {"a": "when she turned the corner",
                                                   "b": "when she turnecl the corner"})
    assert note(items, "typo") == "'tunred' → 'turned' (a), 'turnecl' (b): 2 of 2 systems"


def test_a_dropped_word_shows_the_words_around_it() -> None:
    items = filler(40)
    items["dropped"] = ("she went to the well", {"a": "she went down to the well",
                                                 "b": "she went down to the well"})
    assert note(items, "dropped").endswith("→ 'went down to': 2 of 2 systems (a, b)")


def test_the_count_is_of_the_systems_that_read_the_item() -> None:
    items = filler(40, ("a", "b", "c"))
    items["typo"] = ("the wtach was late", {"a": "the watch was late", "b": "the watch was late",
                                            "c": "the wlach was late"})
    assert note(items, "typo") == "'wtach' → 'watch': 2 of 3 systems (a, b)"


@pytest.mark.parametrize(("start", "end", "words"), [
    (11, 13, "tunred"), (8, 8, "she"), (4, 4, "when"), (0, 1, "when"), (26, 26, "corner"),
    (16, 16, "the"), (12, 17, "tunred the")])
def test_word_span(start: int, end: int, words: str) -> None:
    text = "when she tunred the corner"
    assert text[slice(*word_span(text, start, end))] == words


def test_hyp_span_follows_the_edits_and_their_lengths() -> None:
    # "she tunred the" -> "she has turned the": an insertion before, a change inside
    hyp = "she has turned the"
    edits = [(4, 4, 4, 8), (6, 8, 10, 12)]  # "" -> "has ", "nr" -> "rn"
    assert hyp[slice(*hyp_span(edits, hyp, 4, 10))] == "has turned"
    assert hyp[slice(*hyp_span(edits, hyp, 11, 14))] == "the"
    assert "a b"[slice(*hyp_span([], "a b", 2, 3))] == "b"


def test_readings_put_the_most_common_first() -> None:
    assert readings({"a": "x", "b": "y", "c": "y"}, ["a", "b", "c"]) == (
        ("y", ("b", "c")), ("x", ("a",)))
    assert readings({"a": "", "b": "x"}, ["a", "b"]) == (("", ("a",)), ("x", ("b",)))


def test_describe_a_span_without_its_words() -> None:
    span = SuspectSpan((1, 2), "a", "", ("s", "t"), 0.9)
    assert describe(span) == "'a' → nothing: 2 of 2 systems (s, t)"
