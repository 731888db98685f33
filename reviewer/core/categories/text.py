"""Text (OCR/HTR) error categories (DESIGN §4.1).

The rules run in catalogue order on the two sides of a non-equal edit; the first that
holds names the category, and ``substitution``/``insertion``/``deletion`` catch the rest.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from reviewer.core.categories import Category

CATALOGUE: tuple[Category, ...] = (
    Category("case", "Case", "Differs only in upper/lower case.", "light_cyan"),
    Category(
        "diacritic", "Diacritic", "Same base letters once accents and marks are removed.",
        "light_yellow",
    ),
    Category(
        "whitespace", "Whitespace", "A space added, dropped or changed: words split or merged.",
        "light_blue",
    ),
    Category("punctuation", "Punctuation", "Only punctuation marks differ.", "pale_grey"),
    Category(
        "confusable", "Confusable glyphs",
        "Visually similar glyphs read as each other (rn/m, cl/d, 0/O, 1/l/I, ...).", "olive",
    ),
    Category("digit", "Digit", "Only digits differ.", "pear"),
    Category("substitution", "Substitution", "Other characters read as something else.", "orange"),
    Category("insertion", "Insertion", "Characters in the prediction the reference lacks.", "mint"),
    Category("deletion", "Deletion", "Reference characters the prediction lacks.", "pink"),
)

# Groups of glyph sequences OCR engines commonly read as one another.
_CONFUSABLE_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        {"rn", "m"}, {"cl", "d"}, {"vv", "w"}, {"VV", "W"}, {"ri", "n"}, {"li", "h"},
        {"0", "O", "o", "D", "Q"}, {"1", "l", "I", "|", "i", "!"}, {"5", "S", "s"},
        {"2", "Z", "z"}, {"8", "B"}, {"6", "b", "G"}, {"9", "g", "q"}, {"u", "n"},
        {"c", "e"}, {"a", "o"}, {"f", "ſ", "t"}, {"h", "b"}, {"fi", "ﬁ"}, {"fl", "ﬂ"},
        {"ii", "ü", "u"}, {"e", "é"},
    )
)
_CONFUSABLE: frozenset[tuple[str, str]] = frozenset(
    (a, b) for group in _CONFUSABLE_GROUPS for a in group for b in group if a != b
)


def strip_marks(text: str) -> str:
    """``text`` without combining marks (after canonical decomposition)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _all(text: str, test: Callable[[str], bool]) -> bool:
    return bool(text) and all(test(c) for c in text)


def _is_punct(c: str) -> bool:
    return unicodedata.category(c)[0] in "PS"


def categorise(ref: str, hyp: str) -> str:
    """Category id of the edit that turns ``ref`` into ``hyp`` (both may be empty, not both)."""
    if ref and hyp:
        if ref.lower() == hyp.lower():
            return "case"
        if not (ref.isascii() and hyp.isascii()):
            bare_ref, bare_hyp = strip_marks(ref), strip_marks(hyp)
            if bare_ref.lower() == bare_hyp.lower():
                return "diacritic"
    both = ref + hyp
    if _all(both, str.isspace) or (
        ref and hyp and "".join(ref.split()) == "".join(hyp.split())
    ):
        return "whitespace"
    if _all(both, _is_punct):
        return "punctuation"
    if (ref, hyp) in _CONFUSABLE:
        return "confusable"
    if _all(both, str.isdigit):
        return "digit"
    if not ref:
        return "insertion"
    if not hyp:
        return "deletion"
    return "substitution"
