"""Item facts of ``label`` items: the text, the gold class, each system's class and, when it
gave them, its probabilities (never the stored JSON)."""

from __future__ import annotations

from reviewer.core.item_facts.common import NO_PREDICTION, item_facts, plain
from reviewer.core.item_facts.types import Field, ItemData, ItemFacts, Span, SystemFacts
from reviewer.core.label_codec import decode_prediction

TOP_PROBS = 3  # classes listed per system, most probable first


def describe(data: ItemData) -> ItemFacts:
    """The item's text and gold class, then per system its class, right or wrong, the
    probability it gave the gold class and its most probable classes."""
    fields: list[Field] = []
    if text := dict(data.item.meta).get("text"):
        fields.append(plain("text", text))
    gold = data.item.reference.strip()
    current = data.decision.corrected_reference
    fields.append(plain("gold", gold + (f"  (corrected to {current})" if current else "")))
    target = current or gold
    systems = []
    for name in data.systems:
        answer = decode_prediction(data.predictions.get(name))
        if not answer.label:
            systems.append(SystemFacts(name, (Span(NO_PREDICTION, "no_prediction"),)))
            continue
        right = answer.label == target
        rest = f"  {'right' if right else 'wrong'}"
        if answer.probs is not None:
            ranked = sorted(answer.probs.items(), key=lambda cp: -cp[1])[:TOP_PROBS]
            rest += f"  p(gold) {answer.prob(target) or 0:.2f}; most probable: " + ", ".join(
                f"{c} {p:.2f}" for c, p in ranked)
        systems.append(SystemFacts(name, (
            Span(answer.label, None if right else "misclassified"), Span(rest))))
    return item_facts(data, fields, systems)
