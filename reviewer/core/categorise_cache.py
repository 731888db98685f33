"""A categoriser that remembers the categories of short edits.

Most edits of a benchmark are a character or two, and the same few thousand of them come
back on every page (``rn``/``m``, a dropped comma), so naming each one's category once
saves the rules' Unicode lookups on every other. Long edits are rare and each one is
different: they are categorised every time, which keeps the memory bounded.
"""

from __future__ import annotations

from reviewer.core.categories import Categoriser

# Edits of at most this many characters (both sides together) are remembered ...
SHORT_EDIT = 16
# ... and at most this many of them, after which the memory starts afresh.
REMEMBERED = 1 << 14


def remembering(categorise: Categoriser) -> Categoriser:
    """``categorise`` with the categories of short edits remembered (it must be a function
    of its two texts alone, as every kind's categoriser is)."""
    known: dict[tuple[str, str], str] = {}

    def cached(ref: str, hyp: str) -> str:
        key = (ref, hyp)
        category = known.get(key)
        if category is None:
            category = categorise(ref, hyp)
            if len(ref) + len(hyp) <= SHORT_EDIT:
                if len(known) >= REMEMBERED:
                    known.clear()
                known[key] = category
        return category

    return cached
