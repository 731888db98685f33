"""``reviewer compare``: two systems' accuracy compared paired on the same items."""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path
from typing import Any

from reviewer.cli.common import add_output_format, add_project, open_project
from reviewer.cli.terminal import safe_data
from reviewer.core.errors import ProjectError
from reviewer.core.kinds import spec
from reviewer.core.paired import compare_accuracy
from reviewer.store.project import Project
from reviewer.store.scores import SCORE_SETS, ScoreSet, system_rows


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare", help="compare two systems' accuracy on the same items (paired)",
        description="Paired comparison for accuracy kinds (choice, label): the difference in "
        "accuracy with a seeded bootstrap interval over items, and the exact McNemar test on "
        "the items only one of the two gets right. Without systems, every pair is compared.",
        epilog="examples:\n  reviewer compare mmlu.db gpt-4o claude-3-opus\n"
        "  reviewer compare mmlu.db --set cleaned --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    p.add_argument("systems", nargs="*", metavar="SYSTEM", help="two systems (default: all pairs)")
    add_output_format(p)
    p.add_argument("--set", dest="set_name", choices=SCORE_SETS, default="original",
                   help="the original references or the cleaned set")
    p.add_argument("--confidence", type=float, default=0.95, help="interval level (default 0.95)")
    p.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    p.set_defaults(run=run)


def comparisons(project: Project, systems: list[str], set_name: ScoreSet = "original", *,
                confidence: float = 0.95, resamples: int = 1000,
                seed: int = 0) -> list[dict[str, Any]]:
    """Each pair of ``systems`` (all when empty) compared on the items both were scored on."""
    if "accuracy" not in {m.id for m in spec(project.kind).metrics}:
        raise ProjectError(f"{project.path}: compare needs a kind scored by accuracy (choice, "
                           f"label), not {project.kind}")
    known = project.systems()
    for name in systems:
        if name not in known:
            raise ProjectError(f"{project.path}: no system {name!r}; systems: {', '.join(known)}")
    if len(systems) == 1 or len(systems) > 2:
        raise ProjectError("give two systems, or none to compare every pair")
    rows = system_rows(project, set_name, edits=False)
    right = {s: {r.item_id: r.counts.main_errors == 0 for r in rows[s]} for s in rows}
    out = []
    for a, b in itertools.combinations(systems or known, 2):
        shared = [i for i in right[a] if i in right[b]]
        result = compare_accuracy([right[a][i] for i in shared], [right[b][i] for i in shared],
                                  confidence=confidence, resamples=resamples, seed=seed)
        out.append({"a": a, "b": b, **result.as_dict()})
    return out


def run(args: argparse.Namespace) -> int:
    with open_project(Path(args.project)) as project:
        found = comparisons(project, args.systems, args.set_name, confidence=args.confidence,
                            resamples=args.resamples, seed=args.seed)
    if args.format == "json":
        print(json.dumps({"set": args.set_name, "confidence": args.confidence,
                          "comparisons": found}, indent=2))
        return 0
    level = round(100 * args.confidence)
    for c in found:
        diff = "—" if c["difference"] is None else (
            f"{100 * c['difference']:+.2f} points [{100 * c['low']:+.2f}, {100 * c['high']:+.2f}]")
        c = safe_data(c)
        print(f"{c['a']} vs {c['b']}: {c['items']} items, accuracy difference {diff} "
              f"({level}% bootstrap); only {c['a']} right {c['only_a']}, only {c['b']} right "
              f"{c['only_b']}; exact McNemar p = {c['p_value']:.4g}")
    return 0
