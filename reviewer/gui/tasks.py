"""Background work for the window (DESIGN §7.8–9).

:func:`run_task` runs a plain function that takes a progress object off the main
thread and hands its result or error back through queued signals. :class:`WriteWorker`
is the one thread that writes decisions to the project database.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections import deque
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QLabel, QProgressDialog

from reviewer.core.errors import Cancelled, ReviewerError

log = logging.getLogger("reviewer.gui")
# Threads of the pool, whatever the number of cores: the long tasks of a large project
# (the suspicion ranking, the statistics, the text index, a team sync; each mostly waits
# for a child process or for SQLite) would otherwise hold every thread of a 2-core
# machine for minutes, and an item's image or audio, loaded in the pool too, would wait.
TASK_THREADS = 8


class TaskProgress(QObject):
    """A :class:`reviewer.core.progress.Progress` that reports through Qt signals."""

    progressed = Signal(float)
    statusChanged = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def set(self, value: float) -> None:
        _emit(self.progressed, float(value))

    def status(self, text: str) -> None:
        _emit(self.statusChanged, text)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


def _emit(signal: Any, value: Any) -> None:
    # A task may outlive the widget that started it (the window was closed meanwhile):
    # then there is nobody left to tell.
    try:
        signal.emit(value)
    except RuntimeError:
        log.debug("result of a background task dropped: its receiver is gone")


class TaskErrors(QObject):
    """Where unexpected failures of background work are announced (the window shows them)."""

    failed = Signal(str)


_ERRORS: TaskErrors | None = None


def task_errors() -> TaskErrors:
    """The application's one :class:`TaskErrors` (created on first use, in the GUI thread)."""
    global _ERRORS
    if _ERRORS is None:
        _ERRORS = TaskErrors()
    return _ERRORS


class _TaskSignals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], progress: TaskProgress):
        super().__init__()
        self.fn, self.args, self.progress = fn, args, progress
        self.signals = _TaskSignals()
        self.errors = task_errors()

    def run(self) -> None:
        try:
            result = self.fn(*self.args, self.progress)
        except (Cancelled, ReviewerError) as exc:  # expected: the caller says what happened
            _emit(self.signals.failed, exc)
        except BaseException as exc:  # unexpected: logged and shown, never lost in a thread
            log.error("background task failed:\n%s", traceback.format_exc())
            _emit(self.errors.failed, f"{type(exc).__name__}: {exc}")
            _emit(self.signals.failed, exc)
        else:
            _emit(self.signals.finished, result)


def run_task(fn: Callable[..., Any], *args: Any,
             on_done: Callable[[Any], None], on_error: Callable[[BaseException], None],
             progress: TaskProgress | None = None) -> TaskProgress:
    """Run ``fn(*args, progress)`` in the thread pool; callbacks run on the main thread."""
    progress = progress or TaskProgress()
    task = _Task(fn, args, progress)
    task.signals.finished.connect(on_done)
    task.signals.failed.connect(on_error)
    # Keep the signals object alive until delivery.
    task.signals.setParent(progress)
    pool = QThreadPool.globalInstance()
    if pool.maxThreadCount() < TASK_THREADS:
        pool.setMaxThreadCount(TASK_THREADS)
    pool.start(task)
    return progress


def set_up_waiting(dialog: QProgressDialog, name: str, title: str, width: int) -> None:
    """Make ``dialog`` one that :func:`run_with_dialog` shows: modal to its window, never
    closing or resetting itself, its text wrapped plain text, hidden until shown."""
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    dialog.setLabel(label)
    dialog.setFixedWidth(width)
    dialog.hide()


def run_with_dialog(fn: Callable[..., Any], dialog: QProgressDialog, progress: TaskProgress,
                    show_after_ms: int) -> Any:
    """Run ``fn(progress)`` in the background while the window keeps painting, and wait
    for it: ``dialog`` shows after ``show_after_ms`` unless it is done by then (quick work
    flashes nothing up) and is closed after. Returns what ``fn`` returned, or raises what
    it raised."""
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def finish(key: str, value: object) -> None:
        outcome[key] = value
        loop.quit()

    run_task(fn, on_done=lambda result: finish("result", result),
             on_error=lambda error: finish("error", error), progress=progress)
    QTimer.singleShot(show_after_ms, dialog, lambda: None if outcome else dialog.show())
    if not outcome:
        loop.exec()
    if shiboken6.isValid(dialog):
        dialog.close()
        dialog.deleteLater()
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    return outcome["result"]


class WriteWorker(QObject):
    """Owns the write connection; applies one request at a time, in order.

    A write that finds the project locked by another process (or the disk full) stays
    at the head of the queue and is tried again every :attr:`RETRY_MS`; :attr:`waiting`
    says so, and says again (with an empty reason) once writes go through. Nothing
    queued is dropped; a write that can never succeed (a read-only project, an unknown
    item) is reported through :attr:`failed`.
    """

    committed = Signal(object)  # (request id, result)
    failed = Signal(object)  # (request id, message)
    waiting = Signal(str)  # why queued writes wait ("" once they go through again)
    RETRY_MS = 500
    ATTEMPT_MS = 1000  # busy timeout of one attempt: how soon "waiting" is said

    def __init__(self, open_project: Callable[[], Any],
                 retry_reason: Callable[[Any, BaseException], str | None] | None = None
                 ) -> None:
        super().__init__()
        self._open = open_project
        self._retry_reason = retry_reason or (lambda _project, _exc: None)
        self._project: Any = None
        self._queue: deque[tuple[int, Callable[[Any], Any]]] = deque()
        self._waiting = ""

    @Slot(object)
    def apply(self, request: tuple[int, Callable[[Any], Any]]) -> None:
        self._queue.append(request)
        if not self._waiting:
            self._drain()

    def _drain(self) -> None:
        while self._queue:
            request_id, operation = self._queue[0]
            try:
                if self._project is None:
                    self._project = self._open()
                    self._project.set_busy_timeout(self.ATTEMPT_MS)
                result = operation(self._project)
            except Exception as exc:
                reason = self._retry_reason(self._project, exc)
                if reason:
                    if reason != self._waiting:
                        log.warning("write waits: %s", reason)
                        self._waiting = reason
                        self.waiting.emit(reason)
                    QTimer.singleShot(self.RETRY_MS, self, self._drain)
                    return
                self._queue.popleft()
                log.error("write failed:\n%s", traceback.format_exc())
                self.failed.emit((request_id, str(exc)))
            else:
                self._queue.popleft()
                if self._waiting:
                    self._waiting = ""
                    self.waiting.emit("")
                self.committed.emit((request_id, result))

    @Slot()
    def close(self) -> None:
        if self._queue:
            log.error("%d write(s) not saved when the project closed", len(self._queue))
        if self._project is not None:
            self._project.close()
            self._project = None


class WriteThread(QObject):
    """The write worker in its own thread, with a queue of requests."""

    submit = Signal(object)
    _close = Signal()

    def __init__(self, open_project: Callable[[], Any],
                 retry_reason: Callable[[Any, BaseException], str | None] | None = None
                 ) -> None:
        super().__init__()
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("reviewer-writer")
        self.worker = WriteWorker(open_project, retry_reason)
        self.worker.moveToThread(self.worker_thread)
        self.submit.connect(self.worker.apply)
        self._close.connect(self.worker.close)
        self.worker_thread.start()

    def stop(self) -> None:
        """Finish queued writes, close the connection and end the thread."""
        if self.worker_thread.isRunning():
            self._close.emit()
            self.worker_thread.quit()
            self.worker_thread.wait()
