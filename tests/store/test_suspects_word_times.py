"""``reviewer suspects`` on an asr project weighs the word times the ctm files kept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reviewer.core.errors import ProjectError
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.suspects import compute_suspects
from reviewer.store.word_times import prediction_word_times

SAID = ["she walked along the river {k} times before noon",
        "the cat sat quietly on the warm mat {k} days"]
PLANTED = "i think telescope could if i only knew how {k} to begin"
SPOKEN = "i think i could if i only knew how {k} to begin"


def seconds(word: str) -> float:
    return 0.05 + 0.06 * len(word) * (1.1 if len(word) % 2 else 0.9)


def ctm_lines(file: str, said: list[str], written: list[str]) -> list[str]:
    """``written`` over the times of the words ``said``."""
    out, t = [], 0.0
    for spoken, word in zip(said, written, strict=True):
        out.append(f"{file} 1 {t:.2f} {seconds(spoken):.2f} {word}")
        t += seconds(spoken) + 0.05
    return out


SLIPS = {"a": ("walked", "worked"), "b": ("sat", "set")}  # each system's own mishearing


def write_benchmark(folder: Path) -> tuple[Path, list[tuple[str, Path]]]:
    """An stm of 12 utterances, one with a long word where "I" was said, and two
    systems' ctm files hearing what was said but for a slip of their own now and then."""
    stm = []
    ctm: dict[str, list[str]] = {"a": [], "b": []}
    for k in range(12):
        ref = SAID[k % 2].format(k=k) if k != 5 else PLANTED.format(k=k)
        said = SAID[k % 2].format(k=k) if k != 5 else SPOKEN.format(k=k)
        stm.append(f"utt{k:02d} 1 spk 0.00 9.00 {ref}")
        for name, (word, heard) in SLIPS.items():
            written = said.replace(word, heard) if k % 4 < 2 else said
            ctm[name] += ctm_lines(f"utt{k:02d}", said.split(), written.split())
    (folder / "ref.stm").write_text("\n".join(stm) + "\n", encoding="utf-8")
    preds = []
    for name, lines in ctm.items():
        (folder / f"{name}.ctm").write_text("\n".join(lines) + "\n", encoding="utf-8")
        preds.append((name, folder / f"{name}.ctm"))
    return folder / "ref.stm", preds


def test_the_suspects_of_a_timed_asr_project_say_what_the_times_show(tmp_path: Path) -> None:
    stm, preds = write_benchmark(tmp_path)
    bench = load_benchmark(stm, preds, ReadOptions(kind="asr"))
    with Project(tmp_path / "p.db", create=True) as project:
        import_benchmark(project, bench)
        times = prediction_word_times(project)
        suspects = compute_suspects(project)
    assert sorted(times) == ["a", "b"] and len(times["a"]) == 12
    assert times["a"]["utt05"][2] == ("i", 0.6, 0.72)  # "i think i": the ctm's third word
    assert suspects.order[0] == "utt05"
    assert suspects.notes["utt05"].startswith("'telescope' → 'i': 2 of 2 systems (a, b); ")
    assert "'i' lasts 0.12 s, 'telescope' would take about" in suspects.notes["utt05"]


def test_word_times_that_are_not_well_formed_are_left_out(tmp_path: Path) -> None:
    stm, preds = write_benchmark(tmp_path)
    bench = load_benchmark(stm, preds, ReadOptions(kind="asr"))
    with Project(tmp_path / "p.db", create=True) as project:
        import_benchmark(project, bench)
    db = sqlite3.connect(tmp_path / "p.db")
    with db:
        db.execute("UPDATE predictions SET meta = ? WHERE system = 'a' AND item_id = 'utt01'",
                   (json.dumps({"words": [["she", "soon", 1.0]]}),))
    db.close()
    with Project(tmp_path / "p.db") as project:
        times = prediction_word_times(project)
    assert "utt01" not in times["a"] and "utt01" in times["b"]


def test_damaged_word_times_are_named_as_the_damaged_record(tmp_path: Path) -> None:
    stm, preds = write_benchmark(tmp_path)
    bench = load_benchmark(stm, preds, ReadOptions(kind="asr"))
    with Project(tmp_path / "p.db", create=True) as project:
        import_benchmark(project, bench)
    db = sqlite3.connect(tmp_path / "p.db")
    with db:
        db.execute("UPDATE predictions SET meta = '{\"words\": [[' "
                   "WHERE system = 'b' AND item_id = 'utt03'")
    db.close()
    with Project(tmp_path / "p.db") as project, pytest.raises(
            ProjectError, match=r"p\.db.*'b''s prediction for item 'utt03'"):
        prediction_word_times(project)
