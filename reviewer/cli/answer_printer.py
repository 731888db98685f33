"""Short-answer benchmarks in the terminal: what ``reviewer score`` adds after its tables."""

from __future__ import annotations

from reviewer.core.categories.answer import RIGHT_CATEGORIES
from reviewer.core.kinds import spec
from reviewer.core.score_types import Scores


def score_lines(scores: Scores) -> list[str]:
    """Which matcher judged how many items, and that two categories count right answers."""
    systems = scores["systems"]
    if not systems:
        return []
    # The matcher of an item depends on its gold answers only: the same for every model.
    used = dict(systems[0].get("matchers", {}))
    lines = []
    if used:
        lines += ["", "Matchers: " + ", ".join(
            f"{name} on {n:,} item{'s' if n != 1 else ''}" for name, n in used.items())]
    names = [spec("answer").category(c).name for c in sorted(RIGHT_CATEGORIES)]
    lines.append(f"({' and '.join(names)} count right answers too: they show where the "
                 "format, or the harness's own extraction, differs.)")
    return lines
