"""Item facts of the kinds aligned as sequences (text, asr, kern): each system's rates and
the reference above its prediction, every edit in its category."""

from __future__ import annotations

from reviewer.core.align import with_equal
from reviewer.core.item_facts.common import item_facts, not_aligned, percent, plain
from reviewer.core.item_facts.lattice import lattice_rate, readings_field
from reviewer.core.item_facts.types import (
    Describe,
    Field,
    ItemData,
    ItemFacts,
    Span,
    SystemFacts,
)
from reviewer.core.items import Kind
from reviewer.core.kern.unreadable import UNREADABLE_REFERENCE
from reviewer.core.kinds import spec
from reviewer.core.lattice_path import lattice_segments
from reviewer.core.metrics import item_rate
from reviewer.core.pair_text import alignment_of


def describer(kind: Kind) -> Describe:
    """The facts of a ``kind`` item: per system, the kind's per-item rates and the diff."""
    levels = spec(kind).rated_levels

    def describe(data: ItemData) -> ItemFacts:
        systems: list[SystemFacts] = []
        for name in data.systems:
            counts = data.counts.get(name)
            if counts is None:
                systems.append(not_aligned(name))
                continue
            hyp = data.predictions.get(name)
            lattice = data.shown.get(name)
            alignment = lattice or alignment_of(data.reference, hyp or "", counts,
                                                data.char_mode)
            rates = ", ".join(
                f"{level.metric} {percent(item_rate(n.errors, n.units))} ({n.errors}/{n.units})"
                for role, level in levels for n in (counts.level(role),))
            missing = "  (no prediction)" if hyp is None else ""
            extra: tuple[Field, ...] = ()
            if lattice is not None:
                rates = lattice_rate(lattice) + "; preset " + rates
                extra = readings_field(lattice)
            systems.append(SystemFacts(name, (Span(rates + missing),),
                                       diff=tuple(lattice_segments(lattice) if lattice
                                                  else with_equal(alignment)), fields=extra,
                                       categories=tuple(alignment.categories().items())))
        fields = []
        if unreadable := dict(data.item.meta).get(UNREADABLE_REFERENCE):
            fields.append(plain("unreadable reference", unreadable))
        if data.decision.corrected_reference is not None:
            fields.append(plain("original reference", data.item.reference))
        return item_facts(data, fields, systems)

    return describe
