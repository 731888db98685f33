"""Kern token-level error categories (DESIGN §4.4), read from the kern grammar.

These name the token edits highlighted in the kern text and counted by the symbol error
rate. musicdiff's categories of OMR-NED are a second table
(:mod:`reviewer.core.kern.omr_categories`): they colour the engraved notes.
"""

from __future__ import annotations

from collections import Counter
from itertools import zip_longest

from reviewer.core.categories import Category
from reviewer.core.kern.grammar import pair_category, token_category
from reviewer.core.kern.tokens import token_kind

CATALOGUE: tuple[Category, ...] = (
    Category("note_rest", "Note/rest", "A note or rest added or dropped, a note read as a rest, "
             "or a chord with more or fewer notes.", "orange"),
    Category("pitch", "Pitch", "A note's letter or octave differs.", "pink"),
    Category("accidental", "Accidental", "A sharp, flat or natural added, dropped or changed.",
             "light_yellow"),
    Category("duration", "Duration", "The rhythmic value or its dots differ.", "light_blue"),
    Category("beam", "Beam", "Beam starts or ends (L, J, K, k) differ.", "light_cyan"),
    Category("tie", "Tie", "Tie starts, continuations or ends ([ _ ]) differ.", "mint"),
    Category("slur", "Slur/phrase", "Slur or phrase marks (( ) { }) differ.", "pear"),
    Category("articulation", "Articulation/ornament",
             "Staccato, accent, tenuto, fermata, trill, mordent and the like differ.", "olive"),
    Category("barline", "Barline", "A barline added, dropped, or its type or number differs.",
             "pale_grey"),
    Category("clef", "Clef", "A clef interpretation (*clef) differs.", "light_yellow"),
    Category("signature", "Key/time signature",
             "A key signature (*k[...]), time signature (*M) or mensuration differs.",
             "light_cyan"),
    Category("spine", "Spine operation",
             "A spine split, join, terminator, addition, exchange or header differs.", "pink"),
    Category("other", "Other", "Any other interpretation or token, or tokens of different "
             "types read as each other.", "pale_grey"),
)
_ORDER = {c.id: k for k, c in enumerate(CATALOGUE)}


def categorise(ref: str, hyp: str) -> str:
    """Category of a token edit; ``ref`` and ``hyp`` may hold several tokens, or none.

    Tokens are paired in order; the most frequent category of the pairs (and of the
    tokens left over) names the edit, the catalogue's order breaking ties.
    """
    ref_tokens, hyp_tokens = _counted(ref), _counted(hyp)
    votes: Counter[str] = Counter()
    for a, b in zip_longest(ref_tokens, hyp_tokens):
        if a is not None and b is not None:
            votes[pair_category(a, b)] += 1
        else:
            votes[token_category(a if a is not None else b)] += 1
    if not votes:
        return "other"
    return min(votes, key=lambda c: (-votes[c], _ORDER[c]))


def _counted(text: str) -> list[str]:
    """The counted tokens in a stretch of kern text (null tokens and comments left out)."""
    out = []
    for line in text.split("\n"):
        for piece in line.rstrip("\r").split("\t"):
            if piece and token_kind(piece) not in ("null", "comment"):
                out.append(piece)
    return out
