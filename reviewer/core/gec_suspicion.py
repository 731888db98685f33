"""Suspicion of gec gold edits: systems agreeing on an edit the gold lacks, or agreeing in
not making one it has.

Two kinds of candidate per sentence, each an edit (token span and correction, as
errant_compare's span-based correction compares them):

- a **gold omission**: an edit at least :data:`~reviewer.core.suspicion.MIN_SYSTEMS`
  systems make and no gold annotator has;
- a **wrong gold edit**: an edit every gold annotator of the sentence has and at least
  that many systems leave out, touching none of its tokens.

Each system votes with how it does on the *other* sentences: its recall ``r`` (how often
it makes a gold edit) and its rate ``f`` of edits the gold lacks per source token (how
often it edits where nothing is wrong):

    omission:    makes the edit  log(r / f)           leaves the span alone  log((1 − r) / (1 − f))
    wrong edit:  makes the edit  log(f / r)           leaves the span alone  log((1 − f) / (1 − r))

A system editing the span some other way, or without a prediction, abstains. With ``x`` =
``log(PRIOR_ODDS)`` + the votes, a candidate scores ``1 / (1 + exp(−x))``; a sentence
scores its strongest candidate (0 without one), explained in words:
``2 of 2 systems (a, b) change 'days' to 'day'; the gold has no edit there``,
``the gold changes 'come' to 'comes'; 2 of 2 systems (a, b) leave it as it is``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reviewer.core.errors import InputError
from reviewer.core.gec import M2Edit, parse_block
from reviewer.core.kind_spec import ScoredItem
from reviewer.core.suspicion import MIN_SYSTEMS, SuspicionScores

PRIOR_ODDS = 1e-2  # a candidate edit pointing at a wrong gold, before any system is heard
Key = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class _Sentence:
    tokens: tuple[str, ...]
    gold: tuple[frozenset[Key], ...]  # each annotator's compared edits
    systems: dict[str, frozenset[Key]]  # each system with a prediction: its compared edits


@dataclass(frozen=True, slots=True)
class _Rates:
    """A system's totals over the corpus: TP, FP, FN and source tokens."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tokens: int = 0

    def without(self, other: _Rates) -> tuple[float, float]:
        """``(recall, edits the gold lacks per token)`` on every sentence but ``other``'s,
        each smoothed by one pseudo-count either way."""
        tp, fp, fn = self.tp - other.tp, self.fp - other.fp, self.fn - other.fn
        return (tp + 1) / (tp + fn + 2), (fp + 1) / (self.tokens - other.tokens + 2)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One suspect edit of a sentence, with the systems on each side of it."""

    edit: Key
    omission: bool  # True: the gold lacks the edit; False: the gold has it, systems do not
    against: tuple[str, ...]  # the systems that disagree with the gold about it
    voters: int
    score: float
    rival: Key | None = None  # a gold edit of the same span (an omission's rival)


def gec_suspects(rows_by_system: Mapping[str, Sequence[ScoredItem]]) -> SuspicionScores:
    """Every sentence's score and explanation (the gec ``suspicion``)."""
    sentences: dict[str, _Sentence] = {}
    totals: dict[str, _Rates] = {}
    own: dict[tuple[str, str], _Rates] = {}
    for system, rows in rows_by_system.items():
        for row in rows:
            sentence = sentences.get(row.item_id)
            if sentence is None:
                sentence = sentences[row.item_id] = _sentence(row)
            counts = row.counts.main
            tp = (counts.units + counts.hyp_units - counts.errors) // 2
            mine = own[(system, row.item_id)] = _Rates(
                tp, counts.hyp_units - tp, counts.units - tp, len(sentence.tokens))
            total = totals.get(system, _Rates())
            totals[system] = _Rates(total.tp + mine.tp, total.fp + mine.fp,
                                    total.fn + mine.fn, total.tokens + mine.tokens)
            if row.prediction is not None:
                sentence.systems[system] = _edits(row, f"S {' '.join(sentence.tokens)}\n"
                                                       f"{row.prediction}", "prediction")
    scores: dict[str, float] = {}
    notes: dict[str, str] = {}
    for item_id, sentence in sentences.items():
        rates = {s: totals[s].without(own[(s, item_id)]) for s in sentence.systems}
        found = candidates(sentence.tokens, sentence.gold, sentence.systems, rates)
        scores[item_id] = found[0].score if found else 0.0
        if found:
            notes[item_id] = describe(found[0], sentence.tokens)
    return SuspicionScores(scores, notes=notes)


