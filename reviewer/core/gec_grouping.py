"""How a gec score report groups its per-type counts into operations and main types.

``reviewer`` (the default) splits an ERRANT type ``OP:MAIN`` at its colon and keeps any
other type whole: a CoNLL-2014 (NUCLE) type such as ``ArtOrDet`` or ``Mec`` is its own
operation and its own main type. ``errant`` groups as ``errant_compare -cat 1`` and
``-cat 2`` do, by position: the operation is a type's first character and the main type
everything from its third (``UNK`` stays whole). On ERRANT-typed gold the two are the
same; on NUCLE-typed gold ``errant`` files ``ArtOrDet`` under operation ``A`` and main
type ``tOrDet``, ``Mec`` under operation ``M`` (ERRANT's "missing") and main type ``c``,
which is what the errant_compare tables printed for CoNLL-2014 show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, cast

from reviewer.core.score_types import Scores, SystemScores, gec_categories

Grouping = Literal["reviewer", "errant"]
GROUPINGS: tuple[Grouping, ...] = ("reviewer", "errant")
DEFAULT_GROUPING: Grouping = "reviewer"


def errant_tiers(categories: Mapping[str, Sequence[int]]
                 ) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """``[tp, fp, fn]`` per operation and per main type as errant_compare groups them."""
    ops: dict[str, list[int]] = {}
    mains: dict[str, list[int]] = {}
    for error_type, counts in categories.items():
        whole = error_type == "UNK"
        for table, key in ((ops, error_type if whole else error_type[:1]),
                           (mains, error_type if whole else error_type[2:])):
            table[key] = [a + b for a, b in zip(table.get(key, [0, 0, 0]), counts, strict=True)]
    return dict(sorted(ops.items())), dict(sorted(mains.items()))


def regrouped(report: Scores, grouping: str) -> Scores:
    """A gec ``report`` with its operation and main-type tables grouped by ``grouping``.

    The default grouping returns ``report`` itself; ``errant`` returns a copy whose
    systems' ``operations`` and ``main_types`` are errant_compare's, with
    ``"gec_grouping": "errant"`` said in it.
    """
    if grouping == DEFAULT_GROUPING or report["kind"] != "gec":
        return report
    systems: list[SystemScores] = []
    for system in report["systems"]:
        ops, mains = errant_tiers(gec_categories(system))
        systems.append(cast(SystemScores, {**system, "operations": ops, "main_types": mains}))
    out = cast(Scores, {**report, "systems": systems})
    out["gec_grouping"] = grouping
    return out
