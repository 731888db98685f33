"""An NLP call's facts as fstalign's path shows them: its rate and its normalised readings
(the diff itself is the path's edits, drawn as every diff is)."""

from __future__ import annotations

from reviewer.core.item_facts.common import percent
from reviewer.core.item_facts.types import Field, Span
from reviewer.core.lattice_path import LatticeAlignment
from reviewer.core.metrics import item_rate


def lattice_rate(a: LatticeAlignment) -> str:
    """``WER (fstalign) 11.11% (1/9)``."""
    return f"WER (fstalign) {percent(item_rate(a.errors, a.ref_units))} ({a.errors}/{a.ref_units})"


def readings_field(a: LatticeAlignment) -> tuple[Field, ...]:
    """One field listing each normalised span with the verbalisation the path took, tagged
    with its entity class (none when the call has no such span)."""
    spans: list[Span] = []
    for reading in a.readings:
        if spans:
            spans.append(Span("; "))
        text = f"{reading.written} -> {reading.reading or '(nothing)'}"
        spans.append(Span(text, "substitution" if reading.errors else None, reading.entity))
    return (Field("normalised", tuple(spans)),) if spans else ()
