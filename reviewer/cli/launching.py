"""``reviewer demo``: the bundled demo benchmark, imported on first use."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer.core.errors import ProjectError
from reviewer.demo import demo_kinds, demo_project_name, ensure_demo
from reviewer.resources import data_dir


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo", help="import the bundled demo benchmark and show it",
        description="Import a bundled demo (by default the OCR one: line images, references "
        "with a few deliberate mistakes, two Tesseract configurations) into a project in your "
        "data folder on first use, then open it in the review window.",
        epilog="examples:\n  reviewer demo\n  reviewer demo --kind choice\n"
        "  reviewer demo --project /tmp/demo.db",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kind", choices=demo_kinds(), default="text",
                   help="which task kind's demo (default: text, the OCR demo)")
    p.add_argument("--project", type=Path, help="where the demo project lives "
                   f"(default: {data_dir() / demo_project_name('<kind>')})")
    p.add_argument("--print", dest="print_only", action="store_true",
                   help="print the scores and worst items in the terminal instead of opening "
                        "the window (also what happens when there is no display)")
    p.add_argument("--worst", type=int, default=5, help="how many worst items to print")
    p.add_argument("--annotator", help="your name, recorded with every decision")
    p.set_defaults(run=run)
    register_gui(sub)


def run(args: argparse.Namespace) -> int:
    from reviewer.gui.app import has_display

    target = args.project or data_dir() / demo_project_name(args.kind)
    if not args.print_only and has_display():
        from reviewer.gui.app import run_gui

        # The window shows first; a first start imports the demo there, with progress.
        return run_gui(None, args.annotator, open_demo=True,
                       demo_opener=lambda progress: ensure_demo(target, args.kind, progress))
    from reviewer.cli.scoring import score_table
    from reviewer.cli.showing import item_diff, worst_items
    from reviewer.cli.terminal import safe, use_colour
    from reviewer.store.project import Project
    from reviewer.store.scores import score_project

    path = ensure_demo(target, args.kind)
    if not args.print_only:
        print("reviewer: no display found; printing the demo instead of opening the window",
              file=sys.stderr)
    print(f"Demo project: {safe(path)}\n")
    with Project(path) as project:
        print("\n".join(score_table(score_project(project))))
        systems = project.systems()
        print(f"\nThe {args.worst} worst items:\n")
        colour = use_colour(sys.stdout)
        for item_id in worst_items(project, systems, args.worst):
            print("\n".join(item_diff(project, item_id, systems, colour)))
            print()
    return 0


def register_gui(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "gui", help="open the review window",
        description="Open the review window on a project; without one, the last project or "
        "a start page.",
        epilog="examples:\n  reviewer gui bench.db\n  reviewer gui",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("project", type=Path, nargs="?", help="the project database (.db)")
    p.add_argument("--annotator", help="your name, recorded with every decision")
    p.set_defaults(run=run_gui_command)


def run_gui_command(args: argparse.Namespace) -> int:
    from reviewer.gui.app import run_gui

    if args.project is not None and not args.project.exists():
        raise ProjectError(f"{args.project}: no such project")
    return run_gui(args.project, args.annotator,
                   demo_opener=lambda progress: ensure_demo(data_dir() / demo_project_name(),
                                                            progress=progress))
