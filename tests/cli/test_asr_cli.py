"""asr on the command line: import, score with presets (re-scoring), the per-word table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli import main
from reviewer.store import decisions
from reviewer.store.project import Project

REF = ("Hello World, it's twenty-one degrees. (ann-001)\n"
       "The cat sat on the mat. (ann-002)\n"
       "We'll see the colour red. (bob-001)\n")
HYP = ("hello world it is 21 degrees (ann-001)\n"
       "the cap sat on a mat (ann-002)\n"
       "we will see the color read (bob-001)\n")


@pytest.fixture
def calls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    (tmp_path / "refs.trn").write_text(REF, encoding="utf-8")
    (tmp_path / "hyp.trn").write_text(HYP, encoding="utf-8")
    db = tmp_path / "calls.db"
    assert main(["import", str(db), str(tmp_path / "refs.trn"), "--kind", "asr",
                 "--pred", f"whisper={tmp_path / 'hyp.trn'}", "--normalize", "basic"]) == 0
    capsys.readouterr()
    return db


def score_json(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    assert main(["score", str(db), "--format", "json", "--resamples", "50", *extra]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def test_score_json_has_preset_wer_first_and_speakers(
        calls: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = score_json(calls, capsys)
    assert report["kind"] == "asr" and report["normalize"] == "basic"
    assert report["primary_metric"] == "wer"
    (system,) = report["systems"]
    wer = system["metrics"]["wer"]
    # basic: its/it is, twentyone/21, cap, the/a, well/we will, colour, red
    assert (wer["units"], wer["substitutions"], wer["deletions"], wer["insertions"]) == (
        16, 7, 0, 2)
    assert wer["hits"] == 9 and wer["errors"] == 9
    assert set(system["speakers"]) == {"ann", "bob"}
    assert system["speakers"]["bob"]["units"] == 5
    assert system["categories"]["compound"] == 4  # it's / it is, we'll / we will


def test_score_normalize_rescores_and_is_kept(
        calls: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = score_json(calls, capsys, "--normalize", "whisper-en")
    assert report["normalize"] == "whisper-en"
    wer = report["systems"][0]["metrics"]["wer"]
    assert wer["errors"] == 3  # cap, the/a, red/read: the rest is normalised away
    with Project(calls) as project:
        assert project.normalize == "whisper-en"
    assert score_json(calls, capsys)["normalize"] == "whisper-en"
    none = score_json(calls, capsys, "--normalize", "none")
    assert none["systems"][0]["metrics"]["wer"]["errors"] > wer["errors"]


def test_rescore_covers_corrected_references(
        calls: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Project(calls) as project:
        decisions.decide(project, "ann-002", "tester",
                         corrected_reference="The Cap sat on a mat!")
        assert project.alignment_row("whisper", "ann-002", "cleaned").counts.main_errors == 0
    score_json(calls, capsys, "--normalize", "none")
    with Project(calls) as project:
        counts = project.alignment_row("whisper", "ann-002", "cleaned").counts
        assert counts.main_errors == 3  # The, Cap, mat! differ without normalisation


def test_score_table_names_the_preset(calls: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(calls)]) == 0
    out = capsys.readouterr().out
    assert "normalisation basic" in out and "WER" in out.splitlines()[2]
    assert "S 7  D 0  I 2  H 9" in out
    assert "WER by speaker, whisper (2 speakers)" in out and "bob" in out


def test_words_table_and_json(calls: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["words", str(calls), "--system", "whisper", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "normalisation basic" in out and "16 reference words" in out
    assert "Confusion pairs" in out and "cat -> cap  1" in out
    assert main(["words", str(calls), "--format", "json", "--speaker", "ann"]) == 0
    report = json.loads(capsys.readouterr().out)
    (system,) = report["systems"]
    assert report["speaker"] == "ann" and system["totals"]["pairs"] == 2
    assert {c["reference"] for c in system["confusions"]} >= {"cat", "the"}
    assert all(w["word"] not in ("colour", "red") for w in system["words"])  # bob's words


@pytest.mark.parametrize(("args", "message"), [
    (["--system", "nope"], "no system 'nope'"),
    (["--speaker", "carol"], "no items of speaker 'carol'; speakers: ann, bob"),
    (["--top", "0"], "--top takes a positive number"),
])
def test_words_errors(calls: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                      message: str) -> None:
    assert main(["words", str(calls), *args]) == 1
    assert message in capsys.readouterr().err


def test_presets_only_for_asr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "ocr.csv"
    table.write_text("id,gt,pred\na,Hello,Hallo\n")
    db = tmp_path / "ocr.db"
    assert main(["import", str(db), str(table)]) == 0
    capsys.readouterr()
    assert main(["score", str(db), "--normalize", "basic"]) == 1
    assert "--normalize applies to asr projects" in capsys.readouterr().err
    assert main(["words", str(db)]) == 1
    assert "for asr projects" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["score", str(db), "--normalize", "jiwer"])
    assert info.value.code == 2


def test_import_refuses_an_unknown_preset(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "refs.trn").write_text(REF, encoding="utf-8")
    (tmp_path / "hyp.trn").write_text(HYP, encoding="utf-8")
    db = tmp_path / "bad.db"
    with pytest.raises(SystemExit) as stop:
        main(["import", str(db), str(tmp_path / "refs.trn"), "--kind", "asr",
              "--pred", f"sys={tmp_path / 'hyp.trn'}", "--normalize", "jiwer"])
    assert stop.value.code == 2
    assert "invalid choice: 'jiwer'" in capsys.readouterr().err
    assert not db.exists()


def test_the_store_refuses_an_unknown_preset_and_writes_nothing(tmp_path: Path) -> None:
    from reviewer.core.items import Benchmark, Item
    from reviewer.core.normalize import UnknownPreset
    from reviewer.store.importer import import_benchmark
    from reviewer.store.project import Project

    with Project(tmp_path / "p.db", create=True) as project:
        with pytest.raises(UnknownPreset, match="jiwer"):
            import_benchmark(project, Benchmark("asr", [Item("u1", "hello")]), normalize="jiwer")
        assert project.item_count() == 0
