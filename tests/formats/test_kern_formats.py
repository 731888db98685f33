"""Kern folders and kern tables: references checked, predictions taken as they are."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from reviewer.core.errors import InputError
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions, detect

GOOD = "**kern\n*clefG2\n=1\n4c\n4d\n==\n*-\n"
BROKEN = "**kern\t**kern\n4c\t4d\n4e\n*-\t*-\n"
KERN = ReadOptions(kind="kern")
REFUSE = ReadOptions(kind="kern", unreadable="refuse")  # an unreadable reference stops it


def _folder(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def test_folders_are_matched_by_path_without_krn(tmp_path: Path) -> None:
    gt = _folder(tmp_path / "gt", {"a.krn": GOOD, "sub/b.krn": GOOD, "a.png": b"png",
                                   "notes.txt": "not kern"})
    pred = _folder(tmp_path / "pred", {"a.krn": GOOD.replace("4d", "4e"), "sub/b.krn": BROKEN})
    assert detect(gt).name == "kern-folder"
    bench = load_benchmark(gt, [("smt", pred)], KERN)
    assert [i.id for i in bench.items] == ["a", "sub/b"]
    assert bench.items[0].media == (gt / "a.png").resolve().as_posix()
    assert bench.items[1].media is None
    assert bench.predictions["smt"]["sub/b"] == BROKEN.rstrip("\n")  # broken: kept as it is
    assert bench.source_format == "kern-folder"


def test_broken_reference_names_file_and_line(tmp_path: Path) -> None:
    gt = _folder(tmp_path / "gt", {"a.krn": GOOD, "b.krn": BROKEN})
    with pytest.raises(InputError) as caught:
        load_benchmark(gt, [], REFUSE)
    assert caught.value.path == str(gt / "b.krn") and caught.value.line == 3
    assert "1 field where 2 spines are open" in str(caught.value)


def test_kern_folder_needs_kind_kern_and_latin1_is_read(tmp_path: Path) -> None:
    gt = _folder(tmp_path / "gt", {"a.krn": ("!!!OTL: Ihr Gestirn', ihr hohen L\xfcfte\n"
                                             + GOOD).encode("latin-1")})
    with pytest.raises(InputError, match="--kind kern"):
        load_benchmark(gt, [], ReadOptions(kind="text"))
    bench = load_benchmark(gt, [], KERN)
    assert "Lüfte" in bench.items[0].reference
    assert any("Latin-1" in w for w in bench.warnings)


def test_a_reference_warning_is_not_an_error(tmp_path: Path) -> None:
    gt = _folder(tmp_path / "gt", {"a.krn": GOOD.replace("*-\n", "")})
    bench = load_benchmark(gt, [], KERN)
    assert any("does not end with *-" in w for w in bench.warnings)


def test_csv_table_with_a_kern_column(tmp_path: Path) -> None:
    table = tmp_path / "smb.csv"
    rows = [{"id": "p1", "image": "p1.png", "kern": GOOD, "regions": "[]"},
            {"id": "p2", "image": "p2.png", "kern": GOOD.replace("4c", "2c")}]
    lines = ["id,image,kern,regions"] + [
        f'{r["id"]},{r["image"]},"{r["kern"]}",{r.get("regions", "")}' for r in rows]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    preds = tmp_path / "smt.jsonl"
    preds.write_text("\n".join(json.dumps({"id": r["id"], "kern": BROKEN}) for r in rows) + "\n",
                     encoding="utf-8")
    bench = load_benchmark(table, [("smt", preds)], KERN)
    assert [i.reference for i in bench.items] == [GOOD, GOOD.replace("4c", "2c")]
    assert bench.items[0].media == (tmp_path / "p1.png").as_posix()
    assert dict(bench.items[0].meta)["regions"] == "[]"
    assert bench.predictions["smt"]["p2"] == BROKEN


def test_table_reference_error_names_the_row(tmp_path: Path) -> None:
    table = tmp_path / "smb.jsonl"
    table.write_text(json.dumps({"id": "p1", "kern": GOOD}) + "\n"
                     + json.dumps({"id": "p2", "kern": BROKEN}) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_benchmark(table, [], REFUSE)
    assert caught.value.record == "p2" and "line 3 of its kern" in str(caught.value)


def test_parquet_with_embedded_images_writes_them_once(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    frame = pd.DataFrame({"id": ["p1", "p2"], "kern": [GOOD, GOOD],
                          "image": [{"bytes": png, "path": "page1.png"},
                                    {"bytes": png, "path": "page2.png"}]})
    table = tmp_path / "smb_test.parquet"
    frame.to_parquet(table)
    bench = load_benchmark(table, [], KERN)
    media = [Path(i.media or "") for i in bench.items]
    assert [m.name for m in media] == ["000001_page1.png", "000002_page2.png"]
    assert all(m.parent == tmp_path / "smb_test_images" and m.read_bytes() == png
               for m in media)
    stamp = media[0].stat().st_mtime_ns
    load_benchmark(table, [], KERN)
    assert media[0].stat().st_mtime_ns == stamp  # not written again
