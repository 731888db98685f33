"""What ``reviewer show`` prints for one item: its :class:`~reviewer.core.item_facts.ItemFacts`
drawn as terminal lines, errors in their categories' colours."""

from __future__ import annotations

from reviewer.cli.terminal import aligned_rows, paint, safe
from reviewer.core.categories import catalogue
from reviewer.core.item_facts import Field, ItemFacts, Spans
from reviewer.core.items import Kind

_FALLBACK_SWATCH = "orange"  # a category the catalogue does not know


def item_lines(facts: ItemFacts, kind: Kind, colour: bool) -> list[str]:
    """The lines of one item: its head, media and fields, then each system's part."""
    cats = {c.id: c for c in catalogue(kind)}
    swatches = {cid: c.swatch for cid, c in cats.items()}
    head = safe(facts.id)
    if facts.verdict:
        kind_of_error = f": {safe(facts.error_type)}" if facts.error_type else ""
        head += f"  [{safe(facts.verdict)}{kind_of_error}]"
    if facts.corrected:
        head += "  (corrected reference)"
    lines = [head]
    if facts.media:
        lines.append(f"  media: {safe(facts.media)}")
    lines += [_field("  ", f, swatches, colour) for f in facts.fields]
    for system in facts.systems:
        lines.append(f" {safe(system.name)}: {spans_line(system.summary, swatches, colour)}")
        if system.diff:
            lines += aligned_rows(system.diff, kind, colour)
        lines += [_field("   ", f, swatches, colour) for f in system.fields]
        if system.categories:
            lines.append("       " + "  ".join(
                paint(f"{cats[c].name if c in cats else c} {n}",
                      swatches.get(c, _FALLBACK_SWATCH), colour)
                for c, n in system.categories))
    return lines


def _field(indent: str, field: Field, swatches: dict[str, str], colour: bool) -> str:
    # A text of several lines (a kern score, a note) goes on below the label, indented.
    text = spans_line(field.spans, swatches, colour).replace("\n", "\n" + indent + "  ")
    return f"{indent}{safe(field.label)}: {text}"


def spans_line(spans: Spans, swatches: dict[str, str], colour: bool) -> str:
    """``spans`` as one line: an error painted in its category's colour, a tagged piece as
    ``[text]{tag}``."""
    out = []
    for span in spans:
        text = safe(span.text, multiline=True)
        if span.tag:
            text = f"[{text}]"
        if span.category is not None:
            text = paint(text, swatches.get(span.category, _FALLBACK_SWATCH), colour)
        out.append(text + ("{" + safe(span.tag) + "}" if span.tag else ""))
    return "".join(out)
