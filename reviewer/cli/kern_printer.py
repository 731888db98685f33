"""kern in ``reviewer score``: filling in OMR-NED first, and musicdiff's categories after."""

from __future__ import annotations

import sys

from reviewer.core.cluster import Workers
from reviewer.core.kern.omr_categories import OMR_CATEGORIES
from reviewer.core.score_types import Scores, category_counts
from reviewer.store.project import Project


def prepare_scores(project: Project, workers: Workers = None) -> None:
    """Compute the project's missing OMR-NED values with musicdiff, with a progress bar."""
    from reviewer.cli.terminal import Bar
    from reviewer.store.omr_ned import fill

    outcome = fill(project, progress=Bar(), workers=workers)
    if outcome.computed or outcome.failed:
        print(f"reviewer: OMR-NED: {outcome.computed:,} pairs computed with musicdiff, "
              f"{outcome.cached:,} from the cache, {outcome.failed:,} without a result "
              f"({outcome.seconds:.1f} s)", file=sys.stderr)


def score_lines(scores: Scores) -> list[str]:
    """musicdiff's OMR-ED per category (the columns some system has), and what is pending."""
    systems = scores["systems"]
    known = [c.id for c in OMR_CATEGORIES]
    found = {k for s in systems for k, v in category_counts(s).items() if " " in k and v}
    names = [k for k in known if k in found] + sorted(found - set(known))
    width = max([len("system"), *(len(s["name"]) for s in systems)]) + 2
    lines = ["", "OMR-ED by musicdiff category:"]
    if not names:
        lines.append("  (none)")
    else:
        columns = [(n, max(len(n), 6) + 2) for n in names]
        lines.append(f"{'system':<{width}}" + "".join(f"{n:>{w}}" for n, w in columns))
        for s in systems:
            lines.append(f"{s['name']:<{width}}" + "".join(
                f"{category_counts(s).get(n, 0):>{w}}" for n, w in columns))
    for s in systems:
        status = s.get("omr_ned_status")
        if status is not None and (status["pending"] or status["failed"]):
            lines.append(f"{s['name']}: OMR-NED over {status['computed']:,} items; "
                         f"{status['pending']:,} pending, {status['failed']:,} "
                         "without a result")
    return lines
