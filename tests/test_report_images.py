"""Report items carry their line image as a small embedded thumbnail, and every path the
report writes is relative to the report (issue 16, findings 4 and 9)."""

from __future__ import annotations

import base64
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from reviewer.cli import main
from reviewer.core.categories import catalogue
from reviewer.core.items import Benchmark, Item
from reviewer.report import write_report
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project


def records(page: Path) -> dict[str, dict[str, Any]]:
    text = page.read_text(encoding="utf-8")
    start = text.index('id="report-items">') + len('id="report-items">')
    return {r["id"]: r for r in json.loads(text[start:text.index("</script>", start)])}


@pytest.fixture
def bench(tmp_path: Path) -> Path:
    """A benchmark folder with a wide line image, a tiny colour image and a FIFO, imported."""
    folder = tmp_path / "bench"
    (folder / "img").mkdir(parents=True)
    Image.new("L", (2400, 120), 200).save(folder / "img" / "l01.png")
    Image.new("RGB", (30, 20), (200, 30, 30)).save(folder / "img" / "l02.jpg")
    os.mkfifo(folder / "img" / "l03.png")
    items = [Item("l01", "the cat", str(folder / "img" / "l01.png")),
             Item("l02", "a dog", str(folder / "img" / "l02.jpg")),
             Item("l03", "a fish", str(folder / "img" / "l03.png")),
             Item("l04", "no image")]
    preds = {"ocr": {"l01": "the cot", "l02": "a dog", "l03": "a fisk", "l04": "no imago"}}
    db = tmp_path / "bench.db"
    with Project(db, create=True) as project:
        import_benchmark(project, Benchmark("text", items, preds), name="lines")
    return db


def decoded(uri: str) -> Image.Image:
    header, data = uri.split(",", 1)
    assert header in ("data:image/png;base64", "data:image/jpeg;base64")
    return Image.open(io.BytesIO(base64.b64decode(data)))


def test_each_image_is_embedded_as_a_small_thumbnail(bench: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    with Project(bench) as project:
        counts = write_report(project, page, include="all")
    found = records(page)
    assert "i" in found["l01"], found["l01"]
    wide = found["l01"]["i"]
    image = decoded(wide[0])
    assert image.size == (wide[1], wide[2]) == (800, 40)  # fitted into 800×200
    assert image.mode == "L" and image.getpixel((5, 5)) == 200
    small = decoded(found["l02"]["i"][0])
    assert small.size == (30, 20) and small.mode == "RGB"  # never enlarged
    assert "i" not in found["l03"] and "named pipe" in found["l03"]["mi"]
    assert "i" not in found["l04"] and "mi" not in found["l04"]
    assert counts["images_left_out"] == 0


def test_media_paths_are_relative_to_the_report(bench: Path, tmp_path: Path) -> None:
    page = tmp_path / "shared" / "reports" / "report.html"
    with Project(bench) as project:
        write_report(project, page, include="all")
    text = page.read_text(encoding="utf-8")
    assert str(tmp_path) not in text  # no absolute path of this machine anywhere
    found = records(page)
    assert found["l01"]["m"] == "../../bench/img/l01.png"
    assert os.path.samefile(page.parent / found["l01"]["m"], tmp_path / "bench/img/l01.png")
    beside = tmp_path / "bench" / "report.html"
    with Project(bench) as project:
        write_report(project, beside, include="all", images=False)
    found = records(beside)
    assert found["l01"]["m"] == "img/l01.png" and "i" not in found["l01"]


def test_no_images_on_the_command_line(bench: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "plain.html"
    assert main(["report", str(bench), "-o", str(page), "--all", "--no-images"]) == 0
    assert all("i" not in r for r in records(page).values())
    assert main(["report", str(bench), "-o", str(page), "--all"]) == 0
    assert records(page)["l01"]["i"][0].startswith("data:image/png;base64,")


def test_the_image_budget_caps_what_one_report_embeds(bench: Path, tmp_path: Path) -> None:
    from reviewer.core.item_facts import ItemFacts
    from reviewer.core.relative_paths import RelativePaths
    from reviewer.report_items import ReportItems

    items = ReportItems(catalogue("text"), RelativePaths(tmp_path), budget=1)
    facts = [ItemFacts(i, None, None, "unreviewed", False, str(tmp_path / "bench/img" / name),
                       (), ()) for i, name in (("a", "l01.png"), ("b", "l02.jpg"))]
    first, second = (items.record(f) for f in facts)
    assert "i" in first  # the budget is spent by the first image ...
    assert "i" not in second and "MB of images are spent" in second["mi"]  # ... not exceeded
    assert items.images_left_out == 1
