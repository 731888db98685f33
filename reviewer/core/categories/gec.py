"""GEC error categories (DESIGN §4.3): ERRANT's main types, coloured by word-class family.

An ERRANT type is ``OP:MAIN`` with the operation ``M`` (missing), ``R`` (replace) or ``U``
(unnecessary), e.g. ``R:VERB:SVA``. The catalogue holds one category per main type
(``VERB:SVA``); the operation stays in the edit labels and in the score report's
per-operation counts. Related types share a colour (all verb types one, all noun types
another), so the legend stays readable with 25 entries. CoNLL-2013/14 (NUCLE) types such
as ``ArtOrDet`` or ``Vt`` map onto the nearest main type.
"""

from __future__ import annotations

import unicodedata

from reviewer.core.categories import Category


def _c(main: str, definition: str, swatch: str) -> Category:
    return Category(main.lower().replace(":", "_"), main, definition, swatch)


CATALOGUE: tuple[Category, ...] = (
    _c("DET", "Determiner (a, the, this, some).", "light_cyan"),
    _c("PREP", "Preposition (in, on, about).", "light_blue"),
    _c("PART", "Particle (look *up*, *to* go).", "light_blue"),
    _c("PRON", "Pronoun (he, them, itself).", "light_blue"),
    _c("CONJ", "Conjunction (and, but, although).", "light_blue"),
    _c("VERB", "Verb replaced by another verb, missing or unnecessary.", "orange"),
    _c("VERB:FORM", "Verb form: infinitive, gerund or participle (to eat / eating).", "orange"),
    _c("VERB:INFL", "Verb inflection that does not exist (getted → got).", "orange"),
    _c("VERB:SVA", "Subject–verb agreement (he go → he goes).", "orange"),
    _c("VERB:TENSE", "Verb tense or aspect (go → went, is going).", "orange"),
    _c("NOUN", "Noun replaced by another noun, missing or unnecessary.", "pink"),
    _c("NOUN:INFL", "Noun inflection that does not exist (informations).", "pink"),
    _c("NOUN:NUM", "Noun number: singular or plural (cat → cats).", "pink"),
    _c("NOUN:POSS", "Possessive suffix ('s, ') added, dropped or changed.", "pink"),
    _c("ADJ", "Adjective replaced, missing or unnecessary.", "pear"),
    _c("ADJ:FORM", "Comparative or superlative form (goodest → best).", "pear"),
    _c("ADV", "Adverb replaced, missing or unnecessary.", "pear"),
    _c("SPELL", "Spelling of a word.", "light_yellow"),
    _c("ORTH", "Orthography: case or whitespace only.", "light_yellow"),
    _c("MORPH", "Same stem, another word class (quick → quickly).", "light_yellow"),
    _c("CONTR", "Contraction ('ll, n't, 's).", "light_yellow"),
    _c("PUNCT", "Punctuation.", "pale_grey"),
    _c("WO", "Word order.", "mint"),
    _c("OTHER", "Any other edit, or a type no table names.", "olive"),
    _c("UNK", "An error detected but left uncorrected (counts only for detection).", "olive"),
)

BY_MAIN: dict[str, str] = {c.name: c.id for c in CATALOGUE}

# CoNLL-2013/14 (NUCLE) error types -> ERRANT main type.
NUCLE: dict[str, str] = {
    "ArtOrDet": "DET", "Prep": "PREP", "Nn": "NOUN:NUM", "Npos": "NOUN:POSS",
    "Vt": "VERB:TENSE", "Vm": "VERB", "V0": "VERB", "Vform": "VERB:FORM", "SVA": "VERB:SVA",
    "Wform": "MORPH", "Mec": "SPELL", "Pform": "PRON", "Pref": "PRON", "Trans": "CONJ",
    "WOinc": "WO", "WOadv": "WO",
}


def split_type(error_type: str) -> tuple[str, str]:
    """``(operation, main type)`` of an ERRANT type; operation ``""`` for UNK and others."""
    if len(error_type) > 2 and error_type[1] == ":" and error_type[0] in "MRU":
        return error_type[0], error_type[2:]
    return "", error_type


def category_of(error_type: str, original: str = "", correction: str = "") -> str:
    """Catalogue id of an M2 edit: by its type (ERRANT or NUCLE), else by its text.

    ``original`` is the source tokens the edit covers, ``correction`` what replaces them;
    a type no table names is categorised by :func:`categorise`.
    """
    _, main = split_type(error_type)
    found = BY_MAIN.get(main) or BY_MAIN.get(NUCLE.get(main, ""))
    return found or categorise(original, correction)


def _is_punct(text: str) -> bool:
    return bool(text) and all(unicodedata.category(c)[0] in "PS" for c in text if c != " ")


def categorise(ref: str, hyp: str) -> str:
    """Category of an edit by its text alone (source side ``ref``, corrected ``hyp``).

    For edits whose type no table names: these rules find the few types that need no
    parser (punctuation, case or spacing, word order); the rest is ``other``.
    """
    if (ref or hyp) and _is_punct(ref.replace(" ", "") + hyp.replace(" ", "")):
        return "punct"
    if ref and hyp and ref.lower().replace(" ", "") == hyp.lower().replace(" ", ""):
        return "orth"
    if ref != hyp and sorted(ref.split()) == sorted(hyp.split()) and len(ref.split()) > 1:
        return "wo"
    return "other"
