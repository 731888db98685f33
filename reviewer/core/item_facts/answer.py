"""Item facts of ``answer`` items: the question, the gold answers, and per model the answer
extracted from its raw output, right or wrong, with the output and the extracted span."""

from __future__ import annotations

from reviewer.core.answers.encoding import decode_answer_prediction, decode_gold
from reviewer.core.answers.extra import pair_extra
from reviewer.core.item_facts.common import NO_PREDICTION, item_facts, not_aligned, plain
from reviewer.core.item_facts.types import Field, ItemData, ItemFacts, Span, SystemFacts


def gold_text(reference: str) -> str:
    """The gold answers as shown: the aliases, or that no answer is acceptable."""
    return " | ".join(decode_gold(reference)) or "none (no answer is acceptable)"


def describe(data: ItemData) -> ItemFacts:
    """The question, context and gold answers, then each model's extracted answer."""
    meta = dict(data.item.meta)
    fields: list[Field] = [plain(key, meta[key]) for key in ("question", "context")
                           if meta.get(key)]
    corrected = data.decision.corrected_reference
    fields.append(plain("gold", gold_text(data.item.reference) + (
        f"  (corrected to {gold_text(corrected)})" if corrected is not None else "")))
    systems = []
    for name in data.systems:
        counts = data.counts.get(name)
        if name not in data.predictions:
            systems.append(SystemFacts(name, (Span(NO_PREDICTION, "no_answer"),)))
            continue
        if counts is None:
            systems.append(not_aligned(name))
            continue
        extra = pair_extra(counts)
        category = counts.main_category or None
        answer = extra.get("answer")
        summary = [Span(str(answer) if answer is not None else "no answer", category),
                   Span(f"  {'wrong' if counts.main_errors else 'right'}")]
        if extra.get("harness_answer") is not None:
            summary.append(Span(f"  (the log's answer: {extra['harness_answer']})"))
        output = decode_answer_prediction(data.predictions[name]).output
        span = extra.get("span")
        if isinstance(span, list) and len(span) == 2 and 0 <= span[0] <= span[1] <= len(output):
            start, end = span
            shown = (Span(output[:start]), Span(output[start:end], category, "answer"),
                     Span(output[end:]))
            marked = tuple(s for s in shown if s.text or s.tag)
        else:
            marked = (Span(output),)
        systems.append(SystemFacts(name, tuple(summary), fields=(Field("output", marked),)))
    return item_facts(data, fields, systems)
