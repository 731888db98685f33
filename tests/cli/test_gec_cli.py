"""``reviewer import / score / export`` on GEC benchmarks, end to end (issue 6)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.core.gec import accept, block_text, parse_block, reject
from reviewer.demo import ensure_demo
from reviewer.formats import gec_text
from reviewer.formats.m2 import parse_m2
from reviewer.store import decisions
from reviewer.store.project import Project

GEC = "gec-errant"


@pytest.fixture
def gec_db(peer_fixtures: Path, tmp_path: Path) -> Path:
    """ERRANT's demo: orig -> cor1 as the gold, orig -> cor2 as system ``cor2``."""
    folder = peer_fixtures / GEC
    db = tmp_path / "gec.db"
    assert main(["import", str(db), str(folder / "cor1.errant-3.0.2.m2"), "--kind", "gec",
                 "--pred", f"cor2={folder / 'cor2.errant-3.0.2.m2'}"]) == 0
    return db


def score(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    capsys.readouterr()
    assert main(["score", str(db), "--format", "json", *extra]) == 0
    (system,) = json.loads(capsys.readouterr().out)["systems"]
    return system


def test_score_json_has_errant_compares_numbers(gec_db: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    system = score(gec_db, capsys)
    metrics = system["metrics"]
    assert (metrics["tp"], metrics["fp"], metrics["fn"]) == (3, 4, 5)
    assert all(isinstance(metrics[k], int) for k in ("tp", "fp", "fn"))
    assert [round(metrics[k]["value"], 4) for k in ("precision", "recall", "f0_5")] == [
        0.4286, 0.375, 0.4167]
    for k in ("precision", "recall", "f0_5"):
        assert set(metrics[k]) == {"value", "low", "high"}
    assert system["categories"]["R:DET"] == [0, 2, 0]
    assert system["categories"]["U:PREP"] == [0, 0, 1]
    token = system["detection"]["token"]
    assert (token["tp"], token["fp"], token["fn"], round(token["f0_5"]["value"], 4)) == (
        4, 4, 5, 0.4878)


def test_score_table_prints_errant_style_tables(gec_db: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["score", str(gec_db)]) == 0
    out = capsys.readouterr().out
    assert "F0.5" in out and "41.67%" in out
    lines = {line.split("  ")[0].strip(): line.split() for line in out.splitlines() if line}
    assert lines["span-based correction"][-6:] == ["3", "4", "5", "0.4286", "0.3750", "0.4167"]
    assert lines["token-based detection"][-6:] == ["4", "4", "5", "0.5000", "0.4444", "0.4878"]
    assert lines["R:DET"][1:4] == ["0", "2", "0"]


def test_export_round_trip_and_cleaned_gold(gec_db: Path, peer_fixtures: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    original = peer_fixtures / GEC / "cor1.errant-3.0.2.m2"
    plain = tmp_path / "plain.m2"
    assert main(["export", str(gec_db), str(plain)]) == 0
    assert plain.read_text() == original.read_text()

    with Project(gec_db) as project:
        first, second = project.item("1").reference, project.item("2").reference
        system = parse_block(project.prediction("cor2", "1") or "")[1]
        source, gold = parse_block(first)
        omission = next(e for e in system if e.type == "R:DET")  # "These": judged right
        decisions.decide(project, "1", "tester", verdict="reference_error",
                         corrected_reference=block_text(source, accept(gold, omission, 0)))
        source2, gold2 = parse_block(second)
        wrong = next(e for e in gold2 if e.type == "R:WO")
        decisions.decide(project, "2", "tester", verdict="reference_error",
                         corrected_reference=block_text(source2, reject(gold2, wrong)))
    cleaned = tmp_path / "cleaned.m2"
    assert main(["export", str(gec_db), str(cleaned)]) == 0
    before = parse_m2(original)
    after = parse_m2(cleaned)
    assert [s.source for s in after] == [s.source for s in before]
    assert set(after[0].edits) - set(before[0].edits) == {omission}
    assert set(before[1].edits) - set(after[1].edits) == {wrong}
    assert after[2:] == before[2:]
    manifest = json.loads((tmp_path / "cleaned.m2.manifest.json").read_text())
    assert manifest["counts"]["revised"] == 2

    metrics = score(gec_db, capsys, "--set", "cleaned")["metrics"]
    assert (metrics["tp"], metrics["fp"], metrics["fn"]) == (4, 3, 4)


def test_export_same_format_and_refusals(gec_db: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(gec_db), str(out), "--format", "same"]) == 0
    assert len(parse_m2(out / "gec.m2")) == 4
    text_db = tmp_path / "text.db"
    table = tmp_path / "t.csv"
    table.write_text("id,gt,pred_a\n1,abc,abd\n", encoding="utf-8")
    assert main(["import", str(text_db), str(table)]) == 0
    capsys.readouterr()
    assert main(["export", str(text_db), str(tmp_path / "x.m2")]) == 1
    assert "cannot be written as M2" in capsys.readouterr().err


def test_report_of_a_gec_project(gec_db: Path, tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    assert main(["report", str(gec_db), "-o", str(html), "--all"]) == 0
    text = html.read_text(encoding="utf-8")
    assert "F0.5" in text and "VERB:SVA" in text


def test_a_table_is_not_gec_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "t.csv"
    table.write_text("id,gt\n1,just a sentence\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(tmp_path / "x.db"), str(table), "--kind", "gec"]) == 1
    assert "not from tables" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_demo_has_two_systems_and_two_planted_gold_omissions(tmp_path: Path) -> None:
    path = ensure_demo(tmp_path / "demo-gec.db", "gec")
    with Project(path) as project:
        assert project.item_count() == 40 and project.systems() == ["careful", "eager"]
        ids = [i for i in project.item_ids() if dict(project.item(i).meta)["source"].startswith(
            ("She go to school", "The teacher explained us"))]
        assert ids == ["39", "40"]
        for item_id in ids:  # each system makes the edit the gold lacks
            gold = parse_block(project.item(item_id).reference)[1]
            for system in ("careful", "eager"):
                edits = parse_block(project.prediction(system, item_id) or "")[1]
                assert any(e.type in ("R:NOUN:NUM", "R:SPELL") and e not in gold
                           for e in edits)


@pytest.mark.slow
def test_parallel_text_import(peer_fixtures: Path, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    if importlib.util.find_spec("errant") is None or not any(
            importlib.util.find_spec(m) for m in gec_text.MODELS):
        pytest.skip("ERRANT or a spaCy English model (the optional gec extra) is not installed")
    folder = peer_fixtures / GEC
    db = tmp_path / "text.db"
    assert main(["import", str(db), str(folder / "orig.txt"), "--kind", "gec", "--ref-text",
                 str(folder / "cor1.txt"), "--pred", f"cor2={folder / 'cor2.txt'}"]) == 0
    metrics = score(db, capsys)["metrics"]
    assert (metrics["tp"], metrics["fp"], metrics["fn"]) == (3, 4, 5)
    out = tmp_path / "gold.m2"
    assert main(["export", str(db), str(out)]) == 0
    assert out.read_text() == (folder / "cor1.errant-3.0.2.m2").read_text()


def test_show_prints_the_sentence_rows_with_marks(gec_db: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["show", str(gec_db), "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "  source: This are a great sentences ."
    assert lines[2] == "  gold 0: This [is]{R:VERB:SVA} a great [sentence]{R:NOUN:NUM} ."
    assert lines[3] == " cor2: against annotator 0: TP 0, FP 2, FN 2"
    assert lines[4].split() == ["output:", "[These]{R:DET", "FP}", "are", "[-a]{U:DET", "FP}",
                                "great", "sentences", "."]
    assert lines[5].startswith("   missed: ") and "[are → is]{R:VERB:SVA FN}" in lines[5]
    assert main(["show", str(gec_db), "--worst", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "1"
