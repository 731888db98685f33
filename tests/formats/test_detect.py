"""Format detection through the registry, and the lazy pandas import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reviewer.formats.registry import detect, formats
from tests.formats.conftest import Write


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.csv", "csv"), ("a.CSV", "csv"), ("a.tsv", "tsv"), ("a.tab", "tsv"),
     ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.parquet", "parquet")],
)
def test_tables_by_suffix(write: Write, name: str, fmt: str) -> None:
    assert detect(write(name, "id,ref\n")).name == fmt


def test_folder_and_every_builtin_is_registered(tmp_path: Path) -> None:
    assert detect(tmp_path).name == "folder"
    names = {f.name for f in formats()}
    assert {"csv", "tsv", "jsonl", "parquet", "folder", "page", "alto"} <= names


def test_reading_the_registry_does_not_import_pandas() -> None:
    code = ("import sys; from reviewer.formats.registry import formats; formats(); "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"
