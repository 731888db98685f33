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
                 mode: CharMode = "grapheme") -> Alignment:
    """The alignment stored in ``counts``, with spans into the displayed strings.

    Its edits are of the main level (words for asr), so they count its units.
    """
    ref_d, hyp_d = display_text(ref, mode), display_text(hyp, mode)
    main = counts.main
    return Alignment(ref_d, hyp_d, main.units, main.hyp_units,
                     decode_edits(counts.edits, ref_d, hyp_d))
