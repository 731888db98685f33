"""The base of the kinds' own item views: they follow the current item and its decision."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from reviewer.gui.session import ReviewSession


class ItemView(QWidget):
    """A view of the current item, redrawn by :meth:`refresh` when the item or its decision
    changes; subclasses build their widgets, then call :meth:`follow_session`."""

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item_id: str | None = None

    def follow_session(self) -> None:
        """Show the current item now and whenever it, its decision or all decisions change."""
        self.session.currentItemChanged.connect(self.show_item)
        self.session.decisionChanged.connect(self._on_decision_changed)
        self.session.decisionsReset.connect(self.refresh)
        if self.session.current_item is not None:
            self.show_item(self.session.current_item)

    def add_window_keys(self, bindings: Iterable[tuple[Sequence[str], str, Callable[[], object]]]
                        ) -> None:
        """Bind each ``(keys, text, slot)`` as a window-wide action of this view (the ``?``
        sheet lists it by ``text``); the keys work wherever focus is, but in a text field."""
        for keys, text, slot in bindings:
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, run=slot: run())
            self.addAction(action)

    def show_item(self, item_id: str) -> None:
        self.item_id = item_id
        self.refresh()

    def _on_decision_changed(self, item_id: str) -> None:
        if item_id == self.item_id:
            self.refresh()

    def refresh(self) -> None:
        """Read the current item again and redraw."""
        raise NotImplementedError
