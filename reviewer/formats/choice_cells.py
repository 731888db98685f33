"""Cells of multiple-choice tables: option lists, answer keys, answers, MMLU-Redux labels.

Option lists come as JSON lists, Python list literals (``['a', 'b']``) or NumPy array
reprs (``['a' 'b'\\n 'c']``: no commas, which ``ast.literal_eval`` would silently join into
one string); each quoted string is read on its own, nothing is evaluated.
"""

from __future__ import annotations

import ast
import json
import re

from reviewer.core.choice_keys import LETTERS, join_key

NO_KEY = frozenset({"", "n/a", "na", "none", "null", "nan", "-"})
_LETTER = re.compile(r"^\(?\s*([A-Za-z])\s*[).:]?$")
_SPACE = re.compile(r"\s+")
_KEY_SPLIT = re.compile(r"\s*[|,;]\s*|\s+")
_INDEX = re.compile(r"^[+]?\d+(\.0+)?$")

# MMLU-Redux error types: the dataset's spellings (lower-cased, spaces and hyphens as "_")
# -> the taxonomy id; "ok" and "expert" are the dataset's own non-error labels.
_ERROR_TYPES: dict[str, tuple[str, ...]] = {
    "ok": ("ok", "no_error", "none", "correct"),
    "bad_question_clarity": ("bad_question_clarity", "bad_questions_clarity",
                             "unclear_question", "question_clarity", "bqc"),
    "bad_options_clarity": ("bad_options_clarity", "bad_option_clarity", "unclear_options",
                            "options_clarity", "boc"),
    "no_correct_answer": ("no_correct_answer", "no_correct_answers", "nca"),
    "multiple_correct_answers": ("multiple_correct_answers", "multiple_correct_answer",
                                 "multiple_answers", "mca"),
    "wrong_groundtruth": ("wrong_groundtruth", "wrong_ground_truth", "wrong_gt", "wg"),
    "expert": ("expert", "expert_needed", "needs_expert", "needs_an_expert"),
}
ERROR_TYPE_SPELLINGS: dict[str, str] = {
    spelling: type_id for type_id, spellings in _ERROR_TYPES.items() for spelling in spellings}


class CellError(ValueError):
    """A cell that cannot be read; the reader adds the file and the row."""


def parse_options(cell: str) -> list[str]:
    """The option texts of a list cell (JSON, Python list literal or NumPy repr)."""
    text = cell.strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise CellError(f"options {_short(text)} are not a list ([...])")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # nested too deeply
        value = None
    if isinstance(value, list) and all(not isinstance(v, list | dict) for v in value):
        options = [str(v) for v in value]
    else:
        found = _quoted_strings(text[1:-1])
        if found is None:
            raise CellError(f"options {_short(text)} are not a list of quoted strings")
        options = found
    if not options:
        raise CellError("the list of options is empty")
    if len(options) > len(LETTERS):
        raise CellError(f"{len(options)} options; at most {len(LETTERS)} can be lettered")
    return options


def _quoted_strings(body: str) -> list[str] | None:
    """The string literals in ``body``, separated by commas and/or whitespace; else None."""
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c in " \t\r\n,":
            i += 1
            continue
        if c not in "'\"":
            return None
        j = i + 1
        while j < n and body[j] != c:
            j += 2 if body[j] == "\\" else 1
        if j >= n:
            return None
        try:
            value = ast.literal_eval(body[i:j + 1])
        except (ValueError, SyntaxError):
            return None
        if not isinstance(value, str):
            return None
        out.append(value)
        i = j + 1
    return out


def is_index(cell: str) -> bool:
    """Whether ``cell`` is a non-negative whole number (``2``, ``2.0``)."""
    return bool(_INDEX.match(cell.strip()))


def letter_of(cell: str, count: int) -> str | None:
    """The option letter ``cell`` names (``B``, ``b``, ``(B)``, ``B.``), if within ``count``."""
    m = _LETTER.match(cell.strip())
    if m is None:
        return None
    letter = m.group(1).upper()
    return letter if LETTERS.index(letter) < count else None


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def answer_letter(cell: str, options: list[str], base: int | None) -> str | None:
    """The letter an answer cell names: a letter, an index (``base`` 0 or 1; ``None``: no
    indices) or an option's text; ``""`` for an empty cell, ``None`` when it names no option.
    """
    text = cell.strip()
    if not text:
        return ""
    count = len(options)
    letter = letter_of(text, count)
    if letter is not None:
        return letter
    if base is not None and is_index(text):
        k = int(float(text)) - base
        return LETTERS[k] if 0 <= k < count else None
    wanted = _normal(text)
    for k, option in enumerate(options):
        if _normal(option) == wanted:
            return LETTERS[k]
    return None


def parse_key(cell: str, options: list[str], base: int) -> str:
    """The answer key of a key cell: letters, indices (from ``base``) or an option's text;
    several separated by ``|``, ``,``, ``;`` or spaces (or a JSON list); ``""`` for none."""
    text = cell.strip()
    if text.lower() in NO_KEY:
        return ""
    single = answer_letter(text, options, base)
    if single:
        return single
    parts: list[str] = []
    if text.startswith("[") and text.endswith("]"):
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # nested too deeply
            value = None
        if isinstance(value, list):
            parts = [str(v) for v in value]
    if not parts:
        parts = [p for p in _KEY_SPLIT.split(text) if p]
    letters = [answer_letter(p, options, base) for p in parts]
    if len(parts) > 1 and all(letters):
        return join_key([x for x in letters if x])
    raise CellError(f"answer {_short(text)} names no option: give a letter (A–"
                    f"{LETTERS[len(options) - 1]}), an index, an option's text, several joined "
                    "by '|', or n/a for no correct answer")


def error_type_id(cell: str) -> str:
    """The MMLU-Redux error type id of an ``error_type`` cell ('' stays '')."""
    spelling = re.sub(r"[\s\-]+", "_", cell.strip().lower()).strip("_.")
    if not spelling:
        return ""
    found = ERROR_TYPE_SPELLINGS.get(spelling)
    if found is None:
        raise CellError(f"error type {_short(cell)} is not an MMLU-Redux label; known: "
                        + ", ".join(_ERROR_TYPES))
    return found


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")
