"""English word tables of the ``whisper-en`` preset: contractions, spellings, hesitations.

The tables are reviewer's own, written for this preset: common contractions expanded,
British spellings mapped to American ones, hesitation sounds and a few spoken
abbreviations. Every key is lower case with a plain apostrophe.
"""

from __future__ import annotations

import re


def _contractions() -> dict[str, str]:
    table = {
        "won't": "will not", "can't": "can not", "cannot": "can not", "shan't": "shall not",
        "ain't": "is not", "let's": "let us", "y'all": "you all", "ma'am": "madam",
        "'cause": "because", "'em": "them", "gonna": "going to", "wanna": "want to",
        "gotta": "got to", "gimme": "give me", "kinda": "kind of", "sorta": "sort of",
        "i'm": "i am",
    }
    for aux in ("do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "would",
                "could", "should", "must", "need", "might", "dare"):
        table[f"{aux}n't"] = f"{aux} not"
    endings = {
        "'re": ("are", ("you", "we", "they", "who", "what", "there")),
        "'ve": ("have", ("i", "you", "we", "they", "who", "would", "could", "should", "might",
                         "must")),
        "'ll": ("will", ("i", "you", "he", "she", "it", "we", "they", "that", "there", "who",
                         "what")),
        "'d": ("would", ("i", "you", "he", "she", "it", "we", "they", "that", "there", "who")),
        "'s": ("is", ("it", "he", "she", "that", "there", "here", "what", "where", "who", "how",
                      "when", "why")),
    }
    for ending, (full, bases) in endings.items():
        for base in bases:
            table[base + ending] = f"{base} {full}"
    return table


CONTRACTIONS: dict[str, str] = _contractions()


def _expand(stems: tuple[str, ...], pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """British -> American forms: each stem with each (British, American) ending."""
    return {stem + brit: stem + amer for stem in stems for brit, amer in pairs}


_OUR = ("colo", "favo", "hono", "labo", "neighbo", "behavio", "humo", "flavo", "rumo",
        "harbo", "vapo", "odo", "vigo", "armo", "savo", "endeavo", "parlo", "rigo", "valo",
        "clamo", "tumo", "splendo", "cando", "fervo")
_OUR_ENDINGS = tuple((f"ur{e}", f"r{e}") for e in (
    "", "s", "ed", "ing", "ful", "fully", "able", "ably", "ite", "ites", "er", "ers", "hood",
    "hoods", "less", "ous", "y"))

_ISE = ("organ", "real", "recogn", "apolog", "critic", "emphas", "summar", "memor", "categor",
        "priorit", "special", "general", "minim", "maxim", "optim", "util", "stabil", "normal",
        "civil", "modern", "central", "final", "legal", "author", "symbol", "standard",
        "visual", "capital", "character", "familiar", "global", "hospital", "industrial",
        "local", "natural", "neutral", "personal", "polar", "popular", "rational", "custom",
        "sympath", "terror", "theor", "fantas", "colon", "agon", "harmon", "item", "synchron",
        "digit", "mobil", "monopol", "jeopard", "patron", "public", "hypothes", "vocal",
        "motor", "immun", "fertil", "steril", "penal", "subsid", "tantal", "womanis")
_ISE_ENDINGS = tuple((f"is{e}", f"iz{e}") for e in (
    "e", "es", "ed", "ing", "ation", "ations", "er", "ers"))
_YSE = ("anal", "paral", "catal", "breathal", "dial")
_YSE_ENDINGS = tuple((f"ys{e}", f"yz{e}") for e in ("e", "es", "ed", "ing", "er", "ers"))

_RE = ("cent", "theat", "met", "lit", "fib", "calib", "spect", "somb", "meag", "lust",
       "sab", "scept", "kilomet", "centimet", "millimet")
_RE_ENDINGS = (("re", "er"), ("res", "ers"), ("red", "ered"))

_LL = ("travel", "cancel", "label", "model", "level", "fuel", "signal", "counsel", "quarrel",
       "marvel", "channel", "tunnel", "total", "dial", "equal", "jewel", "pedal", "shovel",
       "snorkel", "unravel", "funnel", "gravel", "rival", "libel", "chisel", "duel",
       "enamel", "grovel", "panel", "parcel", "pencil", "spiral", "tassel", "towel", "yodel",
       "bevel", "cudgel", "dishevel", "initial")
_LL_ENDINGS = (("led", "ed"), ("ling", "ing"), ("ler", "er"), ("lers", "ers"))

_SINGLE: dict[str, str] = {
    "grey": "gray", "greys": "grays", "greyish": "grayish", "programme": "program",
    "programmes": "programs", "defence": "defense", "defences": "defenses",
    "offence": "offense", "offences": "offenses", "licence": "license", "licences": "licenses",
    "pretence": "pretense", "practise": "practice", "practised": "practiced",
    "practises": "practices", "practising": "practicing", "catalogue": "catalog",
    "catalogues": "catalogs", "analogue": "analog", "tyre": "tire", "tyres": "tires",
    "aluminium": "aluminum", "plough": "plow", "ploughed": "plowed", "sceptic": "skeptic",
    "sceptical": "skeptical", "scepticism": "skepticism", "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers", "manoeuvred": "maneuvered", "aeroplane": "airplane",
    "aeroplanes": "airplanes", "ageing": "aging", "judgement": "judgment",
    "judgements": "judgments", "acknowledgement": "acknowledgment", "enrol": "enroll",
    "enrolment": "enrollment", "fulfil": "fulfill", "fulfilment": "fulfillment",
    "skilful": "skillful", "wilful": "willful", "instalment": "installment",
    "jewellery": "jewelry", "mould": "mold", "mouldy": "moldy", "moult": "molt",
    "smoulder": "smolder", "paediatric": "pediatric", "encyclopaedia": "encyclopedia",
    "oestrogen": "estrogen", "anaemia": "anemia", "anaesthetic": "anesthetic",
    "haemorrhage": "hemorrhage", "foetus": "fetus", "diarrhoea": "diarrhea",
    "leukaemia": "leukemia", "orthopaedic": "orthopedic", "kerb": "curb", "draught": "draft",
    "pyjamas": "pajamas", "sulphur": "sulfur", "cosy": "cozy", "storey": "story",
    "storeys": "stories", "whilst": "while", "amongst": "among", "learnt": "learned",
    "spelt": "spelled", "burnt": "burned", "dreamt": "dreamed", "spoilt": "spoiled",
    "towards": "toward", "cheque": "check", "cheques": "checks", "gaol": "jail",
    "ok": "okay",
}

AMERICAN: dict[str, str] = {
    **_expand(_OUR, _OUR_ENDINGS), **_expand(_ISE, _ISE_ENDINGS),
    **_expand(_YSE, _YSE_ENDINGS), **_expand(_RE, _RE_ENDINGS),
    **_expand(_LL, _LL_ENDINGS), **_SINGLE,
}

HESITATIONS: tuple[str, ...] = ("uh", "uhm", "um", "umm", "hm", "hmm", "hmmm", "mm", "mmm",
                                "mhm", "er", "erm")

ABBREVIATIONS: dict[str, str] = {
    "mr": "mister", "mrs": "missus", "dr": "doctor", "vs": "versus", "etc": "et cetera",
}


def word_pattern(words: list[str] | tuple[str, ...]) -> re.Pattern[str]:
    """A pattern matching any of ``words`` as a whole word (longest first)."""
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in ordered) + r")(?!\w)")
