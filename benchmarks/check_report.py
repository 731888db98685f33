"""Open the demo project's HTML report in headless Chromium and check that it is offline.

Builds the demo in a temporary folder, records a few decisions, writes the report and
checks, printing each result:

- the file references nothing outside itself (no <link>, no <script src>, no http(s) or
  protocol-relative src/href, no CSS url() or @import);
- Chromium, with name resolution switched off and a network log recording, shows no
  console message and makes no network request for the page; a control page with an
  external image and a console error is run first, to prove both checks can fail;
- the pager rendered the first page of item diffs, a later page (#page=2) and a filter
  (#verdict=reference_error);
- screenshots of the top of the report and of its item diffs (docs/screenshots).

Chromium is driven through its command line only (Debian: ``apt-get install chromium``).

    python benchmarks/check_report.py [--chromium /usr/bin/chromium] [--shots docs/screenshots]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
BASE_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update", "--disable-extensions",
    "--disable-default-apps", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
    # Nothing may reach the network even if the page asked: every host name fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


@dataclass
class Run:
    """What one Chromium run printed, logged and requested."""

    stdout: str
    console: list[str]
    page_requests: list[str]
    returncode: int


class Refs(HTMLParser):
    """Tags that could pull something in from outside the file, and the item ids shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links = self.script_src = self.articles = 0
        self.remote: list[str] = []
        self.styles: list[str] = []
        self.ids: list[str] = []
        self._in_style = self._in_id = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.links += tag == "link"
        self.script_src += tag == "script" and "src" in a
        self.articles += tag == "article"
        for name in ("src", "href", "action", "formaction", "poster", "data"):
            value = a.get(name)
            if value is not None and REMOTE.match(value):
                self.remote.append(f"<{tag} {name}={value}>")
        self._in_style = tag == "style"
        self._in_id = tag == "span" and a.get("class") == "item-id"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = self._in_id = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        if self._in_id:
            self.ids.append(data)


def refs(html: str) -> Refs:
    parser = Refs()
    parser.feed(html)
    parser.close()
    return parser


def chromium(binary: Path, url: str, extra: list[str], work: Path) -> Run:
    """Run headless Chromium on ``url``; console lines and the page's network requests."""
    with tempfile.TemporaryDirectory(dir=work) as profile:
        netlog = Path(profile) / "netlog.json"
        result = subprocess.run(
            [str(binary), *BASE_FLAGS, f"--user-data-dir={profile}/data",
             f"--log-net-log={netlog}", *extra, url],
            capture_output=True, text=True, timeout=180, check=False)
        console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
        return Run(result.stdout, console, page_requests(netlog), result.returncode)


def page_requests(netlog: Path) -> list[str]:
    """URLs the page asked for, from Chromium's network log.

    Chromium's own background requests (update checks and the like) carry the initiator
    "not an origin"; a request made for a file:// page has the opaque origin "null" or a
    file:// isolation key.
    """
    if not netlog.is_file():
        raise SystemExit(f"Chromium wrote no network log at {netlog}")
    text = netlog.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",")
    if not text.endswith("}"):
        text += "]}"  # a log cut short on exit lacks its closing brackets
    log = json.loads(text)
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in log.get("events", []):
        params = event.get("params") or {}
        if event.get("type") != start_job or "url" not in params:
            continue
        if params.get("initiator") == "null" or "file://" in params.get(
                "network_isolation_key", ""):
            urls.append(params["url"])
    return urls


def build(work: Path) -> tuple[Path, dict[str, int], dict[str, int], str, list[str]]:
    """The demo project with a few decisions, its report and its --all report."""
    from reviewer.demo import ensure_demo
    from reviewer.report import write_report
    from reviewer.store.decisions import decide
    from reviewer.store.project import Project

    db = ensure_demo(work / "demo.db")
    report, everything = work / "report.html", work / "all.html"
    with Project(db) as project:
        for item_id in ("line_0001", "line_0002", "line_0005"):
            decide(project, item_id, "check", verdict="ok")
        decide(project, "line_0003", "check", verdict="model_error",
               note='Tesseract read "rn" for "m" <b>twice</b>')
        fixed = project.item("line_0052").reference.replace("Thousand", "thousand")
        decide(project, "line_0052", "check", verdict="reference_error",
               corrected_reference=fixed, note="GT case typo")
        decide(project, "line_0004", "check", verdict="unusable", note="smudged scan")
        counts = write_report(project, report)
        all_counts = write_report(project, everything, include="all", page_size=50)
        labelled = ["line_0001", "line_0002", "line_0003", "line_0004", "line_0005",
                    "line_0052"]
        summary = f"{project.name!r}: {project.item_count()} items, {len(labelled)} labelled"
    return report, counts, all_counts, summary, labelled


