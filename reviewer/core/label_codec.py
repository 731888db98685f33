"""How a ``label`` prediction is stored as text (see :mod:`reviewer.core.kinds.label`).

A system that gives only a class is stored as the class name itself; one that gives class
probabilities is stored as the JSON object ``{"label": class, "probs": {class: p, ...}}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_NUMBER = re.compile(r"(\d+)")


@dataclass(frozen=True, slots=True)
class LabelPrediction:
    """One system's answer on one item: its class ("" when it gave none) and probabilities."""

    label: str
    probs: Mapping[str, float] | None = None

    def prob(self, cls: str) -> float | None:
        """The probability given to ``cls`` (0 for a class not listed; ``None``: no probs)."""
        return None if self.probs is None else float(self.probs.get(cls, 0.0))


def encode_prediction(label: str, probs: Mapping[str, float] | None = None) -> str:
    """The stored text of a prediction: the class name, or JSON when probabilities are given."""
    if probs is None:
        return label
    return json.dumps({"label": label, "probs": dict(probs)}, ensure_ascii=False,
                      separators=(",", ":"))


def looks_encoded(text: str) -> bool:
    """Whether ``text`` would be read as a JSON-encoded prediction rather than a class name."""
    return text.startswith("{") and _object_with_label(text) is not None


def decode_prediction(text: str | None) -> LabelPrediction:
    """Inverse of :func:`encode_prediction`; ``None`` or "" is a missing prediction."""
    if not text:
        return LabelPrediction("")
    if text.startswith("{"):
        found = _object_with_label(text)
        if found is not None:
            label, probs = found
            return LabelPrediction(label, probs)
    return LabelPrediction(text.strip())


def _object_with_label(text: str) -> tuple[str, dict[str, float] | None] | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # nested too deeply
        return None
    if not isinstance(value, dict) or not isinstance(value.get("label"), str):
        return None
    probs = value.get("probs")
    if isinstance(probs, dict) and all(isinstance(p, int | float) for p in probs.values()):
        return value["label"], {str(k): float(p) for k, p in probs.items()}
    return value["label"], None


def natural_key(name: str) -> tuple[tuple[tuple[int, int, str], ...], str]:
    """Sort key putting ``2`` before ``10`` and ``class2`` before ``class10``."""
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                  for part in _NUMBER.split(name) if part)
    return parts, name


def class_order(names: Iterable[str]) -> list[str]:
    """The distinct class names in natural order (the order of every matrix and list)."""
    return sorted(set(names), key=natural_key)
