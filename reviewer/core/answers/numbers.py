"""Reading an answer as a number, for the ``numeric`` matcher and its categories.

A text is a number when, once cleaned, it is one number with nothing around it but a
currency sign before it, a percent sign and unit words after it, or a variable and
``=`` before it (``x = 5``). Cleaning drops thousands separators (``1,234``, ``1 234``,
LaTeX's ``1{,}234``), LaTeX math delimiters and spacing, ``\\text{…}`` wrappers and a
final full stop. Numbers may be decimals (``2.50``), fractions (``3/4``, ``\\frac{3}{4}``)
or mixed numbers (``1 1/2``). A percent sign is dropped, not divided by: ``50%`` reads
as 50 (a percentage answer is compared with a percentage gold).

Two whole numbers are equal only when they are the same number (1,000,000,001 is not
1,000,000,000); when either is not whole, they are equal when they differ by at most
``tolerance`` (default :data:`DEFAULT_TOLERANCE`) times the larger magnitude, so
``0.3333333`` equals ``1/3``.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

DEFAULT_TOLERANCE = 1e-6

_LATEX_DROP = re.compile(r"\\[,!;: ]|\\(?:left|right)\b|\$|\\\(|\\\)|\\\[|\\\]")
_LATEX_TEXT = re.compile(r"\\(?:text|mathrm|textbf|mbox|operatorname)\s*\{([^{}]*)\}")
_LATEX_FRAC = re.compile(r"\\[dt]?frac\s*\{\s*([^{}]+?)\s*\}\s*\{\s*([^{}]+?)\s*\}")
_GROUPED = re.compile(r"(?<=\d)(?:,|\{,\}|[ \u00a0\u202f\u2009])(?=\d{3}(?!\d))")
_CURRENCY = "$€£¥₹"
_VALUE = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d{1,3})?"
_NUMBER = re.compile(
    rf"^(?:[A-Za-z]\w*\s*=\s*)?(?P<sign>[-+]?)\s*[{_CURRENCY}]?\s*"
    rf"(?:(?P<whole>\d+)\s+(?P<mn>\d+)\s*/\s*(?P<md>\d+)"
    rf"|(?P<num>{_VALUE})(?:\s*/\s*(?P<den>{_VALUE}))?)"
    r"\s*(?:%|percent\b|per cent\b)?\s*(?P<unit>[^\W\d][^\d=]*)?$")


@lru_cache(maxsize=1 << 16)
def parse_number(text: str) -> Fraction | None:
    """The number ``text`` reads as (see the module docstring), ``None`` when it is not
    one number."""
    if text.isascii() and text.isdigit():  # most gold answers: no cleaning to do
        return Fraction(int(text)) if len(text) <= 200 else None
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > 200:
        return None
    match = _NUMBER.match(cleaned)
    if match is None:
        return None
    negative = match["sign"] == "-"
    try:
        if match["whole"] is not None:
            den = int(match["md"])
            if den == 0:
                return None
            value = int(match["whole"]) + Fraction(int(match["mn"]), den)
        else:
            value = Fraction(match["num"])
            if match["den"] is not None:
                den_value = Fraction(match["den"])
                if den_value == 0:
                    return None
                value /= den_value
    except (ValueError, OverflowError):
        return None
    return -value if negative else value


def is_number(text: str) -> bool:
    """Whether ``text`` reads as one number."""
    return parse_number(text) is not None


def numbers_equal(a: Fraction, b: Fraction, tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Whether ``a`` and ``b`` are equal: exactly when both are whole numbers, else within
    ``tolerance`` times the larger magnitude."""
    if a == b:
        return True
    if a.denominator == 1 and b.denominator == 1:
        return False
    return abs(a - b) <= Fraction(tolerance) * max(abs(a), abs(b))


def _clean(text: str) -> str:
    text = text.strip().replace("−", "-").replace("\\%", "%").replace("\\$", "$")
    text = _LATEX_TEXT.sub(r" \1", text)
    text = _LATEX_FRAC.sub(r"(\1)/(\2)", text)
    text = _LATEX_DROP.sub("", text)
    text = _GROUPED.sub("", text)
    text = re.sub(r"\((\s*[-+]?[\d.]+\s*)\)", r"\1", text)  # what \frac's groups leave
    text = text.strip()
    while text.endswith("."):
        text = text[:-1].rstrip()
    return text
