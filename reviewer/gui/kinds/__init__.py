"""Item views of the task kinds: a kind with a module here gets its own view in the window.

Each module defines ``make_view(session) -> QWidget`` (the view follows
``session.currentItemChanged`` itself) and ``SHOWS_DIFF``: whether the alignment view is
shown below it; ``SHOWS_MEDIA = False`` hides the image dock where the view shows the media;
``SHORTCUT_OVERRIDES`` (action id -> keys) moves a window shortcut whose key the view needs.
Kinds without a module (text) show the alignment view alone.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Mapping
from types import ModuleType

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from reviewer.gui.items.view import ItemListWidget
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


def bind_shortcuts(actions: Mapping[str, QAction], kind: str) -> None:
    """Give the window's actions their keys: the shortcut table's, or the kind view's own
    (a module's ``SHORTCUT_OVERRIDES``: action id -> keys) where the view needs the key."""
    from reviewer.gui.shortcuts import SHORTCUTS

    module = _module(kind)
    overrides: Mapping[str, tuple[str, ...]] = getattr(module, "SHORTCUT_OVERRIDES", {})
    for action_id, keys, _ in SHORTCUTS:
        if action_id in actions:
            actions[action_id].setShortcuts(
                [QKeySequence(k) for k in overrides.get(action_id, keys)])


def kind_docks(session: ReviewSession, items: ItemListWidget) -> list[tuple[str, str, QWidget]]:
    """``(title, object name, widget)`` of the docks the kind adds beside the decision panel
    (its module's ``docks(session, items)``; label: the confusion matrix)."""
    module = _module(session.kind)
    if module is None or not hasattr(module, "docks"):
        return []
    docks: list[tuple[str, str, QWidget]] = module.docks(session, items)
    return docks


def kind_help(kind: str) -> str:
    """The keys and clicks of the kind's view in one line (its module's ``HELP``)."""
    module = _module(kind)
    return "" if module is None else str(getattr(module, "HELP", ""))


def shows_media(kind: str) -> bool:
    """Whether the image dock is useful for ``kind`` (``SHOWS_MEDIA``; a view may show the
    item's media itself)."""
    module = _module(kind)
    return True if module is None else bool(getattr(module, "SHOWS_MEDIA", True))


def shows_diff(kind: str) -> bool:
    """Whether the alignment view is shown for items of ``kind``."""
    module = _module(kind)
    return True if module is None else bool(module.SHOWS_DIFF)
