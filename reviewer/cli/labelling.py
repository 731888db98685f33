"""``reviewer label``, ``undo``, ``redo`` and ``history``: decisions from the terminal."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from reviewer.cli.common import add_project, annotator, open_project
from reviewer.core.errors import ProjectError
from reviewer.core.labels import VERDICTS
from reviewer.store import labels


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "label", help="record a verdict, corrected reference, note or tags for an item",
        description="Record a decision on one item; it is committed at once and kept in the "
        "history. A corrected reference re-aligns and re-scores the item.",
        epilog="examples:\n"
        '  reviewer label bench.db ocr_0042 reference_error --note "GT typo" '
        '--reference "corrected text"\n'
        "  reviewer label bench.db ocr_0007 ok\n"
        "  reviewer label bench.db ocr_0007 --clear-reference",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    p.add_argument("item", help="item id")
    p.add_argument("verdict", nargs="?", choices=VERDICTS, help="the verdict")
    p.add_argument("--reference", help="the corrected reference text")
    p.add_argument("--clear-reference", action="store_true", help="drop the corrected reference")
    p.add_argument("--note", help="a free-text note")
    p.add_argument("--tag", action="append", help="a tag; repeatable (replaces the tags)")
    p.add_argument("--annotator", help="who decides (default: the project's or login name)")
    p.set_defaults(run=run)

    for name, doc in (("undo", "undo your latest decision"), ("redo", "redo what you undid")):
        q = sub.add_parser(name, help=doc, description=doc.capitalize() + ", as a new event "
                           "in the history.", epilog=f"example:\n  reviewer {name} bench.db",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        add_project(q)
        q.add_argument("--annotator", help="whose decision (default: yours)")
        q.set_defaults(run=run_undo if name == "undo" else run_redo)

    h = sub.add_parser("history", help="print the label history",
                       description="Every decision in order: when, who, what changed.",
                       epilog="examples:\n  reviewer history bench.db\n"
                       "  reviewer history bench.db ocr_0042",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(h)
    h.add_argument("item", nargs="?", help="only this item")
    h.set_defaults(run=run_history)


def run(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    if args.verdict:
        changes["verdict"] = args.verdict
    if args.reference is not None and args.clear_reference:
        raise ProjectError("give --reference or --clear-reference, not both")
    if args.reference is not None:
        changes["corrected_reference"] = args.reference
    if args.clear_reference:
        changes["corrected_reference"] = None
    if args.note is not None:
        changes["note"] = args.note
    if args.tag is not None:
        changes["tags"] = args.tag
    if not changes:
        raise ProjectError("nothing to record: give a verdict, --reference, --note or --tag")
    with open_project(Path(args.project)) as project:
        event = labels.set_label(project, args.item, annotator(project, args.annotator), **changes)
    print(f"{args.item}: {describe(event)}")
    return 0


def run_undo(args: argparse.Namespace) -> int:
    return _step(args, labels.undo, "nothing to undo")


def run_redo(args: argparse.Namespace) -> int:
    return _step(args, labels.redo, "nothing to redo")


def _step(args: argparse.Namespace, fn: Any, empty: str) -> int:
    with open_project(Path(args.project)) as project:
        event = fn(project, annotator(project, args.annotator))
    if event is None:
        print(empty)
    else:
        print(f"{event.item_id}: {event.action}: {describe(event)}")
    return 0


def run_history(args: argparse.Namespace) -> int:
    with open_project(Path(args.project)) as project:
        for event in labels.history(project, args.item):
            print(f"{event.at}  {event.annotator:<12} {event.item_id:<20} {event.action:<5} "
                  f"{describe(event)}")
    return 0


def describe(event: labels.Event) -> str:
    """What changed in an event, in a few words."""
    before, after = event.before.to_dict(), event.after.to_dict()
    parts = [f"{k} {before[k]!r} → {after[k]!r}" for k in after if before[k] != after[k]]
    return "; ".join(parts) or "no change"
