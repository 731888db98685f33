"""``reviewer export``: the cleaned benchmark as a table."""

from __future__ import annotations

import argparse
from pathlib import Path

from reviewer.cli.common import add_project, open_project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="write the cleaned benchmark (current references, removed items left out)",
        description="Write every item that is not removed (ambiguous, unusable, or a reference "
        "error left uncorrected) with its current reference, each system's prediction and its "
        "review status. The format follows the suffix: .csv, .tsv, .jsonl or .parquet. The file "
        "is written atomically.",
        epilog="examples:\n  reviewer export bench.db cleaned.jsonl\n"
        "  reviewer export bench.db cleaned.parquet",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    p.add_argument("output", type=Path, help="output file (.csv, .tsv, .jsonl, .parquet)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from reviewer.export import export_cleaned

    with open_project(Path(args.project)) as project:
        counts = export_cleaned(project, args.output)
    detail = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("kept", "revised", "unreviewed"))
    print(f"Wrote {counts['written']:,} items to {args.output} ({detail}); "
          f"{counts['removed']} removed")
    return 0
