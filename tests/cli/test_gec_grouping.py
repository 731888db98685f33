"""``reviewer score --gec-grouping errant``: the per-operation and per-main-type tables of a
NUCLE-typed gold grouped as ``errant_compare -cat 1`` and ``-cat 2`` group them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.cli import main

# A CoNLL-2014-style (NUCLE-typed) gold and a system's edits, written for this test.
GOLD = """S The cat sat on mat .
A 4 4|||ArtOrDet|||the|||REQUIRED|||-NONE-|||0
A 1 2|||Nn|||cats|||REQUIRED|||-NONE-|||0

S He go to school yesterday .
A 1 2|||Vt|||went|||REQUIRED|||-NONE-|||0
A 5 6|||Mec|||!|||REQUIRED|||-NONE-|||0

S I like apple .
A 2 3|||Nn|||apples|||REQUIRED|||-NONE-|||0
"""
SYSTEM = """S The cat sat on mat .
A 4 4|||ArtOrDet|||the|||REQUIRED|||-NONE-|||0
A 2 3|||Vt|||sits|||REQUIRED|||-NONE-|||0

S He go to school yesterday .
A 1 2|||Vt|||goes|||REQUIRED|||-NONE-|||0

S I like apple .
A 2 3|||Nn|||apples|||REQUIRED|||-NONE-|||0
A 0 1|||Prep|||We|||REQUIRED|||-NONE-|||0
"""


def errant_table(gold: Path, system: Path, cat: int) -> dict[str, list[int]]:
    """``[tp, fp, fn]`` per category of ``errant_compare -cat N``, read from its output."""
    run = subprocess.run(
        [sys.executable, "-c", "from errant.commands.compare_m2 import main; main()",
         "-hyp", str(system), "-ref", str(gold), "-cat", str(cat)],
        capture_output=True, text=True, check=True)
    lines = run.stdout.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith("Category")) + 1
    table: dict[str, list[int]] = {}
    for line in lines[start:]:
        if not line.strip():
            break
        # The category is left-justified in 14 columns (and may be empty); counts follow.
        table[line[:14].strip()] = [int(x) for x in line[14:].split()[:3]]
    return table


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    gold, system = tmp_path / "gold.m2", tmp_path / "sys.m2"
    gold.write_text(GOLD)
    system.write_text(SYSTEM)
    db = tmp_path / "conll.db"
    assert main(["import", str(db), str(gold), "--kind", "gec", "--pred", f"sys={system}"]) == 0
    return gold, system, db


def _system(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["score", str(db), "--format", "json", *extra]) == 0
    report = json.loads(capsys.readouterr().out)
    system: dict[str, object] = report["systems"][0]
    system["grouping"] = report.get("gec_grouping")
    return system


def test_errant_grouping_gives_errant_compares_cat1_and_cat2(
        files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    gold, system, db = files
    scores = _system(db, capsys, "--gec-grouping", "errant")
    assert scores["grouping"] == "errant"
    assert scores["operations"] == errant_table(gold, system, 1)
    assert scores["main_types"] == errant_table(gold, system, 2)
    assert scores["categories"] == errant_table(gold, system, 3)


def test_default_grouping_keeps_nucle_types_whole(
        files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    gold, system, db = files
    scores = _system(db, capsys)
    assert scores["grouping"] is None
    assert scores["operations"] != errant_table(gold, system, 1)
    assert scores["operations"]["ArtOrDet"] == [1, 0, 0]  # type: ignore[index]
    assert scores["main_types"]["Mec"] == [0, 0, 1]  # type: ignore[index]


def test_the_table_names_errant_compares_tiers(
        files: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, _, db = files
    capsys.readouterr()
    assert main(["score", str(db), "--gec-grouping", "errant"]) == 0
    out = capsys.readouterr().out
    assert "operation (-cat 1)" in out and "main type (-cat 2)" in out
    assert any(line.split()[:4] == ["tOrDet", "1", "0", "0"] for line in out.splitlines())
