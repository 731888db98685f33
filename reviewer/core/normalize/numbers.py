"""Spoken English numbers to digits ("twenty-first" -> "21st", "three point five" -> "3.5").

A run of number words is read left to right; a word that cannot continue the number
being read starts a new one, so "one two three" gives "1 2 3" while "nineteen ninety
nine" gives "1999" (a year is read as two pairs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_UNIT_ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                  "eighth", "ninth")
_TEEN_ORDINALS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
                  "sixteenth", "seventeenth", "eighteenth", "nineteenth")
_TENS_ORDINALS = ("twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth",
                  "eightieth", "ninetieth")


@dataclass(frozen=True, slots=True)
class _Word:
    value: int
    kind: str  # unit, teen, tens, hundred, scale
    ordinal: bool = False


def _lexicon() -> dict[str, _Word]:
    words: dict[str, _Word] = {}
    for k, (card, ordi) in enumerate(zip(_UNITS, _UNIT_ORDINALS, strict=True)):
        words[card], words[ordi] = _Word(k, "unit"), _Word(k, "unit", True)
    for k, (card, ordi) in enumerate(zip(_TEENS, _TEEN_ORDINALS, strict=True)):
        words[card], words[ordi] = _Word(10 + k, "teen"), _Word(10 + k, "teen", True)
    for k, (card, ordi) in enumerate(zip(_TENS, _TENS_ORDINALS, strict=True)):
        words[card], words[ordi] = _Word(20 + 10 * k, "tens"), _Word(20 + 10 * k, "tens", True)
    words["hundred"], words["hundredth"] = _Word(100, "hundred"), _Word(100, "hundred", True)
    for name, value in _SCALES.items():
        words[name], words[name + "th"] = _Word(value, "scale"), _Word(value, "scale", True)
    return words


LEXICON: dict[str, _Word] = _lexicon()
_ALT = "|".join(sorted(LEXICON, key=len, reverse=True))
# A run of number words joined by spaces, hyphens or "and"; "point" takes decimal digits.
RUN = re.compile(
    rf"(?<!\w)(?:{_ALT})(?:(?:[\s-]+(?:and[\s-]+)?|[\s-]+point\s+)(?:{_ALT}))*(?!\w)")
_TOKEN = re.compile(r"[^\s-]+")


def ordinal_suffix(value: int) -> str:
    """``st``, ``nd``, ``rd`` or ``th`` for ``value``."""
    if value % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")


class _Reader:
    """Reads number words one at a time into numbers: ``(first token, last token, digits)``."""

    def __init__(self) -> None:
        self.out: list[tuple[int, int, str]] = []
        self._reset()

    def _reset(self) -> None:
        self.first = -1
        self.last = -1
        self.total = 0
        self.current = 0
        self.kind = ""  # kind of the previous word, "" when no number is open
        self.scale = 0  # the smallest scale used so far (0: none)
        self.decimals = ""

    def close(self, ordinal: bool = False) -> None:
        if self.kind:
            value = self.total + self.current
            text = str(value) + (f".{self.decimals}" if self.decimals else "")
            if ordinal and not self.decimals:
                text += ordinal_suffix(value)
            self.out.append((self.first, self.last, text))
        self._reset()

    def _continues(self, word: _Word) -> bool:
        kind, current, value = self.kind, self.current, word.value
        if not kind or self.decimals:
            return False
        if word.kind == "unit":
            return value > 0 and ((kind in ("hundred", "scale") and current % 100 == 0)
                                  or (kind == "tens" and current % 10 == 0))
        if word.kind in ("teen", "tens"):
            if kind in ("hundred", "scale"):
                return current % 100 == 0
            # years and the like: "nineteen ninety", "twenty twenty"
            return self.total == 0 and 10 <= current <= 99 and kind in ("teen", "tens", "unit")
        if word.kind == "hundred":
            return kind in ("unit", "teen", "tens") and 0 < current < 100
        return (kind != "scale" or current > 0) and (not self.scale or value < self.scale)

    def add(self, index: int, word: _Word) -> None:
        if not self._continues(word):
            self.close()
            self.first = index
        self.last = index
        if word.kind == "hundred":
            self.current = (self.current or 1) * 100
        elif word.kind == "scale":
            self.total += (self.current or 1) * word.value
            self.current = 0
            self.scale = word.value
        elif word.kind in ("teen", "tens") and self.kind in ("teen", "tens", "unit") \
                and self.current >= 10 and self.total == 0:
            self.current = self.current * 100 + word.value
        else:
            self.current += word.value
        self.kind = word.kind
        if word.ordinal:
            self.close(ordinal=True)

    def point(self, index: int, digits: list[int]) -> None:
        self.decimals = "".join(map(str, digits))
        self.last = index
        self.close()


def read_run(words: list[str]) -> list[tuple[int, int, str]]:
    """``(first word, last word, digits)`` of each number in a run of number words."""
    reader = _Reader()
    k = 0
    while k < len(words):
        word = words[k]
        if word == "and":
            if reader.kind not in ("hundred", "scale"):
                reader.close()
        elif word == "point":
            digits: list[int] = []
            j = k + 1
            while j < len(words) and LEXICON.get(words[j], _Word(0, "")).kind == "unit" \
                    and not LEXICON[words[j]].ordinal:
                digits.append(LEXICON[words[j]].value)
                j += 1
            if reader.kind and digits:
                reader.point(j - 1, digits)
                k = j
                continue
            reader.close()
        else:
            reader.add(k, LEXICON[word])
        k += 1
    reader.close()
    return reader.out


def spoken_numbers(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, digits)`` character spans of the spoken numbers in lower-case ``text``."""
    pieces: list[tuple[int, int, str]] = []
    for run in RUN.finditer(text):
        tokens = [(m.group(), run.start() + m.start(), run.start() + m.end())
                  for m in _TOKEN.finditer(run.group())]
        for first, last, digits in read_run([t[0] for t in tokens]):
            pieces.append((tokens[first][1], tokens[last][2], digits))
    return pieces


def to_digits(text: str) -> str:
    """``text`` with its spoken numbers written in digits."""
    out, pos = [], 0
    for start, end, digits in spoken_numbers(text):
        out.append(text[pos:start] + digits)
        pos = end
    return "".join(out) + text[pos:]
