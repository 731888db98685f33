"""``whisper-en`` writes money amounts in one form, as Whisper's English normaliser does.

The expected strings of the first test are what Whisper's ``EnglishTextNormalizer``
(whisper-normalizer 0.1.15) returns for each input; each amount maps back onto its
original words.
"""

from __future__ import annotations

import pytest

from reviewer.core.normalize import normalise, normalise_text


@pytest.mark.parametrize(("text", "expected"), [
    ("$40 million", "$40000000"),
    ("40 million dollars", "$40000000"),
    ("forty million dollars", "$40000000"),
    ("$1.5 billion", "$1500000000"),
    ("$1.25 million", "$1250000"),
    ("€3 million", "€3000000"),
    ("three million euros", "€3000000"),
    ("£2 billion", "£2000000000"),
    ("40 million people", "40000000 people"),
    ("two dollars and fifty cents", "$2.50"),
    ("$5 and 5 cents", "$5.05"),
])
def test_money_amounts_as_whisper_writes_them(text: str, expected: str) -> None:
    assert normalise_text(text, "whisper-en") == expected


def test_a_sign_apart_from_its_number_joins_it() -> None:
    # The sign was replaced by the literal text "\\1" (a back-reference never expanded).
    assert normalise_text("it cost $ 40 today", "whisper-en") == "it cost $40 today"


def test_written_and_spoken_amounts_are_the_same_words() -> None:
    spoken = normalise_text("Revenue was forty million dollars.", "whisper-en")
    written = normalise_text("Revenue was $40 million.", "whisper-en")
    assert spoken == written == "revenue was $40000000"


def test_an_amount_maps_back_onto_its_original_words() -> None:
    text = "We raised $40 million today"
    words, spans = normalise(text, "whisper-en").words()
    assert list(zip(words, [text[a:b] for a, b in spans], strict=True)) == [
        ("we", "We"), ("raised", "raised"), ("$40000000", "$40 million"), ("today", "today")]
