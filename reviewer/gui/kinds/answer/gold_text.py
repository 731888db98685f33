"""The corrected gold answers in the decision panel: one answer per line, not JSON."""

from __future__ import annotations

from reviewer.core.answers.encoding import decode_gold, encode_gold
from reviewer.gui.kinds.kind_view import ReferenceText


def gold_lines(reference: str) -> str:
    """The gold answers of a stored reference, one per line."""
    return "\n".join(decode_gold(reference))


def gold_reference(text: str, reference: str) -> str:
    """The stored reference of the answers typed one per line (blank lines skipped);
    ``reference`` itself when it holds the same answers. ``ValueError`` for no answer: an
    item without an acceptable answer is marked with the reason "invalid question" (I)."""
    aliases = tuple(line.strip() for line in text.splitlines() if line.strip())
    if not aliases:
        raise ValueError("type at least one gold answer (an item without one: press I, "
                         "invalid question)")
    return reference if decode_gold(reference) == aliases else encode_gold(aliases)


REFERENCE_TEXT = ReferenceText(
    label="Corrected gold answer (one acceptable answer per line)",
    shown=gold_lines, stored=gold_reference,
    hint="The right answer; further lines add accepted variants")
