"""A table's first rows, as the import dialog reads them: the import's parse, stopped early.

Reading only the beginning of a file must give exactly the rows (or the error) that
parsing the whole file gives for them, wherever the beginning is cut: in a quoted cell
that spans lines, in a multi-byte character, before the header ends.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.core.errors import InputError
from reviewer.formats import tableparse
from reviewer.formats.registry import ReadOptions
from reviewer.formats.table import parse_table
from reviewer.formats.table_sample import check_sample, read_sample

CELL = st.text(alphabet=st.sampled_from(list("ab ,\"\n\té€𝄞")), max_size=12)
ROWS = st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=30)
# Defects a row may carry: the import refuses each on its line.
DEFECTS = st.sampled_from(["", "short", "long", "open-quote", "after-quote"])


def _csv(rows: list[list[str]], defect: str, at: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "reference", "pred_x"])
    for k, row in enumerate(rows):
        if k == at and defect:
            out.write({"short": "a,b\n", "long": "a,b,c,d\n", "open-quote": 'a,"b,c\n',
                       "after-quote": 'a,"b"c,d\n'}[defect])
        writer.writerow(row)
    return out.getvalue()


def _outcome(path: Path, limit: int | None, head: int) -> object:
    """The rows parsed (or the error) with beginnings of ``head`` bytes first."""
    with mock.patch.object(tableparse, "_HEAD_BYTES", head):
        try:
            table = parse_table(path, limit=limit)
        except InputError as exc:
            return str(exc)
    return table.header, table.rows


@settings(max_examples=150, deadline=None)
@given(rows=ROWS, defect=DEFECTS, at=st.integers(0, 30), limit=st.integers(1, 25),
       head=st.integers(1, 80))
def test_the_first_rows_of_a_csv_are_the_import_s(tmp_path_factory: pytest.TempPathFactory,
                                                   rows: list[list[str]], defect: str, at: int,
                                                   limit: int, head: int) -> None:
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text(_csv(rows, defect, at), encoding="utf-8", newline="")
    # The whole text at once: the import's parse, stopped after ``limit`` rows.
    expected = _outcome(path, limit, head=1 << 30)
    assert _outcome(path, limit, head) == expected
    whole = _outcome(path, None, head=1 << 30)
    if isinstance(whole, tuple) and isinstance(expected, tuple):
        assert expected == (whole[0], whole[1][:limit])


@settings(max_examples=100, deadline=None)
@given(records=st.lists(st.dictionaries(st.sampled_from(["id", "ref", "x"]), CELL, max_size=3),
                        max_size=30),
       bad=st.sampled_from(["", "{oops}", "[1]", "{\"id\": \"a\"} x"]), at=st.integers(0, 30),
       limit=st.integers(1, 25), head=st.integers(1, 80))
def test_the_first_rows_of_a_jsonl_file_are_the_import_s(
        tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, str]], bad: str,
        at: int, limit: int, head: int) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    if bad:
        lines.insert(min(at, len(lines)), bad)
    path = tmp_path_factory.mktemp("jsonl") / "t.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _outcome(path, limit, head) == _outcome(path, limit, head=1 << 30)


def test_a_preview_reads_only_the_beginning_of_a_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    body = "".join(f"r{k},text {k}\n" for k in range(200_000))
    # Past the first rows the file is not even UTF-8: only a whole read would see it.
    path.write_bytes(b"id,reference\n" + body.encode() + b"\xff\n")
    sample = read_sample(path, rows=20)
    assert [cells for _, cells in sample.rows][-1] == ["r19", "text 19"]
    with pytest.raises(InputError, match="not valid UTF-8"):
        parse_table(path)


def test_the_sample_is_checked_as_the_import_checks_it(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("id,reference\na,x\nb,y\na,z\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.csv:4 \(record 'a'\): duplicate id 'a'"):
        check_sample(path, read_sample(path), ReadOptions())
    assert check_sample(path, read_sample(path, rows=2), ReadOptions()) == []


@pytest.mark.parametrize("limit", [1, 3, 7, 50])
def test_the_first_rows_of_a_parquet_file_are_the_import_s(tmp_path: Path, limit: int) -> None:
    import pandas as pd

    path = tmp_path / "t.parquet"
    frame = pd.DataFrame({
        "id": [f"r{k}" for k in range(9)],
        "reference": ["x", None, "é", "", "a,b", "q", "w", "e", "r"],
        "n": [1, None, 3, 4, 5, 6, 7, 8, 9],
        "when": pd.to_datetime(pd.Series(["2020-01-02"] * 8 + [None], dtype=object)),
        "kind": pd.Categorical(list("xyxyxyxyx")),
    }, index=range(100, 109))
    frame.to_parquet(path, row_group_size=4)  # the first rows span row groups
    whole = parse_table(path)
    head = parse_table(path, limit=limit)
    assert head.header == whole.header and "__index_level_0__" not in head.header
    assert head.rows == whole.rows[:limit]
    assert not head.by_line
    # A list column, in one row group (the import reads several only of flat columns).
    tags = pd.Series([["a", "b"], [], None, ["c"], ["d"], ["e"], ["f"], ["g"], ["h"]],
                     index=frame.index, dtype=object)
    frame.assign(tags=tags).to_parquet(path)
    assert parse_table(path, limit=limit).rows == parse_table(path).rows[:limit]


def test_an_empty_parquet_file_previews_as_it_imports(tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "t.parquet"
    pd.DataFrame({"id": pd.Series([], dtype=str), "reference": pd.Series([], dtype=str)}
                 ).to_parquet(path)
    assert parse_table(path, limit=20).header == parse_table(path).header == ["id", "reference"]
    with pytest.raises(InputError, match="the table has no rows"):
        check_sample(path, read_sample(path), ReadOptions())
