"""kern: a system's missing predictions scored as empty (the default) or left out (skip),
the choice kept by the project and said in the score header, the JSON and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.cli import main

GOOD = "**kern\n*clefG2\n*M4/4\n=1\n4c\n4d\n4e\n4f\n=2\n1g\n==\n*-\n"  # 12 counted tokens
OTHER = GOOD.replace("4e", "8e\n8f").replace("1g", "2g\n2a")


@pytest.fixture
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Two references; system ``omr`` has a prediction (one pitch wrong) for ``a`` only."""
    gt, pred = tmp_path / "gt", tmp_path / "pred"
    gt.mkdir()
    pred.mkdir()
    (gt / "a.krn").write_text(GOOD)
    (gt / "b.krn").write_text(OTHER)
    (pred / "a.krn").write_text(GOOD.replace("4d", "4e"))
    db = tmp_path / "smb.db"
    assert main(["import", str(db), str(gt), "--kind", "kern", "--pred", f"omr={pred}"]) == 0
    capsys.readouterr()
    return db


def _scores(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    assert main(["score", str(db), "--format", "json", "--workers", "1", *extra]) == 0
    report: dict[str, object] = json.loads(capsys.readouterr().out)
    return report


def test_skip_and_empty_differ_and_the_project_keeps_the_choice(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = _scores(project, capsys)
    assert "missing_predictions" not in empty
    system = empty["systems"][0]  # type: ignore[index]
    ser = system["metrics"]["ser"]
    b_tokens = ser["units"] - 12
    assert (ser["errors"], system["missing"], system["items_scored"]) == (1 + b_tokens, 1, 2)
    empty_omr = system["metrics"]["omr_ned"]

    skipped = _scores(project, capsys, "--missing", "skip")
    assert skipped["missing_predictions"] == "skip"
    system = skipped["systems"][0]  # type: ignore[index]
    assert (system["metrics"]["ser"]["errors"], system["metrics"]["ser"]["units"]) == (1, 12)
    assert (system["missing"], system["items_scored"]) == (1, 1)
    omr = system["metrics"]["omr_ned"]
    assert omr["errors"] < empty_omr["errors"] and omr["units"] < empty_omr["units"]
    assert omr["value"] < empty_omr["value"]

    again = _scores(project, capsys)  # kept by the project
    assert again["missing_predictions"] == "skip"
    assert _scores(project, capsys, "--missing", "empty")["systems"] == empty["systems"]


def test_the_header_and_the_report_say_the_choice(project: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(project), "--no-omr-ned"]) == 0
    assert "missing predictions scored as empty" in capsys.readouterr().out.splitlines()[0]
    assert main(["score", str(project), "--no-omr-ned", "--missing", "skip"]) == 0
    assert "missing predictions left out" in capsys.readouterr().out.splitlines()[0]
    html = tmp_path / "report.html"
    assert main(["report", str(project), "-o", str(html)]) == 0
    assert ('<p class="note" id="missing-predictions">Missing predictions left out'
            in html.read_text(encoding="utf-8"))


def test_missing_is_refused_outside_kern(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.gt.txt").write_text("hello")
    db = tmp_path / "t.db"
    assert main(["import", str(db), str(tmp_path), "--kind", "text"]) == 0
    assert main(["score", str(db), "--missing", "skip"]) == 1
    assert "--missing applies to kern projects, not text" in capsys.readouterr().err
