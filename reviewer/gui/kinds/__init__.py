"""Item views of the task kinds: a kind with a module here gets its own view in the window.

Each module defines ``make_view(session) -> QWidget`` (the view follows
``session.currentItemChanged`` itself) and ``SHOWS_DIFF``: whether the alignment view is
shown below it. Kinds without a module (text) show the alignment view alone.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from PySide6.QtWidgets import QWidget

from reviewer.gui.session import ReviewSession


def _module(kind: str) -> ModuleType | None:
    name = f"reviewer.gui.kinds.{kind}"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def item_view(session: ReviewSession) -> QWidget | None:
    """The kind's own view of the current item, or ``None`` when it has none."""
    module = _module(session.kind)
    return None if module is None else module.make_view(session)


def shows_diff(kind: str) -> bool:
    """Whether the alignment view is shown for items of ``kind``."""
    module = _module(kind)
    return True if module is None else bool(module.SHOWS_DIFF)
