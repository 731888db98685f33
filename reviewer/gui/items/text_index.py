"""The text index of a large project built in the background, the first time the item list
is filtered by text (:mod:`reviewer.store.text_search`): the scan answers meanwhile, and
the filter is applied again through the index once it is complete."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from reviewer.gui.session import ReviewSession
from reviewer.gui.tasks import TaskProgress, run_task
from reviewer.store import text_search
from reviewer.store.project import Project

WAIT_FOR_LOCK_MS = 60_000  # a chunk of the build waits this long for the window's writes


def _build(path: Path, progress: TaskProgress) -> bool:
    with Project(path) as project:
        project.set_busy_timeout(WAIT_FOR_LOCK_MS)
        return text_search.build(project, lambda done, total: progress.set(done / total),
                                 progress.cancelled)


class TextIndexBuild(QObject):
    """Builds the session's text index once, in the thread pool, when it is wanted.

    ``progressed`` carries the share done (0 to 1); ``ready`` is emitted when the index
    is complete. Closing the session cancels the build (the next one starts afresh).
    """

    progressed = Signal(float)
    ready = Signal()

    def __init__(self, session: ReviewSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.share: float | None = None  # how much is built (None: no build running)
        self._asked = False
        self._progress: TaskProgress | None = None
        session.closing.connect(self.cancel)

    def start_if_wanted(self) -> None:
        """Start the build when the project is large and has no usable index (asked once
        per window)."""
        if self._asked:
            return
        self._asked = True
        if not text_search.wanted(self.session.project):
            return
        self.share = 0.0
        self._progress = run_task(_build, self.session.path, on_done=self._done,
                                  on_error=lambda _exc: self._done(False))
        self._progress.progressed.connect(self._progressed)

    def cancel(self) -> None:
        """Stop a running build after its current chunk."""
        if self._progress is not None:
            self._progress.cancel()

    def _progressed(self, share: float) -> None:
        self.share = share
        self.progressed.emit(share)

    def _done(self, complete: object) -> None:
        self.share = None
        self._progress = None
        if complete:
            self.ready.emit()
        else:
            self.progressed.emit(1.0)  # the status line drops the share
