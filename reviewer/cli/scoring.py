"""``reviewer score``: each system's metrics with intervals, and category counts."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from reviewer.cli.common import add_output_format, add_project, open_project
from reviewer.cli.terminal import fmt_rate
from reviewer.core.categories import catalogue
from reviewer.store.scores import SCORE_SETS, metric_names, score_project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score", help="print each system's scores with 95%% intervals",
        description="Corpus error rates (Σ errors / Σ reference units) with seeded bootstrap "
        "intervals over items, and errors per category.",
        epilog="examples:\n  reviewer score bench.db\n  reviewer score bench.db --format json\n"
        "  reviewer score bench.db --set cleaned",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    add_output_format(p)
    p.add_argument("--set", dest="set_name", choices=SCORE_SETS, default="original",
                   help="score the original references or the cleaned set (removed items left "
                        "out, corrected references used)")
    p.add_argument("--confidence", type=float, default=0.95, help="interval level (default 0.95)")
    p.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    with open_project(Path(args.project)) as project:
        report = score_project(project, args.set_name, confidence=args.confidence,
                               resamples=args.resamples, seed=args.seed)
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print("\n".join(score_table(report)))
    return 0


def score_table(report: dict[str, Any]) -> list[str]:
    """The report as aligned text lines."""
    level = round(100 * report.get("confidence", 0.95))
    lines = [f"{report['project']}  ({report['kind']}, {report['items']:,} items, "
             f"{report['set']} set, {level}% intervals)", ""]
    name_width = max([len("system"), *(len(s["name"]) for s in report["systems"])]) + 2
    names = metric_names(report["kind"])
    header = (f"{'system':<{name_width}}" + "".join(f"{names[m]:<34}" for m in names)
              + "missing")
    lines += [header, "-" * len(header)]
    for system in report["systems"]:
        row = f"{system['name']:<{name_width}}"
        for metric in names:
            m = system["metrics"][metric]
            cell = f"{fmt_rate(m['value'])} [{fmt_rate(m['low'])}, {fmt_rate(m['high'])}]"
            if "errors" in m and "units" in m:
                cell += f" {m['errors']}/{m['units']}"
            row += f"{cell:<34}"
        lines.append(row + str(system["missing"]))
    cats = list(catalogue(report["kind"]))
    columns = [(c.id, max(len(c.id), 6) + 2) for c in cats]
    lines += ["", "Errors by category:",
              f"{'system':<{name_width}}" + "".join(f"{cid:>{w}}" for cid, w in columns)]
    for system in report["systems"]:
        counts = system["categories"]
        lines.append(f"{system['name']:<{name_width}}"
                     + "".join(f"{counts.get(cid, 0):>{w}}" for cid, w in columns))
    return lines
