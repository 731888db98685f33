"""How a ``choice`` prediction is stored as text (see :mod:`reviewer.core.kinds.choice`).

A system that gives only an answer is stored as the chosen option's letter (``"B"``, ``""``
for none); one whose option probabilities are known (an evaluation harness's per-option
log-likelihoods) is stored as ``{"label": letter, "probs": {letter: p, ...}}``, the
encoding of the ``label`` kind (:mod:`reviewer.core.label_codec`), so both kinds read
probabilities the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from reviewer.core.choice_keys import LETTERS
from reviewer.core.label_codec import LabelPrediction, decode_prediction, encode_prediction

PROB_DIGITS = 6  # decimals kept of each stored option probability


def encode_choice(letter: str, probs: Mapping[str, float] | None = None) -> str:
    """The stored text of an answer: its letter, or JSON when option probabilities are given."""
    return encode_prediction(letter, probs)


def decode_choice(text: str | None) -> LabelPrediction:
    """The letter (upper case, ``""`` for none) and option probabilities of a stored answer."""
    found = decode_prediction(text)
    return LabelPrediction(found.label.strip().upper(), found.probs)


def choice_letter(text: str | None) -> str:
    """The chosen letter of a stored answer, whichever way it is stored."""
    return decode_choice(text).label


def from_loglikelihoods(logliks: Sequence[float]) -> tuple[str, dict[str, float]]:
    """The answer per-option log-likelihoods give: the most likely option's letter (the
    first on a tie, as an evaluation harness's argmax) and the softmax probabilities."""
    if not logliks:
        return "", {}
    top = max(logliks)
    weights = [math.exp(x - top) for x in logliks]
    total = math.fsum(weights)
    probs = {LETTERS[k]: round(w / total, PROB_DIGITS) for k, w in enumerate(weights)}
    return LETTERS[logliks.index(top)], probs
