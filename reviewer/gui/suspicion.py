"""The suspicion ranking of the open project, computed off the main thread and shared.

One :class:`SuspicionTracker` per session (a child of it, see :func:`tracker`): the item
list shows its scores (with why, in words, as the cell's tooltip) and the diff view marks
its spans. It is computed once after the project opens and again on request (switching
the "likely label errors first" queue on); an item whose decision changes keeps its score
until then, so the queue does not reshuffle under the reviewer. Its spans are dropped when
its corrected reference changes (they point into the reference ranked; a verdict alone
keeps them), and so are all spans when decisions made in another window arrive.

A large project's ranking is kept in it (:mod:`reviewer.store.kept_ranking`): opened
again, it shows the kept one at once; asked for again, it ranks anew only when a reference
was corrected since.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from reviewer.core.errors import Cancelled, MemoryLimitError
from reviewer.core.kinds import spec
from reviewer.core.progress import Progress, check_cancelled
from reviewer.core.suspicion import SuspectSpan
from reviewer.gui.session import ReviewSession
from reviewer.gui.tasks import TaskProgress, run_task
from reviewer.store.decisions import Event
from reviewer.store.list_facts import item_total, store_suspicion
from reviewer.store.project import Project
from reviewer.store.suspects import (
    Suspects,
    compute_suspects,
    kept_suspects,
    rank_in_passes,
    ranks_in_passes,
)

START_DELAY_MS = 1500  # let the window show its first item before the ranking starts
MARK_THRESHOLD = 0.5  # spans at least this suspicious are marked in the diff view
CHILD_PROCESS_ITEMS = 20_000  # from this size on the ranking runs in a child process
CHECK_SECONDS = 0.25  # how often a ranking in a child process looks for a stop
# What ranking holds per item at its peak (391 MB for 100,000 text items x 2 systems),
# except the sequence kinds' ranking of a writable project, which reads a part at a time.
RANKING_BYTES_PER_ITEM = 4_000


class SuspicionTracker(QObject):
    """Holds the latest :class:`Suspects` of the session's project."""

    ready = Signal()  # new scores are in place
    failed = Signal(str)

    def __init__(self, session: ReviewSession) -> None:
        super().__init__(session)
        self.session = session
        self.suspects: Suspects | None = None
        self.available = spec(session.kind).suspicion is not None
        self._running = False
        self._again = False
        self._task: TaskProgress | None = None
        self._dropped: set[str] = set()
        self._all_dropped = False
        self._closed = False  # the project closed: nothing is ranked any more
        session.committed.connect(self._on_committed)
        session.decisionsReset.connect(self._drop_all)
        session.closing.connect(self._stop)

    def start(self, delay_ms: int = START_DELAY_MS) -> None:
        """Compute the ranking after ``delay_ms`` unless it is known or being computed."""
        if self.available and self.suspects is None and not self._running:
            QTimer.singleShot(delay_ms, lambda: self._run(opening=True))

    def refresh(self) -> None:
        """Compute the ranking again (after the running computation, if there is one);
        a large project's kept ranking serves while no reference was corrected since."""
        self._run(opening=False)

    def _run(self, *, opening: bool) -> None:
        """Rank the project; ``opening``: a kept ranking serves even if references were
        corrected since (their items' spans are dropped), as this window keeps its own."""
        if not self.available or self._closed:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self._task = run_task(_compute, str(self.session.path), opening,
                              on_done=self._on_done, on_error=self._on_error)

    def _stop(self) -> None:
        """The project closes: a ranking still running is stopped (its child process
        ended), so that nothing outlives the window for minutes on a large project; a
        ranking due to start later does not start."""
        self._closed = True
        if self._task is not None:
            self._task.cancel()
        self._again = False

    def score(self, item_id: str) -> float | None:
        """The item's score (``None`` while unknown)."""
        return None if self.suspects is None else self.suspects.scores.get(item_id)

    def _on_committed(self, event: Event) -> None:
        if event.before.corrected_reference != event.after.corrected_reference:
            self._dropped.add(event.item_id)  # its spans point into the old reference

    def spans(self, item_id: str) -> list[SuspectSpan]:
        """The item's spans worth marking (none once its reference was corrected, or the
        correction changed or undone, since the ranking),
        one per change the systems make there: where systems reject a reference word in
        different ways (asr), each way is marked."""
        if self.suspects is None or self._all_dropped or item_id in self._dropped:
            return []
        return [replace(s, ref_span=(start, end), replacement=text, marks=())
                for s in self.suspects.spans.get(item_id, []) if s.score >= MARK_THRESHOLD
                for start, end, text in s.changes]

    def note(self, item_id: str) -> str | None:
        """Why the item is suspect, in words (``None`` while unknown or without a reason)."""
        if self.suspects is None:
            return None
        return self.suspects.notes.get(item_id) or None

    def _on_done(self, result: Suspects) -> None:
        self._running = False
        self.suspects = result
        self._dropped.clear()
        self._all_dropped = False
        if self._again:
            self._again = False
            self.refresh()
        self.ready.emit()

    def _drop_all(self) -> None:
        # Decisions made elsewhere may have corrected any reference: no span is sure now.
        self._all_dropped = True

    def _on_error(self, exc: BaseException) -> None:
        self._running = False
        if isinstance(exc, Cancelled):  # stopped as the project closed
            return
        self.failed.emit(str(exc))


