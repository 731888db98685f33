"""Kern records and spine tokens (no music parser), with offsets into the text.

A record is one line: a global comment (``!!``, ``!!!``) or a row of tab-separated spine
tokens. Tokens are exclusive interpretations (``**kern``), interpretations (``*clefG2``),
spine manipulators (``*^ *v *+ *- *x``), barlines (``=``), data (notes, rests, chords),
local comments (``!...``) and null tokens (``.``, ``*``, ``!``). Comments and null tokens
are kept apart: they only fill the layout, so the symbol error rate does not count them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["exclusive", "interpretation", "spine", "barline", "data", "null",
                    "comment"]
MANIPULATORS = frozenset({"*^", "*v", "*-", "*+", "*x"})
# Token kinds the symbol error rate aligns and counts.
COUNTED: frozenset[str] = frozenset({"exclusive", "interpretation", "spine", "barline", "data"})


@dataclass(frozen=True, slots=True)
class KernToken:
    """One spine token (or a whole global record) and where it is in the text."""

    kind: TokenKind
    text: str
    line: int  # 1-based
    field: int  # 1-based; 0 for a global record
    start: int  # character offsets into the text
    end: int

    @property
    def counted(self) -> bool:
        return self.kind in COUNTED


def token_kind(field: str) -> TokenKind:
    """What a spine token is, from its first characters."""
    if field in (".", "*", "!", ""):
        return "null"
    if field.startswith("!"):
        return "comment"
    if field.startswith("**"):
        return "exclusive"
    if field.startswith("*"):
        return "spine" if field in MANIPULATORS else "interpretation"
    if field.startswith("="):
        return "barline"
    return "data"


def lines(text: str) -> Iterator[tuple[int, int, str]]:
    """``(line number, offset of the line, line without its line break)`` of every line."""
    pos = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        yield number, pos, raw[:-1] if raw.endswith("\r") else raw
        pos += len(raw) + 1


def records(text: str) -> Iterator[list[KernToken]]:
    """The tokens of each non-empty record, in order."""
    for number, offset, line in lines(text):
        if not line:
            continue
        if line.startswith("!!"):
            yield [KernToken("comment", line, number, 0, offset, offset + len(line))]
            continue
        tokens: list[KernToken] = []
        pos = offset
        for field, piece in enumerate(line.split("\t"), start=1):
            tokens.append(KernToken(token_kind(piece), piece, number, field, pos,
                                    pos + len(piece)))
            pos += len(piece) + 1
        yield tokens


def tokens(text: str) -> list[KernToken]:
    """Every token of ``text`` in record order."""
    return [t for record in records(text) for t in record]


def counted_tokens(text: str) -> list[KernToken]:
    """The tokens the symbol error rate aligns: no null tokens, no comments."""
    return [t for record in records(text) for t in record if t.counted]


def token_at(text: str, line: int, field: int) -> KernToken | None:
    """The token at 1-based ``line`` and ``field`` of ``text``, if there is one."""
    for record in records(text):
        if record[0].line == line:
            return next((t for t in record if t.field == field), None)
        if record[0].line > line:
            break
    return None
