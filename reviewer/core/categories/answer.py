"""Short free-form answer categories: why a model's answer to one item counts as wrong, or
what is worth seeing in a right one (DESIGN §4).

One category per (item, model), the first that applies:

* ``extraction_disagrees``: the log holds the evaluation harness's own extracted answer
  and it is not the answer reviewer extracted (judged by the item's matcher); right or
  wrong, such items are where a scoring script's parsing decides the score;
* for a wrong answer: ``no_answer`` (nothing extracted, or the output is a refusal),
  ``numerically_close`` (both numbers, and equal after rounding to the precision of the
  less precise one, within 1 %, or off by a factor of 10, 100 or 1000 or by a time or
  imperial unit: 60, 3600, 24, 7, 12), ``partial`` (0 < token F1 < 1, matcher ``f1``),
  else ``wrong``;
* for a right answer: ``equal_except_format`` when no gold answer is written exactly as
  the extracted answer (``$18.00`` for ``18``, ``paris`` for ``Paris``): counted right,
  shown so that format differences can be checked.
"""

from __future__ import annotations

import re
from fractions import Fraction

from reviewer.core.answers.numbers import parse_number
from reviewer.core.categories import Category

NO_ANSWER = "no_answer"  # nothing extracted, or a refusal

CATALOGUE: tuple[Category, ...] = (
    Category("wrong", "Wrong", "The extracted answer is none of the gold answers.",
             "orange"),
    Category("numerically_close", "Numerically close",
             "Both are numbers and close: rounding, a factor of 10, 100 or 1000, or a "
             "unit (60, 3600, 24, 7, 12).", "light_yellow"),
    Category("partial", "Partial", "The answer shares some of a gold answer's tokens "
             "(0 < F1 < 1).", "light_cyan"),
    Category("no_answer", "No answer or refusal", "No answer could be extracted from the "
             "output, or the model declined to answer.", "pale_grey"),
    Category("extraction_disagrees", "Extraction disagrees with the log's",
             "The evaluation harness extracted another answer from the same output.",
             "pink"),
    Category("equal_except_format", "Equal except format", "Counted right: equal to a "
             "gold answer once normalised, but written differently.", "mint"),
)
# Categories a right answer may have; every other one is an error.
RIGHT_CATEGORIES: frozenset[str] = frozenset({"equal_except_format", "extraction_disagrees"})

_REFUSAL = re.compile(
    r"\b(?:I(?:'m| am) (?:sorry|unable|not able)|I (?:can(?:'t|not)|won't|will not|"
    r"do not know|don't know)|as an AI\b|cannot (?:be )?(?:answer|determine)|"
    r"not enough information)", re.IGNORECASE)
_FACTORS = (10, 100, 1000, 60, 3600, 24, 7, 12)
_CLOSE = Fraction(1, 100)


def categorise(ref: str, hyp: str) -> str:
    """Category of a wrong answer ``hyp`` (the extracted answer, '' for none) against a
    gold answer ``ref`` (an edit's two texts, as every kind's categoriser takes them)."""
    return wrong_category(ref, hyp or None, hyp, 0.0)


def wrong_category(gold: str, answer: str | None, output: str, f1: float) -> str:
    """Why ``answer`` (extracted from ``output``; ``None``: nothing was) is not ``gold``:
    ``no_answer``, ``numerically_close``, ``partial`` (``0 < f1 < 1``) or ``wrong``."""
    if answer is None or not answer.strip() or is_refusal(output):
        return NO_ANSWER
    if gold and numerically_close(gold, answer):
        return "numerically_close"
    if 0.0 < f1 < 1.0:
        return "partial"
    return "wrong"


def is_refusal(output: str) -> bool:
    """Whether ``output`` declines to answer ("I'm sorry, I can't ...")."""
    return _REFUSAL.search(output) is not None


def numerically_close(gold: str, answer: str) -> bool:
    """Whether two different numbers are close as :data:`CATALOGUE` defines it."""
    a, b = parse_number(gold), parse_number(answer)
    if a is None or b is None or a == b:
        return False
    if _rounded_equal(gold, a, answer, b) or abs(a - b) <= _CLOSE * max(abs(a), abs(b)):
        return True
    if a == 0 or b == 0:
        return False
    ratio = abs(a / b) if abs(a) >= abs(b) else abs(b / a)
    return any(ratio == f for f in _FACTORS)


def _decimals(text: str) -> int:
    match = re.search(r"\.(\d+)", text)
    return len(match.group(1)) if match else 0


def _rounded_equal(a_text: str, a: Fraction, b_text: str, b: Fraction) -> bool:
    places = min(_decimals(a_text), _decimals(b_text))
    return round(a, places) == round(b, places)
