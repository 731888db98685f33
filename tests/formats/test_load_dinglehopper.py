"""Whole-file pairs from dinglehopper's data, read through load_benchmark."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.core.errors import InputError
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions


def test_page2018_pair_matched_by_line_id(dingle: Path) -> None:
    bench = load_benchmark(dingle / "test-gt.page2018.xml",
                           [("fake", dingle / "test-fake-ocr.page2018.xml")], ReadOptions())
    ocr = bench.predictions["fake"]
    assert len(bench.items) == len(ocr) == 20
    assert set(ocr) == {i.id for i in bench.items}
    assert all(i.id.startswith("test-gt_") for i in bench.items)
    # the fake OCR changed only the region-level TextEquivs; its lines equal the GT's
    assert all(i.reference == ocr[i.id] for i in bench.items)
    # The page image the GT names is not in the fixtures: said once, the import goes on.
    assert len(bench.warnings) == 1 and "media files do not exist" in bench.warnings[0]
    assert bench.kind == "text"


def test_page2018_pair_by_region_shows_the_changes(dingle: Path) -> None:
    bench = load_benchmark(dingle / "test-gt.page2018.xml",
                           [("fake", dingle / "test-fake-ocr.page2018.xml")],
                           ReadOptions(unit="region"))
    assert [i.id for i in bench.items] == ["test-gt_r0", "test-gt_r2"]
    ocr = bench.predictions["fake"]
    # the GT writes "ch" and others as MUFI private-use characters: match around them
    assert "das Verſpro" in bench.items[0].reference
    assert "das Verfpro" in ocr["test-gt_r0"]
    assert "Den Augenbli" in bench.items[0].reference
    assert "Den Augembli" in ocr["test-gt_r0"]
    assert "\ufb01el" in bench.items[1].reference and "fiel" in ocr["test-gt_r2"]


@pytest.mark.parametrize(("scan", "equal"), [("lorem-ipsum-scan", True),
                                             ("lorem-ipsum-scan-bad", False)])
def test_lorem_ipsum_page_against_alto_by_page(dingle: Path, scan: str, equal: bool) -> None:
    folder = dingle / "lorem-ipsum"
    bench = load_benchmark(folder / f"{scan}.gt.page.xml",
                           [("tess", folder / f"{scan}.ocr.tesseract.alto.xml")],
                           ReadOptions(unit="page"))
    (item,) = bench.items
    assert item.id == scan
    assert len(item.reference) == 591
    assert (bench.predictions["tess"][item.id] == item.reference) is equal


def test_lorem_ipsum_by_line_suggests_page_unit(dingle: Path) -> None:
    folder = dingle / "lorem-ipsum"
    ocr = folder / "lorem-ipsum-scan.ocr.tesseract.alto.xml"
    with pytest.raises(InputError, match=r"differ from those of .*--unit page") as err:
        load_benchmark(folder / "lorem-ipsum-scan.gt.page.xml", [("tess", ocr)], ReadOptions())
    assert str(err.value).startswith(str(ocr))
