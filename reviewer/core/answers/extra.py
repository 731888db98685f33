"""What a scored ``answer`` pair keeps beyond its counts (``PairCounts.extra``, a JSON
object): see :data:`EXTRA_KEYS` and :mod:`reviewer.core.kinds.answer`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from reviewer.core.counts import PairCounts

# answer: the extracted answer (null: none); span: [start, end] offsets of it into the raw
# output; rule: the extraction rule that found it; matcher: the matcher that judged it;
# f1: the item's score in [0, 1]; harness_answer, harness_right: the log's own extracted
# answer and whether it is right (only when the log holds one).
EXTRA_KEYS: tuple[str, ...] = ("answer", "span", "rule", "matcher", "f1", "harness_answer",
                               "harness_right")


def pair_extra(counts: PairCounts) -> Mapping[str, Any]:
    """What a scored pair's ``extra`` holds (:data:`EXTRA_KEYS`); ``{}`` for none."""
    try:
        value = json.loads(counts.extra) if counts.extra else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
