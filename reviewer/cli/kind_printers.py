"""The kinds' own parts of ``reviewer score``: one :class:`KindPrinter` per task kind,
registered in :data:`KIND_PRINTERS` (DESIGN §2: one typed object per layer). What ``reviewer
show`` prints of an item is the kind's item facts (:mod:`reviewer.core.item_facts`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reviewer.cli import answer_printer, asr_printer, gec_printer, kern_printer, label_printer
from reviewer.core.cluster import Workers
from reviewer.core.items import Kind
from reviewer.core.score_types import Scores
from reviewer.store.project import Project


def _nothing_to_prepare(project: Project, workers: Workers) -> None:
    """Most kinds' scores are complete once imported."""


def _no_lines(scores: Scores) -> list[str]:
    """Most kinds say everything in the generic score table."""
    return []


@dataclass(frozen=True, slots=True)
class KindPrinter:
    """What one task kind adds to what the terminal prints."""

    kind: Kind
    # Work before scoring (kern: compute the missing OMR-NED) by ``workers`` (processes or a
    # cluster).
    prepare_scores: Callable[[Project, Workers], None] = _nothing_to_prepare
    # Lines after the generic score table.
    score_lines: Callable[[Scores], list[str]] = _no_lines
    # Whether the score table ends with the generic errors per category (gec: its own).
    category_table: bool = True


KIND_PRINTERS: dict[Kind, KindPrinter] = {
    "text": KindPrinter("text"),
    "asr": KindPrinter("asr", score_lines=asr_printer.score_lines),
    "gec": KindPrinter("gec", score_lines=gec_printer.score_lines, category_table=False),
    "kern": KindPrinter("kern", prepare_scores=kern_printer.prepare_scores,
                        score_lines=kern_printer.score_lines),
    "choice": KindPrinter("choice"),
    "label": KindPrinter("label", score_lines=label_printer.score_lines),
    "answer": KindPrinter("answer", score_lines=answer_printer.score_lines),
}


def kind_printer(kind: Kind) -> KindPrinter:
    """How ``kind`` prints in the terminal."""
    return KIND_PRINTERS[kind]
