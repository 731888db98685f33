"""CSV and TSV tables: happy paths and every bad input the reader refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.registry import ReadOptions, read
from tests.formats.conftest import Write

REF = ReadOptions()


def test_csv_items_predictions_and_meta(write: Write) -> None:
    path = write("t.csv", "id,reference,prediction,pred_tess,split\n"
                          "a,Hello,Helo,Hallo,dev\nb,,x,y,test\n")
    loaded = read(path, REF)
    assert [(i.id, i.reference, i.meta) for i in loaded.items] == [
        ("a", "Hello", (("split", "dev"),)), ("b", "", (("split", "test"),))]
    assert loaded.predictions == {"prediction": {"a": "Helo", "b": "x"},
                                  "tess": {"a": "Hallo", "b": "y"}}
    assert loaded.warnings == []
    assert loaded.sources == [path]


def test_tsv_and_tab_suffix(write: Write) -> None:
    for name in ("t.tsv", "t.tab"):
        loaded = read(write(name, "id\tgt\thyp\nx 1\tA, b\tA b\n"), REF)
        assert loaded.items[0].id == "x 1"
        assert loaded.items[0].reference == "A, b"
        assert loaded.predictions == {"hyp": {"x 1": "A b"}}


def test_bom_crlf_quoted_newlines_and_blank_lines(write: Write) -> None:
    data = '\ufeffid,text\r\n\r\na,"two\nlines, quoted ""x"""\r\nb,plain\r\n,\r\n'
    loaded = read(write("t.csv", data), REF)
    assert [i.id for i in loaded.items] == ["a", "b"]
    assert loaded.items[0].reference == 'two\nlines, quoted "x"'


def test_values_stay_strings(write: Write) -> None:
    loaded = read(write("t.csv", "id,ref\n007,NA\n1.50,null\n"), REF)
    assert [(i.id, i.reference) for i in loaded.items] == [("007", "NA"), ("1.50", "null")]


def test_no_id_column_numbers_rows_and_warns(write: Write) -> None:
    loaded = read(write("t.csv", "ref,pred\na,b\nc,d\n"), REF)
    assert [i.id for i in loaded.items] == ["row_1", "row_2"]
    assert loaded.predictions == {"pred": {"row_1": "b", "row_2": "d"}}
    assert len(loaded.warnings) == 1 and "no id column" in loaded.warnings[0]


def test_huge_cell(write: Write) -> None:
    text = "x" * 300_000
    loaded = read(write("t.csv", f"id,ref\na,{text}\n"), REF)
    assert loaded.items[0].reference == text


def test_media_resolved_relative_to_the_table(write: Write, tmp_path: Path) -> None:
    write("img/a.png", b"")
    names = ["img/a.png"] + [f"img/missing{n}.png" for n in range(12)]
    rows = "".join(f"id{n},r,{name}\n" for n, name in enumerate(names))
    loaded = read(write("sub/../t.csv", "id,ref,image\n" + rows), REF)
    assert loaded.items[0].media == (tmp_path / "img" / "a.png").as_posix()
    assert all(i.media and i.media.startswith("/") for i in loaded.items)
    (warning,) = loaded.warnings
    assert "12 media files do not exist" in warning and warning.endswith("and 2 more")
    assert "missing0.png" in warning and "missing11.png" not in warning


def test_empty_media_cell_is_no_media(write: Write) -> None:
    loaded = read(write("t.csv", "id,ref,media\na,r,\n"), REF)
    assert loaded.items[0].media is None
    assert loaded.warnings == []


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("id,ref\na,x\na,y\n", 3, "duplicate id 'a' (first on line 2)"),
        ("id,ref\na,x\nb\n", 3, "1 fields where the header has 2"),
        ("id,ref\na,x,y\n", 2, "3 fields"),
        ('id,ref\na,x\nb,"unterminated\n', 3, "malformed row"),
        ('id,ref\na,"q"x\n', 2, "malformed row"),
        ("id,ref\na,x\n ,y\n", 3, "empty id"),
        ("id,ref,id\na,b,c\n", 1, "appears twice"),
    ],
)
def test_bad_rows_name_file_and_line(write: Write, content: str, line: int, words: str) -> None:
    path = write("bad.csv", content)
    with pytest.raises(InputError) as err:
        read(path, REF)
    assert str(err.value).startswith(f"{path}:{line}")
    assert words in str(err.value)


def test_duplicate_id_names_the_record(write: Write) -> None:
    with pytest.raises(InputError, match=r"record 'a'"):
        read(write("bad.csv", "id,ref\na,x\na,y\n"), REF)


def test_invalid_utf8_names_byte_offset(write: Write) -> None:
    path = write("bad.csv", b"id,ref\na,caf\xe9\n")
    with pytest.raises(InputError) as err:
        read(path, REF)
    assert str(err.value).startswith(f"{path}:2")
    assert "byte 12" in str(err.value)


@pytest.mark.parametrize(("content", "words"), [("", "empty"), ("id,ref\n", "no rows")])
def test_empty_tables(write: Write, content: str, words: str) -> None:
    path = write("t.csv", content)
    with pytest.raises(InputError, match=words) as err:
        read(path, REF)
    assert str(path) in str(err.value)
