"""Where a model's final answer is in its raw output: the extraction presets of ``answer``.

Each preset returns the :class:`Extracted` answer with its ``(start, end)`` offsets into
the raw output (so a view highlights it), or ``None`` when the output holds none:

* ``boxed``: the content of the last ``\\boxed{…}`` (or ``\\fbox{…}``), nested braces
  allowed;
* ``answer-line``: what follows the last answer marker: a line starting ``Answer:``,
  ``Final answer:`` or ``A:``, a ``#### …`` line, or the phrase "the (final) answer is …";
* ``gsm8k``: what follows the last ``####`` (GSM8K's own answer format);
* ``last-number``: the last number (``-1,234.5``, ``3/4``);
* ``last-line``: the last non-empty line;
* ``regex:PATTERN``: the first match of ``PATTERN`` (as lm-evaluation-harness's regex
  filter takes it): its first group when the pattern has one, else the whole match;
* ``auto`` (the default): ``boxed``, then ``answer-line``, then ``last-number``, then
  ``last-line``; the first that finds something.

A found answer loses the white space, Markdown emphasis (``**``) and sentence-final full
stop around it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from reviewer.core.errors import ReviewerError

PRESETS: tuple[str, ...] = ("auto", "boxed", "answer-line", "gsm8k", "last-number",
                            "last-line")
REGEX_PREFIX = "regex:"
DEFAULT_PRESET = "auto"
DESCRIPTIONS: dict[str, str] = {
    "auto": "\\boxed{…}, then a final Answer:/A:/#### line, then the last number, then the "
            "last line",
    "boxed": "the content of the last \\boxed{…}",
    "answer-line": "what follows the last Answer:, Final answer:, A: or #### marker, or "
                   "'the answer is'",
    "gsm8k": "what follows the last #### (GSM8K's answer format)",
    "last-number": "the last number in the output",
    "last-line": "the last non-empty line",
    "regex:PATTERN": "the first match of PATTERN: its first group, else the whole match",
}


@dataclass(frozen=True, slots=True)
class Extracted:
    """An answer found in a raw output: its text, its offsets there, and the rule that
    found it (a preset name; ``regex`` for a pattern)."""

    text: str
    start: int
    end: int
    rule: str


class UnknownExtraction(ReviewerError, ValueError):
    """An extraction preset that is not one of :data:`PRESETS` nor a valid ``regex:``."""


def check_extract(preset: str) -> str:
    """``preset`` if it names an extraction preset (or a ``regex:`` pattern that compiles),
    else :class:`UnknownExtraction` saying what is wrong."""
    if preset in PRESETS:
        return preset
    if preset.startswith(REGEX_PREFIX):
        _compiled(preset[len(REGEX_PREFIX):])
        return preset
    raise UnknownExtraction(f"unknown extraction preset {preset!r}; choose one of "
                            f"{', '.join(PRESETS)} or regex:PATTERN")


def extract(output: str, preset: str = DEFAULT_PRESET) -> Extracted | None:
    """The answer ``preset`` finds in ``output`` (``None``: it finds none)."""
    if preset.startswith(REGEX_PREFIX):
        return _by_regex(output, _compiled(preset[len(REGEX_PREFIX):]))
    rules = _AUTO if preset == "auto" else (_RULES[check_extract(preset)],)
    for rule in rules:
        found = rule(output)
        if found is not None:
            return found
    return None


# -- the rules ---------------------------------------------------------------------------
_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
_ANSWER_LINE = re.compile(
    r"^[ \t>*_#-]*(?:final answer|answer|a)[*_]*[ \t]*[:：][*_]*[ \t]*(?P<a>[^\n]*)"
    r"|^[ \t]*####[ \t]*(?P<h>[^\n]*)"
    r"|\b(?:the )?(?:final )?answer is[:：]?[ \t]*(?P<p>[^\n]*)",
    re.IGNORECASE | re.MULTILINE)
_HASHES = re.compile(r"####[ \t]*([^\n]*)")
NUMBER_PATTERN = (r"(?<![\w.])[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
                  r"(?:\s*/\s*\d+(?:\.\d+)?)?(?!\d)")
_NUMBER = re.compile(NUMBER_PATTERN)
_TRAILING = " \t\r\n*_"


def _boxed(output: str) -> Extracted | None:
    for match in reversed(list(_BOXED.finditer(output))):
        start = match.end()
        depth = 1
        for k in range(start, len(output)):
            if output[k] == "{":
                depth += 1
            elif output[k] == "}":
                depth -= 1
                if depth == 0:
                    start, k = _inside_text_command(output, start, k)
                    return _trimmed(output, start, k, "boxed")
    return None


# ``\boxed{\text{Paris}}``: the answer is the words inside, as MATH-style scorers read it.
_TEXT_COMMAND = re.compile(r"\s*\\(?:text|textbf|textrm|mathrm|mbox)\s*\{(.*)\}\s*", re.DOTALL)


def _inside_text_command(output: str, start: int, end: int) -> tuple[int, int]:
    """The span inside a ``\\text{…}`` that fills the whole box, else the box's span."""
    whole = _TEXT_COMMAND.fullmatch(output, start, end)
    if whole is None or not _balanced(whole.group(1)):
        return start, end
    return whole.start(1), whole.end(1)


