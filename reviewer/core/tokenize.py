"""Tokenizers: grapheme clusters (NFC, Unicode ``\\X``), code points and whitespace words.

A :class:`Tokens` keeps the displayed text, the sequence the aligner compares and the
character offsets of each token, so edits map back onto the displayed string.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import regex

CharMode = Literal["grapheme", "codepoint"]
CHAR_MODES: tuple[CharMode, ...] = ("grapheme", "codepoint")

_GRAPHEME = regex.compile(r"\X")
# Code points that can join a grapheme cluster with a neighbour (UAX #29). A text with
# none of them is one cluster per code point, which a C-level search tells at once.
_JOINING = regex.compile(
    r"[\r\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}"
    r"\p{Grapheme_Cluster_Break=SpacingMark}\p{Grapheme_Cluster_Break=Prepend}"
    r"\p{Grapheme_Cluster_Break=Regional_Indicator}\p{Grapheme_Cluster_Break=L}"
    r"\p{Grapheme_Cluster_Break=V}\p{Grapheme_Cluster_Break=T}"
    r"\p{Grapheme_Cluster_Break=LV}\p{Grapheme_Cluster_Break=LVT}]"
)
# Below U+0300 (the combining marks) only "\r" of "\r\n" joins: a text without a code point
# at or above it is told by the standard library's faster search.
_ABOVE_JOINERS = re.compile(r"[^\x00-\u02ff]")
_WORD = re.compile(r"\S+")
# Multi-code-point graphemes get ids above the Unicode range so they never equal a code point.
_CLUSTER_BASE = 0x110000
_VOCAB: dict[str, int] = {}


@dataclass(frozen=True, slots=True)
class Tokens:
    """A tokenized string.

    ``seq`` is what the aligner compares: the string itself when every token is one
    code point, else a list of integer ids. ``starts``/``ends`` are the character
    offsets of each token in ``text``; ``None`` means token *k* is ``text[k]``.
    """

    text: str
    seq: Sequence[Hashable]
    starts: Sequence[int] | None = None
    ends: Sequence[int] | None = None

    def __len__(self) -> int:
        return len(self.seq)

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Character span of tokens ``i`` to ``j`` (exclusive); an insertion point if empty."""
        if self.starts is None or self.ends is None:
            return (i, j)
        if i < j:
            return (self.starts[i], self.ends[j - 1])
        pos = self.starts[i] if i < len(self.starts) else len(self.text)
        return (pos, pos)


def nfc(text: str) -> str:
    """Unicode NFC, the form graphemes are compared in (dinglehopper's convention)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def graphemes(text: str) -> Tokens:
    """Extended grapheme clusters of ``nfc(text)``."""
    text = nfc(text)
    if text.isascii() or _ABOVE_JOINERS.search(text) is None:
        if "\r\n" not in text:
            return Tokens(text, text)
    elif _JOINING.search(text) is None:
        return Tokens(text, text)
    clusters = _GRAPHEME.findall(text)
    if len(clusters) == len(text):
        return Tokens(text, text)
    seq: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for cluster in clusters:
        starts.append(pos)
        pos += len(cluster)
        ends.append(pos)
        seq.append(ord(cluster) if len(cluster) == 1 else _cluster_id(cluster))
    return Tokens(text, seq, starts, ends)


def codepoints(text: str) -> Tokens:
    """Code points of ``text`` stripped, as jiwer's ``process_characters`` compares them."""
    return Tokens(text, text)


def words(text: str) -> Tokens:
    """Whitespace-separated words, as jiwer's ``process_words`` splits them.

    Words are compared as a list of strings, which rapidfuzz reduces to their 64-bit
    hashes in C: measured faster here than building integer ids in Python first.
    """
    starts: list[int] = []
    ends: list[int] = []
    seq: list[str] = []
    for match in _WORD.finditer(text):
        starts.append(match.start())
        ends.append(match.end())
        seq.append(match.group())
    return Tokens(text, seq, starts, ends)


def chars(text: str, mode: CharMode) -> Tokens:
    """Character tokens in the given mode."""
    if mode == "grapheme":
        return graphemes(text)
    if mode == "codepoint":
        return codepoints(text)
    raise ValueError(f"unknown character mode {mode!r}; choose one of {', '.join(CHAR_MODES)}")


def _cluster_id(cluster: str) -> int:
    return _VOCAB.setdefault(cluster, len(_VOCAB)) + _CLUSTER_BASE
