"""Paired-file folders: NAME.gt.txt references with predictions and images beside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.registry import ReadOptions, detect, read
from tests.formats.conftest import Write


def test_reference_folder_with_siblings(write: Write, tmp_path: Path) -> None:
    write("gt/l1.gt.txt", "one\n")
    write("gt/l1.txt", "0ne\n")
    write("gt/l1.tess.txt", "onc")
    write("gt/l1.PNG", b"")
    write("gt/sub/l2.gt.txt", "two")
    write("gt/sub/l2.pred.txt", "tw0")
    write("gt/sub/l2.bin.png", b"")
    loaded = read(tmp_path / "gt", ReadOptions())
    assert [(i.id, i.reference) for i in loaded.items] == [("l1", "one"), ("sub/l2", "two")]
    assert loaded.items[0].media == (tmp_path / "gt" / "l1.PNG").as_posix()
    assert loaded.items[1].media == (tmp_path / "gt" / "sub" / "l2.bin.png").as_posix()
    assert loaded.predictions == {"pred": {"l1": "0ne", "sub/l2": "tw0"},
                                  "tess": {"l1": "onc"}}
    assert detect(tmp_path / "gt").name == "folder"


def test_system_option_names_the_plain_predictions(write: Write, tmp_path: Path) -> None:
    write("d/a.gt.txt", "x")
    write("d/a.txt", "y")
    loaded = read(tmp_path / "d", ReadOptions(system="kraken"))
    assert loaded.predictions == {"kraken": {"a": "y"}}


def test_names_with_dots(write: Write, tmp_path: Path) -> None:
    write("d/p.001.gt.txt", "x")
    write("d/p.001.txt", "y")
    write("d/p.001.tess.txt", "z")
    loaded = read(tmp_path / "d", ReadOptions())
    assert [i.id for i in loaded.items] == ["p.001"]
    assert loaded.predictions == {"pred": {"p.001": "y"}, "tess": {"p.001": "z"}}


def test_text_file_rules(write: Write, tmp_path: Path) -> None:
    write("d/bom.gt.txt", "\ufeffa\r\n")
    write("d/two.gt.txt", "a\n\n")
    write("d/inner.gt.txt", "a\r\nb\n")
    write("d/empty.gt.txt", "")
    texts = {i.id: i.reference for i in read(tmp_path / "d", ReadOptions()).items}
    assert texts == {"bom": "a", "two": "a\n", "inner": "a\r\nb", "empty": ""}


def test_unmatched_text_files_are_reported(write: Write, tmp_path: Path) -> None:
    write("d/a.gt.txt", "x")
    write("d/notes.txt", "y")
    loaded = read(tmp_path / "d", ReadOptions())
    assert loaded.predictions == {}
    (warning,) = loaded.warnings
    assert "1 .txt files match no NAME.gt.txt" in warning and "notes.txt" in warning


def test_hidden_folders_are_skipped(write: Write, tmp_path: Path) -> None:
    write("d/a.gt.txt", "x")
    write("d/.git/b.gt.txt", "y")
    assert [i.id for i in read(tmp_path / "d", ReadOptions()).items] == ["a"]


def test_no_gt_files_explains_the_layout(write: Write, tmp_path: Path) -> None:
    write("d/a.txt", "x")
    layout = r"no NAME\.gt\.txt files.*NAME\.gt\.txt file per item"
    with pytest.raises(InputError, match=layout) as err:
        read(tmp_path / "d", ReadOptions())
    assert str(err.value).startswith(str(tmp_path / "d"))


def test_invalid_utf8_names_file_and_byte(write: Write, tmp_path: Path) -> None:
    path = write("d/a.gt.txt", b"ok\nbad \xc3(")
    with pytest.raises(InputError, match="byte 7") as err:
        read(tmp_path / "d", ReadOptions())
    assert str(err.value).startswith(f"{path}:2")


def test_two_files_for_one_system(write: Write, tmp_path: Path) -> None:
    write("d/a.gt.txt", "x")
    write("d/a.txt", "y")
    write("d/a.pred.txt", "z")
    with pytest.raises(InputError, match="both system 'pred'") as err:
        read(tmp_path / "d", ReadOptions())
    assert str(tmp_path / "d") in str(err.value)


def _pred(known: set[str] | None) -> ReadOptions:
    return ReadOptions(role="prediction", system="ocr",
                       known_ids=frozenset(known) if known is not None else None)


def test_prediction_folder_matches_ids(write: Write, tmp_path: Path) -> None:
    write("ocr/a.some-ocr.txt", "x")
    write("ocr/b.txt", "y")
    write("ocr/c/c.some-ocr.txt", "z")
    write("ocr/v1.2/d.txt", "w")
    write("ocr/stray.tess.txt", "s")
    write("ocr/a.gt.txt", "ignored")
    loaded = read(tmp_path / "ocr", _pred({"a", "b", "c/c", "v1.2/d"}))
    assert loaded.items == []
    assert loaded.predictions == {"ocr": {"a": "x", "b": "y", "c/c": "z", "v1.2/d": "w",
                                          "stray.tess": "s"}}


def test_prediction_folder_without_known_ids(write: Write, tmp_path: Path) -> None:
    write("ocr/a.tess.txt", "x")
    assert read(tmp_path / "ocr", _pred(None)).predictions == {"ocr": {"a.tess": "x"}}


def test_prediction_folder_collision(write: Write, tmp_path: Path) -> None:
    write("ocr/a.txt", "x")
    write("ocr/a.tess.txt", "y")
    with pytest.raises(InputError, match="record 'a'") as err:
        read(tmp_path / "ocr", _pred({"a"}))
    assert str(tmp_path / "ocr") in str(err.value)


def test_empty_prediction_folder(tmp_path: Path) -> None:
    (tmp_path / "ocr").mkdir()
    with pytest.raises(InputError, match=r"no \.txt files"):
        read(tmp_path / "ocr", _pred({"a"}))
