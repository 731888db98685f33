"""``reviewer`` command line: no Qt here (the ``gui`` command imports it lazily)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from reviewer import __version__
from reviewer.cli.terminal import guarded_output, safe
from reviewer.core.errors import Cancelled, ReviewerError

COMMANDS = ("importing", "scoring", "showing", "deciding", "exporting", "reporting", "merging",
            "launching", "suspects", "comparing", "words", "team")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    import importlib

    parser = argparse.ArgumentParser(
        prog="reviewer",
        description="Fine-grained error review and benchmark cleaning.",
    )
    parser.add_argument("--version", action="version", version=f"reviewer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"reviewer.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; 0 on success, 1 on a user error (one line on stderr), 2 on usage."""
    with guarded_output():  # a safety net: each command escapes the project text it prints
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except Cancelled:
        print("reviewer: cancelled", file=sys.stderr)
        return 1
    except ReviewerError as exc:
        print(f"reviewer: error: {safe(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("reviewer: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # A damaged, locked, read-only or full project file: one line naming the cause;
        # anything else is a bug and keeps its traceback.
        from reviewer.store.open_errors import describe

        message = describe(getattr(args, "project", None), exc)
        if message is None:
            raise
        print(f"reviewer: error: {safe(message)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
