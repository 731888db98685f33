"""``reviewer show``: an item as the HTML report shows it (its item facts), in the terminal,
errors coloured by category."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer.cli.common import add_project, open_project
from reviewer.cli.item_printer import item_lines
from reviewer.cli.terminal import use_colour
from reviewer.core.errors import ProjectError
from reviewer.core.item_facts import describe_item
from reviewer.store.item_data import item_data
from reviewer.store.project import Project
from reviewer.store.scores import item_rates


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "show", help="show an item's aligned, categorised diff",
        description="Print an item as the HTML report shows it: the reference above each "
        "system's prediction, every edit coloured by its error category (gec: each "
        "sentence with its edits marked TP, FP or FN; choice and label: each system's "
        "answer or class).",
        epilog="examples:\n  reviewer show bench.db ocr_0042\n  reviewer show bench.db --worst 20\n"
        "  reviewer show bench.db --worst 5 --system tesseract",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    p.add_argument("item", nargs="?", help="item id")
    p.add_argument("--worst", type=int, metavar="N",
                   help="the N items with the highest per-item error rate (CER, WER, SER, "
                        "wrong answers, ...)")
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
    """Ids of the ``n`` items with the highest per-item rate of the kind's main level (CER,
    WER, ...) over the given systems (ties: errors)."""
    best: dict[str, tuple[float, int]] = {}
    for system in systems:
        for item_id, rate, errors, _units in item_rates(project, system):
            key = (float("inf") if rate is None and errors else rate or 0.0, errors)
            best[item_id] = max(best.get(item_id, (0.0, 0)), key)
    ranked = sorted(best, key=lambda i: best[i], reverse=True)
    return ranked[:n]


def item_diff(project: Project, item_id: str, systems: list[str], colour: bool) -> list[str]:
    """The lines ``reviewer show`` prints for one item (the report shows the same facts)."""
    facts = describe_item(project.kind, item_data(project, item_id, systems))
    return item_lines(facts, project.kind, colour)
