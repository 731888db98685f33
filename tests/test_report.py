"""The HTML report: escaping, the embedded item data, palette rules, scores, atomic writes,
paging at 20,000 items, and (where Chromium is installed) that the page runs cleanly."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli.reporting import register
from reviewer.core.categories import catalogue
from reviewer.core.errors import ReviewerError
from reviewer.core.items import Benchmark, Item
from reviewer.store import decisions
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from reviewer.store.scores import score_project

SCRIPT_TAG = "<script>alert(1)</script>"
IMG_TAG = "<img src=x onerror=alert(1)>"
CLOSER = "</script><script>alert(2)</script><!--<script>"


def hostile_bench() -> Benchmark:
    items = [
        Item("a", f"Say {SCRIPT_TAG} now"),
        Item("b", f"Look {IMG_TAG} here"),
        Item("c", f"End {CLOSER} & more"),
        Item("d", "The modern cat"),
        Item("e", ""),
    ]
    preds = {
        "sys1": {"a": f"Say {IMG_TAG} now", "b": f"Look {SCRIPT_TAG} here",
                 "c": "End </script> & more", "d": "The rnodern cat", "e": "x"},
        f"sys{IMG_TAG}": {"a": "Say now", "b": f"Look {IMG_TAG} here", "d": "The modem cat"},
    }
    return Benchmark("text", items, preds)


@pytest.fixture
def project(project_path: Path) -> Project:
    p = Project(project_path, create=True)
    import_benchmark(p, hostile_bench(), name=f"Bench {SCRIPT_TAG}")
    decisions.decide(p, "a", "me", verdict="ok", note=f"note {IMG_TAG}", tags=[SCRIPT_TAG])
    decisions.decide(p, "b", "me", verdict="reference_error",
                     corrected_reference=f"Look {CLOSER} here")
    decisions.decide(p, "c", "me", verdict="unusable")
    return p


def write(project: Project, tmp_path: Path, **kwargs: object) -> tuple[str, dict[str, int]]:
    from reviewer.report import write_report

    target = tmp_path / "out" / "report.html"
    counts = write_report(project, target, **kwargs)  # type: ignore[arg-type]
    return target.read_text(encoding="utf-8"), counts


class Tags(HTMLParser):
    """Every start tag, and the text of each script element, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse(page: str) -> Tags:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser


def json_block(page: str, block_id: str) -> str:
    start = page.index(f'<script type="application/json" id="{block_id}">')
    start = page.index(">", start) + 1
    return page[start:page.index("</script>", start)]


def fields(record: dict[str, Any]) -> dict[str, str]:
    """An item record's fields as label -> text."""
    return {label: "".join(p if isinstance(p, str) else p[0] for p in spans)
            for label, spans in record["f"]}


def reference_row(record: dict[str, Any], system: int = 0) -> str:
    """The reference side of a system's diff in an item record."""
    return "".join(seg if isinstance(seg, str) else seg[0] for seg in record["s"][system]["d"])


def test_input_text_is_escaped_everywhere(project: Project, tmp_path: Path) -> None:
    page, counts = write(project, tmp_path, include="all")
    assert counts["items"] == 5
    lowered = page.lower()
    assert "<script>alert" not in lowered
    assert "<img src=x" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the project name, escaped
    assert "sys&lt;img src=x onerror=alert(1)&gt;" in page  # a system name, escaped
    tree = parse(page)
    assert [t for t, _ in tree.tags].count("script") == 3  # config, items, the pager
    assert "img" not in [t for t, _ in tree.tags]
    assert all(not attrs.get("src") for t, attrs in tree.tags if t == "script")


def test_the_item_data_block_cannot_be_closed_by_input(project: Project, tmp_path: Path) -> None:
    page, _ = write(project, tmp_path, include="all")
    block = json_block(page, "report-items")
    assert "</" not in block and "<!--" not in block and "<" not in block
    records = json.loads(block)
    assert [r["id"] for r in records] == ["a", "b", "c", "d", "e"]
    by_id = {r["id"]: r for r in records}
    assert reference_row(by_id["c"]) == f"End {CLOSER} & more"
    assert reference_row(by_id["b"]) == f"Look {CLOSER} here"  # the corrected reference
    assert fields(by_id["b"])["original reference"] == f"Look {IMG_TAG} here"
    assert fields(by_id["a"]) == {"note": f"note {IMG_TAG}", "tags": SCRIPT_TAG}
    # What the browser's parser takes as the block's text is the whole JSON.
    scripts = parse(page).scripts
    assert json.loads(scripts[1]) == records
    config = json.loads(scripts[0])
    assert config["systems"] == ["sys1", f"sys{IMG_TAG}"] and config["pageSize"] == 200


def test_the_pager_script_never_parses_text_as_html(project: Project, tmp_path: Path) -> None:
    page, _ = write(project, tmp_path)
    script = parse(page).scripts[2]
    for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                   "new Function", "fetch(", "XMLHttpRequest", "import("):
        assert banned not in script
    assert "textContent" in script


def test_every_category_class_used_has_a_rule_in_both_themes(project: Project,
                                                            tmp_path: Path) -> None:
    page, _ = write(project, tmp_path, include="all")
    style = page[page.index("<style>"):page.index("</style>")]
    light, dark = style.split("@media (prefers-color-scheme: dark)")
    used = set(re.findall(r'class="[^"]*\b(c-[\w-]+)', page))
    cats = json.loads(json_block(page, "report-config"))["categories"]
    for record in json.loads(json_block(page, "report-items")):
        used |= {f"c-{cats[k]['id']}" if k >= 0 else "c-other" for k in record["k"]}
    assert {"c-confusable", "c-deletion"} <= used
    for cls in used | {f"c-{c.id}" for c in catalogue("text")}:
        assert f".{cls}{{background-color:#" in light, cls
        assert f".{cls}{{background-color:#" in dark, cls


