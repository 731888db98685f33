"""What ``reviewer show`` and the HTML report show of one item, per task kind.

Each kind turns an item's stored data (:class:`ItemData`) into :class:`ItemFacts`; the
terminal (``reviewer.cli.item_printer``) and the report (``reviewer.report_items``) only
draw them, so the two always agree. The describers are registered in one typed table,
:data:`ITEM_FACTS` (DESIGN §2: one typed object per kind and layer).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from reviewer.core.item_facts import answer, choice, gec, label, sequence
from reviewer.core.item_facts.types import (
    Describe,
    Field,
    ItemData,
    ItemFacts,
    Span,
    Spans,
    SystemFacts,
)
from reviewer.core.items import Kind

__all__ = ["ITEM_FACTS", "Describe", "Field", "ItemData", "ItemFacts", "Span", "Spans",
           "SystemFacts", "describe_item"]

ITEM_FACTS: Mapping[Kind, Describe] = MappingProxyType({
    "text": sequence.describer("text"),
    "asr": sequence.describer("asr"),
    "gec": gec.describe,
    "kern": sequence.describer("kern"),
    "choice": choice.describe,
    "label": label.describe,
    "answer": answer.describe,
})


def describe_item(kind: Kind, data: ItemData) -> ItemFacts:
    """The facts of one item of a ``kind`` project."""
    return ITEM_FACTS[kind](data)