def _sentence(row: ScoredItem) -> _Sentence:
    source, gold = _parsed(row, row.reference, "reference")
    tokens = tuple((source or "").split())
    by_annotator: dict[int, set[Key]] = {}
    for e in gold:
        keys = by_annotator.setdefault(e.annotator, set())
        if _compared(e):
            keys.add(e.key)
    return _Sentence(tokens, tuple(frozenset(k) for k in by_annotator.values()) or
                     (frozenset(),), {})


def _edits(row: ScoredItem, text: str, what: str) -> frozenset[Key]:
    return frozenset(e.key for e in _parsed(row, text, what)[1] if _compared(e))


def _parsed(row: ScoredItem, text: str, what: str) -> tuple[str | None, list[M2Edit]]:
    try:
        return parse_block(text)
    except ValueError as exc:
        raise InputError(None, f"the {what} of item {row.item_id!r}: {exc}") from None


def _compared(e: M2Edit) -> bool:
    return not e.is_noop and e.type != "UNK"


def candidates(tokens: Sequence[str], gold: Sequence[frozenset[Key]],
               systems: Mapping[str, frozenset[Key]],
               rates: Mapping[str, tuple[float, float]]) -> list[Candidate]:
    """The sentence's suspect edits, most suspicious first (see the module docstring);
    ``rates`` holds each system's ``(recall, edits the gold lacks per token)`` elsewhere."""
    any_gold = frozenset().union(*gold)
    every_gold = frozenset.intersection(*gold) if gold else frozenset()
    made: dict[Key, list[str]] = {}
    for system, edits in systems.items():
        for key in edits - any_gold:
            made.setdefault(key, []).append(system)
    out: list[Candidate] = []
    for key, makers in made.items():
        if len(makers) >= MIN_SYSTEMS:
            rival = next((g for g in sorted(any_gold) if g[:2] == key[:2]), None)
            out.append(_scored(key, True, systems, rates, rival))
    for key in sorted(every_gold):
        leaving = [s for s, edits in systems.items()
                   if not any(_overlaps(key, e) for e in edits)]
        if len(leaving) >= MIN_SYSTEMS:
            out.append(_scored(key, False, systems, rates, None))
    out.sort(key=lambda c: (-c.score, c.edit))
    return out


def _scored(key: Key, omission: bool, systems: Mapping[str, frozenset[Key]],
            rates: Mapping[str, tuple[float, float]], rival: Key | None) -> Candidate:
    x = math.log(PRIOR_ODDS)
    against: list[str] = []
    for system, edits in systems.items():
        recall, spurious = rates[system]
        if key in edits:
            x += math.log(recall / spurious) if omission else math.log(spurious / recall)
            if omission:
                against.append(system)
        elif not any(_overlaps(key, e) for e in edits):
            x += (math.log((1 - recall) / (1 - spurious)) if omission
                  else math.log((1 - spurious) / (1 - recall)))
            if not omission:
                against.append(system)
    return Candidate(key, omission, tuple(against), len(systems), _logistic(x), rival)


def _overlaps(a: Key, b: Key) -> bool:
    """Whether two edits touch the same tokens (an insertion touches the token it is
    inserted before, as errant's token-based detection counts it)."""
    if a[:2] == b[:2]:
        return True
    a_end = a[1] if a[0] < a[1] else a[0] + 1
    b_end = b[1] if b[0] < b[1] else b[0] + 1
    return a[0] < b_end and b[0] < a_end


def _logistic(x: float) -> float:
    if x < -700:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def phrase(edit: Key, tokens: Sequence[str], *, one: bool = False) -> str:
    """An edit in words: ``insert 'the' before 'house'``, ``delete 'us'``, ``change 'days'
    to 'day'`` (``one``: as one doer does it, ``inserts``...)."""
    start, end, correction = edit
    s = "s" if one else ""
    if start == end:
        where = f"before {tokens[start]!r}" if start < len(tokens) else "at the end"
        return f"insert{s} {correction!r} {where}"
    original = " ".join(tokens[start:end])
    if not correction:
        return f"delete{s} {original!r}"
    return f"change{s} {original!r} to {correction!r}"


def describe(candidate: Candidate, tokens: Sequence[str]) -> str:
    """One candidate in words (see the module docstring)."""
    who = (f"{len(candidate.against)} of {candidate.voters} systems "
           f"({', '.join(candidate.against)})")
    if candidate.omission:
        gold = ("the gold has no edit there" if candidate.rival is None
                else f"the gold {phrase(candidate.rival, tokens, one=True)}")
        return f"{who} {phrase(candidate.edit, tokens)}; {gold}"
    return f"the gold {phrase(candidate.edit, tokens, one=True)}; {who} leave it as it is"