def crop_items(full: Path, out: Path, height: int = 1000) -> None:
    """The last ``height`` pixels of content of a tall screenshot: the item diffs."""
    from PIL import Image, ImageChops

    with Image.open(full) as image:
        rgb = image.convert("RGB")
        background = Image.new("RGB", rgb.size, rgb.getpixel((0, rgb.height - 1)))
        box = ImageChops.difference(rgb, background).getbbox() or (0, 0, *rgb.size)
        bottom = min(box[3] + 24, rgb.height)
        rgb.crop((0, max(bottom - height, 0), rgb.width, bottom)).save(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", type=Path, default=DEFAULT_CHROMIUM)
    parser.add_argument("--shots", type=Path, default=REPO / "docs" / "screenshots",
                        help="where report.png and report_items.png go")
    args = parser.parse_args()
    binary = args.chromium if args.chromium.exists() else None
    if binary is None:
        found = shutil.which("chromium")
        binary = Path(found) if found else None
    if binary is None:
        print(f"FAILED: Chromium is missing ({args.chromium} does not exist and no chromium "
              "on PATH). Install it with: apt-get install chromium", file=sys.stderr)
        return 2
    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        print(f"[{'ok' if ok else 'FAIL'}] {what}")
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        version = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                                 check=False).stdout.strip()
        print(f"Chromium: {binary} ({version})")
        report, counts, all_counts, summary, labelled = build(work)
        print(f"demo project {summary}: 3 ok, 1 model_error, 1 reference_error with a "
              "corrected reference, 1 unusable")
        print(f"report: {counts['items']} reviewed items on {counts['pages']} page, "
              f"{counts['bytes']:,} bytes; --all report: {all_counts['items']} items on "
              f"{all_counts['pages']} pages of 50, {all_counts['bytes']:,} bytes")

        html = report.read_text(encoding="utf-8")
        static = refs(html)
        css = "".join(static.styles)
        check(static.links == 0 and static.script_src == 0 and not static.remote
              and "url(" not in css and "@import" not in css,
              f"static: {static.links} <link>, {static.script_src} <script src>, "
              f"{len(static.remote)} http(s) or // src/href, CSS url()/@import: "
              f"{'url(' in css or '@import' in css}")

        control = work / "control.html"
        control.write_text('<!DOCTYPE html><img src="https://example.com/x.png"><script>'
                           'console.error("control error");</script>', encoding="utf-8")
        run = chromium(binary, control.as_uri(), ["--dump-dom"], work)
        check(bool(run.page_requests) and bool(run.console),
              f"control page: the checks see its request ({len(run.page_requests)}) and its "
              f"console error ({len(run.console)})")

        run = chromium(binary, report.as_uri(), ["--dump-dom"], work)
        check(run.returncode == 0 and not run.console,
              f"report in Chromium: exit {run.returncode}, {len(run.console)} console "
              f"messages{': ' + run.console[0] if run.console else ''}")
        check(not run.page_requests,
              f"report in Chromium: {len(run.page_requests)} network requests "
              f"{run.page_requests[:3] if run.page_requests else ''}")
        dom = refs(run.stdout)
        check(dom.ids == labelled and dom.articles == len(labelled),
              f"pager: first page shows {dom.articles} item diffs: {', '.join(dom.ids)}")

        for fragment, expect in (
                ("#page=2", [f"line_{k:04d}" for k in range(51, 101)]),
                ("#verdict=reference_error", ["line_0052"])):
            everything = work / "all.html"
            run = chromium(binary, everything.as_uri() + fragment, ["--dump-dom"], work)
            ids = refs(run.stdout).ids
            check(ids == expect and not run.console and not run.page_requests,
                  f"--all report {fragment}: {len(ids)} items "
                  f"({ids[0] if ids else '-'} … {ids[-1] if ids else '-'}), "
                  f"{len(run.console)} console messages, {len(run.page_requests)} requests")

        args.shots.mkdir(parents=True, exist_ok=True)
        top, items = args.shots / "report.png", args.shots / "report_items.png"
        run = chromium(binary, report.as_uri(),
                       [f"--screenshot={top}", "--window-size=1400,1000"], work)
        tall = work / "tall.png"
        chromium(binary, report.as_uri(), [f"--screenshot={tall}", "--window-size=1400,4000"],
                 work)
        if tall.is_file():
            crop_items(tall, items)
        check(top.is_file() and items.is_file(), f"screenshots: {top}, {items}")

    print("all checks passed" if not failures else f"{len(failures)} check(s) FAILED")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
