"""Every task kind has its KindReport: the CLI's one typed object per kind."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from reviewer.cli import asr_report, gec_report, kern_report, label_report
from reviewer.cli.kind_reports import KIND_REPORTS, KindReport, kind_report
from reviewer.core.items import KINDS, check_kind
from reviewer.core.score_report import ScoreReport

EMPTY: ScoreReport = {"project": "p", "kind": "text", "set": "original", "normalize": "none",
                      "items": 0, "confidence": 0.95, "primary_metric": "cer", "systems": []}


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_its_report(kind: str) -> None:
    report = kind_report(check_kind(kind))
    assert report.kind == kind


def test_no_report_for_a_kind_that_does_not_exist() -> None:
    assert set(KIND_REPORTS) == set(KINDS)


def test_the_kinds_own_parts() -> None:
    assert KIND_REPORTS["asr"].score_lines is asr_report.score_lines
    assert KIND_REPORTS["gec"].score_lines is gec_report.score_lines
    assert KIND_REPORTS["gec"].item_lines is gec_report.item_lines
    assert KIND_REPORTS["kern"].prepare_scores is kern_report.prepare_scores
    assert KIND_REPORTS["label"].item_lines is label_report.item_lines
    # errant_compare's tables replace the generic errors-by-category table for gec only.
    assert [k for k, r in KIND_REPORTS.items() if not r.category_table] == ["gec"]
    # Only label and gec print their items their own way; the others show the aligned diff.
    assert sorted(k for k, r in KIND_REPORTS.items() if r.item_lines) == ["gec", "label"]


def test_the_defaults_add_nothing() -> None:
    text = KIND_REPORTS["text"]
    assert text.score_lines(EMPTY) == []
    assert text.item_lines is None and text.category_table


def test_a_report_is_frozen() -> None:
    report = KindReport("choice")
    with pytest.raises(FrozenInstanceError):
        report.category_table = False  # type: ignore[misc]
