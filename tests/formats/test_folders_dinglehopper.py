"""dinglehopper's line_dirs layouts (basic, merged, subdirs) read through load_benchmark."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions

PAIRS = [("This is a test.", "Tis is a test."), ("Another test.", "AnÖther test.")]


@pytest.mark.parametrize(
    ("reference", "prediction", "ids"),
    [
        ("basic/gt", "basic/ocr", ["a", "b"]),
        ("subdirs/gt", "subdirs/ocr", ["a/a", "b/b"]),
    ],
)
def test_separate_gt_and_ocr_folders(
    dingle: Path, reference: str, prediction: str, ids: list[str]
) -> None:
    root = dingle / "line_dirs"
    bench = load_benchmark(root / reference, [("some-ocr", root / prediction)], ReadOptions())
    assert [i.id for i in bench.items] == ids
    pairs = [(i.reference, bench.predictions["some-ocr"][i.id]) for i in bench.items]
    assert pairs == PAIRS
    assert bench.warnings == []


def test_merged_layout_finds_the_system_beside_the_gt(dingle: Path) -> None:
    bench = load_benchmark(dingle / "line_dirs" / "merged", [], ReadOptions())
    assert [i.id for i in bench.items] == ["a/a", "b/b"]
    assert list(bench.predictions) == ["some-ocr"]
    pairs = [(i.reference, bench.predictions["some-ocr"][i.id]) for i in bench.items]
    assert pairs == PAIRS
    assert all(i.media is None for i in bench.items)  # a.dummy.jpg is not a.jpg
