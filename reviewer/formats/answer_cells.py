"""Cells of short-answer tables and logs: gold answers (aliases) and gold rationales.

A gold cell may be one answer (``18``), a JSON list of answers (``["Paris", "Paris,
France"]``, a dataset hub's list-valued column), a Python list literal (how
lm-evaluation-harness writes a list target), a JSON object holding the answers as a
dataset hub's struct columns do (SQuAD's ``{"text": [...], "answer_start": [...]}``,
TriviaQA's ``{"aliases": [...], "value": ...}``), or a worked solution ending in
``#### 18`` (GSM8K's style): the text after the last ``####`` is the answer and the text
before it the rationale. Nothing is evaluated: a list literal is read string by string.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from typing import Any

from reviewer.core.answers.encoding import decode_gold, is_gold_array

FINAL_MARK = "####"
# Keys of a struct cell that hold the answers, in the order they are looked for.
ANSWER_KEYS = ("aliases", "text", "answers", "answer", "value", "normalized_aliases")
EXTRA_ALIAS_KEYS = ("normalized_value",)
_LIST_LIMIT = 1_000_000  # characters of a list literal read with ast (a cell is smaller)


class AnswerCellError(ValueError):
    """A gold cell that names no answer; the reader adds the file and the record."""


@dataclass(frozen=True, slots=True)
class Gold:
    """The gold answers of one item and the rationale that came with them (``""``: none)."""

    aliases: tuple[str, ...]
    rationale: str = ""


def parse_gold(cell: str) -> Gold:
    """The gold answers of a cell (see the module docstring); a blank cell is an error."""
    text = cell.strip()
    if not text:
        raise AnswerCellError("the gold answer is empty (give [] for a question with no "
                              "acceptable answer)")
    if is_gold_array(text):
        return Gold(_distinct(a.strip() for a in decode_gold(text)))
    if text[:1] in "[{":
        found = _structured(text)
        if found is not None:
            return Gold(found)
    if FINAL_MARK in text:
        rationale, _, final = text.rpartition(FINAL_MARK)
        if final.strip():
            return Gold((final.strip(),), rationale.strip())
    return Gold((text,))


def _structured(text: str) -> tuple[str, ...] | None:
    """The answers of a JSON or Python-literal list, or of a struct; None: neither."""
    try:
        value: Any = json.loads(text)
    except (ValueError, RecursionError):  # nested too deeply
        value = _python_list(text)
    if isinstance(value, list):
        if all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
            return _distinct(str(v).strip() for v in value)
        return None
    if isinstance(value, dict):
        for key in ANSWER_KEYS:
            found = value.get(key)
            if isinstance(found, str) and found.strip():
                answers = [found.strip()]
            elif isinstance(found, list) and found and all(isinstance(v, str) for v in found):
                answers = [v.strip() for v in found]
            else:
                continue
            answers += [v.strip() for k in EXTRA_ALIAS_KEYS
                        if isinstance(v := value.get(k), str) and v.strip()]
            return _distinct(answers)
    return None


def _python_list(text: str) -> list[Any] | None:
    """A Python list literal of strings and numbers (``['a', 'b']``), else None."""
    if not text.startswith("[") or len(text) > _LIST_LIMIT:
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, list) else None


def _distinct(answers: Any) -> tuple[str, ...]:
    """The non-empty answers, each once, in order."""
    return tuple(dict.fromkeys(a for a in answers if a))
