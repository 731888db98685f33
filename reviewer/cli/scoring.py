"""``reviewer score``: each system's metrics with intervals, and category counts."""

from __future__ import annotations

import argparse
from pathlib import Path

from reviewer.cli.cluster_option import add_scheduler, cluster_of
from reviewer.cli.common import add_output_format, add_project, open_project
from reviewer.cli.kind_printers import kind_printer
from reviewer.cli.terminal import fmt_rate, json_text, safe, safe_data
from reviewer.core.answers.extract import PRESETS as EXTRACT_PRESETS
from reviewer.core.answers.matchers import MATCHER_CHOICES, matcher_named
from reviewer.core.categories import catalogue
from reviewer.core.cluster import Workers
from reviewer.core.gec_grouping import DEFAULT_GROUPING, GROUPINGS, regrouped
from reviewer.core.intervals import INTERVAL_METHODS
from reviewer.core.kern.missing import DEFAULT_MISSING, MISSING_CHOICES, missing_wording
from reviewer.core.normalize import PRESETS
from reviewer.core.score_types import Metric, Scores, category_counts
from reviewer.store.project import Project
from reviewer.store.scores import (
    SCORE_SETS,
    metric_names,
    missing_choice,
    score_project,
    set_missing_choice,
)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score", help="print each system's scores with 95%% intervals",
        description="Corpus error rates (Σ errors / Σ reference units) with seeded bootstrap "
        "intervals over items, and errors per category.",
        epilog="examples:\n  reviewer score bench.db\n  reviewer score bench.db --format json\n"
        "  reviewer score bench.db --set cleaned\n"
        "  reviewer score calls.db --normalize whisper-en   # asr: re-score, then report\n"
        "  reviewer score gsm.db --extract gsm8k --matcher numeric   # answer: the same",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    add_output_format(p)
    p.add_argument("--set", dest="set_name", choices=SCORE_SETS, default="original",
                   help="score the original references or the cleaned set (removed items left "
                        "out, corrected references used)")
    p.add_argument("--confidence", type=float, default=0.95, help="interval level (default 0.95)")
    p.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    p.add_argument("--interval", choices=INTERVAL_METHODS, default="beta",
                   help="accuracy intervals (choice, label): Beta(x+1, n-x+1) posterior "
                        "(default), Wilson or Clopper-Pearson")
    p.add_argument("--normalize", choices=PRESETS, metavar="PRESET",
                   help="asr: re-score every pair with this normalisation preset first "
                        f"({', '.join(PRESETS)}); the project keeps it")
    p.add_argument("--extract", metavar="PRESET",
                   help="answer: re-score every pair with this extraction preset first "
                        f"({', '.join(EXTRACT_PRESETS)} or regex:PATTERN); the project "
                        "keeps it")
    p.add_argument("--matcher", choices=MATCHER_CHOICES, metavar="NAME",
                   help="answer: re-score every pair with this matcher first "
                        f"({', '.join(MATCHER_CHOICES)}: numeric when every gold answer "
                        "is a number, else exact); the project keeps it")
    p.add_argument("--missing", choices=MISSING_CHOICES,
                   help="kern: items a system gave no prediction for are scored as empty "
                        "predictions (empty, the default) or left out of its scores (skip, "
                        "as musicdiff does); the project keeps it")
    p.add_argument("--gec-grouping", choices=GROUPINGS, default=DEFAULT_GROUPING,
                   help="gec: group the per-operation and per-main-type tables as reviewer "
                        "does (default: a NUCLE type such as ArtOrDet kept whole) or as "
                        "errant_compare -cat 1/-cat 2 do (by character position)")
    p.add_argument("--no-omr-ned", action="store_true",
                   help="kern: report OMR-NED only where it is already computed (musicdiff "
                        "computes the missing values first otherwise)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="kern: worker processes for OMR-NED (default: one per core)")
    add_scheduler(p, "kern: compute OMR-NED (and any re-scoring)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    cluster = cluster_of(args)
    workers: Workers = cluster or args.workers
    with open_project(Path(args.project)) as project:
        if args.normalize is not None and args.normalize != project.normalize:
            rescore_with(project, args.normalize, workers)
        if args.extract is not None or args.matcher is not None:
            rescore_answers(project, args.extract, args.matcher, workers)
        if args.missing is not None and args.missing != missing_choice(project):
            set_missing_choice(project, args.missing)
        # A read-only project is scored from what it holds: nothing can be stored in it.
        if not args.no_omr_ned and not project.read_only:
            kind_printer(project.kind).prepare_scores(project, workers)
        report = score_project(project, args.set_name, confidence=args.confidence,
                               resamples=args.resamples, seed=args.seed,
                               interval=args.interval)
    report = regrouped(report, args.gec_grouping)
    if args.format == "json":
        print(json_text(report, indent=2))
    else:
        print("\n".join(score_table(report)))
    return 0


def _metric_cell(m: Metric) -> str:
    cell = f"{fmt_rate(m['value'])} [{fmt_rate(m['low'])}, {fmt_rate(m['high'])}]"
    if "errors" in m and "units" in m:  # an accuracy shows its right answers, a rate its errors
        cell += f" {m.get('correct', m['errors']):,}/{m['units']:,}"
    return cell


def score_table(report: Scores) -> list[str]:
    """The report as aligned text lines (names and paths in it made :func:`safe`)."""
    report = safe_data(report)
    own = kind_printer(report["kind"])
    level = round(100 * report.get("confidence", 0.95))
    named = report["kind"] == "asr" or report.get("normalize", "none") != "none"
    preset = f"normalisation {report['normalize']}, " if named else ""
    if "extract" in report:
        preset = (f"extraction {report['extract']}, "
                  f"matcher {report.get('matcher') or 'default'}, ")
    if report["kind"] == "kern":
        preset = f"{missing_wording(report.get('missing_predictions', DEFAULT_MISSING))}, "
    lines = [f"{report['project']}  ({report['kind']}, {report['items']:,} items, "
             f"{report['set']} set, {preset}{level}% intervals)", ""]
    name_width = max([len("system"), *(len(s["name"]) for s in report["systems"])]) + 2
    names = metric_names(report["kind"])
    cells = {(s["name"], metric): _metric_cell(s["metrics"][metric])
             for s in report["systems"] for metric in names}
    width = {m: max([len(names[m]), *(len(cells[s["name"], m]) for s in report["systems"])]) + 3
             for m in names}
    header = (f"{'system':<{name_width}}" + "".join(f"{names[m]:<{width[m]}}" for m in names)
              + "missing")
    lines += [header, "-" * len(header)]
    for system in report["systems"]:
        row = f"{system['name']:<{name_width}}"
        for metric in names:
            row += f"{cells[system['name'], metric]:<{width[metric]}}"
        lines.append(row + str(system["missing"]))
    if not own.category_table:
        return lines + own.score_lines(report)
    cats = list(catalogue(report["kind"]))
    columns = [(c.id, max(len(c.id), 6) + 2) for c in cats]
    lines += ["", "Errors by category:",
              f"{'system':<{name_width}}" + "".join(f"{cid:>{w}}" for cid, w in columns)]
    for system in report["systems"]:
        counts = category_counts(system)
        lines.append(f"{system['name']:<{name_width}}"
                     + "".join(f"{counts.get(cid, 0):>{w}}" for cid, w in columns))
    return lines + own.score_lines(report)


def rescore_with(project: Project, preset: str, workers: Workers = None) -> None:
    """Re-score ``project`` with ``preset`` (asr only), saying so on stderr; ``workers``
    as for :func:`~reviewer.store.rescore.rescore`."""
    import sys

    from reviewer.cli.terminal import Bar
    from reviewer.core.errors import ProjectError
    from reviewer.store.rescore import rescore

    if project.kind != "asr":
        raise ProjectError(f"{project.path}: --normalize applies to asr projects, not "
                           f"{project.kind}")
    pairs = rescore(project, preset, progress=Bar(), workers=workers)
    print(f"reviewer: re-scored {pairs:,} pairs with normalisation {safe(preset)}", file=sys.stderr)


def rescore_answers(project: Project, extract: str | None, matcher: str | None,
                    workers: Workers = None) -> None:
    """Re-score an answer ``project`` with another extraction preset and/or matcher
    (``default``: the default rule) when they differ from its own, saying so on stderr."""
    import sys

    from reviewer.cli.terminal import Bar
    from reviewer.core.errors import ProjectError
    from reviewer.store.rescore import describe_options, rescore

    if project.kind != "answer":
        option = "--extract" if extract is not None else "--matcher"
        raise ProjectError(f"{project.path}: {option} applies to answer projects, not "
                           f"{project.kind}")
    wanted = None if matcher is None else matcher_named(matcher)
    if (extract is None or extract == project.extract) and (wanted is None
                                                           or wanted == project.matcher):
        return
    pairs = rescore(project, extract=extract, matcher=wanted, progress=Bar(),
                    workers=workers)
    print(f"reviewer: re-scored {pairs:,} pairs with {safe(describe_options(project))}",
          file=sys.stderr)
