"""The HTML report shows each item exactly as ``reviewer show`` prints it, on every demo.

For several items of each kind's demo (the first ones, one the demo is known for, one with
a corrected reference) the report's item record (the JSON the page draws) is compared with
``reviewer show``'s lines for the same item, and both with what the project stores: each
system's answer, class or diff is the stored prediction, never another system's, never the
stored encoding (issue 16, finding 4).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from reviewer.cli import main
from reviewer.cli.showing import item_diff
from reviewer.core.label_codec import decode_prediction
from reviewer.core.pair_text import display_text
from reviewer.demo import ensure_demo
from reviewer.report import write_report
from reviewer.store.decisions import decide, get_decision
from reviewer.store.project import Project

DEMO_KINDS = ("text", "asr", "gec", "kern", "choice", "label")
# kind -> (an item the demo is known for, (an item given a corrected reference, the new one))
KNOWN: dict[str, tuple[str, tuple[str, str] | None]] = {
    "text": ("line_0001", ("line_0003", "a corrected line of text")),
    "asr": ("alice_02", ("alice_03", "a corrected transcript")),
    "gec": ("27", None),
    "kern": ("chopin-op6no2-m05-08", None),
    "choice": ("q29", ("q29", "B")),  # the Berlin Wall fell in 1989: B, not the key's C
    "label": ("d0006", ("d0020", "3")),
}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Demo:
    """A demo project with a corrected item, its --all report's records and its config."""

    db: Path
    report: Path
    records: dict[str, dict[str, Any]]
    config: dict[str, Any]
    shown: list[str]  # the item ids the tests compare


def json_block(page: str, block_id: str) -> Any:
    start = page.index(f'id="{block_id}">') + len(block_id) + 6
    return json.loads(page[start:page.index("</script>", start)])


def build(kind: str, folder: Path) -> Demo:
    """The kind's demo with one corrected item, and its --all report."""
    db = ensure_demo(folder / f"{kind}.db", kind)
    known, correction = KNOWN[kind]
    report = folder / "out" / "report.html"
    with Project(db) as project:
        if correction is not None:
            decide(project, correction[0], "tester", verdict="reference_error",
                   corrected_reference=correction[1], note="fixed")
        write_report(project, report, include="all")
        ids = project.item_ids()
    shown = list(dict.fromkeys([*ids[:3], known, *([correction[0]] if correction else [])]))
    page = report.read_text(encoding="utf-8")
    records = {r["id"]: r for r in json_block(page, "report-items")}
    return Demo(db, report, records, json_block(page, "report-config"), shown)


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Demo]:
    """Each kind's demo, built once for this module."""
    return {kind: build(kind, tmp_path_factory.mktemp(f"demo-{kind}")) for kind in DEMO_KINDS}


@pytest.fixture(params=DEMO_KINDS)
def demo(request: pytest.FixtureRequest, demos: dict[str, Demo]) -> Demo:
    return demos[request.param]


def text_of(spans: list[Any]) -> str:
    """A record's spans as the terminal prints them without colour (``[text]{tag}``)."""
    out = []
    for span in spans:
        if isinstance(span, str):
            out.append(span)
        else:
            text, _category, tag = span
            out.append(f"[{text}]{{{tag}}}" if tag else text)
    return "".join(out)


def plain(spans: list[Any]) -> str:
    """A record's spans as plain text, tags left out."""
    return "".join(s if isinstance(s, str) else s[0] for s in spans)


def side(segments: list[Any], k: int) -> str:
    """One side of a record's diff (0: reference, 1: prediction)."""
    return "".join(seg if isinstance(seg, str) else seg[k] for seg in segments)


def rows(lines: list[str], label: str, system: str) -> str:
    """The REF or HYP rows ``show`` printed for ``system``, joined, padding dots dropped."""
    start = lines.index(next(line for line in lines if line.startswith(f" {system}: ")))
    out = []
    for line in lines[start + 1:]:
        if line.startswith(f"  {label}  "):
            out.append(line[len(label) + 4:])
        elif not line.startswith("  REF  ") and not line.startswith("  HYP  "):
            break
    return "".join(out).replace("·", "")


