"""`reviewer import` with a kind its media do not suit.

An OCR table imported with ``--kind asr`` would store its PNGs as recordings: the import
is refused, naming the column, an example file and the kind that fits. Media only partly
of the other type are a warning line on stderr, and the import goes on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.resources import demo_dir
from reviewer.store.project import Project


def _table(folder: Path, media: list[str], column: str = "image") -> Path:
    lines = [f"id,{column},text"] + [f"l{k},{m},line {k}" for k, m in enumerate(media, 1)]
    path = folder / "lines.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _errors(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line]


def test_an_ocr_table_imported_as_asr_is_refused(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    table = _table(tmp_path, ["img/l01.png", "img/l02.png"])
    project = tmp_path / "speech.db"
    assert main(["import", str(project), str(table), "--kind", "asr"]) == 1
    (line,) = _errors(capsys)
    assert line.startswith(f"reviewer: error: {table}: the media column 'image' holds images")
    assert "(for example img/l01.png)" in line
    assert "which the asr kind cannot play" in line
    assert "images suit the text kind: import with --kind text" in line
    assert not project.exists()


def test_recordings_imported_as_text_are_refused(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    table = _table(tmp_path, ["clips/u1.wav"], column="audio")
    assert main(["import", str(tmp_path / "p.db"), str(table)]) == 1  # --kind text by default
    (line,) = _errors(capsys)
    assert "the media column 'audio' holds audio files (for example clips/u1.wav)" in line
    assert "the text kind cannot show" in line and "--kind asr" in line


def test_partly_unsuitable_media_are_a_warning_line(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    table = _table(tmp_path, ["clips/a.wav", "img/b.png", "clips/c.flac"])
    project = tmp_path / "speech.db"
    assert main(["import", str(project), str(table), "--kind", "asr"]) == 0
    warnings = [line for line in _errors(capsys) if "media files (for example" in line]
    assert warnings == [
        f"reviewer: warning: {table}: the media column 'image' holds 1 image among 3 "
        "media files (for example img/b.png), which the asr kind cannot play; images suit "
        "the text kind"]
    with Project(project) as opened:
        assert len(opened.item_ids()) == 3


def test_a_folder_of_lines_imported_as_asr_is_refused(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "lines"
    folder.mkdir()
    (folder / "l1.gt.txt").write_text("a line\n", encoding="utf-8")
    (folder / "l1.png").write_bytes(b"")
    assert main(["import", str(tmp_path / "p.db"), str(folder), "--kind", "asr"]) == 1
    (line,) = _errors(capsys)
    assert "the items' media files are images (for example l1.png)" in line
    assert "--kind text" in line


@pytest.mark.parametrize("kind", ["text", "asr", "label"])  # the demos with media
def test_the_demos_import_without_a_media_warning(kind: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    demo = demo_dir(kind)
    argv = {"text": [str(demo / "lines"), "--pred", f"tess={demo / 'tesseract-lstm'}"],
            "asr": [str(demo / "reference.stm"), "--audio", str(demo / "audio")],
            "label": [str(demo / "digits.csv")]}[kind]
    assert main(["import", str(tmp_path / "d.db"), *argv, "--kind", kind]) == 0
    assert "media files (for example" not in capsys.readouterr().err
    with Project(tmp_path / "d.db") as project:  # media there were, and they suit the kind
        assert any(project.item(i).media for i in project.item_ids())
