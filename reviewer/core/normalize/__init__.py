"""Named normalisation presets applied before ASR alignment, with a map back to the original.

``none`` keeps the text; ``lower`` only lower-cases it; ``basic`` lower-cases, removes
punctuation and collapses spaces (jiwer's usual transform chain); ``whisper-en`` further
expands contractions, writes spoken numbers in digits, writes money amounts in one form
as Whisper's English normaliser does ("$40 million" = "40 million dollars" = "$40000000"),
maps British to American spellings and drops hesitations and bracketed annotations (in
the spirit of Whisper's English normaliser, with reviewer's own tables). Every character
of a normalised text knows the span of the original it stands for, so edits found on
normalised words are highlighted on the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from reviewer.core.errors import ReviewerError
from reviewer.core.normalize import english
from reviewer.core.normalize.numbers import spoken_numbers
from reviewer.core.normalize.trace import Trace

PRESETS: tuple[str, ...] = ("none", "lower", "basic", "whisper-en")
DESCRIPTIONS: dict[str, str] = {
    "none": "text as given (words split at white space)",
    "lower": "lower case only",
    "basic": "lower case, punctuation removed, spaces collapsed, as jiwer's usual chain",
    "whisper-en": "basic, plus contractions expanded, numbers and money amounts in digits "
                  "($40 million = 40 million dollars = $40000000), American spelling, "
                  "hesitations and [bracketed] notes dropped",
}


@dataclass(frozen=True, slots=True)
class Normalised:
    """A normalised text and, per character, the span of the original it stands for.

    ``starts``/``ends`` are ``None`` when the text is the original itself.
    """

    text: str
    source: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original span of normalised characters ``i`` to ``j`` (``i < j``)."""
        if self.starts is None or self.ends is None:
            return (i, j)
        return (self.starts[i], self.ends[j - 1])

    def words(self) -> tuple[list[str], list[tuple[int, int]]]:
        """The normalised words and the original span of each."""
        words: list[str] = []
        spans: list[tuple[int, int]] = []
        for match in _WORD.finditer(self.text):
            words.append(match.group())
            spans.append(self.span(match.start(), match.end()))
        return words, spans


class UnknownPreset(ReviewerError, ValueError):
    """A normalisation preset name that is not one of :data:`PRESETS`."""


def check_preset(preset: str) -> str:
    """``preset`` if it is a known preset name, else :class:`UnknownPreset` naming them."""
    if preset not in PRESETS:
        raise UnknownPreset(f"unknown normalisation preset {preset!r}; choose one of "
                            f"{', '.join(PRESETS)}")
    return preset


def normalise(text: str, preset: str) -> Normalised:
    """``text`` normalised with ``preset``, keeping the map back to ``text``."""
    steps = _steps(check_preset(preset))
    if not steps:
        return Normalised(text, text)
    trace = Trace(text)
    for step in steps:
        step(trace)
    return Normalised(trace.text, text, tuple(trace.starts), tuple(trace.ends))


def normalise_text(text: str, preset: str) -> str:
    """Only the normalised string of :func:`normalise`."""
    return normalise(text, preset).text


# -- the steps ----------------------------------------------------------------------------
Step = Callable[[Trace], object]
_WORD = re.compile(r"\S+")
_SPACES = re.compile(r"\s+")
_EDGES = re.compile(r"^\s+|\s+$")
_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u0060\u00b4]")
_ACRONYM = re.compile(r"(?<!\w)(?:[a-z]\.){2,}")  # "o.k.", "u.s.a."
_BRACKETED = re.compile(r"\[[^\]]*\]|<[^>]*>|\([^)]*\)|\{[^}]*\}")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_PERCENT = re.compile(r"(?<=\d)\s*(?:percent|per cent)(?!\w)")
_CURRENCY = re.compile(r"(\d+(?:\.\d+)?)\s+(dollars?|bucks?|pounds?|euros?)(?!\w)")
_CURRENCY_SIGN = re.compile(r"([$£€])\s+(?=\d)")
# A written amount times a scale word ("$40 million", "1.5 billion"), as one number.
_SCALED = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s+(thousand|million|billion|trillion)(?!\w)")
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# "$2 and 50 cents" (also from "2 dollars and 50 cents") -> "$2.50"
_CENTS = re.compile(r"([$£€]\d+)\s+and\s+(\d{1,2})\s+cents?(?!\w)")
_SIGNS = {"d": "$", "b": "$", "p": "£", "e": "€"}
_SYMBOL = re.compile(r"[^\w\s]|_")
_LETTERS = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "þ": "th",
            "ð": "d", "ı": "i"}


