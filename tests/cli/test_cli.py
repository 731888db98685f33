"""The ``reviewer`` commands end to end: exit codes, output, what lands in the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.store import decisions
from reviewer.store.project import Project

CSV = (
    "id,gt,pred_tess,pred_kraken\n"
    "ocr_0001,The modern cat sat.,The rnodern cat sat,The modern Cat sat.\n"
    "ocr_0002,Hello world,Hel1o world,Hello  world\n"
    "ocr_0003,Müller ſchön,Muller fchön,Müller ſchön\n"
)


@pytest.fixture
def bench(tmp_path: Path) -> Path:
    table = tmp_path / "ocr.csv"
    table.write_text(CSV, encoding="utf-8")
    db = tmp_path / "bench.db"
    assert main(["import", str(db), str(table), "--kind", "text"]) == 0
    return db


def test_import_and_score_json(bench: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["score", str(bench), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "text" and report["set"] == "original" and report["items"] == 3
    tess = next(s for s in report["systems"] if s["name"] == "tess")
    assert tess["items_scored"] == 3 and tess["missing"] == 0
    cer = tess["metrics"]["cer"]
    assert set(cer) >= {"value", "errors", "units", "low", "high"}
    assert cer["units"] == len("The modern cat sat.") + len("Hello world") + len("Müller ſchön")
    assert cer["low"] <= cer["value"] <= cer["high"]
    assert tess["categories"]["confusable"] >= 3
    assert sum(tess["categories"].values()) == cer["errors"]


def test_score_table(bench: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["score", str(bench)]) == 0
    out = capsys.readouterr().out
    assert "tess" in out and "kraken" in out and "CER" in out and "confusable" in out


def test_show_prints_the_aligned_diff(bench: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["show", str(bench), "ocr_0001", "--system", "tess"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "  REF  The m·odern cat sat." in out
    assert "  HYP  The rnodern cat sat·" in out
    assert any("Confusable glyphs 2" in line for line in out)


def test_show_worst(bench: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["show", str(bench), "--worst", "1", "--system", "tess"]) == 0
    assert capsys.readouterr().out.startswith("ocr_0003")


def test_unknown_item_lists_near_matches(bench: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", str(bench), "ocr_001"]) == 1
    err = capsys.readouterr().err
    assert "no item 'ocr_001'" in err and "ocr_0001" in err
    assert err.count("\n") == 1


def test_label_rescoring_and_export(bench: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["label", str(bench), "ocr_0003", "reference_error", "--note", "GT typo",
                 "--reference", "Muller ſchön", "--annotator", "ann"]) == 0
    assert main(["label", str(bench), "ocr_0002", "unusable", "--annotator", "ann"]) == 0
    with Project(bench) as project:
        label = decisions.get_decision(project, "ocr_0003")
        assert (label.verdict, label.corrected_reference, label.note) == (
            "reference_error", "Muller ſchön", "GT typo")
        assert [e.annotator for e in decisions.history(project)] == ["ann", "ann"]
    capsys.readouterr()
    assert main(["score", str(bench), "--format", "json", "--set", "cleaned"]) == 0
    cleaned = json.loads(capsys.readouterr().out)
    assert cleaned["items"] == 2
    out = tmp_path / "cleaned.jsonl"
    assert main(["export", str(bench), str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["ocr_0001", "ocr_0003"]
    assert rows[1]["reference"] == "Muller ſchön" and rows[1]["status"] == "revised"
    # The export imports again as the same items with the same references.
    again = tmp_path / "again.db"
    assert main(["import", str(again), str(out)]) == 0
    with Project(again) as project:
        assert project.item_ids() == ["ocr_0001", "ocr_0003"]
        assert project.item("ocr_0003").reference == "Muller ſchön"
        assert project.systems() == ["tess", "kraken"]


def test_undo_redo_history(bench: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["label", str(bench), "ocr_0001", "ok", "--annotator", "ann"]) == 0
    assert main(["undo", str(bench), "--annotator", "ann"]) == 0
    with Project(bench) as project:
        assert decisions.get_decision(project, "ocr_0001").verdict is None
    assert main(["redo", str(bench), "--annotator", "ann"]) == 0
    capsys.readouterr()
    assert main(["history", str(bench)]) == 0
    out = capsys.readouterr().out
    assert out.count("ocr_0001") == 3 and " undo " in out and " redo " in out


def test_reimport_needs_replace(bench: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(bench), str(tmp_path / "ocr.csv")]) == 1
    assert "--replace" in capsys.readouterr().err
    assert main(["import", str(bench), str(tmp_path / "ocr.csv"), "--replace"]) == 0


def test_bad_input_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "dup.csv"
    table.write_text("id,gt,pred\na,x,y\na,z,w\n", encoding="utf-8")
    db = tmp_path / "new.db"
    assert main(["import", str(db), str(table)]) == 1
    err = capsys.readouterr().err
    assert "dup.csv" in err and "'a'" in err
    assert not db.exists()


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["score"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["label", "x.db", "item", "not_a_verdict"])
    assert exc.value.code == 2


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("import", "score", "show", "label", "undo", "redo", "history", "export",
                    "demo", "gui"):
        with pytest.raises(SystemExit) as exc:
            main([command, "--help"])
        assert exc.value.code == 0
        assert "example" in capsys.readouterr().out


def test_missing_project_is_a_user_error(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(tmp_path / "nope.db")]) == 1
    assert "no such project" in capsys.readouterr().err


def test_export_policy_flags(bench: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["label", str(bench), "ocr_0001", "ok"]) == 0
    out = tmp_path / "strict.csv"
    assert main(["export", str(bench), str(out), "--policy", "strict"]) == 0
    assert "Wrote 1 items" in capsys.readouterr().out
    assert (tmp_path / "strict.csv.manifest.json").is_file()
    assert main(["export", str(bench), str(out), "--policy", "strict", "--keep", "ok"]) == 1
    assert "not both" in capsys.readouterr().err
    assert main(["export", str(bench), str(out), "--keep", "nonsense"]) == 1
    assert "unknown item class" in capsys.readouterr().err
    assert main(["export", str(bench)]) == 1


def test_merge_and_agreement(bench: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    alice, bob, team = tmp_path / "alice.db", tmp_path / "bob.db", tmp_path / "team.db"
    shutil.copy(bench, alice)
    shutil.copy(bench, bob)
    for item, verdict in (("ocr_0001", "ok"), ("ocr_0002", "model_error"), ("ocr_0003", "ok")):
        assert main(["label", str(alice), item, verdict, "--annotator", "alice"]) == 0
    for item, verdict in (("ocr_0001", "ok"), ("ocr_0002", "unusable"), ("ocr_0003", "ok")):
        assert main(["label", str(bob), item, verdict, "--annotator", "bob"]) == 0
    assert main(["merge", str(alice), str(bob), "-o", str(team)]) == 0
    with Project(team) as project:
        events = decisions.history(project)
    assert sorted(e.annotator for e in events) == ["alice"] * 3 + ["bob"] * 3
    assert main(["merge", str(alice), str(bob), "-o", str(team)]) == 0
    with Project(team) as project:
        assert len(decisions.history(project)) == 6  # merging again adds nothing
    capsys.readouterr()
    assert main(["agreement", str(team), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["annotators"] == ["alice", "bob"]
    verdict = report["verdict"]
    assert verdict["n_items"] == 3
    # 2 of 3 agree: p_o = 2/3. Marginals: alice ok 2/3, model_error 1/3; bob ok 2/3,
    # unusable 1/3; p_e = (2/3)(2/3) = 4/9; kappa = (2/3 - 4/9) / (1 - 4/9) = 0.4
    assert verdict["kappa"] == pytest.approx(0.4)


def test_wrapping_ends_when_an_unchanged_segment_has_sides_of_different_length() -> None:
    from reviewer.cli.terminal import _wrap

    ref = [("abc", None), ("x", "substitution")]
    hyp = [("abcdefgh", None), ("y", "substitution")]
    rows = list(_wrap(ref, hyp, 4))
    assert "".join(t for row, _ in rows for t, _ in row) == "abc" + "x"
    assert "".join(t for _, row in rows for t, _ in row) == "abcdefgh" + "y"
