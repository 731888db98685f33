"""``reviewer merge`` and ``reviewer agreement``: several annotators on one benchmark."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reviewer.cli.common import add_output_format, add_project, open_project
from reviewer.cli.terminal import json_text, safe
from reviewer.core.agreement import Agreement, AnnotatorAgreement, annotator_agreement
from reviewer.core.decision_merge import FIELD_NAMES
from reviewer.store.annotations import annotator_decisions
from reviewer.store.merge import ItemConflict, merge_projects

SHOWN_CHARS = 60  # of a corrected reference or note in a conflict line


def register(sub: argparse._SubParsersAction) -> None:
    m = sub.add_parser(
        "merge", help="merge projects of one benchmark labelled by different annotators",
        description="Merge the label histories of several projects of the same benchmark\n"
        "into one, in one transaction. Every event is kept (undo and redo included); an\n"
        "event already in the target is not added again, so merging twice changes nothing.\n"
        "Labels are combined field by field (verdict with its error type, corrected\n"
        "reference, note, tags): a decision changes only the fields it changed, in the\n"
        "order each file made them. Two people setting one field differently without\n"
        "seeing each other's value is a conflict: listed, the later kept for now, to be\n"
        "decided in the window's Adjudication dock. A missing target is built from the\n"
        "first project's benchmark and appears only when complete. A damaged project, one\n"
        "with triggers or views reviewer does not make, malformed history events or\n"
        "another benchmark is refused before anything is written.",
        epilog="examples:\n  reviewer merge alice.db bob.db -o team.db\n"
        "  reviewer merge carol.db -o team.db          # add a third annotator later",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    m.add_argument("sources", nargs="+", type=Path, metavar="PROJECT",
                   help="projects to merge (.db)")
    m.add_argument("-o", "--output", type=Path, required=True, metavar="TEAM",
                   help="the merged project (created when missing, else merged into)")
    m.set_defaults(run=run_merge)

    a = sub.add_parser(
        "agreement", help="print how far annotators agree, per verdict and error type",
        description="Agreement between the annotators of a (merged) project on the verdict\n"
        "and on each error type (marked or not), over the items that at least two of them\n"
        "gave a verdict: Cohen's kappa with two annotators, Krippendorff's alpha (nominal)\n"
        "with two or more. An undefined coefficient is shown as — with the reason (for\n"
        "example when every rating is the same).",
        epilog="examples:\n  reviewer agreement team.db\n"
        "  reviewer agreement team.db --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(a)
    add_output_format(a)
    a.set_defaults(run=run_agreement)


def run_merge(args: argparse.Namespace) -> int:
    outcome = merge_projects(args.sources, args.output)
    made = f" (created from {safe(args.sources[0])})" if outcome.created else ""
    print(f"{safe(outcome.target)}{made}: {outcome.events_added} events added, "
          f"{outcome.events_present} already present, "
          f"{len(outcome.changed_items)} items' labels changed")
    if outcome.conflicts:
        n = len(outcome.conflicts)
        print(f"{n} conflict{'' if n == 1 else 's'} to adjudicate (the later decision is "
              "current for now; decide in the window's Adjudication dock):")
        for line in conflict_lines(outcome.conflicts):
            print(safe(line))
    return 0


def conflict_lines(conflicts: Sequence[ItemConflict]) -> list[str]:
    """One line per conflict: the item, the field, and both decisions, the kept one first."""
    lines = []
    for found in conflicts:
        c = found.conflict
        sides = [f"{e.annotator} ({e.at[:19]}) {_value(c.field, c.value(e))}"
                 for e in (c.kept, c.other)]
        lines.append(f"  {found.item_id}: {FIELD_NAMES[c.field]}: {sides[0]} (kept), "
                     f"{sides[1]}")
    return lines


def _value(field: str, value: Any) -> str:
    if field == "verdict":
        verdict, error_type = value
        shown = verdict or "no verdict"
        return f"{shown} ({error_type})" if error_type else shown
    if not value:
        return "nothing"
    return repr(value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…")


def run_agreement(args: argparse.Namespace) -> int:
    with open_project(Path(args.project)) as project:
        agreement = annotator_agreement(annotator_decisions(project))
        name = project.name
    if args.format == "json":
        print(json_text({"project": name, **agreement.to_dict()}, indent=2))
    else:
        print(safe("\n".join(agreement_table(name, agreement)), multiline=True))
    return 0


def agreement_table(name: str, agreement: AnnotatorAgreement) -> list[str]:
    """The agreement as aligned text lines."""
    who = ", ".join(agreement.annotators) or "nobody"
    lines = [f"{name}: {len(agreement.annotators)} annotators ({who}), "
             f"{agreement.n_items:,} item{'' if agreement.n_items == 1 else 's'} with two verdicts "
             "or more", ""]
    rows = [agreement.verdict, *agreement.error_types]
    width = max(len("question"), *(len(_question(r)) for r in rows)) + 2
    header = f"{'question':<{width}}{'items':>7}{'kappa':>9}{'alpha':>9}  note"
    lines += [header, "-" * len(header)]
    for row in rows:
        lines.append(f"{_question(row):<{width}}{row.n_items:>7,}{_fmt(row.kappa):>9}"
                     f"{_fmt(row.alpha):>9}  {row.reason or ''}".rstrip())
    return lines


def _question(row: Agreement) -> str:
    return row.question if row.question == "verdict" else f"error type {row.question}"


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
