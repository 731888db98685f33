"""How an ``answer`` item's gold answers and a model's prediction are stored as text.

* ``Item.reference`` holds the acceptable gold answers (aliases) as a JSON array of
  strings: ``["18"]``, ``["Paris", "Paris, France"]``; ``[]`` means no answer is
  acceptable (an invalid question). A text that is not a JSON array of strings is one
  alias, so a corrected reference typed as ``42`` means ``["42"]``.
* A prediction's text is the model's raw output. When the source also holds the answer
  the evaluation harness extracted, the prediction is the JSON object
  ``{"output": raw, "harness_answer": extracted}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AnswerPrediction:
    """One model's answer on one item: its raw output and the harness's extracted answer
    (``None`` when the source holds none)."""

    output: str
    harness_answer: str | None = None


def encode_gold(aliases: Iterable[str]) -> str:
    """The stored reference of the gold answers ``aliases`` (a JSON array, order kept)."""
    return json.dumps(list(aliases), ensure_ascii=False, separators=(",", ":"))


def decode_gold(text: str | None) -> tuple[str, ...]:
    """The gold answers of a stored (or typed) reference: a JSON array of strings gives
    its strings; any other non-blank text is one alias; ``None`` or blank gives none."""
    if text is None:
        return ()
    if text.startswith("["):
        found = _string_array(text)
        if found is not None:
            return found
    return (text.strip(),) if text.strip() else ()


def is_gold_array(text: str) -> bool:
    """Whether ``text`` is read as a JSON array of gold answers rather than one alias."""
    return text.startswith("[") and _string_array(text) is not None


def encode_answer_prediction(output: str, harness_answer: str | None = None) -> str:
    """The stored text of a prediction: the raw ``output`` itself, or the JSON object
    ``{"output", "harness_answer"}`` when the harness's extracted answer is known.

    An output that would read back as such an object is stored as the object too (with
    no harness answer), so that decoding gives back exactly what was encoded.
    """
    if harness_answer is None and not looks_encoded(output):
        return output
    value: dict[str, str | None] = {"output": output, "harness_answer": harness_answer}
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def looks_encoded(text: str) -> bool:
    """Whether ``text`` would be read as an encoded prediction rather than raw output."""
    return text.startswith("{") and _prediction_object(text) is not None


def decode_answer_prediction(text: str | None) -> AnswerPrediction:
    """Inverse of :func:`encode_answer_prediction`; ``None`` is an empty output."""
    if not text:
        return AnswerPrediction("")
    if text.startswith("{"):
        found = _prediction_object(text)
        if found is not None:
            return found
    return AnswerPrediction(text)


def _string_array(text: str) -> tuple[str, ...] | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # nested too deeply
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _prediction_object(text: str) -> AnswerPrediction | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict) or set(value) != {"output", "harness_answer"}:
        return None
    output, harness = value["output"], value["harness_answer"]
    if not isinstance(output, str) or not (harness is None or isinstance(harness, str)):
        return None
    return AnswerPrediction(output, harness)
