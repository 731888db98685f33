"""Helpers shared by the CLI commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reviewer.cli.terminal import Bar, safe
from reviewer.core.decisions import default_annotator
from reviewer.core.errors import ProjectError
from reviewer.store.db import bring_up_to_date, outdated
from reviewer.store.project import Project


def add_project(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", type=Path, help="the project database (.db)")


def add_output_format(parser: argparse.ArgumentParser) -> None:
    """``--format table|json``: an aligned table for people, JSON for other tools."""
    parser.add_argument("--format", choices=["table", "json"], default="table")


def open_project(path: Path) -> Project:
    """Open an existing project (errors name the file).

    A project that cannot be written (a read-only share) opens read-only, said once on
    stderr; one without items (an import into it never finished) is refused. One made by
    an earlier version is brought up to date first, said on stderr with a bar (minutes
    for millions of items; Ctrl+C undoes the change under way).
    """
    steps = outdated(path)
    if steps:
        changes = "one change" if len(steps) == 1 else f"{len(steps)} changes"
        print(f"reviewer: {safe(path)}: made by an earlier version of reviewer; bringing it "
              f"up to date ({changes} to the file, once)", file=sys.stderr)
        try:
            bring_up_to_date(path, Bar())
        except KeyboardInterrupt:
            print(f"reviewer: {safe(path)}: stopped; the change under way was undone (the "
                  "next command on it goes on from there)", file=sys.stderr)
            raise
    project = Project(path)
    try:
        if project.item_count() == 0:
            raise ProjectError(f"{path}: holds no items (an import into it did not finish); "
                               "import the benchmark into it again")
    except BaseException:
        project.close()
        raise
    if project.read_only:
        print(f"reviewer: {safe(path)}: {project.read_only}: opened read-only", file=sys.stderr)
    return project


def annotator(project: Project, given: str | None) -> str:
    """The annotator's name: given, else the project's, else :func:`default_annotator`."""
    if given:
        return given
    return project.meta("annotator") or default_annotator()
