"""A large table imports a chunk at a time (issue 19 §2): the same project as reading it
whole, never more than a chunk of items held, errors naming file and line in any chunk,
and a failure or cancel leaving the project as it was."""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reviewer.core import evaluate, time_left
from reviewer.core.errors import Cancelled, InputError, ProjectError
from reviewer.core.items import StreamRow
from reviewer.formats import stream_table
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.formats.stream_table import stream_benchmark
from reviewer.store.importer import import_into
from reviewer.store.stream_import import import_streamed

CHUNK = 10  # items per chunk in these tests: a thousand lines stream in a hundred chunks
TIMES = frozenset({"imported_at", "created_at", "updated_at", "applied_at", "at"})


class Recorder:
    """A progress that keeps the fractions it is told, counts the stream's rows alive at
    each, and cancels after ``cancel_after`` of them."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.fractions: list[float] = []
        self.statuses: list[str] = []
        self.alive: list[int] = []
        self.cancel_after = cancel_after

    def set(self, value: float) -> None:
        self.fractions.append(value)
        self.alive.append(sum(isinstance(o, StreamRow) for o in gc.get_objects()))

    def status(self, text: str) -> None:
        self.statuses.append(text)

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.fractions) >= self.cancel_after


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream_table, "CHUNK_ROWS", CHUNK)
    monkeypatch.setattr(evaluate, "_CHUNK", CHUNK)


def records(n: int, systems: tuple[str, ...] = ("good", "bad")) -> list[dict[str, str]]:
    """``n`` rows of an OCR-like table, each system's prediction a little wrong."""
    out = []
    for k in range(n):
        ref = f"the modern harbour {k} of Amsterdam"
        row = {"id": f"line_{k:04d}", "reference": ref, "page": str(k // 40)}
        for s, system in enumerate(systems):
            if (k + s) % 97:  # now and then a system has no prediction
                row[f"pred_{system}"] = ref.replace("m", "rn", 1 + s)
        out.append(row)
    return out


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    import csv

    header = list(dict.fromkeys(k for r in rows for k in r))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the project, its times and name left out."""
    conn = sqlite3.connect(path)
    try:
        got = {}
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                             "'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})")
                       if c[1] not in TIMES]
            where = "WHERE key NOT IN ('created_at', 'name')" if table == "meta" else ""
            got[table] = sorted(conn.execute(f"SELECT {', '.join(columns)} FROM {table} "
                                             f"{where}").fetchall(), key=repr)
        return got
    finally:
        conn.close()


def streamed(project: Path, table: Path, **options: Any) -> dict[str, int]:
    got = import_streamed(project, table, [], ReadOptions(), workers=1, **options)
    assert got is not None, "the table was read whole"
    return got[0]


def whole(project: Path, table: Path, **options: Any) -> dict[str, int]:
    return import_into(project, load_benchmark(table, [], ReadOptions()), workers=1,
                       **options)


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.mark.parametrize("write", [write_jsonl, write_csv], ids=["jsonl", "csv"])
def test_streamed_import_equals_the_whole_import(tmp_path: Path, write: object) -> None:
    assert callable(write)
    table = write(tmp_path / ("bench.jsonl" if write is write_jsonl else "bench.csv"),
                  records(1000))
    one, two = tmp_path / "streamed.db", tmp_path / "whole.db"
    assert streamed(one, table) == whole(two, table) == {"items": 1000, "pairs": 2000}
    got, want = dump(one), dump(two)
    assert len(got["items"]) == 1000 and len(got["predictions"]) > 1900
    assert got == want


def test_adding_a_system_streamed_equals_adding_it_whole(tmp_path: Path) -> None:
    rows = records(300, ("good", "bad"))
    first = write_jsonl(tmp_path / "first.jsonl",
                        [{k: v for k, v in r.items() if k != "pred_bad"} for r in rows])
    second = write_jsonl(tmp_path / "second.jsonl",
                         [{k: v for k, v in r.items() if k != "pred_good"} for r in rows])
    one, two = tmp_path / "streamed.db", tmp_path / "whole.db"
    whole(one, first)
    whole(two, first)
    assert streamed(one, second) == whole(two, second) == {"items": 300, "pairs": 300}
    assert dump(one) == dump(two)


def test_the_reader_yields_chunks_and_reads_the_file_only_as_they_are_taken(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = write_jsonl(tmp_path / "bench.jsonl", records(1000))
    read = 0
    lines = stream_table._lines

    def counted(path: Path) -> Iterator[tuple[int, str]]:
        nonlocal read
        for line in lines(path):
            read += 1
            yield line

    monkeypatch.setattr(stream_table, "_lines", counted)
    stream = stream_benchmark(table, [], ReadOptions())
    assert stream is not None and stream.total == 1000
    read = 0  # the columns are found from the first records
    chunks = stream.chunks()
    first = next(chunks)
    assert [r.item.id for r in first] == [f"line_{k:04d}" for k in range(CHUNK)]
    assert read == CHUNK
    assert sum(len(c) for c in chunks) == 1000 - CHUNK
    assert read == 1000


def test_an_import_never_holds_more_than_a_couple_of_chunks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate, "_CHUNK", 2 * CHUNK)  # fewer looks at every object alive
    table = write_jsonl(tmp_path / "bench.jsonl", records(400))
    progress = Recorder()
    streamed(tmp_path / "new.db", table, progress=progress)
    assert len(progress.alive) > 30  # once per scored chunk of pairs
    assert max(progress.alive) <= 2 * CHUNK


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_an_error_on_a_late_line_names_it_and_leaves_nothing(tmp_path: Path,
                                                             existing: bool) -> None:
    rows = records(1000)
    project = tmp_path / "bench.db"
    if existing:
        whole(project, write_jsonl(tmp_path / "first.jsonl",
                                   [{"id": r["id"], "reference": r["reference"],
                                     "page": r["page"]} for r in rows]))
    before = dump(project) if existing else None
    table = write_jsonl(tmp_path / "bench.jsonl", rows)
    lines = table.read_text(encoding="utf-8").split("\n")
    lines[876] = lines[876][:-1]  # line 877 loses its closing brace
    table.write_text("\n".join(lines), encoding="utf-8")
    kept = files(tmp_path)
    with pytest.raises(InputError) as caught:
        streamed(project, table)
    assert caught.value.path == str(table) and caught.value.line == 877
    assert files(tmp_path) == kept  # no project, no hidden or temporary file
    if existing:
        assert dump(project) == before


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_a_duplicate_id_in_a_later_chunk_is_refused_with_its_lines(tmp_path: Path,
                                                                   existing: bool) -> None:
    rows = records(1000)
    project = tmp_path / "bench.db"
    if existing:
        whole(project, write_jsonl(tmp_path / "first.jsonl", [
            {"id": r["id"], "reference": r["reference"]} for r in rows]))
    before = dump(project) if existing else None
    rows[900] = {**rows[900], "id": rows[2]["id"]}
    table = write_jsonl(tmp_path / "bench.jsonl", rows)
    kept = files(tmp_path)
    with pytest.raises(InputError, match=r"duplicate id 'line_0002' \(first on line 3\)") as caught:
        streamed(project, table)
    assert caught.value.path == str(table) and caught.value.line == 901
    assert caught.value.record == "line_0002"
    assert files(tmp_path) == kept
    if existing:
        assert dump(project) == before


def test_a_duplicate_within_one_chunk_names_both_lines(tmp_path: Path) -> None:
    rows = records(100)
    rows[55] = {**rows[55], "id": rows[52]["id"]}
    table = write_csv(tmp_path / "bench.csv", rows)
    duplicate = r"duplicate id 'line_0052' \(first on line 54\)"
    with pytest.raises(InputError, match=duplicate) as caught:
        streamed(tmp_path / "new.db", table)
    assert caught.value.line == 57  # the CSV header is line 1
    assert not (tmp_path / "new.db").exists()


def test_ids_that_differ_only_in_unicode_form_are_refused(tmp_path: Path) -> None:
    rows = records(200)
    rows[10] = {**rows[10], "id": "caf\u00e9"}
    rows[150] = {**rows[150], "id": "cafe\u0301"}
    table = write_jsonl(tmp_path / "bench.jsonl", rows)
    with pytest.raises(InputError, match=r"\(item 11\) and .* \(item 151\) are the same text"):
        streamed(tmp_path / "new.db", table)
    assert files(tmp_path) == {"bench.jsonl"}


def test_other_items_for_an_existing_project_are_refused_after_the_stream(
        tmp_path: Path) -> None:
    rows = records(300)
    project = tmp_path / "bench.db"
    whole(project, write_jsonl(tmp_path / "first.jsonl", rows[:299]))
    before = dump(project)
    changed = [{**r, "reference": r["reference"] + "!"} if k == 250 else r
               for k, r in enumerate(rows[:299])]
    with pytest.raises(ProjectError, match=r"new \['line_0299'\]"):
        streamed(project, write_jsonl(tmp_path / "more.jsonl", rows), replace=True)
    with pytest.raises(ProjectError, match=r"references of 1 item\(s\) differ .*'line_0250'"):
        streamed(project, write_jsonl(tmp_path / "changed.jsonl", changed), replace=True)
    assert dump(project) == before


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_cancel_mid_stream_leaves_the_project_as_it_was(tmp_path: Path, existing: bool,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    ticks = iter(range(100_000))  # a steady clock: the time left shows however fast it runs
    monkeypatch.setattr(time_left, "_clock", lambda: float(next(ticks)))
    rows = records(1000)
    project = tmp_path / "bench.db"
    if existing:
        whole(project, write_jsonl(tmp_path / "first.jsonl", [
            {"id": r["id"], "reference": r["reference"]} for r in rows]))
    before = dump(project) if existing else None
    table = write_jsonl(tmp_path / "bench.jsonl", rows)
    kept = files(tmp_path)
    progress = Recorder(cancel_after=30)
    with pytest.raises(Cancelled):
        streamed(project, table, progress=progress)
    assert 0 < max(progress.fractions) < 0.5  # it stopped in mid-stream
    assert any(s.endswith(" left") for s in progress.statuses)  # the time left was shown
    assert files(tmp_path) == kept
    if existing:
        assert dump(project) == before


def test_a_column_first_named_late_reads_the_table_whole(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setattr(stream_table, "_HEAD_ROWS", 20)
    rows: list[dict[str, str]] = [{"id": f"r{k}", "text": f"line {k}",
                                   "hyp": f"1ine {k}"} for k in range(100)]
    rows[60]["reference"] = "a late reference column"  # it would be the reference
    rows[70]["note"] = "a late metadata column"
    table = write_jsonl(tmp_path / "bench.jsonl", rows)
    assert import_streamed(tmp_path / "one.db", table, [], ReadOptions(), workers=1) is None
    assert not (tmp_path / "one.db").exists()
    del rows[60]["reference"]
    write_jsonl(table, rows)
    assert streamed(tmp_path / "one.db", table) == whole(tmp_path / "two.db", table)
    assert dump(tmp_path / "one.db") == dump(tmp_path / "two.db")


def test_warnings_are_those_of_the_whole_reader(tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "id"} for r in records(300)]
    table = write_jsonl(tmp_path / "bench.jsonl", rows)
    got = import_streamed(tmp_path / "one.db", table, [], ReadOptions(), workers=1)
    assert got is not None
    want = load_benchmark(table, [], ReadOptions()).warnings
    assert got[1].warnings == want
    assert len(want) == 3  # no id column; each system misses a few predictions


def test_only_the_systems_kept_are_imported(tmp_path: Path) -> None:
    table = write_jsonl(tmp_path / "bench.jsonl", records(200))
    got = import_streamed(tmp_path / "one.db", table, [], ReadOptions(),
                          keep_systems=frozenset({"bad"}), workers=1)
    assert got is not None and got[1].systems == ["bad"]
    bench = load_benchmark(table, [], ReadOptions())
    bench.predictions = {"bad": bench.predictions["bad"]}
    import_into(tmp_path / "two.db", bench, workers=1)
    assert dump(tmp_path / "one.db") == dump(tmp_path / "two.db")