def _is_punct(c: str) -> bool:
    return unicodedata.category(c)[0] == "P"


def _collapse(trace: Trace) -> None:
    trace.sub(_SPACES, " ").sub(_EDGES, "")


def _remove_punct(trace: Trace) -> None:
    trace.map_chars(lambda c: "" if _is_punct(c) else c)


def _strip_marks(c: str) -> str:
    if c.isascii():
        return c
    if c in _LETTERS:
        return _LETTERS[c]
    return "".join(d for d in unicodedata.normalize("NFKD", c) if not unicodedata.combining(d))


def _scaled(match: re.Match[str]) -> str:
    value = Decimal(match.group(1)) * _SCALES[match.group(2)]
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _numbers(trace: Trace) -> None:
    """Numbers in digits and money amounts in one form, as Whisper's English normaliser
    writes them: "$40 million", "40 million dollars" and "forty million dollars" all
    become "$40000000"; "2 dollars and 50 cents" becomes "$2.50"."""
    trace.sub(_THOUSANDS, "").sub(_SCALED, _scaled)
    trace.replace_spans(spoken_numbers(trace.text))
    trace.sub(_THOUSANDS, "").sub(_PERCENT, "%").sub(_CURRENCY_SIGN, lambda m: m.group(1))
    trace.sub(_CURRENCY, lambda m: _SIGNS[m.group(2)[0]] + m.group(1))
    trace.sub(_CENTS, lambda m: f"{m.group(1)}.{int(m.group(2)):02d}")


def _symbols(trace: Trace) -> None:
    """Apostrophes go; other punctuation becomes a space, except in numbers (3.5, 5%, $5)."""

    def repl(m: re.Match[str]) -> str:
        c, s, i = m.group(), m.string, m.start()
        before = s[i - 1] if i else ""
        after = s[i + 1] if i + 1 < len(s) else ""
        if c == "'":
            return ""
        if (c in ".," and before.isdigit() and after.isdigit()) or \
                (c == "%" and before.isdigit()) or (c in "$£€" and after.isdigit()):
            return c
        return " "

    trace.sub(_SYMBOL, repl)


@lru_cache(maxsize=1)
def _tables() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    return (english.word_pattern(tuple(english.CONTRACTIONS)),
            english.word_pattern(tuple(english.AMERICAN)),
            english.word_pattern(english.HESITATIONS),
            english.word_pattern(tuple(english.ABBREVIATIONS)))


def _english(trace: Trace) -> None:
    contractions, american, hesitations, abbreviations = _tables()
    trace.sub(_APOSTROPHES, "'")
    trace.sub(_BRACKETED, " ")
    trace.map_chars(_strip_marks)
    trace.sub(contractions, lambda m: english.CONTRACTIONS[m.group()])
    trace.sub(hesitations, "")
    trace.sub(_ACRONYM, lambda m: m.group().replace(".", ""))
    trace.sub(abbreviations, lambda m: english.ABBREVIATIONS[m.group()])
    trace.sub(american, lambda m: english.AMERICAN[m.group()])
    _numbers(trace)


def _steps(preset: str) -> tuple[Step, ...]:
    if preset == "none":
        return ()
    if preset == "lower":
        return (Trace.lower,)
    if preset == "basic":
        return (Trace.lower, _remove_punct, _collapse)
    return (Trace.lower, _english, _symbols, _collapse)