def _compute(path: str, opening: bool, progress: Progress) -> Suspects:
    # A connection of its own: SQLite connections stay in the thread that made them.
    with Project(path) as project:
        items = item_total(project)  # kept, not counted (10M items: 0.5 s)
        if items < CHILD_PROCESS_ITEMS:
            return _ranked(project, compute_suspects(project, progress=progress))
        kept = kept_suspects(project, unchanged=not opening)
        if kept is not None:
            return kept
        in_passes = ranks_in_passes(project)
    if not in_passes:
        check_memory(items)
    # A large project is ranked in a child process: the rows it reads (hundreds of MB for
    # 100,000 items) never enter the window's memory, and the window keeps the GIL. The
    # sequence kinds' ranking reads a part at a time there, whatever the project's size.
    return in_child(_compute_alone, path, progress)


def in_child(target: Callable[[str, Any], None], path: str, progress: Progress) -> Any:
    """What ``target(path, send)`` sends back, run in a child process: ``(True, result)``
    or ``(False, why it failed)``. Stopped when ``progress`` is cancelled; a child that ends
    without sending (killed for memory, say) is an error naming its exit code, never a
    wait without end."""
    import multiprocessing

    spawn = multiprocessing.get_context("spawn")
    receive, send = spawn.Pipe(duplex=False)
    child = spawn.Process(target=target, args=(path, send), daemon=True)
    child.start()
    send.close()  # the child holds the sending end: its end closes the pipe
    try:
        while not receive.poll(CHECK_SECONDS):
            check_cancelled(progress)
            if not child.is_alive() and not receive.poll(0):
                check_cancelled(progress)  # stopped meanwhile, as the window closed
                raise RuntimeError(_ended(child.exitcode))
        try:
            ok, result = receive.recv()
        except EOFError:
            child.join(5)
            check_cancelled(progress)
            raise RuntimeError(_ended(child.exitcode)) from None
        if not ok:
            raise RuntimeError(f"the suspicion ranking failed: {result}")
        return result
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()  # stopped as the project closes
        child.join(5)


def _ended(code: int | None) -> str:
    """Why no ranking came back from the child process that ended with ``code``."""
    killed = " (killed: the machine may have run out of memory)" if code == -9 else ""
    return f"the suspicion ranking's process ended without a result, exit code {code}{killed}"


def check_memory(items: int) -> None:
    """Refuse to rank ``items`` items when the ranking would need more than half of the
    memory this machine has free (the ranking holds every item's rows at once)."""
    need = items * RANKING_BYTES_PER_ITEM
    free = _free_memory()
    if free is not None and need > free // 2:
        raise MemoryLimitError(
            f"not ranked: {items:,} items need about {need / 2**30:.1f} GB to rank and "
            f"this machine has {free / 2**30:.1f} GB free; run `reviewer suspects` on a "
            "machine with more memory")


def _free_memory() -> int | None:
    """Bytes of memory available now (``None`` where the system does not say)."""
    import os

    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def _compute_alone(path: str, send: Any) -> None:
    import os

    if hasattr(os, "nice"):
        os.nice(10)  # background work: the window (and its writes) come first
    if hasattr(os, "sched_setscheduler"):  # Linux: only CPU time nothing else wants
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    try:
        with Project(path) as project:
            ranked = (rank_in_passes(project) if ranks_in_passes(project)
                      else _ranked(project, compute_suspects(project)))
            send.send((True, ranked))
    except Exception as exc:  # said in the window's status bar
        send.send((False, str(exc)))
    finally:
        send.close()


def _ranked(project: Project, suspects: Suspects) -> Suspects:
    """Keep the scores in the item facts, which the item list sorts by (a project opened
    read-only keeps none: the list shows the scores it is given)."""
    if project.read_only is None:
        store_suspicion(project, suspects.scores)
    return suspects


def tracker(session: ReviewSession) -> SuspicionTracker:
    """The session's tracker (made on first use)."""
    found = session.findChild(SuspicionTracker)
    return found if found is not None else SuspicionTracker(session)
