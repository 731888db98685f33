"""The ``dinglehopper`` preset of the text kind: dinglehopper 0.11.0's CER and WER, exactly.

dinglehopper (the OCR-D evaluation tool) compares texts after Unicode NFC and a fixed set
of substitutions for historical print, which its file readers apply to ground truth and
OCR alike: ligatures are written as their letters (MUFI and eMOP private-use ligatures,
``ﬁ``, ``ĳ``, ``ﬆ``, ...), then the superscript-e umlauts (``aͤ``, ``oͤ``, ``uͤ``, and their
MUFI code points) become ``ä``/``ö``/``ü``, em dashes and ``==`` en dashes, ``’`` an
apostrophe and ``⸗`` a hyphen. The two passes run in this order, each left to right.

CER counts extended grapheme clusters as uniseg segments them; WER counts uniseg's
UAX #29 words, leaving out tokens made only of white space, punctuation, symbols, marks
and control or format characters (dinglehopper's "unwanted" categories). dinglehopper
means to keep private-use characters inside words, but with uniseg 0.10 its patch does
not reach the segmenter, so a private-use character is a word of its own: reviewer does
what dinglehopper computes, not what it intends.

The substitutions keep a map back to the displayed (NFC) text, so edits found on the
normalised graphemes are highlighted on what the file holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from uniseg.graphemecluster import grapheme_clusters
from uniseg.wordbreak import words as uax29_words

from reviewer.core.normalize import Normalised
from reviewer.core.normalize.kind_presets import DINGLEHOPPER
from reviewer.core.normalize.trace import Trace
from reviewer.core.tokenize import Tokens, nfc

PRESET = DINGLEHOPPER
DESCRIPTION = ("NFC, ligatures and historical-print equivalences as dinglehopper 0.11.0 "
               "substitutes them; graphemes and UAX #29 words as it counts them")

# First pass: ligatures written out (private-use code points are MUFI's unless noted).
LIGATURES: Mapping[str, str] = {
    "\ueba6": "\u017f\u017f",  # long s long s
    "\ueba7": "\u017f\u017fi",  # long s long s i
    "\uf502": "ch",
    "\ueec4": "ck",
    "\uf4f9": "ll",
    "\ueba2": "\u017fi",  # long s i
    "\ueada": "\u017ft",  # long s t
    "\ufb01": "fi",
    "\ufb00": "ff",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ueec5": "ct",
    "\ueedc": "tz",
    "\uf532": "as",  # eMOP
    "\uf533": "is",  # eMOP
    "\uf534": "us",  # eMOP
    "\uf535": "Qu",  # eMOP
    "\u0133": "ij",
    "\ue8bf": "q&",  # q ligated with final et
    "\ueba5": "\u017fp",  # long s p
    "\ufb06": "st",
}
# Second pass: equivalences of historical print.
EQUIVALENCES: Mapping[str, str] = {
    "\ue72b": "\u00fc",
    "\ue42c": "\u00e4",
    "==": "\u2013",
    "\u2014": "\u2013",
    "\ue644": "\u00f6",
    "\u2019": "'",
    "\u2e17": "-",
    "a\u0364": "\u00e4",
    "o\u0364": "\u00f6",
    "u\u0364": "\u00fc",
    "\uf50e": "q\u0301",
}


def _pattern(table: Mapping[str, str]) -> re.Pattern[str]:
    # Longest first, so that no key hides a longer one starting with the same text.
    return re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))


_LIGATURE = _pattern(LIGATURES)
_EQUIVALENT = _pattern(EQUIVALENCES)
_UNWANTED = frozenset("OMPZS")
_UNWANTED_SUB = frozenset(("Cc", "Cf"))


def normalise(text: str) -> Normalised:
    """``text`` as dinglehopper compares it, with the map back to ``nfc(text)``."""
    shown = nfc(text)
    trace = Trace(shown)
    trace.sub(_LIGATURE, lambda m: LIGATURES[m.group()])
    trace.sub(_EQUIVALENT, lambda m: EQUIVALENCES[m.group()])
    if trace.text is shown:
        return Normalised(shown, shown)
    return Normalised(trace.text, shown, tuple(trace.starts), tuple(trace.ends))


def graphemes(norm: Normalised) -> Tokens:
    """The grapheme clusters of ``norm.text``, with spans into the displayed ``norm.source``."""
    seq: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for cluster in grapheme_clusters(norm.text):
        start, end = norm.span(pos, pos + len(cluster))
        seq.append(cluster)
        starts.append(start)
        ends.append(end)
        pos += len(cluster)
    return Tokens(norm.source, seq, starts, ends)


def _wanted(token: str) -> bool:
    return any(unicodedata.category(c)[0] not in _UNWANTED
               and unicodedata.category(c) not in _UNWANTED_SUB for c in token)


def words(text: str) -> list[str]:
    """dinglehopper's words of an already normalised text: UAX #29 words with at least one
    letter, digit or other character outside its unwanted categories."""
    return [w for w in uax29_words(text) if _wanted(w)]

