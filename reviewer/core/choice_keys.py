"""Answer keys and option letters of multiple-choice items (the ``choice`` kind's encoding)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
KEY_SEPARATOR = "|"


def key_letters(key: str) -> tuple[str, ...]:
    """The letters of an answer key (``"A|C"`` -> ``("A", "C")``, ``""`` -> ``()``)."""
    return tuple(p for p in (part.strip().upper() for part in key.split(KEY_SEPARATOR)) if p)


def join_key(letters: Sequence[str]) -> str:
    """The key holding ``letters``, sorted and without repeats."""
    return KEY_SEPARATOR.join(sorted({x.strip().upper() for x in letters if x.strip()}))


def options_of(meta: Mapping[str, str]) -> list[str]:
    """The option texts kept in an item's meta (``[]`` when there are none)."""
    raw = meta.get("options")
    if not raw:
        return []
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # nested too deeply
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def is_correct(key: str, answer: str) -> bool:
    """Whether ``answer`` (a letter or '') is one of the letters of ``key``."""
    answer = answer.strip().upper()
    return bool(answer) and answer in key_letters(key)
