"""``reviewer suspects``: items ranked by how likely their reference is wrong."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer.cli.common import add_output_format, add_project, open_project
from reviewer.cli.terminal import json_text, safe
from reviewer.core.kinds import spec
from reviewer.store.suspects import compute_suspects


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "suspects", help="list the items whose reference is most likely wrong",
        description="Rank items by suspicion (0 to 1): for multiple-choice items, how strongly "
        "the systems' votes agree on an answer other than the key; for text, how many "
        "systems (weighted by their accuracy elsewhere) make the same change to the reference "
        "at the same place. One item per line, most suspicious first: id, score, why.",
        epilog="examples:\n  reviewer suspects bench.db --top 50\n"
        "  reviewer suspects mmlu.db --format json --top 0\n"
        "  reviewer suspects mmlu.db --method cleanlab",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    add_output_format(p)
    p.add_argument("--top", type=int, default=50, metavar="N",
                   help="how many items to list (default 50; 0 lists every item)")
    p.add_argument("--method", default=None,
                   help="ranking method: the kind's default, or a named one (choice: votes, "
                        "cleanlab — needs the cleanlab package)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_project(Path(args.project)) as project:
        suspects = compute_suspects(project, args.method)
        needed = spec(project.kind).suspicion_min_systems
        if len(project.systems()) < needed:
            print(f"reviewer: warning: {safe(project.path)} has {len(project.systems())} "
                  f"system(s); ranking {project.kind} references needs {needed} systems whose "
                  "changes can agree, so every score is 0", file=sys.stderr)
    ranked = suspects.top(max(args.top, 0))
    if args.format == "json":
        print(json_text([{"id": item_id, "score": score} for item_id, score in ranked],
                        indent=2))
        return 0
    shown = [(safe(item_id), score, safe(suspects.notes.get(item_id, "")))
             for item_id, score in ranked]
    width = max([len(item_id) for item_id, _, _ in shown] or [0])
    for item_id, score, note in shown:
        print(f"{item_id:<{width}}  {score:.4f}  {note}".rstrip())
    return 0
