"""ASR error categories (DESIGN §4.2): word substitutions, insertions, deletions and why.

An edit's two sides are the normalised words it covers. The rules run in catalogue
order; the first that holds names the category, and ``substitution``/``insertion``/
``deletion`` catch the rest. Each rule compares a light canonical form of both sides,
so it also explains edits of raw (un-normalised) text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import regex
from rapidfuzz.distance import Levenshtein

from reviewer.core.categories import Category
from reviewer.core.normalize.english import CONTRACTIONS
from reviewer.core.normalize.numbers import LEXICON, to_digits

CATALOGUE: tuple[Category, ...] = (
    Category("case_punct", "Case or punctuation",
             "Differs only in case or punctuation; a normalisation preset would remove it.",
             "light_cyan"),
    Category("compound", "Compound split or merged",
             "The same letters written as one word or several, or a contraction against its "
             "expansion (we'll / we will).", "light_blue"),
    Category("number", "Number written differently",
             "The same number in digits and in words or with other separators "
             "(21 / twenty-one).", "pear"),
    Category("near_match", "Near match",
             "One character away from the reference (then / than): a homophone-like slip.",
             "light_yellow"),
    Category("substitution", "Substitution", "Reference words recognised as other words.",
             "orange"),
    Category("insertion", "Insertion", "Words in the prediction the reference lacks.", "mint"),
    Category("deletion", "Deletion", "Reference words the prediction lacks.", "pink"),
)

_PUNCT = regex.compile(r"\p{P}+")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")
_NOT_NUMBER = re.compile(r"[^\w\s.%$£€]")
_LOOSE_DOT = re.compile(r"\.(?!\d)")
_GLUED_TENS = re.compile(r"(?<![a-z])(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                         r"(one|two|three|four|five|six|seven|eight|nine|first|second|third|"
                         r"fourth|fifth|sixth|seventh|eighth|ninth)(?![a-z])")
_NUMBER_WORD = re.compile(r"(?<!\w)(?:" + "|".join(sorted(LEXICON, key=len, reverse=True))
                          + r")(?!\w)")
# Contractions also without their apostrophe, as punctuation-stripping presets leave them.
_EXPANSIONS: dict[str, str] = {
    **{k.replace("'", ""): v for k, v in CONTRACTIONS.items() if "'" in k}, **CONTRACTIONS}


def plain(text: str) -> str:
    """Lower case, punctuation removed, spaces collapsed."""
    return " ".join(_PUNCT.sub("", text.lower()).split())


def _expanded(text: str) -> str:
    return " ".join(_EXPANSIONS.get(_bare(w), w) for w in text.split())


def _is_compound(ref: str, hyp: str, ref_plain: str, hyp_plain: str) -> bool:
    if ref_plain.replace(" ", "") == hyp_plain.replace(" ", ""):
        return True
    if not any(_bare(w) in _EXPANSIONS for w in (*ref.split(), *hyp.split())):
        return False
    ref_x, hyp_x = plain(_expanded(ref)), plain(_expanded(hyp))
    return ref_x == hyp_x


def _number_form(text: str) -> str:
    text = _DIGIT_COMMA.sub("", text.lower().replace("-", " "))
    text = _GLUED_TENS.sub(r"\1 \2", text)  # "twentyone": the hyphen removed by a preset
    text = _NOT_NUMBER.sub("", to_digits(text))
    return " ".join(_LOOSE_DOT.sub("", text).split())


def _is_number(ref: str, hyp: str) -> bool:
    if not (_maybe_number(ref.lower()) and _maybe_number(hyp.lower())):
        return False
    ref_n = _number_form(ref)
    return ref_n == _number_form(hyp) and any(c.isdigit() for c in ref_n)


@lru_cache(maxsize=1 << 16)
def categorise(ref: str, hyp: str) -> str:
    """Category id of the edit that turns ``ref`` into ``hyp`` (both may be empty, not both)."""
    ref_plain, hyp_plain = plain(ref), plain(hyp)
    if ref_plain == hyp_plain:
        return "case_punct"
    if ref and hyp:
        if _is_compound(ref, hyp, ref_plain, hyp_plain):
            return "compound"
        if _is_number(ref, hyp):
            return "number"
        if Levenshtein.distance(ref_plain, hyp_plain, score_cutoff=1) <= 1:
            return "near_match"
        return "substitution"
    return "insertion" if hyp else "deletion"


# Categories that explain several words on one side or the other as one edit.
RUN_CATEGORIES = frozenset({"compound", "number", "case_punct"})


@dataclass(frozen=True, slots=True)
class Side:
    """One side's words with what the run tests need of each, computed once."""

    words: list[str]
    letters: list[str]  # lower case, without punctuation
    numeric: list[bool]  # holds a digit or a number word
    contracted: list[bool]  # a contraction, with or without its apostrophe


def side(words: list[str]) -> Side:
    """The :class:`Side` of ``words``."""
    bare = [_bare(w) for w in words]
    return Side(words, [_PUNCT.sub("", b) for b in bare], [_maybe_number(b) for b in bare],
                [b in _EXPANSIONS for b in bare])


def group_category(ref: Side, i: int, a: int, hyp: Side, j: int, b: int) -> str | None:
    """The category explaining ``ref.words[i:i+a]`` against ``hyp.words[j:j+b]`` as one edit.

    Cheap tests first: most groups of misrecognised words are no compound or number.
    """
    if not ("".join(ref.letters[i:i + a]) == "".join(hyp.letters[j:j + b])
            or (any(ref.numeric[i:i + a]) and any(hyp.numeric[j:j + b]))
            or any(ref.contracted[i:i + a]) or any(hyp.contracted[j:j + b])):
        return None
    category = categorise(" ".join(ref.words[i:i + a]), " ".join(hyp.words[j:j + b]))
    return category if category in RUN_CATEGORIES else None


def run_category(ref_words: list[str], hyp_words: list[str]) -> str | None:
    """The category explaining these words as one edit (a compound, a number...), if any."""
    return group_category(side(ref_words), 0, len(ref_words), side(hyp_words), 0,
                          len(hyp_words))


def may_group(ref: Side, hyp: Side) -> bool:
    """Whether some words of the two sides could form a compound or number edit."""
    if (any(ref.numeric) and any(hyp.numeric)) or any(ref.contracted) or any(hyp.contracted):
        return True
    return any(r and h and r != h and (r.startswith(h) or h.startswith(r))
               for r in ref.letters for h in hyp.letters)


def _maybe_number(text: str) -> bool:
    return (any(c.isdigit() for c in text) or _NUMBER_WORD.search(text) is not None
            or _GLUED_TENS.search(text) is not None)


def _bare(word: str) -> str:
    return word.lower().replace("\u2019", "'").strip(".,;:!?\"'")