def test_every_field_and_system_line_is_what_show_prints(demo: Demo) -> None:
    systems = demo.config["systems"]
    with Project(demo.db) as project:
        for item_id in demo.shown:
            lines = item_diff(project, item_id, systems, colour=False)
            record = demo.records[item_id]
            for label, spans in record["f"]:
                assert f"  {label}: {text_of(spans)}".replace("\n", "\n    ") in lines, \
                    (item_id, label)
            for name, part in zip(systems, record["s"], strict=True):
                assert f" {name}: {text_of(part['h'])}" in lines, (item_id, name)
                for label, spans in part["f"]:
                    assert f"   {label}: {text_of(spans)}" in lines, (item_id, name, label)
                if part["d"]:
                    assert rows(lines, "REF", name) == side(part["d"], 0).replace("·", "") \
                        or "\n" in side(part["d"], 0)  # kern: several lines per row


def test_each_system_shows_its_own_stored_answer(demo: Demo) -> None:
    systems = demo.config["systems"]
    with Project(demo.db) as project:
        kind = project.kind
        for item_id in demo.shown:
            record = demo.records[item_id]
            decision = get_decision(project, item_id)
            current = (decision.corrected_reference if decision.corrected_reference is not None
                       else project.item(item_id).reference)
            for name, part in zip(systems, record["s"], strict=True):
                stored = project.prediction(name, item_id)
                first = plain(part["h"][:1])
                if kind == "choice":
                    assert first == (stored or "").strip().upper(), (item_id, name)
                elif kind == "label":
                    assert first == decode_prediction(stored).label, (item_id, name)
                    assert "{" not in plain(part["h"]) and '"probs"' not in json.dumps(part)
                elif kind in ("text", "asr", "kern"):
                    mode = project.char_mode
                    assert side(part["d"], 0) == display_text(current, mode), (item_id, name)
                    assert side(part["d"], 1) == display_text(stored or "", mode)
                else:  # gec: the sentence each system made, never the M2 lines
                    assert not any("|||" in plain(f[1]) for f in part["f"]), (item_id, name)


def test_the_choice_item_q29_shows_each_models_letter(
        demos: dict[str, Demo], capsys: pytest.CaptureFixture[str]) -> None:
    demo = demos["choice"]
    capsys.readouterr()
    assert main(["show", str(demo.db), "q29"]) == 0
    out = capsys.readouterr().out
    assert " sim-tiny: A (1987)  wrong" in out and " sim-large: B (1989)  right" in out
    tiny = demo.records["q29"]["s"][demo.config["systems"].index("sim-tiny")]
    assert plain(tiny["h"]) == "A (1987)  wrong"
    fields = {label: plain(spans) for label, spans in demo.records["q29"]["f"]}
    assert fields["key"] == "C  (corrected to B)" and fields["B"] == "1989"


class Sections(HTMLParser):
    """The text of each ``<section class="system">`` of the rendered page, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and ("class", "system") in attrs:
            self.sections.append("")
            self._depth = 1
        elif self._depth:
            self._depth += tag not in ("br", "img")

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.sections[-1] += data


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize(("kind", "item_id"), [("choice", "q29"), ("label", "d0006")])
def test_the_rendered_page_shows_the_same_answers(demos: dict[str, Demo], kind: str,
                                                  item_id: str) -> None:
    demo = demos[kind]
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", f"--user-data-dir={profile}", "--dump-dom",
             f"{demo.report.as_uri()}#id={item_id}"],
            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    parser = Sections()
    parser.feed(result.stdout)
    record = demo.records[item_id]
    expected = [name + plain(part["h"])
                for name, part in zip(demo.config["systems"], record["s"], strict=True)]
    assert [re.sub(r"\s+", " ", s) for s in parser.sections] == \
        [re.sub(r"\s+", " ", s) for s in expected]
    if item_id == "q29":
        assert "sim-tinyA (1987) wrong" in [re.sub(r"\s+", " ", s) for s in parser.sections]
