"""What every kind's item facts share: the decision's fields and the assembly of the facts."""

from __future__ import annotations

from collections.abc import Iterable

from reviewer.core.item_facts.types import Field, ItemData, ItemFacts, Span, SystemFacts

NO_PREDICTION = "no prediction"


def percent(value: float | None) -> str:
    """A rate as a percentage with two decimals; an undefined rate as an em dash."""
    return "—" if value is None else f"{100 * value:.2f}%"


def plain(label: str, text: str) -> Field:
    """A field of uncoloured text."""
    return Field(label, (Span(text),))


def not_aligned(name: str) -> SystemFacts:
    """A system the project holds no scores of on the item."""
    return SystemFacts(name, (Span("not aligned"),), aligned=False)


def item_facts(data: ItemData, fields: Iterable[Field],
               systems: Iterable[SystemFacts]) -> ItemFacts:
    """The facts of ``data``'s item: the kind's ``fields``, then the note and the tags."""
    decision = data.decision
    tail: list[Field] = []
    if decision.note:
        tail.append(plain("note", decision.note))
    if decision.tags:
        tail.append(plain("tags", ", ".join(decision.tags)))
    return ItemFacts(data.item.id, decision.verdict, decision.error_type, decision.status,
                     decision.corrected_reference is not None, data.item.media or None,
                     (*fields, *tail), tuple(systems))

