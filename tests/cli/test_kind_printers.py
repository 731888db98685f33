"""Every task kind has its KindPrinter: the CLI's one typed object per kind."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from reviewer.cli import asr_printer, gec_printer, kern_printer, label_printer
from reviewer.cli.kind_printers import KIND_PRINTERS, KindPrinter, kind_printer
from reviewer.core.items import KINDS, check_kind
from reviewer.core.score_types import Scores

EMPTY: Scores = {"project": "p", "kind": "text", "set": "original", "normalize": "none",
                 "items": 0, "confidence": 0.95, "primary_metric": "cer", "systems": []}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_its_printer(kind: str) -> None:
    printer = kind_printer(check_kind(kind))
    assert printer.kind == kind


def test_no_printer_for_a_kind_that_does_not_exist() -> None:
    assert set(KIND_PRINTERS) == set(KINDS)


def test_the_kinds_own_parts() -> None:
    assert KIND_PRINTERS["asr"].score_lines is asr_printer.score_lines
    assert KIND_PRINTERS["gec"].score_lines is gec_printer.score_lines
    assert KIND_PRINTERS["kern"].prepare_scores is kern_printer.prepare_scores
    assert KIND_PRINTERS["label"].score_lines is label_printer.score_lines
    # errant_compare's tables replace the generic errors-by-category table for gec only.
    assert [k for k, r in KIND_PRINTERS.items() if not r.category_table] == ["gec"]


def test_the_defaults_add_nothing() -> None:
    text = KIND_PRINTERS["text"]
    assert text.score_lines(EMPTY) == []
    assert text.category_table


def test_a_printer_is_frozen() -> None:
    printer = KindPrinter("choice")
    with pytest.raises(FrozenInstanceError):
        printer.category_table = False  # type: ignore[misc]
