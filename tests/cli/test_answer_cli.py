"""The ``answer`` kind in the terminal: its bundled demo, what ``score`` adds, and the
``--pred`` sources the import accepts (patterns, logs naming their model)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.demo_mistakes import reference_mistakes
from reviewer.formats.pred_sources import expand_pattern, prediction_source
from reviewer.resources import demo_dir


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The answer demo imported into a fresh project."""
    project = tmp_path / "demo-answer.db"
    assert main(["demo", "--kind", "answer", "--print", "--project", str(project)]) == 0
    capsys.readouterr()
    return project


def test_the_demo_scores_with_its_matchers(demo: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(demo)]) == 0
    out = capsys.readouterr().out
    assert "(answer, 40 items" in out
    assert "Matchers: exact on 10 items, numeric on 30 items" in out
    for model in ("sim-large", "sim-medium", "sim-boxed", "sim-chat", "sim-small"):
        assert model in out


def test_the_planted_gold_mistakes_lead_the_suspects(demo: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    planted = reference_mistakes("answer")
    assert len(planted) == 4
    assert main(["suspects", str(demo), "--format", "json"]) == 0
    ranked = [r["id"] for r in json.loads(capsys.readouterr().out)]
    assert set(ranked[:len(planted)]) == set(planted)


def test_the_demo_file_is_what_its_script_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = demo_dir("answer")
    spec = importlib.util.spec_from_file_location("answer_demo", folder / "build_demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "answer_demo", module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    rows, planted = module.build()
    lines = (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == rows
    by_id = {r["id"]: r for r in rows}
    for item_id, gold, right, _ in planted:
        assert by_id[item_id]["answer"] == gold != right
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "simulated" in readme and "No language model was run" in readme


def test_a_pattern_reads_its_last_match(tmp_path: Path) -> None:
    for date in ("2024-01-02", "2024-03-01"):
        (tmp_path / f"samples_t_{date}.jsonl").write_text("{}\n", encoding="utf-8")
    path, warning = expand_pattern(tmp_path / "samples_t_*.jsonl")
    assert path.name == "samples_t_2024-03-01.jsonl"
    assert warning is not None and "matches 2 files" in warning
    plain = tmp_path / "samples_t_2024-01-02.jsonl"
    assert expand_pattern(plain) == (plain, None)


def test_a_table_given_without_a_name_is_named_after_its_file(tmp_path: Path) -> None:
    table = tmp_path / "model_x.csv"
    table.write_text("id,output\nq1,4\n", encoding="utf-8")
    assert prediction_source(str(table))[:2] == ("model_x", table)
    assert prediction_source(f"mine={table}")[:2] == ("mine", table)
