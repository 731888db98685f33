"""OCR-D workspaces (METS) and folders of PAGE-XML pages as text benchmarks.

tests/data/mets/ws is our own small workspace: two pages, ground truth in OCR-D-GT-PAGE,
two OCR groups (OCR-D-OCR-A segmented as the ground truth, OCR-D-OCR-B segmented apart),
an image for page 1 only. The expected numbers are what dinglehopper 0.11.0 gives on each
page pair (`dinglehopper GT OCR`): A 1/56 + 1/49 characters, 0/10 + 1/10 words; B 5/56 +
1/49 characters, 4/10 + 0/10 words.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli import main
from reviewer.core.errors import InputError
from reviewer.formats.mets import read_mets, resolve_in_workspace
from reviewer.store.project import Project

DATA = Path(__file__).parent / "data" / "mets"
WS = DATA / "ws"
GROUPS = ["--ref-group", "OCR-D-GT-PAGE", "--pred", "A=OCR-D-OCR-A", "--pred", "B=OCR-D-OCR-B"]
# (errors, units) of CER and WER per system, as dinglehopper 0.11.0 computes them per page
EXPECTED = {"A": ((1 + 1, 56 + 49), (0 + 1, 10 + 10)), "B": ((5 + 1, 56 + 49), (4 + 0, 10 + 10))}


def _scores(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["score", str(db), "--format", "json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return {s["name"]: s["metrics"] for s in report["systems"]}


def _counts(metrics: dict[str, Any]) -> tuple[tuple[int, int], tuple[int, int]]:
    return ((metrics["cer"]["errors"], metrics["cer"]["units"]),
            (metrics["wer"]["errors"], metrics["wer"]["units"]))


def _error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["import", *args]) == 1
    return capsys.readouterr().err


def test_pages_of_a_workspace_as_dinglehopper_scores_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ws.db"
    assert main(["import", str(db), str(WS / "mets.xml"), *GROUPS, "--unit", "page",
                 "--normalize", "dinglehopper"]) == 0
    scores = _scores(db, capsys)
    assert {name: _counts(m) for name, m in scores.items()} == EXPECTED
    with Project(db) as project:
        rows = project.db.execute("SELECT id, media FROM items ORDER BY pos").fetchall()
    # The page image is named relative to the workspace, not to the PAGE file's folder.
    assert rows == [("PHYS_0001", (WS / "OCR-D-IMG" / "0001.png").resolve().as_posix()),
                    ("PHYS_0002", None)]


def test_lines_match_where_the_segmentation_is_shared(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "lines.db"
    assert main(["import", str(db), str(WS / "mets.xml"), "--ref-group", "OCR-D-GT-PAGE",
                 "--pred", "A=OCR-D-OCR-A", "--normalize", "dinglehopper"]) == 0
    with Project(db) as project:
        ids = [r[0] for r in project.db.execute("SELECT id FROM items ORDER BY pos")]
    assert ids == ["PHYS_0001_l1", "PHYS_0001_l2", "PHYS_0002_l1", "PHYS_0002_l2"]
    (cer, wer) = _counts(_scores(db, capsys)["A"])
    assert cer == (2, 56 + 49 - 2)  # the line feed between two lines is no line's character
    assert wer == (1, 20)
    err = _error(capsys, str(tmp_path / "b.db"), str(WS / "mets.xml"), "--ref-group",
                 "OCR-D-GT-PAGE", "--pred", "B=OCR-D-OCR-B")
    assert "OCR-D-OCR-B_0001.xml" in err and "PHYS_0001" in err and "--unit page" in err


def test_file_urls_resolve_inside_the_workspace(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(WS, ws)
    mets = (ws / "mets.xml").read_text(encoding="utf-8")
    url = f'xlink:href="file://{ws.as_posix()}/OCR-D-OCR-B/'
    (ws / "mets.xml").write_text(mets.replace('xlink:href="OCR-D-OCR-B/', url), encoding="utf-8")
    assert url in (ws / "mets.xml").read_text(encoding="utf-8")
    db = tmp_path / "ws.db"
    assert main(["import", str(db), str(ws / "mets.xml"), *GROUPS, "--unit", "page",
                 "--normalize", "dinglehopper"]) == 0
    assert {n: _counts(m) for n, m in _scores(db, capsys).items()} == EXPECTED


def test_an_href_out_of_the_workspace_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "evil.db"
    err = _error(capsys, str(db), str(WS / "mets-hostile.xml"), "--ref-group", "OCR-D-GT-PAGE",
                 "--pred", "E=OCR-D-OCR-EVIL", "--unit", "page")
    assert "mets-hostile.xml" in err and "outside the workspace" in err
    assert "OCR-D-OCR-EVIL_0001" in err and "PHYS_0001" in err
    assert not db.exists()


@pytest.mark.parametrize("href", ["../outside/secret.xml", "/etc/hostname",
                                  "file:///etc/hostname", "OCR-D-OCR-A/../../outside/secret.xml",
                                  "https://example.org/page.xml", "file:///tmp/a%00b.xml"])
def test_hrefs_that_leave_the_workspace(href: str) -> None:
    mets = WS / "mets.xml"
    with pytest.raises(InputError) as caught:
        resolve_in_workspace(mets, WS, href, "file 'X'")
    assert str(mets) in str(caught.value) and "file 'X'" in str(caught.value)


def test_a_symbolic_link_out_of_the_workspace_is_refused(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(WS, ws)
    try:
        os.symlink(DATA / "outside" / "secret.xml", ws / "OCR-D-OCR-A" / "link.xml")
    except OSError:
        pytest.skip("no symbolic links on this file system")
    with pytest.raises(InputError, match="outside the workspace"):
        resolve_in_workspace(ws / "mets.xml", ws, "OCR-D-OCR-A/link.xml", "file 'L'")
    inside = resolve_in_workspace(ws / "mets.xml", ws, "file:OCR-D-OCR-A/OCR-D-OCR-A_0001.xml",
                                  "file 'A'")
    assert inside == ws / "OCR-D-OCR-A" / "OCR-D-OCR-A_0001.xml"


def test_a_missing_group_names_the_groups(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    err = _error(capsys, str(tmp_path / "x.db"), str(WS / "mets.xml"), "--ref-group",
                 "OCR-D-GT-PAGE", "--pred", "t=OCR-D-OCR-TESS")
    assert "mets.xml" in err and "'OCR-D-OCR-TESS'" in err
    assert "OCR-D-GT-PAGE, OCR-D-OCR-A, OCR-D-OCR-B" in err
    err = _error(capsys, str(tmp_path / "x.db"), str(WS / "mets.xml"))
    assert "--ref-group" in err and "OCR-D-OCR-A" in err


def test_a_page_without_a_file_in_a_group(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(WS, ws)
    mets = (ws / "mets.xml").read_text(encoding="utf-8")
    (ws / "mets.xml").write_text(mets.replace('<mets:fptr FILEID="OCR-D-OCR-A_0002"/>', ""),
                                 encoding="utf-8")
    err = _error(capsys, str(tmp_path / "x.db"), str(ws / "mets.xml"), *GROUPS)
    assert "'OCR-D-OCR-A' has no file for page 'PHYS_0002'" in err
    os.remove(ws / "OCR-D-OCR-B" / "OCR-D-OCR-B_0002.xml")
    (ws / "mets.xml").write_text(mets, encoding="utf-8")
    err = _error(capsys, str(tmp_path / "x.db"), str(ws / "mets.xml"), *GROUPS,
                 "--unit", "page")
    assert "'OCR-D-OCR-B_0002'" in err and "does not exist" in err and "PHYS_0002" in err


def test_pages_follow_the_physical_order() -> None:
    mets = read_mets(WS / "mets.xml")
    assert [p.id for p in mets.pages] == ["PHYS_0001", "PHYS_0002"]
    assert list(mets.page_files("OCR-D-OCR-B")) == ["PHYS_0001", "PHYS_0002"]


def test_a_folder_of_page_files_as_the_workspace_groups(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same pages read from the group folders, matched by stem without the group."""
    db = tmp_path / "f.db"
    assert main(["import", str(db), str(WS / "OCR-D-GT-PAGE"),
                 "--pred", f"A={WS / 'OCR-D-OCR-A'}", "--pred", f"B={WS / 'OCR-D-OCR-B'}",
                 "--unit", "page", "--normalize", "dinglehopper"]) == 0
    assert {n: _counts(m) for n, m in _scores(db, capsys).items()} == EXPECTED
    with Project(db) as project:
        rows = project.db.execute("SELECT id, media FROM items ORDER BY pos").fetchall()
    assert rows == [("0001", (WS / "OCR-D-IMG" / "0001.png").resolve().as_posix()),
                    ("0002", None)]
    err = _error(capsys, str(tmp_path / "g.db"), str(WS / "OCR-D-GT-PAGE"),
                 "--pred", f"B={WS / 'OCR-D-OCR-B'}")
    assert "--unit page" in err and "'0001'" in err


