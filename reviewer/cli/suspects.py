"""``reviewer suspects``: items ranked by how likely their reference is wrong."""

from __future__ import annotations

import argparse
import itertools
import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path

from reviewer.cli.common import add_output_format, add_project, open_project
from reviewer.cli.terminal import json_text, safe
from reviewer.core.kinds import SPECS, spec
from reviewer.store.list_facts import suspicion_order
from reviewer.store.suspects import (
    DEFAULT_METHOD,
    IN_PASSES_FROM,
    compute_suspects,
    kept_suspects,
    methods,
    rank_in_passes,
    ranks_in_passes,
)

HELP_WIDTH = 88
STREAM_WIDTH_ITEMS = 10_000  # items whose ids set the id column's width of a long list


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "suspects", help="list the items whose reference is most likely wrong",
        description="Rank items by suspicion (0 to 1): how strongly the systems agree\n"
        "against the reference, each weighted by how often it is right elsewhere. One item\n"
        "per line, most suspicious first: id, score, why (in words).",
        epilog=f"{methods_help()}\n\nexamples:\n  reviewer suspects bench.db --top 50\n"
        "  reviewer suspects mmlu.db --format json --top 0\n"
        "  reviewer suspects mmlu.db --method cleanlab",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_project(p)
    add_output_format(p)
    p.add_argument("--top", type=int, default=50, metavar="N",
                   help="how many items to list (default 50; 0 lists every item)")
    p.add_argument("--method", default=None,
                   help="ranking method: the kind's default, or one of its named methods "
                        "(listed below)")
    p.set_defaults(run=run)


def methods_help() -> str:
    """Each kind's ranking methods (``--method``) and what its default weighs, from the
    kinds' specs."""
    lines = ["ranking methods by kind (--method; the default first):"]
    kinds = [k for k in SPECS if spec(k).suspicion is not None]
    width = max(len(k) for k in kinds)
    for kind in kinds:
        found = spec(kind)
        named = [m for m in methods(kind) if m != DEFAULT_METHOD]
        default = next((m for m in named if found.suspicion_methods[m] is found.suspicion),
                       DEFAULT_METHOD)
        listed = [default, *(m for m in named if m != default)]
        about = f" — {found.suspicion_about}" if found.suspicion_about else ""
        lines.append(textwrap.fill(f"{kind:<{width}}  {', '.join(listed)}{about}",
                                   HELP_WIDTH, initial_indent="  ",
                                   subsequent_indent=" " * (width + 4)))
    if any("cleanlab" in methods(k) for k in kinds):
        lines.append("  (cleanlab needs the cleanlab package: pip install 'reviewer[cleanlab]')")
    if any("acoustic" in methods(k) for k in kinds):
        lines.append(textwrap.fill(
            "(acoustic: the default and how well the items' WAV audio, force-aligned, fits "
            "the reference and each system's reading; it needs PocketSphinx: pip install "
            "'reviewer[acoustic]')", HELP_WIDTH, initial_indent="  ", subsequent_indent="   "))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    top = max(args.top, 0)
    with open_project(Path(args.project)) as project:
        # A large text or kern project is ranked a part at a time (its memory bounded), the
        # scores kept in its item facts and listed from there as they are printed.
        in_passes = (project.item_count() >= IN_PASSES_FROM
                     and ranks_in_passes(project, args.method))
        # The ranking it kept last time serves while nothing it reads changed since.
        suspects = ((kept_suspects(project, unchanged=True) or rank_in_passes(project))
                    if in_passes else compute_suspects(project, args.method))
        needed = spec(project.kind).suspicion_min_systems
        if len(project.systems()) < needed:
            print(f"reviewer: warning: {safe(project.path)} has {len(project.systems())} "
                  f"system(s); ranking {project.kind} references needs {needed} systems whose "
                  "changes can agree, so every score is 0", file=sys.stderr)
        ranked = (suspicion_order(project, top) if in_passes
                  else iter(suspects.top(top)))
        if args.format == "json":
            _print_json(ranked)
        else:
            _print_lines(ranked, suspects.notes, in_passes)
    return 0


def _print_json(ranked: Iterator[tuple[str, float]]) -> None:
    """``[{"id": ..., "score": ...}, ...]`` as ``json_text(..., indent=2)`` writes the
    list, an item at a time."""
    first = True
    for item_id, score in ranked:
        entry = textwrap.indent(json_text({"id": item_id, "score": score}, indent=2), "  ")
        print("[" if first else ",")
        print(entry, end="")
        first = False
    print("[]" if first else "\n]")


def _print_lines(ranked: Iterator[tuple[str, float]], notes: Mapping[str, str],
                 streamed: bool) -> None:
    """One line per item: id, score, why; ids padded to the longest of them (streamed:
    of the first ``STREAM_WIDTH_ITEMS``, so that a long list is not held to measure it)."""
    head = list(itertools.islice(ranked, STREAM_WIDTH_ITEMS if streamed else None))
    width = max([len(safe(item_id)) for item_id, _ in head] or [0])
    for item_id, score in itertools.chain(head, ranked):
        print(f"{safe(item_id):<{width}}  {score:.4f}  {safe(notes.get(item_id, ''))}".rstrip())
