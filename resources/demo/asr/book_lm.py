"""A language model and dictionary additions for PocketSphinx, estimated from a book's text.

This is what a team with in-domain text does to adapt a recogniser: count the word
trigrams of the text, smooth them, and write them as an ARPA back-off model the decoder
reads (``Decoder(lm=...)``); words of the text the pronouncing dictionary lacks get a
pronunciation made from their parts. ``build_demo.py`` uses it for the ``sphinx-alice``
system.

Smoothing is interpolated Witten-Bell (Witten and Bell 1991, as Chen and Goodman 1998
state it): with ``c(h)`` the times history ``h`` is followed by a word, ``c(h, w)``
the times it is followed by ``w`` and ``T(h)`` the number of different words that follow
it,

    P(w | h) = (c(h, w) + T(h) · P(w | h')) / (c(h) + T(h))

where ``h'`` is ``h`` without its first word, and the unigrams are interpolated with a
uniform distribution over the vocabulary (which makes them add-one estimates). The model
is exactly a back-off model with back-off weight ``T(h) / (c(h) + T(h))`` for a history
seen in the text (an unseen history backs off with weight 1), so the ARPA file lists every
seen n-gram with its interpolated probability and every seen history with that weight.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

UNKNOWN = "<unk>"  # a word of the text the dictionary has no pronunciation for
START, END = "<s>", "</s>"
# Sentences, clauses and asides: what a reader pauses at. Dashes and brackets included.
_BREAK = re.compile(r"[.!?;:()]+|--")
_WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")  # words with inner apostrophes, hyphens
_SUFFIXES = {"'ll": "L", "'s": "Z"}  # contractions spelled onto a word: Dinah'll, Alice's


def book_sentences(text: str) -> list[list[str]]:
    """The text's word sequences as the recogniser spells words (lower case, inner
    apostrophes and hyphens kept), broken where a reader pauses; the title (the first
    paragraph) and the chapter headings are left out."""
    found = []
    for paragraph in text.split("\n\n")[1:]:
        flat = " ".join(paragraph.split())
        if flat.startswith("CHAPTER"):
            continue
        for piece in _BREAK.split(flat):
            words = [w.lower() for w in _WORD.findall(piece)]
            if words:
                found.append(words)
    return found


def read_dictionary(lines: Iterable[str]) -> dict[str, str]:
    """Word -> its first pronunciation, from a CMU-style pronouncing dictionary's lines
    (``word PH ON ES``; alternatives spelled ``word(2)``)."""
    out: dict[str, str] = {}
    for line in lines:
        word, _, phones = line.strip().partition(" ")
        if phones:
            out.setdefault(re.sub(r"\(\d+\)$", "", word), phones.strip())
    return out


def missing_pronunciations(words: Iterable[str], dictionary: Mapping[str, str]) -> dict[str, str]:
    """Pronunciations for ``words`` the dictionary lacks, made from their parts: the parts of
    a hyphenated word one after the other (*three-legged*), a word and a contraction spelled
    onto it (*Dinah'll*). Words that cannot be made so are left out."""
    made: dict[str, str] = {}
    for word in sorted(set(words)):
        if word in dictionary:
            continue
        phones = _from_parts(word, dictionary)
        if phones:
            made[word] = phones
    return made


def _from_parts(word: str, dictionary: Mapping[str, str]) -> str | None:
    for suffix, phones in _SUFFIXES.items():
        stem = word.removesuffix(suffix)
        if stem != word:
            base = dictionary.get(stem) or _from_parts(stem, dictionary)
            return f"{base} {phones}" if base else None
    parts = word.split("-")
    if len(parts) > 1 and all(p in dictionary for p in parts):
        return " ".join(dictionary[p] for p in parts)
    return None


def witten_bell_arpa(sentences: Sequence[Sequence[str]], vocabulary: Iterable[str]) -> str:
    """An interpolated Witten-Bell trigram model of ``sentences`` in ARPA form (see the
    module docstring). Words outside ``vocabulary`` are counted as :data:`UNKNOWN`."""
    known = set(vocabulary)
    counts: list[Counter[tuple[str, ...]]] = [Counter(), Counter(), Counter()]
    for sentence in sentences:
        words = [START, *(w if w in known else UNKNOWN for w in sentence), END]
        for n in (1, 2, 3):
            for k in range(len(words) - n + 1):
                counts[n - 1][tuple(words[k:k + n])] += 1
    seen: Counter[tuple[str, ...]] = Counter()  # c(h): how often h is followed by a word
    followers: Counter[tuple[str, ...]] = Counter()  # T(h): different words following h
    for order in counts[1:]:
        for gram, c in order.items():
            seen[gram[:-1]] += c
            followers[gram[:-1]] += 1
    words = sorted(g[0] for g in counts[0])
    predicted = [w for w in words if w != START]  # <s> is a history, never predicted
    total = sum(counts[0][(w,)] for w in predicted)
    unigram = {w: (counts[0][(w,)] + 1) / (total + len(predicted)) for w in predicted}

    def backoff(history: tuple[str, ...]) -> float:
        t = followers[history]
        return t / (seen[history] + t) if t else 1.0

    def prob(gram: tuple[str, ...]) -> float:
        if len(gram) == 1:
            return unigram[gram[0]]
        history = gram[:-1]
        lower = prob(gram[1:])
        if not seen[history]:
            return lower
        return (counts[len(gram) - 1][gram] + followers[history] * lower) / (
            seen[history] + followers[history])

    def line(gram: tuple[str, ...], log_p: float) -> str:
        text = f"{log_p:.4f} {' '.join(gram)}"
        return f"{text} {math.log10(backoff(gram)):.4f}" if followers[gram] else text

    sizes = [len(words), len(counts[1]), len(counts[2])]
    out = ["\\data\\", *(f"ngram {n}={size}" for n, size in enumerate(sizes, start=1)), ""]
    out.append("\\1-grams:")
    out += [line((w,), -99.0 if w == START else math.log10(unigram[w])) for w in words]
    for n in (2, 3):
        out += ["", f"\\{n}-grams:"]
        out += [line(g, math.log10(prob(g))) for g in sorted(counts[n - 1])]
    return "\n".join([*out, "", "\\end\\", ""])
