"""Exports write paths relative to the file that holds them, never this machine's absolute
ones (issue 16, finding 9), and refuse to write the changes over an export's data (finding 10).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from PIL import Image

from reviewer.cli import main
from reviewer.core.errors import InputError
from reviewer.export import export_benchmark
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.store.decisions import decide
from reviewer.store.importer import import_into
from reviewer.store.project import Project

FORMATS = ("csv", "tsv", "jsonl", "parquet")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A text benchmark whose table says ``img/l01.png``, imported from its own folder, with
    one item revised (so there are changes to write)."""
    bench = tmp_path / "bench"
    (bench / "img").mkdir(parents=True)
    for name in ("l01", "l02"):
        Image.new("L", (40, 10), 255).save(bench / "img" / f"{name}.png")
    table = bench / "lines.csv"
    table.write_text("id,reference,image,pred_ocr\nl01,the cat,img/l01.png,the cot\n"
                     "l02,a dog,img/l02.png,a dog\n", encoding="utf-8")
    db = tmp_path / "bench.db"
    import_into(db, load_benchmark(table, [], ReadOptions(kind="text")), name="lines")
    with Project(db) as p:
        decide(p, "l01", "me", verdict="reference_error", corrected_reference="the cot")
    return db


def table_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of an exported table, read by pandas (JSONL by json)."""
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    frame = (pd.read_parquet(path) if path.suffix == ".parquet"
             else pd.read_csv(path, sep="\t" if path.suffix == ".tsv" else ",", dtype=str))
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def export(db: Path, target: Path, **options: Any) -> Path:
    with Project(db) as p:
        result = export_benchmark(p, target, **options)
    assert result.data is not None
    return result.data


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_beside_the_benchmark_writes_the_paths_the_input_had(
        project: Path, tmp_path: Path, fmt: str) -> None:
    data = export(project, tmp_path / "bench" / f"cleaned.{fmt}")
    assert [r["image"] for r in table_rows(data)] == ["img/l01.png", "img/l02.png"]
    manifest = json.loads(Path(f"{data}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["data"] == f"cleaned.{fmt}"
    assert [s["path"] for s in manifest["sources"]] == ["lines.csv"]
    assert manifest["paths"] == {"relative_to": "the folder of this manifest", "absolute": []}
    assert str(tmp_path) not in data.read_text(encoding="utf-8", errors="replace")
    assert str(tmp_path) not in json.dumps(manifest)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_elsewhere_writes_paths_relative_to_itself(
        project: Path, tmp_path: Path, fmt: str) -> None:
    data = export(project, tmp_path / "shared" / "out" / f"cleaned.{fmt}")
    assert [r["image"] for r in table_rows(data)] == ["../../bench/img/l01.png",
                                                      "../../bench/img/l02.png"]
    manifest = json.loads(Path(f"{data}.manifest.json").read_text(encoding="utf-8"))
    assert [s["path"] for s in manifest["sources"]] == ["../../bench/lines.csv"]
    # Read back, the paths name the very same images.
    back = load_benchmark(data, [], ReadOptions(kind="text"))
    assert [Path(i.media or "").resolve() for i in back.items] == [
        (tmp_path / "bench" / "img" / f"{n}.png").resolve() for n in ("l01", "l02")]


def test_a_folder_export_lists_the_media_it_left_out_relative_to_itself(
        project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.png"
    Image.new("L", (4, 4), 0).save(outside)
    with Project(project) as p:
        p.db.execute("UPDATE items SET media = ? WHERE id = 'l02'", [str(outside)])
        p.db.conn.commit()
    target = tmp_path / "out" / "folder"
    export(project, target, fmt="folder")
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data"] == "."
    assert manifest["media_left_out"] == [{"id": "l02", "media": "../../elsewhere.png",
                                           "reason": "outside the benchmark's folder"}]
    assert [s["path"] for s in manifest["sources"]] == ["../../bench/lines.csv"]
    assert (target / "l01.png").is_file()


def test_a_path_with_no_relative_form_stays_absolute_and_the_manifest_says_so(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reviewer.core.relative_paths as relative_paths

    def other_drive(path: str, start: str | None = None) -> str:
        raise ValueError(f"path is on mount {path[:2]!r}, start on mount 'D:'")

    monkeypatch.setattr(relative_paths.os.path, "relpath", other_drive)
    data = export(project, tmp_path / "out" / "cleaned.jsonl")
    images = [r["image"] for r in table_rows(data)]
    assert images == [str(tmp_path / "bench" / "img" / f"{n}.png") for n in ("l01", "l02")]
    manifest = json.loads(Path(f"{data}.manifest.json").read_text(encoding="utf-8"))
    assert manifest["paths"]["absolute"] == [*images, str(tmp_path / "bench" / "lines.csv")]


def test_the_changes_never_replace_an_earlier_exports_data(project: Path,
                                                           tmp_path: Path) -> None:
    data = export(project, tmp_path / "cleaned.csv")
    before = data.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(data)
    (tmp_path / "sub").mkdir()
    for spelling in (data, tmp_path / "sub" / ".." / "cleaned.csv", link):
        with Project(project) as p, pytest.raises(InputError, match="earlier export"):
            export_benchmark(p, None, changes=spelling)
        assert data.read_bytes() == before, spelling
    # Another name is fine.
    with Project(project) as p:
        assert export_benchmark(p, None, changes=tmp_path / "changes.csv").changes is not None


def test_the_command_refuses_changes_over_the_data_it_just_wrote(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "cleaned.jsonl"
    assert main(["export", str(project), str(data)]) == 0
    before = data.read_bytes()
    capsys.readouterr()
    assert main(["export", str(project), "--changes", str(data)]) == 1
    err = capsys.readouterr().err
    assert "is the data of an earlier export" in err and str(data) in err
    assert data.read_bytes() == before
    # In one run, data and changes in one file are refused as before.
    again = f"{tmp_path}/./cleaned.jsonl"
    assert main(["export", str(project), str(data), "--changes", again]) == 1
    assert data.read_bytes() == before


def test_a_changes_name_without_a_table_suffix_is_refused_before_anything_is_written(
        project: Path, tmp_path: Path) -> None:
    data = tmp_path / "cleaned.csv"
    with Project(project) as p, pytest.raises(InputError, match="output format"):
        export_benchmark(p, data, changes=tmp_path / "changes.json")
    assert not data.exists() and not os.path.exists(f"{data}.manifest.json")
