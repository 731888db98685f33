"""Label benchmarks in the terminal: per-class scores for ``reviewer score``."""

from __future__ import annotations

from reviewer.cli.terminal import fmt_rate
from reviewer.core.score_types import ClassScores, Interval, Scores

CONFUSIONS_SHOWN = 5
_CELL = 26


def _cell(metric: Interval) -> str:
    return f"{fmt_rate(metric['value'])} [{fmt_rate(metric['low'])}, {fmt_rate(metric['high'])}]"


def score_lines(scores: Scores) -> list[str]:
    """Per system: each class's support, precision, recall and F1 with intervals, and the
    most frequent confusions (gold → predicted)."""
    lines: list[str] = []
    for system in scores["systems"]:
        classes: dict[str, ClassScores] = system.get("per_class", {})
        if not classes:
            continue
        width = max(len("class"), *(len(c) for c in classes)) + 2
        header = (f"{'class':<{width}}{'support':>8}  " + f"{'precision':<{_CELL}}"
                  f"{'recall':<{_CELL}}{'F1':<{_CELL}}").rstrip()
        lines += ["", f"Per class, {system['name']}:", header, "-" * len(header)]
        for name, rates in classes.items():
            lines.append((f"{name:<{width}}{rates['support']:>8}  "
                          + "".join(f"{_cell(m):<{_CELL}}"
                                    for m in (rates["precision"], rates["recall"],
                                              rates["f1"]))).rstrip())
        pairs = system.get("confusions", [])[:CONFUSIONS_SHOWN]
        if pairs:
            lines.append("Most frequent confusions (gold -> predicted): " + ", ".join(
                f"{p['gold']} -> {p['predicted']} ({p['count']})" for p in pairs))
    return lines
