"""The ``meta`` column of items and predictions as the importer writes it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def meta_json(meta: Mapping[str, Any] | tuple[tuple[str, Any], ...]) -> str:
    """``json.dumps(dict(meta))`` of a mapping or of an item's ``(key, value)`` pairs: the
    same text, without calling the encoder for an empty one, which is what nearly every
    item and prediction has (a hundred thousand calls cost about a tenth of a second)."""
    return json.dumps(dict(meta)) if meta else "{}"
