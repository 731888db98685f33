"""Label-issue ranking of a ``label`` benchmark: how likely each gold class is wrong.

Each system gives an item a distribution over classes: its probabilities, or all the mass
on its class when it gave only a class (a missing prediction gives none). Methods:

- ``self_confidence`` (default): 1 − the probability of the gold class, averaged over the
  systems; with probabilities this is 1 − cleanlab's default label-quality score
  (``get_label_quality_scores``, method "self_confidence") averaged over systems. Items on
  which no system gave probabilities get the vote score below, which equals 1 − the
  self-confidence of one-hot answers except for its tie-break.
- ``votes``: probabilities ignored. With ``n`` systems answering, ``d`` of them disagreeing
  with the gold class and ``m`` of those agreeing on one other class, the score is
  ``(d·(n+1) + m) / (n·(n+2))``: ordered by the share of dissent ``d/n`` first, ties
  broken by how much the dissenters agree with each other; 0 without dissent, 1 when all
  agree on another class.
- ``cleanlab`` (needs the optional ``cleanlab`` package): the systems' distributions are
  averaged, cleanlab's ``find_label_issues`` flags items, and the score is
  ``0.5 + 0.5·(1 − quality)`` for flagged items and ``0.5·(1 − quality)`` for the rest,
  quality being ``get_label_quality_scores``: flagged items first, each group by quality.

Items no system answered score 0.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from reviewer.core.errors import ReviewerError
from reviewer.core.kind_spec import ScoredItem
from reviewer.core.label_codec import LabelPrediction, class_order, decode_prediction
from reviewer.core.suspicion import SuspicionScores, dissent_score

METHODS: tuple[str, ...] = ("self_confidence", "votes", "cleanlab")
DEFAULT_METHOD = "self_confidence"


@dataclass
class _Votes:
    """What the systems said about one item."""

    gold: str
    answers: list[LabelPrediction] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)  # who gave each answer

    @property
    def has_probs(self) -> bool:
        return any(a.probs is not None for a in self.answers)


def _collect(rows_by_system: Mapping[str, Sequence[ScoredItem]]) -> dict[str, _Votes]:
    """Item id -> gold class and every system's answer, in item order."""
    items: dict[str, _Votes] = {}
    for system, rows in rows_by_system.items():
        for row in rows:
            votes = items.get(row.item_id)
            if votes is None:
                votes = items[row.item_id] = _Votes(row.reference.strip())
            answer = decode_prediction(row.prediction)
            if answer.label or answer.probs is not None:
                votes.answers.append(answer)
                votes.systems.append(system)
    return items


def vote_score(gold: str, labels: Sequence[str]) -> float:
    """The ``votes`` score of one item whose systems answered ``labels``: the share against
    the gold label, ties broken by the largest group agreeing on another (as for choice)."""
    n = len(labels)
    if n == 0:
        return 0.0
    dissent = Counter(label for label in labels if label != gold)
    return dissent_score(sum(dissent.values()) / n, max(dissent.values(), default=0) / n)


def self_confidence(gold: str, answers: Sequence[LabelPrediction]) -> float:
    """The mean probability the answers give ``gold`` (one-hot for a class alone)."""
    total = 0.0
    for a in answers:
        p = a.prob(gold)
        total += (1.0 if a.label == gold else 0.0) if p is None else p
    return total / len(answers)


def describe(votes: _Votes) -> str:
    """``gold 8; logreg 4 (p 0.97), forest 4 (p 0.81)``: what each system answered."""
    parts = []
    for system, a in zip(votes.systems, votes.answers, strict=True):
        p = a.prob(a.label)
        parts.append(f"{system} {a.label}" + ("" if p is None else f" (p {p:.2f})"))
    return f"gold {votes.gold}; " + (", ".join(parts) or "no answers")


def suspicion(rows_by_system: Mapping[str, Sequence[ScoredItem]],
              method: str | None = None) -> dict[str, float]:
    """Item id -> score in [0, 1], higher meaning the gold class is more likely wrong.

    The result carries a note per item (what each system answered) for the queue.
    """
    method = method or DEFAULT_METHOD
    if method not in METHODS:
        raise ReviewerError(f"unknown suspicion method {method!r} for label benchmarks; "
                         f"choose one of {', '.join(METHODS)}")
    items = _collect(rows_by_system)
    notes = {item_id: describe(v) for item_id, v in items.items()}
    if method == "cleanlab":
        return SuspicionScores(_cleanlab(items), notes=notes)
    out: dict[str, float] = {}
    for item_id, v in items.items():
        if not v.answers:
            out[item_id] = 0.0
        elif method == "self_confidence" and v.has_probs:
            out[item_id] = min(1.0, max(0.0, 1.0 - self_confidence(v.gold, v.answers)))
        else:
            out[item_id] = vote_score(v.gold, [a.label for a in v.answers])
    return SuspicionScores(out, notes=notes)


def by_self_confidence(rows_by_system: Mapping[str, Sequence[ScoredItem]]) -> dict[str, float]:
    """The ``self_confidence`` method (the default)."""
    return suspicion(rows_by_system, "self_confidence")


def by_votes(rows_by_system: Mapping[str, Sequence[ScoredItem]]) -> dict[str, float]:
    """The ``votes`` method: the systems' classes only."""
    return suspicion(rows_by_system, "votes")


def by_cleanlab(rows_by_system: Mapping[str, Sequence[ScoredItem]]) -> dict[str, float]:
    """The ``cleanlab`` method (needs the cleanlab package)."""
    return suspicion(rows_by_system, "cleanlab")


def mean_distributions(items: Mapping[str, _Votes]) -> tuple[list[str], list[str], np.ndarray]:
    """``(answered ids, classes, probabilities)``: each row the systems' mean distribution."""
    ids = [i for i, v in items.items() if v.answers]
    classes = class_order(
        [v.gold for v in items.values()]
        + [a.label for v in items.values() for a in v.answers if a.label]
        + [c for v in items.values() for a in v.answers for c in (a.probs or {})])
    index = {c: k for k, c in enumerate(classes)}
    probs = np.zeros((len(ids), len(classes)))
    for row, item_id in enumerate(ids):
        answers = items[item_id].answers
        for a in answers:
            if a.probs is not None:
                for cls, p in a.probs.items():
                    probs[row, index[cls]] += p
            else:
                probs[row, index[a.label]] += 1.0
        total = probs[row].sum()
        if total > 0:
            probs[row] /= total
    return ids, classes, probs


def _cleanlab(items: Mapping[str, _Votes]) -> dict[str, float]:
    try:
        from cleanlab.filter import find_label_issues
        from cleanlab.rank import get_label_quality_scores
    except ImportError:
        raise ReviewerError("the cleanlab method needs the cleanlab package "
                            "(pip install 'reviewer[cleanlab]')") from None
    out = dict.fromkeys(items, 0.0)
    ids, classes, probs = mean_distributions(items)
    if not ids:
        return out
    index = {c: k for k, c in enumerate(classes)}
    labels = np.array([index[items[i].gold] for i in ids])
    with warnings.catch_warnings():
        # Rare classes make cleanlab warn that it may miss some of their issues.
        warnings.simplefilter("ignore")
        quality = get_label_quality_scores(labels, probs)
        flagged = (find_label_issues(labels, probs, n_jobs=1) if len(classes) > 1
                   else np.zeros(len(ids), dtype=bool))
    for item_id, q, issue in zip(ids, quality, flagged, strict=True):
        out[item_id] = float(0.5 * (1 - q) + (0.5 if issue else 0.0))
    return out
