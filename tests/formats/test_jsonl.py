"""JSON Lines tables."""

from __future__ import annotations

import json

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.registry import ReadOptions, read
from tests.formats.conftest import Write


def _jsonl(*records: object) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def test_records_become_items(write: Write) -> None:
    path = write("t.jsonl", _jsonl(
        {"id": "a", "text": "Straße\u2028x", "pred_tess": "Strasse", "page": 3},
        {"id": "b", "text": "", "pred_tess": None, "ok": True, "tags": ["x"]},
    ))
    loaded = read(path, ReadOptions())
    a, b = loaded.items
    assert (a.id, a.reference, a.meta) == ("a", "Straße\u2028x", (("page", "3"),))
    assert (b.reference, b.meta) == ("", (("ok", "true"), ("tags", '["x"]')))
    # null or absent: no prediction, unlike an empty string
    assert loaded.predictions == {"tess": {"a": "Strasse"}}


def test_ndjson_bom_and_blank_lines(write: Write) -> None:
    path = write("t.ndjson", "\ufeff" + _jsonl({"id": 1, "ref": "x"}) + "\n   \n"
                 + _jsonl({"id": 2, "ref": "y"}))
    assert [i.id for i in read(path, ReadOptions()).items] == ["1", "2"]


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ('{"id": "a", "ref": "x"}\n{"id": "b", "ref": }\n', 2, "malformed JSON"),
        ('{"id": "a", "ref": "x"}\n\n["b", "y"]\n', 3, "JSON object"),
        ('{"id": "a", "ref": "x"}\n{"id": "a", "ref": "y"}\n', 2, "duplicate id 'a'"),
        ('{"id": "a", "ref": "x"}\n{"ref": "y"}\n', 2, "empty id"),
    ],
)
def test_bad_lines_name_file_and_line(write: Write, content: str, line: int, words: str) -> None:
    path = write("bad.jsonl", content)
    with pytest.raises(InputError) as err:
        read(path, ReadOptions())
    assert str(err.value).startswith(f"{path}:{line}")
    assert words in str(err.value)


def test_invalid_utf8(write: Write) -> None:
    path = write("bad.jsonl", b'{"id": "a", "ref": "x"}\n{"id": "b", "ref": "\xff"}\n')
    with pytest.raises(InputError, match="byte 44") as err:
        read(path, ReadOptions())
    assert str(err.value).startswith(f"{path}:2:")


def test_no_objects(write: Write) -> None:
    with pytest.raises(InputError, match="no JSON objects"):
        read(write("t.jsonl", "\n\n"), ReadOptions())
