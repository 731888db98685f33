"""Whether an extracted answer equals one of the gold answers: the matchers of ``answer``.

* ``exact``: equal once both are normalised as SQuAD v1.1's official evaluation script
  normalises answers (lower case, punctuation removed, the articles *a*, *an*, *the*
  removed, white space collapsed): SQuAD's exact match, max over the gold answers.
* ``numeric``: both read as numbers (:mod:`reviewer.core.answers.numbers`: commas,
  currency, percent signs and units dropped, fractions read) and equal: whole numbers
  exactly, others within a relative tolerance of 10⁻⁶.
* ``math``: symbolically equivalent according to the ``math-verify`` library
  (``\\frac{1}{2}`` = ``0.5``, ``x+1`` = ``1+x``), or written alike but for case and
  white space.
* ``f1``: right on SQuAD's exact match, and scored by SQuAD's token F1 (the harmonic mean
  of precision and recall of the normalised answer's tokens), max over the gold answers.

Every matcher gives an item a score in [0, 1]: the token F1 for ``f1``, else 1 for a
right answer and 0 for a wrong one. The default matcher (``""``) is ``numeric`` when every
gold answer of the item is a number, else ``exact``.
"""

from __future__ import annotations

import re
import string
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reviewer.core.answers.numbers import is_number, numbers_equal, parse_number
from reviewer.core.errors import ReviewerError

MATCHERS: tuple[str, ...] = ("exact", "numeric", "math", "f1")
DEFAULT_MATCHER = ""  # numeric when every gold answer is a number, else exact
DESCRIPTIONS: dict[str, str] = {
    "": "numeric when every gold answer is a number, else exact",
    "exact": "equal after SQuAD's normalisation (case, punctuation, articles, white space)",
    "numeric": "equal as numbers (commas, currency, percent, units dropped; fractions); "
               "whole numbers exactly, others within a relative tolerance of 1e-6",
    "math": "symbolically equivalent (math-verify)",
    "f1": "SQuAD's exact match, with SQuAD's token F1 as the item's score",
}
MATH_TIMEOUT_SECONDS = 5

_PUNCTUATION = frozenset(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


@dataclass(frozen=True, slots=True)
class Match:
    """An answer compared with the gold answers: right or not, its score in [0, 1] (the
    token F1 for ``f1``, else 0 or 1), and the matcher that judged it."""

    correct: bool
    score: float
    matcher: str


# The names a person gives a matcher: ``default`` is the default rule ("").
MATCHER_CHOICES: tuple[str, ...] = ("default", *MATCHERS)


def matcher_named(name: str) -> str:
    """The matcher a person names (``default`` -> ``""``), checked."""
    return check_matcher(DEFAULT_MATCHER if name == "default" else name)


class UnknownMatcher(ReviewerError, ValueError):
    """A matcher name that is not one of :data:`MATCHERS`."""


def check_matcher(name: str) -> str:
    """``name`` if it names a matcher (``""``: the default rule), else
    :class:`UnknownMatcher` naming them."""
    if name != DEFAULT_MATCHER and name not in MATCHERS:
        raise UnknownMatcher(f"unknown answer matcher {name!r}; choose one of "
                             f"{', '.join(MATCHERS)} (or none for the default rule)")
    return name


def matcher_for(gold: Sequence[str], name: str = DEFAULT_MATCHER) -> str:
    """The matcher an item is judged with: ``name``, or by the default rule when it is
    ``""`` (``numeric`` when every gold answer is a number, else ``exact``)."""
    if check_matcher(name):
        return name
    return "numeric" if gold and all(is_number(g) for g in gold) else "exact"


def match(answer: str | None, gold: Sequence[str], name: str = DEFAULT_MATCHER) -> Match:
    """Judge ``answer`` (``None``: none was extracted) against ``gold`` with matcher
    ``name`` (see the module docstring); no gold answer means nothing is right."""
    used = matcher_for(gold, name)
    if answer is None or not gold:
        return Match(False, 0.0, used)
    if used == "f1":
        return Match(any(exact_match(answer, g) for g in gold),
                     max(token_f1(answer, g) for g in gold), used)
    right = _JUDGES[used](answer, gold)
    return Match(right, 1.0 if right else 0.0, used)


# -- SQuAD v1.1's official definitions ---------------------------------------------------
def normalize_answer(text: str) -> str:
    """SQuAD's normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(answer: str, gold: str) -> bool:
    """SQuAD's exact match of one answer with one gold answer."""
    return normalize_answer(answer) == normalize_answer(gold)


def token_f1(answer: str, gold: str) -> float:
    """SQuAD's token F1 of one answer against one gold answer (0 when no token is shared,
    so also when either side normalises to nothing)."""
    answer_tokens = normalize_answer(answer).split()
    gold_tokens = normalize_answer(gold).split()
    same = sum((Counter(answer_tokens) & Counter(gold_tokens)).values())
    if same == 0:
        return 0.0
    precision = same / len(answer_tokens)
    recall = same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


# -- the other matchers -------------------------------------------------------------------
def _exact(answer: str, gold: Sequence[str]) -> bool:
    return any(exact_match(answer, g) for g in gold)


def _numeric(answer: str, gold: Sequence[str]) -> bool:
    value = parse_number(answer)
    if value is None:
        return _exact(answer, [g for g in gold if not is_number(g)])
    for g in gold:
        expected = parse_number(g)
        if expected is None:
            if exact_match(answer, g):
                return True
        elif numbers_equal(value, expected):
            return True
    return False


def _math(answer: str, gold: Sequence[str]) -> bool:
    # Punctuation matters in maths ((0,9) is not [0,9)): only case and spaces are ignored.
    written = _compact(answer)
    if any(_compact(g) == written for g in gold):
        return True
    parsed = _math_parse(answer)
    if not parsed:
        return False
    from math_verify import verify

    timeout = _timeout()
    return any(bool(verify(expected, parsed, timeout_seconds=timeout))
               for g in gold for expected in (_math_parse(g),) if expected)


@lru_cache(maxsize=4096)
def _math_parse(text: str) -> list[Any]:
    """math-verify's reading of ``text``: an answer without ``$`` is read as inline maths
    (``x+1`` -> ``$x+1$``; read as plain text math-verify takes only the ``1``), and as
    plain text when that finds nothing."""
    from math_verify import parse

    timeout = _timeout()
    found: list[Any] = []
    if "$" not in text:
        found = parse(f"${text}$", parsing_timeout=timeout)
    return found or parse(text, parsing_timeout=timeout)


def _compact(text: str) -> str:
    return "".join(text.split()).casefold()


def _timeout() -> int | None:
    # math-verify times out with SIGALRM, which only the main thread may set.
    return MATH_TIMEOUT_SECONDS if threading.current_thread() is threading.main_thread() else None


_JUDGES: dict[str, Callable[[str, Sequence[str]], bool]] = {
    "exact": _exact, "numeric": _numeric, "math": _math,
}
