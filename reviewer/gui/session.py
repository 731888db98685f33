"""The open project as the widgets see it.

Reads go through a main-thread connection; every write goes to the one
:class:`~reviewer.gui.tasks.WriteThread` and is committed there the moment it is made.
Widgets talk to each other only through this object's signals.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QObject, QTimer, Signal

from reviewer.core.align import Alignment
from reviewer.core.categories import Category, catalogue
from reviewer.core.decisions import Decision
from reviewer.core.evaluate import score_pair
from reviewer.core.kinds import spec
from reviewer.core.pair_text import alignment_of
from reviewer.gui.tasks import WriteThread
from reviewer.store import annotations as store_annotations
from reviewer.store import decisions as store_decisions
from reviewer.store.list_facts import item_total
from reviewer.store.project import Project
from reviewer.store.shown_alignment import shown_alignment
from reviewer.store.waiting import retry_reason

ALIGNMENT_CACHE = 256
T = TypeVar("T")
_NOT_SAVED = ("{path}: opened read-only ({reason}); {what} was not saved. Copy the project to "
              "a writable folder to review it.")


class ReviewSession(QObject):
    """One project open in the window."""

    currentItemChanged = Signal(str)  # item id
    decisionChanged = Signal(str)  # item id, after its change is committed
    decisionsReset = Signal()  # several items may have changed
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
            #: The number of items, as kept with the item list's facts (counting reads
            #: every item: a quarter of a second at 10,000,000); the window's parts read
            #: it from here.
            self.item_total = item_total(self.project)
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
        # Request id -> what to call with its result once committed (run_write's on_done).
        self._pending: dict[int, Callable[[Any], None] | None] = {}
        self._pending_lock = threading.Lock()  # run_write may be called from a pool thread
        # Several views ask for the same alignments of the current item.
        self._alignments: dict[tuple[str, str], Alignment] = {}
        # Connected first, so the cache is fresh before any view re-renders.
        self.decisionChanged.connect(self._forget)
        self.decisionsReset.connect(self._alignments.clear)
        self._own_events: set[int] = set()
        # Started last: nothing after it can fail and leave a running thread behind.
        self._writer = WriteThread(lambda: Project(self.path), retry_reason)
        self._writer.worker.committed.connect(self._on_committed)
        self._writer.worker.failed.connect(self._on_failed)
        self._writer.worker.waiting.connect(self._on_waiting)

    # -- reading -----------------------------------------------------------------------
    def decision(self, item_id: str) -> Decision:
        """The current decision on ``item_id``."""
        return store_decisions.get_decision(self.project, item_id)

    def alignment(self, system: str, item_id: str) -> Alignment:
        """The alignment of ``system`` on ``item_id`` against its current reference: the
        stored one, or fstalign's path for an NLP call (:mod:`reviewer.store.shown_alignment`)."""
        key = (system, item_id)
        cached = self._alignments.get(key)
        if cached is None:
            if len(self._alignments) > ALIGNMENT_CACHE:
                self._alignments.clear()
            cached = self._alignments[key] = shown_alignment(self.project, system, item_id)
        return cached

    def _forget(self, item_id: str) -> None:
        for system in self.systems:
            self._alignments.pop((system, item_id), None)

    def preview_alignment(self, system: str, item_id: str, reference: str) -> Alignment:
        """The alignment against an edited reference, computed now (nothing is stored)."""
        hyp = self.project.prediction(system, item_id) or ""
        mode = self.project.char_mode
        counts = score_pair(reference, hyp, kind=self.kind, options=self.project.score_options)
        return alignment_of(reference, hyp, counts, mode)

    def current_reference(self, item_id: str) -> str:
        decision = self.decision(item_id)
        if decision.corrected_reference is not None:
            return decision.corrected_reference
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
    def decide(self, item_id: str, **changes: Any) -> None:
        """Queue a decision; :attr:`decisionChanged` fires once it is committed."""
        annotator = self.annotator
        self._submit(lambda p: store_decisions.decide(p, item_id, annotator, **changes))

    def adjudicate(self, item_id: str, **changes: Any) -> None:
        """Queue a third person's decision on a disputed item, recorded as an adjudication."""
        adjudicator = self.annotator
        self._submit(
            lambda p: store_annotations.adjudicate(p, item_id, adjudicator, **changes))

    def undo(self) -> None:
        annotator = self.annotator
        self._submit(lambda p: store_decisions.undo(p, annotator))

    def redo(self) -> None:
        annotator = self.annotator
        self._submit(lambda p: store_decisions.redo(p, annotator))

    def remember(self, key: str, value: str) -> None:
        """Keep a small fact in the project (for example the last item viewed)."""
        if not self.read_only:  # a convenience, not a decision: nothing to report
            self._submit(lambda p: p.set_meta(key, value))

    def run_write(self, operation: Callable[[Project], T],
                  on_done: Callable[[T], None] | None = None, *,
                  what: str = "the change") -> bool:
        """Run ``operation(project)`` on the one writer thread, after every write queued
        before it (DESIGN §7.9); safe to call from any thread.

        ``operation`` receives the writer's own :class:`Project` and commits its writes
        itself (the store's write functions each run in their own transaction). Once it
        has returned, ``on_done(result)`` runs on the main thread; so a no-op operation's
        ``on_done`` says that everything queued before it is committed. A failure is
        reported through :attr:`writeFailed`; a write that finds the project locked waits
        its turn (:attr:`writesWaiting`). Returns ``False`` without queueing anything when
        the project is read-only (saying so through :attr:`writeFailed`, naming ``what``).
        """
        return self._submit(operation, on_done, what)

    def _submit(self, operation: Callable[[Any], Any],
                on_done: Callable[[Any], None] | None = None,
                what: str = "the decision") -> bool:
        if self.read_only:
            self.writeFailed.emit(_NOT_SAVED.format(path=self.path, reason=self.read_only,
                                                    what=what))
            return False
        with self._pending_lock:
            request_id = next(self._ids)
            self._pending[request_id] = on_done
        self._writer.submit.emit((request_id, operation))
        return True

    def _on_committed(self, payload: tuple[int, Any]) -> None:
        request_id, result = payload
        with self._pending_lock:
            on_done = self._pending.pop(request_id, None)
        if isinstance(result, store_decisions.Event):
            self._own_events.add(result.id)
            self.committed.emit(result)
            self.decisionChanged.emit(result.item_id)
        if on_done is not None:
            on_done(result)

    def _on_failed(self, payload: tuple[int, str]) -> None:
        request_id, message = payload
        with self._pending_lock:
            self._pending.pop(request_id, None)
        self.writeFailed.emit(message)

    def _on_waiting(self, reason: str) -> None:
        self.waiting = reason
        self.writesWaiting.emit(reason)

    def _latest_event(self) -> int:
        return store_decisions.latest_event_id(self.project)

    def check_external_changes(self) -> int:
        """Decisions another window or process committed since the last check.

        When there are any, every view is told to re-read (:attr:`decisionsReset`).
        """
        latest = self._latest_event()
        if latest <= self._seen_event:
            return 0
        ids = store_decisions.event_ids_after(self.project, self._seen_event)
        self._seen_event = latest
        foreign = [i for i in ids if i not in self._own_events]
        if foreign and not self._pending:
            self.decisionsReset.emit()
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
