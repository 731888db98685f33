"""A string being rewritten that remembers, for every character, where it came from.

Each character of the rewritten text carries the span ``[start, end)`` of the original
string it stands for, so words of a normalised text map back onto the original.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Replacement = str | Callable[[re.Match[str]], str]


class Trace:
    """Text plus, per character, the original span it was made from."""

    __slots__ = ("ends", "source", "starts", "text")

    def __init__(self, source: str) -> None:
        self.source = source
        self.text = source
        self.starts: list[int] = list(range(len(source)))
        self.ends: list[int] = list(range(1, len(source) + 1))

    def replace_spans(self, pieces: Iterable[tuple[int, int, str]]) -> Trace:
        """Replace ``text[i:j]`` by ``new`` for each ``(i, j, new)``, in increasing order.

        The characters of ``new`` stand for the whole original span of ``text[i:j]``; an
        empty ``text[i:j]`` stands for the gap before the next character.
        """
        text, starts, ends = self.text, self.starts, self.ends
        out: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        pos = 0
        changed = False
        for i, j, new in pieces:
            if (i == j and not new) or text[i:j] == new:
                continue
            changed = True
            out.append(text[pos:i])
            new_starts.extend(starts[pos:i])
            new_ends.extend(ends[pos:i])
            if i < j:
                span = (starts[i], ends[j - 1])
            else:
                at = starts[i] if i < len(text) else (ends[-1] if ends else 0)
                span = (at, at)
            out.append(new)
            new_starts.extend([span[0]] * len(new))
            new_ends.extend([span[1]] * len(new))
            pos = j
        if not changed:
            return self
        out.append(text[pos:])
        new_starts.extend(starts[pos:])
        new_ends.extend(ends[pos:])
        self.text, self.starts, self.ends = "".join(out), new_starts, new_ends
        return self

    def sub(self, pattern: re.Pattern[str], repl: Replacement) -> Trace:
        """Replace every match of ``pattern`` (as :func:`re.sub`, keeping the map)."""
        return self.replace_spans(
            (m.start(), m.end(), repl if isinstance(repl, str) else repl(m))
            for m in pattern.finditer(self.text))

    def map_chars(self, fn: Callable[[str], str]) -> Trace:
        """Replace each character ``c`` by ``fn(c)`` (which may be longer or empty)."""
        mapped = [fn(c) for c in self.text]
        if all(len(m) == 1 for m in mapped):
            self.text = "".join(mapped)
            return self
        starts: list[int] = []
        ends: list[int] = []
        for new, s, e in zip(mapped, self.starts, self.ends, strict=True):
            starts.extend([s] * len(new))
            ends.extend([e] * len(new))
        self.text, self.starts, self.ends = "".join(mapped), starts, ends
        return self

    def lower(self) -> Trace:
        """Lower case, keeping the map when a character's lower case is longer."""
        lowered = self.text.lower()
        if len(lowered) == len(self.text):
            self.text = lowered
            return self
        return self.map_chars(str.lower)