def _balanced(text: str) -> bool:
    """Whether every brace of ``text`` closes one opened before it, and all are closed."""
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def _answer_line(output: str) -> Extracted | None:
    found = None
    for match in _ANSWER_LINE.finditer(output):
        group = next(g for g in ("a", "h", "p") if match.group(g) is not None)
        answer = _trimmed(output, match.start(group), match.end(group), "answer-line")
        if answer is not None:
            found = answer
    return found


def _gsm8k(output: str) -> Extracted | None:
    found = None
    for match in _HASHES.finditer(output):
        answer = _trimmed(output, match.start(1), match.end(1), "gsm8k")
        if answer is not None:
            found = answer
    return found


def _last_number(output: str) -> Extracted | None:
    found = None
    for number in _NUMBER.finditer(output):
        found = number
    if found is None:
        return None
    return Extracted(found.group(), found.start(), found.end(), "last-number")


def _last_line(output: str) -> Extracted | None:
    end = len(output)
    while end > 0:
        start = output.rfind("\n", 0, end) + 1
        answer = _trimmed(output, start, end, "last-line", full_stop=False)
        if answer is not None:
            return answer
        end = start - 1
    return None


def _by_regex(output: str, pattern: re.Pattern[str]) -> Extracted | None:
    match = pattern.search(output)
    if match is None:
        return None
    group = 1 if pattern.groups and match.group(1) is not None else 0
    return _trimmed(output, match.start(group), match.end(group), "regex", full_stop=False)


def _trimmed(output: str, start: int, end: int, rule: str,
             full_stop: bool = True) -> Extracted | None:
    """The span ``start:end`` without surrounding white space and emphasis, and without a
    sentence-final full stop (``None`` when nothing is left)."""
    while start < end and output[start] in _TRAILING:
        start += 1
    stop = _TRAILING + "." if full_stop else _TRAILING
    while end > start and output[end - 1] in stop:
        end -= 1
    if start >= end:
        return None
    return Extracted(output[start:end], start, end, rule)


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.MULTILINE)
    except re.error as exc:
        raise UnknownExtraction(f"extraction pattern {pattern!r} is not a valid regular "
                                f"expression: {exc}") from None


_RULES: dict[str, Callable[[str], Extracted | None]] = {
    "boxed": _boxed, "answer-line": _answer_line, "gsm8k": _gsm8k,
    "last-number": _last_number, "last-line": _last_line,
}
_AUTO = (_boxed, _answer_line, _last_number, _last_line)
