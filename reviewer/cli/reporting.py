"""``reviewer report``: the shareable, offline HTML report of a project."""

from __future__ import annotations

import argparse
from pathlib import Path

from reviewer.cli.common import add_project, open_project
from reviewer.cli.terminal import Bar, safe
from reviewer.core.limits import MIB, REPORT_IMAGE_BUDGET, REPORT_THUMBNAIL_BOX


def _page_size(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="write a self-contained HTML report (scores, categories, items)",
        description="Write one HTML file that opens offline in any browser: each system's "
        "scores with 95% intervals on the original and the cleaned set, the change and the "
        "ranking before and after cleaning (in the direction of each metric), errors per "
        "category, the legend, review progress, and every reviewed item (every item with "
        "--all) as `reviewer show` shows it, with its image as a thumbnail, a page at a "
        "time with a filter. Paths are written relative to the report. Nothing is fetched "
        "when it is viewed. The file is written atomically.",
        epilog="examples:\n  reviewer report bench.db -o report.html\n"
        "  reviewer report bench.db -o everything.html --all\n"
        "  reviewer report bench.db -o report.html --page-size 50 --no-images",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.html",
                   help="the HTML file to write")
    p.add_argument("--all", dest="include_all", action="store_true",
                   help="include every item's diff, not only the reviewed ones")
    p.add_argument("--page-size", type=_page_size, default=200, metavar="N",
                   help="items per page in the report (default 200)")
    p.add_argument("--no-images", dest="images", action="store_false",
                   help="leave the items' images out; by default each is embedded as a "
                        "thumbnail of at most {}×{} px, {} MB of them per report".format(
                            *REPORT_THUMBNAIL_BOX, REPORT_IMAGE_BUDGET // MIB))
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from reviewer.report import write_report

    with open_project(Path(args.project)) as project:
        counts = write_report(project, args.output, page_size=args.page_size,
                              include="all" if args.include_all else "reviewed",
                              images=args.images, progress=Bar())
    which = "items" if args.include_all else "reviewed items"
    pages = counts["pages"]
    print(f"Wrote {safe(args.output)} ({counts['bytes']:,} bytes): {counts['items']:,} {which} "
          f"on {pages:,} page{'' if pages == 1 else 's'}")
    if left_out := counts["images_left_out"]:
        print(f"{left_out:,} images were not embedded: the report holds "
              f"{REPORT_IMAGE_BUDGET // MIB} MB of thumbnails at most")
    return 0
