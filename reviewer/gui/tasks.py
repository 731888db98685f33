"""Background work for the window (DESIGN §7.8–9).

:func:`run_task` runs a plain function that takes a progress object off the main
thread and hands its result or error back through queued signals. :class:`WriteWorker`
is the one thread that writes decisions to the project database.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from reviewer.core.errors import Cancelled, ReviewerError

log = logging.getLogger("reviewer.gui")


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
    QThreadPool.globalInstance().start(task)
    return progress


class WriteWorker(QObject):
    """Owns the write connection; applies one request at a time, in order."""

    committed = Signal(object)  # (request id, result)
    failed = Signal(object)  # (request id, message)

    def __init__(self, open_project: Callable[[], Any]) -> None:
        super().__init__()
        self._open = open_project
        self._project: Any = None

    @Slot(object)
    def apply(self, request: tuple[int, Callable[[Any], Any]]) -> None:
        request_id, operation = request
        try:
            if self._project is None:
                self._project = self._open()
            result = operation(self._project)
        except Exception as exc:
            log.error("write failed:\n%s", traceback.format_exc())
            self.failed.emit((request_id, str(exc)))
        else:
            self.committed.emit((request_id, result))

    @Slot()
    def close(self) -> None:
        if self._project is not None:
            self._project.close()
            self._project = None


class WriteThread(QObject):
    """The write worker in its own thread, with a queue of requests."""

    submit = Signal(object)
    _close = Signal()

    def __init__(self, open_project: Callable[[], Any]) -> None:
        super().__init__()
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("reviewer-writer")
        self.worker = WriteWorker(open_project)
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
