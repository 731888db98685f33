"""The open project as the widgets see it.

Reads go through a main-thread connection; every write goes to the one
:class:`~reviewer.gui.tasks.WriteThread` and is committed there the moment it is made.
Widgets talk to each other only through this object's signals.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QObject, QTimer, Signal

from reviewer.core.align import Alignment
from reviewer.core.categories import Category, catalogue
from reviewer.core.evaluate import alignment_of, score_pair
from reviewer.core.kinds import spec
from reviewer.core.labels import LabelState
from reviewer.gui.tasks import WriteThread
from reviewer.store import annotations as store_annotations
from reviewer.store import labels as store_labels
from reviewer.store.project import Project
from reviewer.store.waiting import retry_reason

ALIGNMENT_CACHE = 256


class ReviewSession(QObject):
    """One project open in the window."""

    currentItemChanged = Signal(str)  # item id
    labelChanged = Signal(str)  # item id, after its change is committed
    labelsReset = Signal()  # several items may have changed
    editSelected = Signal(str, int)  # system, index into the alignment's edits (-1: none)
    categoryVisibilityChanged = Signal()
    writeFailed = Signal(str)  # a message for the user
    committed = Signal(object)  # the store event of a committed write
    scoresChanged = Signal()  # derived scores were computed anew (OMR-NED filled in, ...)
    closing = Signal()  # the project is about to close: pending timers must stop
    writesWaiting = Signal(str)  # why queued decisions wait to be saved ("": saved again)

    def __init__(self, path: str | Path, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.project = Project(self.path)
        try:
            self.kind = self.project.kind
            self.systems: list[str] = self.project.systems()
            self._seen_event = self._latest_event()
            self.project.item_count()
        except BaseException:
            self.project.close()
            raise
        #: Why decisions cannot be saved in this project (``None``: they can).
        self.read_only = self.project.read_only
        #: Why queued decisions are waiting to be saved ("" when they are not).
        self.waiting = ""
        self.annotator = annotator
        self.categories: tuple[Category, ...] = catalogue(self.kind)
        self.spec = spec(self.kind)
        self.hidden_categories: set[str] = set()
        self.current_item: str | None = None
        self.selected_edit: tuple[str, int] | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, Callable[[Any], None] | None] = {}
        # Several views ask for the same alignments of the current item.
        self._alignments: dict[tuple[str, str], Alignment] = {}
        # Connected first, so the cache is fresh before any view re-renders.
        self.labelChanged.connect(self._forget)
        self.labelsReset.connect(self._alignments.clear)
        self._own_events: set[int] = set()
        # Started last: nothing after it can fail and leave a running thread behind.
        self._writer = WriteThread(lambda: Project(self.path), retry_reason)
        self._writer.worker.committed.connect(self._on_committed)
        self._writer.worker.failed.connect(self._on_failed)
        self._writer.worker.waiting.connect(self._on_waiting)

    # -- reading -----------------------------------------------------------------------
    def label(self, item_id: str) -> LabelState:
        return store_labels.get_label(self.project, item_id)

    def alignment(self, system: str, item_id: str) -> Alignment:
        """The stored alignment of ``system`` on ``item_id`` against its current reference."""
        key = (system, item_id)
        cached = self._alignments.get(key)
        if cached is None:
            if len(self._alignments) > ALIGNMENT_CACHE:
                self._alignments.clear()
            cached = self._alignments[key] = self.project.alignment(system, item_id)
        return cached

    def _forget(self, item_id: str) -> None:
        for system in self.systems:
            self._alignments.pop((system, item_id), None)

    def preview_alignment(self, system: str, item_id: str, reference: str) -> Alignment:
        """The alignment against an edited reference, computed now (nothing is stored)."""
        hyp = self.project.prediction(system, item_id) or ""
        mode = self.project.char_mode
        counts = score_pair(reference, hyp, mode, self.kind, self.project.normalize)
        return alignment_of(reference, hyp, counts, mode, self.spec.item_level)

    def current_reference(self, item_id: str) -> str:
        label = self.label(item_id)
        if label.corrected_reference is not None:
            return label.corrected_reference
        return self.project.item(item_id).reference

    # -- navigation and selection --------------------------------------------------------
    def set_current_item(self, item_id: str | None) -> None:
        if item_id == self.current_item or item_id is None:
            return
        self.current_item = item_id
        self.selected_edit = None
        self.currentItemChanged.emit(item_id)

    def select_edit(self, system: str, index: int) -> None:
        self.selected_edit = (system, index) if index >= 0 else None
        self.editSelected.emit(system, index)

    def set_category_visible(self, category_id: str, visible: bool) -> None:
        if visible:
            self.hidden_categories.discard(category_id)
        else:
            self.hidden_categories.add(category_id)
        self.categoryVisibilityChanged.emit()

    # -- writing -------------------------------------------------------------------------
    def set_label(self, item_id: str, **changes: Any) -> None:
        """Queue a decision; :attr:`labelChanged` fires once it is committed."""
        annotator = self.annotator
        self._submit(lambda p: store_labels.set_label(p, item_id, annotator, **changes))

    def adjudicate(self, item_id: str, **changes: Any) -> None:
        """Queue a third person's decision on a disputed item, recorded as an adjudication."""
        adjudicator = self.annotator
        self._submit(
            lambda p: store_annotations.adjudicate(p, item_id, adjudicator, **changes))

    def undo(self) -> None:
        annotator = self.annotator
        self._submit(lambda p: store_labels.undo(p, annotator))

    def redo(self) -> None:
        annotator = self.annotator
        self._submit(lambda p: store_labels.redo(p, annotator))

    def remember(self, key: str, value: str) -> None:
        """Keep a small fact in the project (for example the last item viewed)."""
        if not self.read_only:  # a convenience, not a decision: nothing to report
            self._submit(lambda p: p.set_meta(key, value))

    def _submit(self, operation: Callable[[Any], Any]) -> None:
        if self.read_only:
            self.writeFailed.emit(f"{self.path}: opened read-only ({self.read_only}); the "
                                  "decision was not saved. Copy the project to a writable "
                                  "folder to review it.")
            return
        request_id = next(self._ids)
        self._pending[request_id] = None
        self._writer.submit.emit((request_id, operation))

    def _on_committed(self, payload: tuple[int, Any]) -> None:
        request_id, event = payload
        self._pending.pop(request_id, None)
        if event is not None and hasattr(event, "id"):
            self._own_events.add(event.id)
            self.committed.emit(event)
            self.labelChanged.emit(event.item_id)

    def _on_failed(self, payload: tuple[int, str]) -> None:
        request_id, message = payload
        self._pending.pop(request_id, None)
        self.writeFailed.emit(message)

    def _on_waiting(self, reason: str) -> None:
        self.waiting = reason
        self.writesWaiting.emit(reason)

    def _latest_event(self) -> int:
        row = self.project.db.execute("SELECT coalesce(max(id), 0) FROM label_events").fetchone()
        return int(row[0])

    def check_external_changes(self) -> int:
        """Decisions another window or process committed since the last check.

        When there are any, every view is told to re-read (:attr:`labelsReset`).
        """
        latest = self._latest_event()
        if latest <= self._seen_event:
            return 0
        rows = self.project.db.execute(
            "SELECT id FROM label_events WHERE id > ?", [self._seen_event]).fetchall()
        self._seen_event = latest
        foreign = [r[0] for r in rows if r[0] not in self._own_events]
        if foreign and not self._pending:
            self.labelsReset.emit()
        return len(foreign)

    def pending_writes(self) -> int:
        return len(self._pending)

    def flush(self, timeout_ms: int = 5000) -> bool:
        """Wait (processing events) until every queued write is committed or failed."""
        deadline = QDeadlineTimer(timeout_ms)
        loop = QEventLoop()
        while self._pending and not deadline.hasExpired():
            QTimer.singleShot(5, loop.quit)
            loop.exec()
        return not self._pending

    def close(self, timeout_ms: int = 5000) -> int:
        """Commit what is queued (waiting up to ``timeout_ms``), then close both connections.

        Returns the number of queued writes that could not be saved (the window asks
        before it closes with any).
        """
        self.closing.emit()
        self.flush(timeout_ms)
        lost = len(self._pending)
        self._writer.stop()
        self.project.close()
        return lost
