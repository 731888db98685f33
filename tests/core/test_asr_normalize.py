"""Normalisation presets: what each does, and that every word maps back onto the original."""

from __future__ import annotations

import itertools

import pytest

from reviewer.core.normalize import PRESETS, check_preset, normalise, normalise_text
from reviewer.core.normalize.numbers import to_digits

ALICE = "'Well!' thought Alice, 'I won\u2019t fall -- twenty-one miles; it's 1,000 Colours!'"


def mapped(text: str, preset: str) -> list[tuple[str, str]]:
    words, spans = normalise(text, preset).words()
    return [(w, text[a:b]) for w, (a, b) in zip(words, spans, strict=True)]


def test_none_is_the_text_itself() -> None:
    n = normalise("  Hello,  World ", "none")
    assert n.text == "  Hello,  World " and n.starts is None
    assert mapped("Hello,  World", "none") == [("Hello,", "Hello,"), ("World", "World")]


def test_lower_only_lower_cases() -> None:
    assert normalise_text("Ça va étÉ, OK?", "lower") == "ça va été, ok?"


def test_basic_is_jiwers_chain() -> None:
    # jiwer's RemovePunctuation deletes marks without leaving a space
    assert normalise_text(ALICE, "basic") == (
        "well thought alice i wont fall twentyone miles its 1000 colours")
    assert normalise_text("  a\t b  ", "basic") == "a b"


def test_basic_words_map_back_onto_the_original() -> None:
    assert mapped(ALICE, "basic")[:5] == [
        ("well", "Well"), ("thought", "thought"), ("alice", "Alice"), ("i", "I"),
        ("wont", "won\u2019t")]
    assert ("1000", "1,000") in mapped(ALICE, "basic")


def test_whisper_en_expands_converts_and_maps() -> None:
    words = mapped(ALICE, "whisper-en")
    assert [w for w, _ in words] == ["well", "thought", "alice", "i", "will", "not", "fall",
                                     "21", "miles", "it", "is", "1000", "colors"]
    assert ("will", "won\u2019t") in words and ("not", "won\u2019t") in words
    assert ("21", "twenty-one") in words and ("colors", "Colours") in words


@pytest.mark.parametrize(("text", "expected"), [
    ("Uh, Mr. Smith paid five dollars [laughter] for 3.5 percent",
     "mister smith paid $5 for 3.5%"),
    ("we'll travel to the theatre, they're organising it", "we will travel to the theater "
     "they are organizing it"),
    ("I learnt that in nineteen ninety nine", "i learned that in 1999"),
    ("she can't go, um, at twenty past one", "she can not go at 20 past 1"),
    ("Café <unk> naïve", "cafe naive"),
    ("O.K., the U.S.A. it is", "okay the usa it is"),
])
def test_whisper_en(text: str, expected: str) -> None:
    assert normalise_text(text, "whisper-en") == expected


@pytest.mark.parametrize(("spoken", "digits"), [
    ("twenty one", "21"), ("one two three", "1 2 3"), ("one hundred and five", "105"),
    ("three point one four", "3.14"), ("twenty-first", "21st"), ("second", "2nd"),
    ("two thousand and twenty", "2020"), ("five hundred thousand", "500000"),
    ("one million two hundred thousand three hundred", "1200300"),
    ("the one and only", "the 1 and only"), ("eleventh hour", "11th hour"),
    ("twelve hundred", "1200"), ("three thousand one", "3001"),
])
def test_spoken_numbers(spoken: str, digits: str) -> None:
    assert to_digits(spoken) == digits


@pytest.mark.parametrize("preset", PRESETS)
def test_every_preset_keeps_spans_inside_and_ordered(preset: str) -> None:
    text = "Ça, twenty-one O'Neill's colours -- we'll see [noise] 3.5%!"
    words, spans = normalise(text, preset).words()
    assert words
    for (a, b), (c, _) in itertools.pairwise(spans):
        assert 0 <= a < b <= len(text) and a <= c
    assert spans[-1][1] <= len(text)


def test_unknown_preset_is_refused() -> None:
    with pytest.raises(ValueError, match="whisper-en"):
        check_preset("jiwer")
    with pytest.raises(ValueError):
        normalise("x", "Basic")
