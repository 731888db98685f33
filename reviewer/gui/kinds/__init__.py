"""The task kinds' own views in the window, registered in one typed table:
kind -> :class:`KindView` (DESIGN §2).

Each kind with a view has a package here whose ``VIEW`` says how it is built, whether the
alignment view and the image dock are shown with it, the window shortcuts it takes over,
its docks and its help line. ``text`` shows the alignment view alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from reviewer.core.items import Kind
from reviewer.gui.items.view import ItemListWidget
from reviewer.gui.kinds import asr, choice, gec, kern, label
from reviewer.gui.kinds.base_view import ItemView
from reviewer.gui.kinds.kind_view import ALIGNMENT_VIEW_ONLY, KindView
from reviewer.gui.session import ReviewSession
from reviewer.gui.shortcuts import SHORTCUTS

KIND_VIEWS: Mapping[Kind, KindView] = MappingProxyType({
    "text": ALIGNMENT_VIEW_ONLY,
    "asr": asr.VIEW,
    "gec": gec.VIEW,
    "kern": kern.VIEW,
    "choice": choice.VIEW,
    "label": label.VIEW,
})


def kind_view(kind: str) -> KindView:
    """The view of task kind ``kind`` (the alignment view alone for a kind without one)."""
    for name, view in KIND_VIEWS.items():
        if name == kind:
            return view
    return ALIGNMENT_VIEW_ONLY


def item_view(session: ReviewSession) -> ItemView | None:
    """The kind's own view of the current item, or ``None`` when it has none."""
    make = kind_view(session.kind).make_view
    return None if make is None else make(session)


def bind_shortcuts(actions: Mapping[str, QAction], kind: str) -> None:
    """Give the window's actions their keys: the shortcut table's, or the kind view's own
    where the view needs the key."""
    overrides = kind_view(kind).shortcut_overrides
    for action_id, keys, _ in SHORTCUTS:
        if action_id in actions:
            actions[action_id].setShortcuts(
                [QKeySequence(k) for k in overrides.get(action_id, keys)])


def kind_docks(session: ReviewSession, items: ItemListWidget) -> list[tuple[str, str, QWidget]]:
    """``(title, object name, widget)`` of the docks the kind adds beside the decision panel
    (label: the confusion matrix)."""
    docks = kind_view(session.kind).docks
    return [] if docks is None else docks(session, items)


def kind_help(kind: str) -> str:
    """The keys and clicks of the kind's view in one line."""
    return kind_view(kind).help


def shows_media(kind: str) -> bool:
    """Whether the image dock is useful for ``kind`` (a view may show the item's media
    itself)."""
    return kind_view(kind).shows_media


def shows_diff(kind: str) -> bool:
    """Whether the alignment view is shown for items of ``kind``."""
    return kind_view(kind).shows_diff
