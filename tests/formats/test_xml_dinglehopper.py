"""Text-extraction facts from dinglehopper's test data (MANIFEST section 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.formats.registry import ReadOptions, detect, read
from reviewer.formats.textio import read_text


def _lines(path: Path) -> list[str]:
    return [i.reference for i in read(path, ReadOptions()).items]


def test_alto3_has_three_lines(dingle: Path) -> None:
    path = dingle / "test.alto3.xml"
    assert detect(path).name == "alto"
    assert _lines(path) == [
        "über die vielen Sorgen wegen deſſelben vergaß",
        "Hartkopf, der Frau Amtmännin das ver-",
        "ſprochene zu überliefern.",
    ]
    assert [i.id for i in read(path, ReadOptions()).items] == ["test_line_3", "test_line_4",
                                                               "test_line_5"]


def test_alto2_with_bom_and_no_line_ids(dingle: Path) -> None:
    items = read(dingle / "test.alto2.xml", ReadOptions()).items
    assert (items[0].id, items[0].reference) == ("test_1", "142")
    assert items[1].reference.startswith("die Zugtiere eines Joches")


@pytest.mark.parametrize(
    ("name", "digits"),
    [
        ("table-order-0001.xml", "123456789"),
        ("table-order-0002.xml", "147258369"),
        ("table-region.xml", "123456789"),
        ("table-unordered.xml", "123456789"),
        ("table-no-reading-order.xml", "567891234"),
    ],
)
def test_table_reading_order(dingle: Path, name: str, digits: str) -> None:
    path = dingle / "table-order" / name
    assert detect(path).name == "page"
    assert _lines(path) == list(digits)
    (page,) = read(path, ReadOptions(unit="page")).items
    assert page.reference == "\n".join(digits)


def test_levels_are_different_uses_the_line_level(dingle: Path) -> None:
    lines = _lines(dingle / "levels-are-different.page.xml")
    assert len(lines) == 2
    assert lines[0].startswith("Hand, Mylord?")
    assert all("Inconsistent dummy region text" not in line for line in lines)


def test_mixed_regions(dingle: Path) -> None:
    path = dingle / "mixed-regions.page.xml"
    assert "non exaudiam uos. Chriſtiani uero quia orant iuxta" in _lines(path)
    (page,) = read(path, ReadOptions(unit="page")).items
    assert "non exaudiam uos. Chriſtiani uero quia orant iuxta" in page.reference


def test_empty_text_region_is_harmless(dingle: Path) -> None:
    path = dingle / "brochrnx_73075507X" / "00000139.ocrd-tess.ocr.page.xml"
    items = read(path, ReadOptions()).items
    assert items and all(i.id.startswith("00000139_") for i in items)
    (page,) = read(path, ReadOptions(unit="page")).items
    assert page.id == "00000139" and page.reference.strip()


def test_lorem_ipsum_gt_has_its_text_at_region_level(dingle: Path) -> None:
    path = dingle / "lorem-ipsum" / "lorem-ipsum-scan.gt.page.xml"
    loaded = read(path, ReadOptions())
    assert [i.reference for i in loaded.items] == [""] * 7
    assert "--unit page" in loaded.warnings[0]
    (page,) = read(path, ReadOptions(unit="page")).items
    assert page.id == "lorem-ipsum-scan"
    assert page.reference.startswith("Lorem ipsum dolor sit amet, consetetur")
    assert page.reference.count("\n") == 6


def test_plain_text_file_drops_the_final_newline(dingle: Path) -> None:
    text = read_text(dingle / "test.txt")
    assert text.startswith("Lorem ipsum") and text.endswith("amet.")
