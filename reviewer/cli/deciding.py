"""``reviewer label``, ``undo``, ``redo`` and ``history``: decisions from the terminal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from reviewer.cli.common import add_project, annotator, open_project
from reviewer.cli.terminal import safe
from reviewer.core.decisions import VERDICTS
from reviewer.core.errors import ProjectError
from reviewer.store import decisions
from reviewer.store.project import Project
from reviewer.store.waiting import DEFAULT_WAIT_S, WAITING, write_when_free

T = TypeVar("T")


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
    add_wait(p)
    p.set_defaults(run=run)

    for name, doc in (("undo", "undo your latest decision"), ("redo", "redo what you undid")):
        q = sub.add_parser(name, help=doc, description=doc.capitalize() + ", as a new event "
                           "in the history.", epilog=f"example:\n  reviewer {name} bench.db",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        add_project(q)
        q.add_argument("--annotator", help="whose decision (default: yours)")
        add_wait(q)
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
        who = annotator(project, args.annotator)
        event = when_free(project, args.wait,
                          lambda: decisions.decide(project, args.item, who, **changes))
    print(f"{safe(args.item)}: {describe(event)}")
    return 0


def run_undo(args: argparse.Namespace) -> int:
    return _step(args, decisions.undo, "nothing to undo")


def run_redo(args: argparse.Namespace) -> int:
    return _step(args, decisions.redo, "nothing to redo")


def _step(args: argparse.Namespace, fn: Any, empty: str) -> int:
    with open_project(Path(args.project)) as project:
        who = annotator(project, args.annotator)
        event = when_free(project, args.wait, lambda: fn(project, who))
    if event is None:
        print(empty)
    else:
        print(f"{safe(event.item_id)}: {safe(event.action)}: {describe(event)}")
    return 0


def run_history(args: argparse.Namespace) -> int:
    with open_project(Path(args.project)) as project:
        for event in decisions.history(project, args.item):
            print(f"{safe(event.at)}  {safe(event.annotator):<12} {safe(event.item_id):<20} "
                  f"{safe(event.action):<5} {describe(event)}")
    return 0


def add_wait(parser: argparse.ArgumentParser) -> None:
    """``--wait SECONDS``: how long a write waits for a project another process is writing."""
    parser.add_argument(
        "--wait", type=float, default=DEFAULT_WAIT_S, metavar="SECONDS",
        help="how long to wait while another process (an import, a merge, a window) holds "
        f"the project's write lock; then nothing is saved (default {DEFAULT_WAIT_S:g})")


def when_free(project: Project, wait: float, write: Callable[[], T]) -> T:
    """``write()``, waiting (and saying so on stderr) while another process holds the lock."""
    return write_when_free(
        project, write, wait=wait, lost="the decision was NOT saved",
        on_wait=lambda: print(f"reviewer: {WAITING}", file=sys.stderr, flush=True))


def describe(event: decisions.Event) -> str:
    """What changed in an event, in a few words."""
    before, after = event.before.to_dict(), event.after.to_dict()
    parts = [f"{k} {before[k]!r} → {after[k]!r}" for k in after if before[k] != after[k]]
    return safe("; ".join(parts)) or "no change"