def test_a_group_without_a_name_names_its_system(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "g.db"
    assert main(["import", str(db), str(WS / "mets.xml"), "--ref-group", "OCR-D-GT-PAGE",
                 "--pred", "OCR-D-OCR-B", "--unit", "page", "--normalize", "dinglehopper"]) == 0
    assert {n: _counts(m) for n, m in _scores(db, capsys).items()} == {
        "OCR-D-OCR-B": EXPECTED["B"]}
    err = _error(capsys, str(tmp_path / "h.db"), str(WS / "mets.xml"), "--ref-group",
                 "OCR-D-GT-PAGE", "--pred", "=OCR-D-OCR-B")
    assert "NAME=GROUP" in err


def test_the_score_table_names_the_preset(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ws.db"
    assert main(["import", str(db), str(WS / "mets.xml"), *GROUPS, "--unit", "page",
                 "--normalize", "dinglehopper"]) == 0
    capsys.readouterr()
    assert main(["score", str(db)]) == 0
    assert "normalisation dinglehopper" in capsys.readouterr().out.splitlines()[0]


def test_lines_the_ocr_lacks_are_empty_predictions(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(WS, ws)
    page = ws / "OCR-D-OCR-A" / "OCR-D-OCR-A_0002.xml"
    text = page.read_text(encoding="utf-8")
    start = text.index('<TextLine id="l2">')
    page.write_text(text[:start] + text[text.index("</TextLine>", start) + 11:],
                    encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(tmp_path / "l.db"), str(ws / "mets.xml"), "--ref-group",
                 "OCR-D-GT-PAGE", "--pred", "A=OCR-D-OCR-A"]) == 0
    assert "system A: 1 items have no prediction" in capsys.readouterr().err
    assert main(["import", str(tmp_path / "k.db"), str(ws / "mets.xml"), "--kind", "asr",
                 "--ref-group", "OCR-D-GT-PAGE", "--pred", "A=OCR-D-OCR-A"]) == 1
    assert "text benchmark" in capsys.readouterr().err
