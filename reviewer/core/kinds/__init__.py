"""The task kinds (DESIGN §2), registered in one typed table: kind -> :class:`KindSpec`.

A kind says how one (reference, prediction) pair is scored and categorised, how a system's
per-item scores add up to its metrics, and which metric ranks systems. Each kind defines its
``SPEC`` in a module of this package; its readers (``reviewer.formats``), view
(``reviewer.gui.kinds``) and printer (``reviewer.cli.kind_printers``) are registered in their
own layers.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from reviewer.core.counts import PairCounts, ScoreOptions
from reviewer.core.items import KINDS, Kind
from reviewer.core.kind_spec import KindSpec, MetricInfo, ScoredItem, StatOptions, Suspicion
from reviewer.core.kinds import answer, asr, choice, gec, kern, label, text

__all__ = ["SPECS", "KindSpec", "MetricInfo", "PairCounts", "ScoreOptions", "ScoredItem",
           "StatOptions", "Suspicion", "available_kinds", "spec"]

SPECS: Mapping[Kind, KindSpec] = MappingProxyType({
    found.name: found
    for found in (text.SPEC, asr.SPEC, gec.SPEC, kern.SPEC, choice.SPEC, label.SPEC,
                  answer.SPEC)
})


def spec(kind: str) -> KindSpec:
    """The specification of task kind ``kind``; ``ValueError`` naming the kinds if unknown."""
    for name, found in SPECS.items():
        if name == kind:
            return found
    raise ValueError(f"task kind {kind!r} is not available; choose one of "
                     f"{', '.join(available_kinds())}")


def available_kinds() -> tuple[str, ...]:
    """The kinds of DESIGN §2 this installation implements, in DESIGN order."""
    return tuple(k for k in KINDS if k in SPECS)
