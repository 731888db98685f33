"""The strings a pair's edits point into, and the alignment stored for a pair."""

from __future__ import annotations

from reviewer.core import tokenize
from reviewer.core.align import Alignment, align
from reviewer.core.categories.text import categorise
from reviewer.core.codec import decode_edits
from reviewer.core.counts import PairCounts
from reviewer.core.tokenize import CharMode


def display_text(text: str, mode: CharMode = "grapheme") -> str:
    """The string edits' spans point into: NFC for graphemes, stripped for code points."""
    return text.strip() if mode == "codepoint" else tokenize.nfc(text)


def align_text(ref: str, hyp: str, mode: CharMode = "grapheme") -> Alignment:
    """Character-level alignment with the ``text`` kind's categorised edits over the
    displayed strings."""
    if mode == "codepoint":
        ref, hyp = ref.strip(), hyp.strip()
    return align(tokenize.chars(ref, mode), tokenize.chars(hyp, mode), categorise)


def alignment_of(ref: str, hyp: str, counts: PairCounts,
                 mode: CharMode = "grapheme", level: str = "char") -> Alignment:
    """The alignment stored in ``counts``, with spans into the displayed strings.

    ``level`` is the column prefix whose units the edits count (``word`` for asr).
    """
    ref_d, hyp_d = display_text(ref, mode), display_text(hyp, mode)
    if level == "char":
        units, hyp_units = counts.char_units, counts.char_hyp_units
    elif level == "word":
        units, hyp_units = counts.word_units, counts.word_hyp_units
    else:
        raise ValueError(f"no level {level!r} in stored counts; choose char or word")
    return Alignment(ref_d, hyp_d, units, hyp_units, decode_edits(counts.edits, ref_d, hyp_d))
