"""Helpers shared by the CLI commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from reviewer.core.labels import default_annotator
from reviewer.store.project import Project


def add_project(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", type=Path, help="the project database (.db)")


def add_output_format(parser: argparse.ArgumentParser) -> None:
    """``--format table|json``: an aligned table for people, JSON for other tools."""
    parser.add_argument("--format", choices=["table", "json"], default="table")


def open_project(path: Path) -> Project:
    """Open an existing project (errors name the file)."""
    return Project(path)


def annotator(project: Project, given: str | None) -> str:
    """The annotator's name: given, else the project's, else :func:`default_annotator`."""
    if given:
        return given
    return project.meta("annotator") or default_annotator()
