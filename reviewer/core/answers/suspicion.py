"""Suspicion of ``answer`` gold answers: several models agreeing on one other answer.

The models' extracted answers to an item are grouped: every right answer in one group
(the gold's), every wrong one by its normalised form (a number by its value, any other
answer as SQuAD normalises it); a model that gave no answer abstains. Each model votes
with its weight ``w`` (the share of the *other* items it answers right, kept within
[:data:`MIN_WEIGHT`, :data:`MAX_WEIGHT`], so a reliable model counts more); the gold gets
:data:`~reviewer.core.votes.SMOOTHING` pseudo-votes besides. With ``W`` the total:

    top = Σ w (the largest group agreeing on one answer other than the gold) / W
    against = Σ w (every wrong answer) / W
    score = dissent_score(top, against)

(:func:`reviewer.core.suspicion.dissent_score`: the first share ranks, the second only
breaks ties, as for ``choice``). The agreement ranks first because free-form wrong
answers scatter: models failing a hard question give different answers, while models
agreeing on one other answer point at the gold. Items nobody answered score 0. The
``votes`` method gives every model the weight 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reviewer.core.answers.encoding import decode_answer_prediction, decode_gold
from reviewer.core.answers.extra import pair_extra
from reviewer.core.answers.matchers import normalize_answer
from reviewer.core.answers.numbers import parse_number
from reviewer.core.categories.answer import NO_ANSWER, is_refusal
from reviewer.core.kind_spec import ScoredItem
from reviewer.core.suspicion import SuspicionScores, dissent_score
from reviewer.core.votes import SMOOTHING

MIN_WEIGHT = 0.05
MAX_WEIGHT = 0.95
GOLD = ""  # the group of right answers


@dataclass(slots=True)
class ItemAnswers:
    """One item's gold answers and, per model that answered, its answer group and text."""

    gold: tuple[str, ...]
    groups: dict[str, str] = field(default_factory=dict)  # model -> group ('' = right)
    texts: dict[str, str] = field(default_factory=dict)  # model -> extracted answer


def answer_group(answer: str) -> str:
    """The group of a wrong answer: ``=`` and the number's value for a number, else the
    answer as SQuAD normalises it (never ``""``, the gold's group)."""
    value = parse_number(answer)
    if value is not None:
        return f"={value}"
    return normalize_answer(answer) or answer.strip() or "?"


def collect_answers(rows_by_system: Mapping[str, Sequence[ScoredItem]]
                    ) -> tuple[dict[str, ItemAnswers], dict[str, tuple[int, int]]]:
    """Every item's answers (item order) and each model's (right answers, items)."""
    items: dict[str, ItemAnswers] = {}
    totals: dict[str, tuple[int, int]] = {}
    for system, rows in rows_by_system.items():
        right = 0
        for row in rows:
            entry = items.get(row.item_id)
            if entry is None:
                entry = items[row.item_id] = ItemAnswers(decode_gold(row.reference))
            correct = row.counts.main_errors == 0
            right += correct
            answer = pair_extra(row.counts).get("answer") if row.prediction else None
            # A refusal is no answer: two models declining alike do not agree on a gold.
            refused = row.counts.main_category == NO_ANSWER or (
                row.prediction is not None
                and is_refusal(decode_answer_prediction(row.prediction).output))
            if isinstance(answer, str) and answer.strip() and not refused:
                entry.groups[system] = GOLD if correct else answer_group(answer)
                entry.texts[system] = answer
        totals[system] = (right, len(rows))
    return items, totals


def item_score(entry: ItemAnswers, weights: Mapping[str, float]) -> float:
    """Suspicion of one item's gold in [0, 1] (see the module docstring)."""
    if not entry.groups:
        return 0.0
    total = sum(weights[m] for m in entry.groups) + SMOOTHING
    by_group: dict[str, float] = {}
    for model, group in entry.groups.items():
        by_group[group] = by_group.get(group, 0.0) + weights[model]
    against = sum(w for g, w in by_group.items() if g != GOLD)
    top = max((w for g, w in by_group.items() if g != GOLD), default=0.0)
    return dissent_score(top / total, against / total)


def describe(entry: ItemAnswers) -> str:
    """``3 of 4 models answer '24'; gold '42'`` for the largest group against the gold."""
    answered = len(entry.groups)
    gold = " | ".join(repr(g) for g in entry.gold) or "none"
    if not answered:
        return f"no model answers; gold {gold}"
    counts = Counter(g for g in entry.groups.values() if g != GOLD)
    if not counts:
        return f"all {answered} answering models are right; gold {gold}"
    group, n = max(counts.items(), key=lambda kv: kv[1])
    shown = Counter(entry.texts[m] for m, g in entry.groups.items() if g == group)
    text = shown.most_common(1)[0][0]
    models = "model answers" if answered == 1 else "models answer"
    return f"{n} of {answered} {models} {text!r}; gold {gold}"


def _weights(rows_by_system: Mapping[str, Sequence[ScoredItem]], entry: ItemAnswers,
             totals: Mapping[str, tuple[int, int]], weighted: bool) -> dict[str, float]:
    if not weighted:
        return dict.fromkeys(entry.groups, 1.0)
    out: dict[str, float] = {}
    for model, group in entry.groups.items():
        right, n = totals[model]
        right -= group == GOLD
        share = right / (n - 1) if n > 1 else 0.5
        out[model] = min(max(share, MIN_WEIGHT), MAX_WEIGHT)
    return out


def _scores(rows_by_system: Mapping[str, Sequence[ScoredItem]],
            weighted: bool) -> SuspicionScores:
    items, totals = collect_answers(rows_by_system)
    scores = {item_id: item_score(entry, _weights(rows_by_system, entry, totals, weighted))
              for item_id, entry in items.items()}
    return SuspicionScores(scores, notes={k: describe(e) for k, e in items.items()})


def agreement_suspicion(rows_by_system: Mapping[str, Sequence[ScoredItem]]
                        ) -> SuspicionScores:
    """Item id -> suspicion, each model weighted by its accuracy elsewhere (the default)."""
    return _scores(rows_by_system, weighted=True)


def vote_suspicion(rows_by_system: Mapping[str, Sequence[ScoredItem]]) -> SuspicionScores:
    """Item id -> suspicion, every model's answer counting alike (the ``votes`` method)."""
    return _scores(rows_by_system, weighted=False)
