"""Item facts of ``gec`` sentences: the source, each gold annotator's correction and each
system's, edits labelled with their ERRANT type and, for a system, TP or FP against the gold
annotator kept for the sentence; the gold edits it missed follow as FN."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reviewer.core.gec import M2Edit, annotators, apply, judge, parse_block
from reviewer.core.item_facts.common import item_facts, plain
from reviewer.core.item_facts.types import Field, ItemData, ItemFacts, Span, SystemFacts
from reviewer.core.kinds.gec import edit_category


def describe(data: ItemData) -> ItemFacts:
    """The source and gold rows, then each system's counts, sentence and missed edits."""
    source, gold = parse_block(data.reference)
    tokens = (source or dict(data.item.meta).get("source", "")).split()
    fields = [plain("source", " ".join(tokens))]
    fields += [Field(f"gold {who}", _sentence(tokens, [e for e in gold if e.annotator == who],
                                              {}))
               for who in annotators(gold)]
    systems = []
    for name in data.systems:
        hyp = data.predictions.get(name)
        edits = parse_block(hyp or "")[1]
        judged = judge(gold, edits)
        c = judged.counts
        summary = (f"against annotator {c.ref}: TP {c.tp}, FP {c.fp}, FN {c.fn}"
                   + ("" if hyp is not None else "  (no prediction)"))
        lines = [Field("output", _sentence(tokens, edits, dict(judged.marks)))]
        if judged.missed:
            missed: list[Span] = []
            for k, e in enumerate(judged.missed):
                before = " ".join(tokens[e.start:e.end]) or "∅"
                if k:
                    missed.append(Span("  "))
                missed.append(_chip(f"{before} → {e.correction or '∅'}", e, "FN", tokens))
            lines.append(Field("missed", tuple(missed)))
        systems.append(SystemFacts(name, (Span(summary),), fields=tuple(lines)))
    return item_facts(data, fields, systems)


def _sentence(tokens: Sequence[str], edits: Sequence[M2Edit],
              marks: Mapping[M2Edit, str]) -> tuple[Span, ...]:
    """The sentence with ``edits`` applied: plain tokens, each edit a labelled chip."""
    out: list[Span] = []
    for k, (text, edit) in enumerate(apply(tokens, edits)):
        if k:
            out.append(Span(" "))
        if edit is None:
            out.append(Span(text))
        else:
            shown = text or "-" + " ".join(tokens[edit.start:edit.end])
            out.append(_chip(shown, edit, marks.get(edit, ""), tokens))
    return _merged(out)


def _chip(text: str, edit: M2Edit, mark: str, tokens: Sequence[str]) -> Span:
    return Span(text, edit_category(edit, tokens), edit.type + (f" {mark}" if mark else ""))


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    """Adjacent plain spans as one."""
    out: list[Span] = []
    for span in spans:
        if out and span.category is None and not span.tag and out[-1].category is None \
                and not out[-1].tag:
            out[-1] = Span(out[-1].text + span.text)
        else:
            out.append(span)
    return tuple(out)
