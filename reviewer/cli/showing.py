"""``reviewer show``: an item's aligned diff in the terminal, edits coloured by category."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer.cli.common import add_project, open_project
from reviewer.cli.kind_printers import kind_printer
from reviewer.cli.terminal import aligned_rows, fmt_rate, paint, safe, use_colour
from reviewer.core.categories import catalogue
from reviewer.core.errors import ProjectError
from reviewer.core.kinds import spec
from reviewer.core.metrics import item_rate
from reviewer.store.decisions import get_decision
from reviewer.store.project import Project
from reviewer.store.scores import item_rates


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "show", help="show an item's aligned, categorised diff",
        description="Print the reference above each system's prediction, every edit "
        "coloured by its error category.",
        epilog="examples:\n  reviewer show bench.db ocr_0042\n  reviewer show bench.db --worst 20\n"
        "  reviewer show bench.db --worst 5 --system tesseract",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    p.add_argument("item", nargs="?", help="item id")
    p.add_argument("--worst", type=int, metavar="N", help="the N items with the highest CER")
    p.add_argument("--system", action="append", help="only this system; repeatable")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if (args.item is None) == (args.worst is None):
        raise ProjectError("give an item id or --worst N")
    colour = use_colour(sys.stdout)
    with open_project(Path(args.project)) as project:
        systems = _systems(project, args.system)
        ids = [args.item] if args.item else worst_items(project, systems, args.worst)
        for k, item_id in enumerate(ids):
            if k:
                print()
            print("\n".join(item_diff(project, item_id, systems, colour)))
    return 0


def _systems(project: Project, wanted: list[str] | None) -> list[str]:
    systems = project.systems()
    for name in wanted or []:
        if name not in systems:
            raise ProjectError(f"{project.path}: no system {name!r}; systems: {', '.join(systems)}")
    return wanted or systems


def worst_items(project: Project, systems: list[str], n: int) -> list[str]:
    """Ids of the ``n`` items with the highest CER over the given systems (ties: errors)."""
    best: dict[str, tuple[float, int]] = {}
    for system in systems:
        for item_id, rate, errors, _units in item_rates(project, system):
            key = (float("inf") if rate is None and errors else rate or 0.0, errors)
            best[item_id] = max(best.get(item_id, (0.0, 0)), key)
    ranked = sorted(best, key=lambda i: best[i], reverse=True)
    return ranked[:n]


def item_diff(project: Project, item_id: str, systems: list[str], colour: bool) -> list[str]:
    """The lines ``reviewer show`` prints for one item."""
    own = kind_printer(project.kind).item_lines
    if own is not None:  # label: one class per system; gec: edits marked TP/FP/FN
        return own(project, item_id, systems, colour)
    item = project.item(item_id)
    decision = get_decision(project, item_id)
    head = safe(item.id)
    if decision.verdict:
        head += f"  [{safe(decision.verdict)}]"
    if decision.corrected_reference is not None:
        head += "  (corrected reference)"
    lines = [head]
    if item.media:
        lines.append(f"  media: {safe(item.media)}")
    if decision.note:
        lines.append(f"  note: {safe(decision.note)}")
    names = {c.id: c for c in catalogue(project.kind)}
    for system in systems:
        alignment = project.alignment(system, item_id)
        row = project.alignment_row(system, item_id,
                                    "cleaned" if decision.corrected_reference is not None
                                    else "original").counts
        rates = []
        for role, level in spec(project.kind).rated_levels:
            errors, units = row.level(role).errors, row.level(role).units
            rates.append(f"{level.metric} {fmt_rate(item_rate(errors, units))} "
                         f"({errors}/{units})")
        missing = "" if project.prediction(system, item_id) is not None else "  (no prediction)"
        lines.append(f" {safe(system)}: {', '.join(rates)}{missing}")
        lines += aligned_rows(alignment, project.kind, colour)
        counts = alignment.categories()
        if counts:
            lines.append("       " + "  ".join(
                paint(f"{names[c].name} {n}", names[c].swatch, colour) if colour
                else f"{names[c].name} {n}" for c, n in counts.items()))
    return lines