def test_original_and_cleaned_scores_appear(project: Project, tmp_path: Path) -> None:
    page, _ = write(project, tmp_path)
    for set_name in ("original", "cleaned"):
        report = score_project(project, set_name)
        for system in report["systems"]:
            for metric in ("cer", "wer"):
                m = system["metrics"][metric]
                assert m["value"] is not None
                assert f"{100 * m['value']:.2f}%" in page, (set_name, system["name"], metric)
                assert f"{m['errors']:,} / {m['units']:,}" in page
    cleaned = score_project(project, "cleaned")
    assert cleaned["items"] == 4  # "c" is unusable: removed
    assert "the cleaned set (4 items" in page and "Rank before → after" in page


def test_only_reviewed_items_by_default(project: Project, tmp_path: Path) -> None:
    page, counts = write(project, tmp_path, page_size=2)
    assert counts["items"] == 3 and counts["pages"] == 2
    assert [r["id"] for r in json.loads(json_block(page, "report-items"))] == ["a", "b", "c"]
    assert "3 of 5 items reviewed" in page


def test_a_failed_write_leaves_no_file(project: Project, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import reviewer.report as report

    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    target.write_text("the previous report", encoding="utf-8")
    calls = {"n": 0}
    real = report.script_json

    def failing(value: object) -> str:
        calls["n"] += 1
        if calls["n"] == 3:  # the config and two items are written, then the disk fails
            raise OSError(28, "No space left on device")
        return real(value)

    monkeypatch.setattr(report, "script_json", failing)
    with pytest.raises(ReviewerError, match=r"report\.html: cannot write the report: No space"):
        report.write_report(project, target, include="all")
    assert target.read_text(encoding="utf-8") == "the previous report"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]

    target.unlink()
    calls["n"] = 0
    with pytest.raises(ReviewerError):
        report.write_report(project, target, include="all")
    assert list(target.parent.iterdir()) == []


def test_cancelling_leaves_no_file(project: Project, tmp_path: Path) -> None:
    from reviewer.core.errors import Cancelled
    from reviewer.report import write_report

    class Stop:
        def set(self, value: float) -> None:
            pass

        def status(self, text: str) -> None:
            pass

        def cancelled(self) -> bool:
            return True

    with pytest.raises(Cancelled):
        write_report(project, tmp_path / "r.html", progress=Stop())
    assert list(tmp_path.glob("*.htm*")) == [] and list(tmp_path.glob(".r.html*")) == []


def test_bad_arguments_are_refused(project: Project, tmp_path: Path) -> None:
    from reviewer.report import write_report

    with pytest.raises(ValueError, match="page_size"):
        write_report(project, tmp_path / "r.html", page_size=0)
    with pytest.raises(ValueError, match="include"):
        write_report(project, tmp_path / "r.html", include="some")  # type: ignore[arg-type]
    assert not (tmp_path / "r.html").exists()


def big_project(path: Path, n: int) -> Project:
    items = [Item(f"line_{k:06d}", f"The quick brown fox number {k % 10} jumps") for k in range(n)]
    preds = {"tess": {it.id: it.reference.replace("m", "rn").replace("x", "") for it in items}}
    project = Project(path, create=True)
    import_benchmark(project, Benchmark("text", items, preds), workers=1)
    return project


def test_20000_items_are_paged_and_the_file_grows_linearly(tmp_path: Path) -> None:
    from reviewer.report import write_report

    sizes = {}
    for n in (2_000, 20_000):
        with big_project(tmp_path / f"big{n}.db", n) as project:
            target = tmp_path / f"big{n}.html"
            counts = write_report(project, target, include="all")
            assert counts["items"] == n and counts["pages"] == n // 200
            assert counts["bytes"] == target.stat().st_size
            page = target.read_text(encoding="utf-8")
            sizes[n] = (counts["bytes"], len(json_block(page, "report-items").encode()))
    with Project(tmp_path / "big20000.db") as project:
        assert write_report(project, target, include="all", page_size=300)["pages"] == 67
    (total_small, block_small), (total_big, block_big) = sizes[2_000], sizes[20_000]
    assert block_big == pytest.approx(10 * block_small, rel=0.01)
    assert total_big - total_small == pytest.approx(block_big - block_small, rel=0.01)
    assert total_big < 300 * 20_000  # about 260 bytes per item with one system


def test_cli_writes_the_report(project: Project, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="reviewer")
    register(parser.add_subparsers(dest="command"))
    out = tmp_path / "cli.html"
    args = parser.parse_args(["report", str(project.path), "-o", str(out), "--all",
                              "--page-size", "2"])
    assert args.run(args) == 0
    assert "5 items on 3 pages" in capsys.readouterr().out
    assert out.is_file()
    with pytest.raises(SystemExit):
        parser.parse_args(["report", str(project.path), "-o", str(out), "--page-size", "0"])


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_the_hostile_report_runs_cleanly_in_chromium(project: Project, tmp_path: Path) -> None:
    write(project, tmp_path, include="all")
    target = tmp_path / "out" / "report.html"
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
             "--dump-dom", target.as_uri()],
            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []  # no error, and no alert or injected script ran
    dom = parse(result.stdout)
    assert "img" not in [t for t, _ in dom.tags]
    assert [t for t, _ in dom.tags].count("article") == 5
    assert "Look &lt;img src=x onerror=alert(1)&gt; here" in result.stdout  # shown as text
    assert 'title="Confusable glyphs: \'m\' → \'rn\'"' in result.stdout
