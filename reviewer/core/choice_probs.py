"""Suspicion of multiple-choice keys when systems give option probabilities.

An evaluation harness scores every option of a multiple-choice question (per-option
log-likelihoods), so a model's answer comes with a distribution over the options
(:mod:`reviewer.core.choice_codec`). The key's self-confidence is then the probability the
systems give the key's letters, averaged over the systems answering (one-hot for a system
that gave only a letter), as cleanlab's self-confidence; an item scores

    dissent_score(1 − p(key), max p(option not in the key))

(:func:`reviewer.core.suspicion.dissent_score`, the same tie-break as the votes). Items on
which no system gave probabilities are ranked by the votes alone
(:func:`reviewer.core.votes.vote_suspicion`), as before. This is the default ranking; the
named methods are ``votes`` (letters only, probabilities ignored) and ``cleanlab``
(cleanlab's label quality of the vote distributions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from reviewer.core.choice_codec import decode_choice
from reviewer.core.choice_keys import LETTERS, key_letters
from reviewer.core.kind_spec import ScoredItem
from reviewer.core.label_codec import LabelPrediction
from reviewer.core.suspicion import SuspicionScores, dissent_score
from reviewer.core.votes import cleanlab_suspicion, vote_suspicion

Rows = Mapping[str, Sequence[ScoredItem]]


def letters_only(rows_by_system: Rows) -> dict[str, list[ScoredItem]]:
    """The rows with every prediction reduced to its letter (what the votes read)."""
    return {system: [row if row.prediction is None
                     else replace(row, prediction=decode_choice(row.prediction).label)
                     for row in rows]
            for system, rows in rows_by_system.items()}


def by_votes(rows_by_system: Rows) -> dict[str, float]:
    """The ``votes`` method: the systems' letters, probabilities ignored."""
    return vote_suspicion(letters_only(rows_by_system))


def by_cleanlab(rows_by_system: Rows) -> dict[str, float]:
    """The ``cleanlab`` method on the vote distributions (needs the cleanlab package)."""
    return cleanlab_suspicion(letters_only(rows_by_system))


def by_self_confidence(rows_by_system: Rows) -> dict[str, float]:
    """The default: the key's mean probability where a system gave probabilities, else the
    votes."""
    scores = by_votes(rows_by_system)
    out = SuspicionScores(scores, notes=dict(getattr(scores, "notes", {})))
    answers: dict[str, list[tuple[str, LabelPrediction]]] = {}
    keys: dict[str, tuple[str, ...]] = {}
    for system, rows in rows_by_system.items():
        for row in rows:
            keys.setdefault(row.item_id, key_letters(row.reference))
            answer = decode_choice(row.prediction)
            if answer.label or answer.probs:
                answers.setdefault(row.item_id, []).append((system, answer))
    for item_id, given in answers.items():
        if not any(a.probs for _, a in given):
            continue
        key = keys[item_id]
        mean = mean_distribution([a for _, a in given])
        on_key = sum(mean.get(x, 0.0) for x in key)
        top_other = max((p for x, p in mean.items() if x not in key), default=0.0)
        out[item_id] = top_other if not key else dissent_score(1 - on_key, top_other)
        out.notes[item_id] = describe(key, on_key, given)
    return out


def mean_distribution(answers: Sequence[LabelPrediction]) -> dict[str, float]:
    """Letter -> probability averaged over ``answers`` (one-hot for a letter alone)."""
    total: dict[str, float] = {}
    for answer in answers:
        dist = dict(answer.probs) if answer.probs else {answer.label: 1.0}
        for letter, p in dist.items():
            total[letter] = total.get(letter, 0.0) + p
    return {x: total[x] / len(answers) for x in sorted(total, key=_order)}


def describe(key: tuple[str, ...], on_key: float,
             given: Sequence[tuple[str, LabelPrediction]]) -> str:
    """``key B (p 0.12); modelA C (p 0.71), modelB B (p 0.40)``."""
    parts = []
    for system, a in given:
        p = a.prob(a.label)
        parts.append(f"{system} {a.label or 'no answer'}"
                     + ("" if p is None else f" (p {p:.2f})"))
    shown = "|".join(key) or "none"
    return f"key {shown} (p {on_key:.2f}); " + ", ".join(parts)


def _order(letter: str) -> int:
    return LETTERS.find(letter) if letter in LETTERS else len(LETTERS)
