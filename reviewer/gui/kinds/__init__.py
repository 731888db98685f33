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
from reviewer.gui.kinds import answer, asr, choice, gec, kern, label
from reviewer.gui.kinds.base_view import ItemView
from reviewer.gui.kinds.kind_view import ALIGNMENT_VIEW_ONLY, KindView, ReferenceText
from reviewer.gui.session import ReviewSession
from reviewer.gui.shortcuts import SHORTCUTS

KIND_VIEWS: Mapping[Kind, KindView] = MappingProxyType({
    "text": ALIGNMENT_VIEW_ONLY,
    "asr": asr.VIEW,
    "gec": gec.VIEW,
    "kern": kern.VIEW,
    "choice": choice.VIEW,
    "label": label.VIEW,
    "answer": answer.VIEW,
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


# The window's actions that work on the alignment view (its selected edit, its mode).
ALIGNMENT_ACTIONS = frozenset({"take_edit", "next_edit", "previous_edit", "toggle_mode"})


def bind_shortcuts(actions: Mapping[str, QAction], kind: str) -> None:
    """Give the window's actions their keys: the shortcut table's, or the kind view's own
    where the view needs the key."""
    overrides = kind_view(kind).shortcut_overrides
    applies = takes_edits(kind)
    for action_id, keys, _ in SHORTCUTS:
        if action_id in actions:
            action = actions[action_id]
            # Actions on the alignment view's edits have no key (nor menu entry) where the
            # view is not shown: their keys do nothing there and the sheet must not list them.
            shown = applies or action_id not in ALIGNMENT_ACTIONS
            action.setVisible(shown)
            action.setShortcuts([QKeySequence(k) for k in overrides.get(action_id, keys)]
                                if shown else [])


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


def reference_text(kind: str) -> ReferenceText:
    """How the corrected-reference box shows and stores references of ``kind``."""
    return kind_view(kind).reference_text


def takes_edits(kind: str) -> bool:
    """Whether "the reference is wrong here" (R) applies: it takes the prediction's side of
    the edit selected in the alignment view, so only where that view is shown."""
    return kind_view(kind).shows_diff
