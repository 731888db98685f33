"""The statistics view's scores, computed in a child process of their own (issue 19).

No Qt here: the child imports this module alone (with the store), so it starts fast and
small. Scoring the cleaned set of a large project reads every item's rows (about 2 GB and
most of a minute for 1,000,000 items × 2 systems): in a child process that memory never
enters the window's, and the window keeps the GIL for the next item and the verdict keys.
The parent's side, :class:`ChildScoring`, waits for the child in a pool thread, passes its
reports on, and ends it at once when asked to stop (the project closes, or scores computed
anew make its result useless).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypedDict, cast

from reviewer.core.errors import Cancelled, ReviewerError
from reviewer.core.kern.workers import death_reason, unit
from reviewer.core.progress import Progress, check_cancelled
from reviewer.core.score_types import Scores
from reviewer.store.project import Project
from reviewer.store.scores import score_project

log = logging.getLogger("reviewer.gui")
# What the child runs ("module:function", called with the path, the original set's scores
# or None, and a progress object): a name, so that the child imports it itself.
SCORING = "reviewer.gui.stats_worker:compute_scores"
ORIGINAL_PHASE = "Scoring the original set"
CLEANED_PHASE = "Scoring the cleaned set"
_POLL = 0.1  # seconds between looks at the stop flag
_REAP_WAIT = 5.0  # seconds a stop waits for the ended child to be reaped
_PARENT_CHECK = 1.0  # seconds between the child's looks at whether its window still runs


class CleaningScores(TypedDict):
    """The score reports of the original and the cleaned set."""

    original: Scores
    cleaned: Scores


def phases(original_known: bool) -> tuple[str, ...]:
    """The phases :func:`compute_scores` goes through, in order, as its status names them."""
    return (CLEANED_PHASE,) if original_known else (ORIGINAL_PHASE, CLEANED_PHASE)


def compute_scores(path: Path, original: Scores | None,
                   progress: Progress) -> CleaningScores:
    """Score reports of the original (unless given) and the cleaned set.

    Opens (and closes) a connection of its own: it runs in the child process.
    """
    with Project(path) as project:
        if original is None:
            progress.status(ORIGINAL_PHASE)
            original = score_project(project, "original")
            check_cancelled(progress)
            progress.set(0.5)
        progress.status(CLEANED_PHASE)
        cleaned = score_project(project, "cleaned")
    progress.set(1.0)
    return {"original": original, "cleaned": cleaned}


class WorkerFailed(Exception):
    """The child failed unexpectedly (a bug, or it was killed); its traceback is logged."""


class _PipeProgress:
    """The child's progress object: every report goes to the parent through the pipe."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def set(self, value: float) -> None:
        self.conn.send(("set", float(value)))

    def status(self, text: str) -> None:
        self.conn.send(("status", text))

    def cancelled(self) -> bool:
        return False  # the parent stops the child by ending it


def _end_with_parent(parent: int) -> None:
    """End this process once its parent is gone (killed, so it could not stop the child):
    a scoring nobody waits for would run on for a minute."""
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK)
    os._exit(1)


def _child(conn: Connection, target: str, path: str, original: Scores | None) -> None:
    """The child process: run ``target`` and send its result (or why it failed)."""
    if hasattr(os, "nice"):
        os.nice(10)  # background work: the window (and its writes) come first
    threading.Thread(target=_end_with_parent, args=(os.getppid(),), daemon=True).start()
    # The parent gone (its end of the pipe closed) leaves nobody to tell: just end.
    with contextlib.suppress(BrokenPipeError, EOFError, ConnectionError):
        conn.send(("started", os.getpid()))
        try:
            fn = cast(Callable[..., CleaningScores], unit(target))
            result = fn(Path(path), original, _PipeProgress(conn))
        except ReviewerError as exc:  # expected: says what is wrong with the project
            conn.send(("error", str(exc)))
        except Exception as exc:
            conn.send(("crash", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        else:
            conn.send(("done", result))
    conn.close()


class ChildScoring:
    """One computation of a project's :class:`CleaningScores` in a spawned child process.

    :meth:`run` (in a worker thread) starts the child and waits for it; :meth:`stop`
    (from any thread) ends it at once. :attr:`pid` is the child's own process id, as it
    reported it.
    """

    def __init__(self, path: Path, original: Scores | None, target: str = SCORING) -> None:
        self.path = path
        self.original = original
        self.target = target
        self.pid: int | None = None
        self._lock = threading.Lock()
        self._process: BaseProcess | None = None
        self._stopped = False
        self._ended = threading.Event()

    def run(self, progress: Progress) -> CleaningScores:
        """Start the child, pass its status and completion on to ``progress`` and return
        its scores.

        Raises :class:`Cancelled` once stopped (or ``progress`` asks to stop), the
        project's :class:`ReviewerError` as the child met it, and :class:`WorkerFailed`
        when the child failed otherwise or died.
        """
        context = multiprocessing.get_context("spawn")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, name="reviewer-statistics", daemon=True,
                                  args=(sender, self.target, str(self.path), self.original))
        try:
            with self._lock:
                if self._stopped:
                    raise Cancelled("cancelled")
                process.start()
                self._process = process
            sender.close()
            return self._relay(receiver, process, progress)
        finally:
            sender.close()
            receiver.close()
            if process.pid is not None:
                if process.is_alive():
                    process.kill()
                process.join()
            self._ended.set()

    def stop(self) -> None:
        """End the child now, if it runs, and wait (briefly) until it is gone."""
        with self._lock:
            self._stopped = True
            process = self._process
        if process is not None:
            # The thread in :meth:`run` wakes up as the child ends, and reaps it.
            with contextlib.suppress(OSError):
                process.kill()
            self._ended.wait(_REAP_WAIT)

    def stopped(self) -> bool:
        """Whether :meth:`stop` was called."""
        return self._stopped

    def _relay(self, receiver: Connection, process: BaseProcess,
               progress: Progress) -> CleaningScores:
        while True:
            if self._stopped or progress.cancelled():
                raise Cancelled("cancelled")
            ready = wait([receiver, process.sentinel], timeout=_POLL)
            if not ready:
                continue
            try:
                # The child's last words are read before its exit is looked at.
                message: tuple[Any, ...] | None = receiver.recv() if receiver.poll() else None
            except (EOFError, OSError):
                message = None
            if message is None:
                if process.sentinel not in ready:
                    continue
                process.join(_REAP_WAIT)
                if self._stopped:
                    raise Cancelled("cancelled")
                raise WorkerFailed(f"the statistics worker {death_reason(process.exitcode)}")
            kind = message[0]
            if kind == "started":
                self.pid = message[1]
            elif kind == "status":
                progress.status(message[1])
            elif kind == "set":
                progress.set(message[1])
            elif kind == "done":
                report = cast(CleaningScores, message[1])
                if self.original is not None:  # the very scores given (the view keeps them)
                    report = {"original": self.original, "cleaned": report["cleaned"]}
                return report
            elif kind == "error":
                raise ReviewerError(message[1])
            else:
                log.error("the statistics worker failed:\n%s", message[2])
                raise WorkerFailed(message[1])
