"""The types of what one item shows: the same facts in ``reviewer show`` and in the report.

An :class:`ItemFacts` says, for one item, every line a reader sees: the item's own fields
(its question, text, gold class, source sentence, note, ...) and, per system, a summary
(its rates, its answer, its TP/FP/FN), the aligned diff where the kind has one, and other
lines (gec's corrected sentence and missed edits). The terminal and the HTML report only
draw these; neither decides what an item shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from reviewer.core.counts import PairCounts
from reviewer.core.decisions import Decision
from reviewer.core.items import Edit, Item
from reviewer.core.lattice_path import LatticeAlignment
from reviewer.core.tokenize import CharMode


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a line; one that marks an error is drawn in its category's colour.

    ``category`` is a catalogue id of the item's kind (``None``: plain text); ``tag`` is a
    label drawn after the piece (gec: the ERRANT type and TP, FP or FN).
    """

    text: str
    category: str | None = None
    tag: str = ""


Spans = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Field:
    """A labelled line: ``label`` (``"question"``, ``"gold 0"``, ``"missed"``) and its spans."""

    label: str
    spans: Spans

    @property
    def text(self) -> str:
        """The line's text without colours or tags."""
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True, slots=True)
class SystemFacts:
    """What one system's part of an item shows.

    ``summary`` is the line after the system's name; ``diff`` the reference above the
    prediction, equal stretches included (empty: the kind shows no diff); ``fields`` the
    lines after it; ``categories`` its errors per category, in the order first seen.
    ``aligned`` is false when the project holds no scores of the system on the item.
    """

    name: str
    summary: Spans
    aligned: bool = True
    diff: tuple[Edit, ...] = ()
    fields: tuple[Field, ...] = ()
    categories: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What one item shows: its decision, media, fields and each system's part."""

    id: str
    verdict: str | None
    error_type: str | None
    status: str
    corrected: bool  # judged against a corrected reference
    media: str | None  # the stored media path (absolute where the reader resolved it)
    fields: tuple[Field, ...]
    systems: tuple[SystemFacts, ...]


@dataclass(frozen=True, slots=True)
class ItemData:
    """Everything stored about one item that its facts are made from.

    ``predictions`` and ``counts`` hold only the systems that have them; ``counts`` are
    each system's stored scores against the item's current reference (the corrected one
    when there is one).
    """

    item: Item
    decision: Decision
    systems: tuple[str, ...]
    predictions: Mapping[str, str] = field(default_factory=dict)
    counts: Mapping[str, PairCounts] = field(default_factory=dict)
    char_mode: CharMode = "grapheme"
    # Alignments shown in place of the stored counts' (an NLP call: fstalign's path)
    shown: Mapping[str, LatticeAlignment] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        """The current reference: the corrected one, else the original."""
        corrected = self.decision.corrected_reference
        return self.item.reference if corrected is None else corrected


# One kind's way of turning an item's data into its facts.
Describe = Callable[[ItemData], ItemFacts]
