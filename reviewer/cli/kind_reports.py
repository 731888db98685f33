"""The kinds' own parts of ``reviewer score`` and ``reviewer show``: one :class:`KindReport`
per task kind, registered in :data:`KIND_REPORTS` (DESIGN §2: one typed object per layer)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reviewer.cli import asr_report, gec_report, kern_report, label_report
from reviewer.core.items import Kind
from reviewer.core.score_report import ScoreReport
from reviewer.store.project import Project

# (project, item id, systems, colour) -> the lines ``reviewer show`` prints for the item
ItemLines = Callable[[Project, str, list[str], bool], list[str]]


def _nothing_to_prepare(project: Project, workers: int | None) -> None:
    """Most kinds' scores are complete once imported."""


def _no_lines(report: ScoreReport) -> list[str]:
    """Most kinds say everything in the generic score table."""
    return []


@dataclass(frozen=True, slots=True)
class KindReport:
    """What one task kind adds to the terminal reports."""

    kind: Kind
    # Work before scoring (kern: compute the missing OMR-NED), with ``workers`` processes.
    prepare_scores: Callable[[Project, int | None], None] = _nothing_to_prepare
    # Lines after the generic score table.
    score_lines: Callable[[ScoreReport], list[str]] = _no_lines
    # Whether the score table ends with the generic errors per category (gec: its own).
    category_table: bool = True
    # What ``show`` prints for an item instead of the aligned diff (None: the diff).
    item_lines: ItemLines | None = None


KIND_REPORTS: dict[Kind, KindReport] = {
    "text": KindReport("text"),
    "asr": KindReport("asr", score_lines=asr_report.score_lines),
    "gec": KindReport("gec", score_lines=gec_report.score_lines, category_table=False,
                      item_lines=gec_report.item_lines),
    "kern": KindReport("kern", prepare_scores=kern_report.prepare_scores,
                       score_lines=kern_report.score_lines),
    "choice": KindReport("choice"),
    "label": KindReport("label", score_lines=label_report.score_lines,
                        item_lines=label_report.item_lines),
}


def kind_report(kind: Kind) -> KindReport:
    """The terminal report parts of ``kind``."""
    return KIND_REPORTS[kind]
