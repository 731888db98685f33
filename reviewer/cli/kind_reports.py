"""The kinds' own parts of ``reviewer score`` and ``reviewer show``.

A kind with a module ``reviewer.cli.<kind>_report`` may define:

- ``prepare_scores(project, workers)``: work before scoring (kern: compute missing OMR-NED);
- ``score_lines(report) -> list[str]``: lines after the generic score table;
- ``CATEGORY_TABLE = False``: leave out the generic errors-by-category table;
- ``item_lines(project, item_id, systems, colour) -> list[str]``: what ``show`` prints for an
  item instead of the aligned diff.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

from reviewer.store.project import Project


def _module(kind: str) -> ModuleType | None:
    name = f"reviewer.cli.{kind}_report"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def prepare_scores(project: Project, workers: int | None) -> None:
    """What the project's kind computes before it can be scored."""
    module = _module(project.kind)
    if module is not None and hasattr(module, "prepare_scores"):
        module.prepare_scores(project, workers)


def category_table(kind: str) -> bool:
    """Whether the score table ends with the generic errors per category."""
    module = _module(kind)
    return module is None or bool(getattr(module, "CATEGORY_TABLE", True))


def score_lines(report: dict[str, Any]) -> list[str]:
    """The kind's lines after the score table (none for most kinds)."""
    module = _module(report["kind"])
    if module is None or not hasattr(module, "score_lines"):
        return []
    lines: list[str] = module.score_lines(report)
    return lines


def item_lines(project: Project, item_id: str, systems: list[str],
               colour: bool) -> list[str] | None:
    """The kind's own lines for ``reviewer show``, or ``None`` for the aligned diff."""
    module = _module(project.kind)
    if module is None or not hasattr(module, "item_lines"):
        return None
    lines: list[str] = module.item_lines(project, item_id, systems, colour)
    return lines
