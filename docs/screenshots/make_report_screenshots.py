"""Regenerate the screenshots of one report item per kind (docs/screenshots/report-<kind>.png).

Builds each kind's demo in a temporary folder, records a decision on one item, writes the
report with every item and opens it in headless Chromium filtered to that item: the item
as the report shows it.

    python docs/screenshots/make_report_screenshots.py [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WIDTH, HEIGHT = 1200, 900
# kind -> (item shown, decision recorded on it: verdict, corrected reference, note)
ITEMS: dict[str, tuple[str, str, str | None, str]] = {
    "text": ("line_0001", "model_error", None, "Tesseract misread a whole word"),
    "asr": ("alice_02", "model_error", None, ""),
    "gec": ("27", "ok", None, ""),
    "kern": ("chopin-op6no2-m05-08", "model_error", None, ""),
    "choice": ("q29", "reference_error", "B", "The wall fell in 1989"),
    "label": ("d0006", "model_error", None, ""),
}


def shoot(chromium: Path, page: Path, item_id: str, out: Path, work: Path) -> None:
    """Screenshot ``page`` filtered to ``item_id``, scrolled to its items section.

    The page is shown in a frame: a headless screenshot starts at the top of the page, but
    a frame keeps the scrolling the page's script does for a linked filter.
    """
    frame = work / "frame.html"
    frame.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe src="'
                     f'{page.as_uri()}#id={item_id}" style="border:0;width:{WIDTH}px;'
                     f'height:{HEIGHT}px"></iframe></body></html>', encoding="utf-8")
    subprocess.run([str(chromium), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--no-first-run", "--hide-scrollbars",
                    f"--user-data-dir={work}/profile", "--virtual-time-budget=3000",
                    f"--screenshot={out}", f"--window-size={WIDTH},{HEIGHT}",
                    frame.as_uri()], capture_output=True, check=True, timeout=180)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", type=Path,
                        default=Path(shutil.which("chromium") or "/usr/bin/chromium"))
    args = parser.parse_args()
    if not args.chromium.exists():
        print(f"Chromium is missing at {args.chromium} (apt-get install chromium)",
              file=sys.stderr)
        return 2
    from reviewer.demo import ensure_demo
    from reviewer.report import write_report
    from reviewer.store.decisions import decide
    from reviewer.store.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for kind, (item_id, verdict, corrected, note) in ITEMS.items():
            db = ensure_demo(work / f"{kind}.db", kind)
            page = work / f"{kind}.html"
            with Project(db) as project:
                decide(project, item_id, "screenshots", verdict=verdict,
                       corrected_reference=corrected, note=note)
                write_report(project, page, include="all")
            out = HERE / f"report-{kind}.png"
            shoot(args.chromium, page, item_id, out, work)
            print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
