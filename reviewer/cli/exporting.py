"""``reviewer export``: the cleaned benchmark, its manifest, and what changed."""

from __future__ import annotations

import argparse
from pathlib import Path

from reviewer.cli.common import add_project, open_project
from reviewer.cli.terminal import safe
from reviewer.core.errors import ReviewerError
from reviewer.core.policy import CLASSES, POLICIES, custom_policy


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="write the cleaned benchmark with a manifest, or what changed",
        description="Write the items the policy keeps, each with its current (corrected) "
        "reference and every system's prediction, and beside them a manifest (JSON): the "
        "sources and their hashes, the policy, every item's status, reason, annotator and "
        "time, and each system's scores before and after cleaning with the change in "
        "ranking. Paths (media, sources) are written relative to the output file. Files "
        "are written atomically; the changes are never written over an earlier export's "
        "data. Item classes for --keep/--drop: "
        + ", ".join(CLASSES) + ".",
        epilog="examples:\n  reviewer export bench.db cleaned.jsonl\n"
        "  reviewer export bench.db out/ --format same\n"
        "  reviewer export bench.db cleaned.parquet --policy strict\n"
        "  reviewer export bench.db out.csv --keep ok,model_error,revised "
        "--drop ambiguous,unusable,unreviewed\n"
        "  reviewer export bench.db --changes changes.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    p.add_argument("output", type=Path, nargs="?",
                   help="output file (.csv, .tsv, .jsonl, .parquet) or folder")
    p.add_argument("--format", dest="fmt", default="auto",
                   help="auto (from the suffix; default), same (the import's own format), "
                        "folder, csv, tsv, jsonl or parquet")
    p.add_argument("--policy", choices=sorted(POLICIES), default=None,
                   help="strict: only items reviewed ok or model_error, and revised ones; "
                        "lenient (default): everything not removed")
    p.add_argument("--keep", help="comma-separated item classes to keep (a custom policy)")
    p.add_argument("--drop", help="comma-separated item classes to drop (a custom policy)")
    p.add_argument("--changes", type=Path, help="also write only what changed and why (a table)")
    p.add_argument("--raw-cells", action="store_true",
                   help="write CSV/TSV cells as they are; by default a cell starting with =, +, "
                        "-, @, a tab or a carriage return gets a leading ' so that a spreadsheet "
                        "shows it as text instead of running it as a formula")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from reviewer.export import export_benchmark

    if args.output is None and args.changes is None:
        raise ReviewerError("give an output file or folder, or --changes FILE")
    if (args.keep or args.drop) and args.policy:
        raise ReviewerError("give --policy or --keep/--drop, not both")
    try:
        policy = (custom_policy(_split(args.keep), _split(args.drop))
                  if args.keep or args.drop else POLICIES[args.policy or "lenient"])
    except ValueError as exc:
        raise ReviewerError(str(exc)) from None
    with open_project(Path(args.project)) as project:
        result = export_benchmark(project, args.output, policy=policy, fmt=args.fmt,
                                  changes=args.changes, raw_cells=args.raw_cells)
    c = result.counts
    if result.data is not None:
        detail = ", ".join(f"{c.get(k, 0)} {k}" for k in ("kept", "revised", "unreviewed"))
        print(f"Wrote {c['written']:,} items to {safe(result.data)} ({detail}; "
              f"{c['dropped']} left out by the {safe(policy.name)} policy); "
              f"manifest: {safe(result.manifest)}")
    if left_out := result.media_left_out:
        print(f"Left out {len(left_out):,} media files that are not regular files inside the "
              "benchmark's folder (listed under media_left_out in the manifest)")
    if result.changes is not None:
        print(f"Wrote the changes to {safe(result.changes)}")
    return 0


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None
