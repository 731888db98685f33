"""Suspicion of multiple-choice keys from the systems' votes (cleanlab-style self-confidence).

The systems' answers to an item give a distribution over its options: each option gets its
votes plus :data:`SMOOTHING`, normalised. The key's *self-confidence* is the share of that
distribution on the key's letters; an item is the more suspicious the lower it is:

    score = dissent_score(1 − p(key), max p(option not in the key))

(:func:`reviewer.core.suspicion.dissent_score`): the second share only breaks ties, so
among items with as many votes against the key, those where the dissenting systems agree
on one other option come first. A key naming no option (``""``: no correct answer) scores
the share of the most voted option. Items nobody answered score 0: there is no evidence
against the key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reviewer.core.choice_keys import LETTERS, key_letters, options_of
from reviewer.core.kind_spec import ScoredItem
from reviewer.core.suspicion import SuspicionScores, dissent_score

SMOOTHING = 0.5  # pseudo-votes per option (a Jeffreys prior)


@dataclass(slots=True)
class ItemVotes:
    """One item's key, number of options and the systems' votes per option index."""

    key: tuple[int, ...]
    options: int
    votes: list[int] = field(default_factory=list)

    @property
    def voters(self) -> int:
        return sum(self.votes)

    def distribution(self) -> list[float]:
        """Smoothed share of the votes per option."""
        total = self.voters + SMOOTHING * self.options
        return [(v + SMOOTHING) / total for v in self.votes]


def collect_votes(rows_by_system: Mapping[str, Sequence[ScoredItem]]) -> dict[str, ItemVotes]:
    """Every item's key and votes, in item order; answers naming no option are not votes."""
    out: dict[str, ItemVotes] = {}
    for rows in rows_by_system.values():
        for row in rows:
            entry = out.get(row.item_id)
            answer = (row.prediction or "").strip().upper()
            if entry is None:
                key = key_letters(row.reference)
                n = len(options_of(row.meta)) or _options_from(key, answer)
                entry = out[row.item_id] = ItemVotes(
                    tuple(LETTERS.index(x) for x in key if x in LETTERS[:n]), n, [0] * n)
            if len(answer) == 1 and answer in LETTERS:
                k = LETTERS.index(answer)
                if k >= entry.options:  # options unknown: grow to the letters seen
                    entry.votes += [0] * (k + 1 - entry.options)
                    entry.options = k + 1
                entry.votes[k] += 1
    return out


def _options_from(key: tuple[str, ...], answer: str) -> int:
    letters = [*key, answer] if answer else list(key)
    seen = [LETTERS.index(x) + 1 for x in letters if len(x) == 1 and x in LETTERS]
    return max([2, *seen])


def item_score(entry: ItemVotes) -> float:
    """Suspicion of one item's key in [0, 1] (see the module docstring)."""
    if entry.voters == 0:
        return 0.0
    p = entry.distribution()
    on_key = sum(p[k] for k in entry.key)
    others = [x for k, x in enumerate(p) if k not in entry.key]
    top_other = max(others, default=0.0)
    if not entry.key:
        return top_other
    return dissent_score(1 - on_key, top_other)


def describe(entry: ItemVotes) -> str:
    """``key B; votes A 9, B 2, C 1`` (options nobody chose left out)."""
    key = "|".join(LETTERS[k] for k in entry.key) or "none"
    votes = ", ".join(f"{LETTERS[k]} {v}" for k, v in enumerate(entry.votes) if v)
    return f"key {key}; votes {votes or 'none'}"


def vote_suspicion(rows_by_system: Mapping[str, Sequence[ScoredItem]]) -> dict[str, float]:
    """Item id -> suspicion from the systems' votes (the ``votes`` method)."""
    votes = collect_votes(rows_by_system)
    return SuspicionScores({item_id: item_score(e) for item_id, e in votes.items()},
                           notes={item_id: describe(e) for item_id, e in votes.items()})


def cleanlab_suspicion(rows_by_system: Mapping[str, Sequence[ScoredItem]]) -> dict[str, float]:
    """Item id -> 1 − cleanlab's label quality (``normalized_margin``) of the vote distribution.

    Needs the optional ``cleanlab`` package. A key with several letters is represented by its
    most voted letter; items without a key or without votes score as :func:`item_score` does.
    """
    try:
        import numpy as np
        from cleanlab.rank import get_label_quality_scores
    except ImportError as exc:
        from reviewer.core.errors import ReviewerError

        raise ReviewerError("the cleanlab method needs the cleanlab package "
                            "(pip install 'reviewer[cleanlab]')") from exc
    votes = collect_votes(rows_by_system)
    scores = SuspicionScores({item_id: item_score(e) for item_id, e in votes.items()},
                             notes={item_id: describe(e) for item_id, e in votes.items()})
    ranked = [(i, e) for i, e in votes.items() if e.key and e.voters]
    if not ranked:
        return scores
    width = max(e.options for _, e in ranked)
    probs = np.zeros((len(ranked), width))
    labels = np.zeros(len(ranked), dtype=np.int64)
    for row, (_, entry) in enumerate(ranked):
        p = entry.distribution()
        probs[row, :len(p)] = p
        labels[row] = max(entry.key, key=lambda k: entry.votes[k])
    quality = get_label_quality_scores(labels, probs, method="normalized_margin")
    for (item_id, _), q in zip(ranked, quality, strict=True):
        scores[item_id] = float(1.0 - q)
    return scores
