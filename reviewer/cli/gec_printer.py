"""GEC in the terminal: errant_compare-style score tables."""

from __future__ import annotations

from reviewer.core.gec import prf
from reviewer.core.score_types import (
    GecScores,
    Scores,
    SystemScores,
    gec_categories,
    gec_scores,
)


def _scores(tp: int, fp: int, fn: int) -> str:
    p, r, f = prf(tp, fp, fn)
    return f"{tp:>6}{fp:>6}{fn:>6}  {p:>7.4f}{r:>8.4f}{f:>8.4f}"


def _table(title: str, counts: dict[str, list[int]]) -> list[str]:
    width = max([len(title), *(len(k) for k in counts)]) + 2
    header = f"{title:<{width}}{'TP':>6}{'FP':>6}{'FN':>6}  {'P':>7}{'R':>8}{'F0.5':>8}"
    return [header, *(f"{k:<{width}}{_scores(*v)}" for k, v in counts.items())]


def _modes(system: SystemScores) -> dict[str, GecScores]:
    """errant_compare's three scoring modes of one system, by display name."""
    detection = system["detection"]
    return {"span-based correction": gec_scores(system),
            "span-based detection": detection["span"],
            "token-based detection": detection["token"]}


def score_lines(scores: Scores) -> list[str]:
    """Per system: the three modes' totals, then the counts per operation and per ERRANT type.

    These tables replace the generic errors-by-category table (``category_table=False``).
    """
    lines: list[str] = []
    errant = scores.get("gec_grouping") == "errant"
    for system in scores["systems"]:
        modes = _modes(system)
        lines += ["", f"{system['name']}:"]
        lines += _table("mode", {k: [m["tp"], m["fp"], m["fn"]] for k, m in modes.items()})
        if errant:  # errant_compare's -cat 1 and -cat 2 tables, grouped as it groups them
            lines += ["", *_table("operation (-cat 1)", system["operations"])]
            lines += ["", *_table("main type (-cat 2)", system["main_types"])]
        else:
            lines += ["", *_table("operation", system["operations"])]
        lines += ["", *_table("ERRANT type", gec_categories(system))]
    return lines
