"""A shared project kept in step with its team server, in the background (issue 18).

:class:`TeamSync` runs :func:`reviewer.store.team.sync_project` in a worker process of its
own (:mod:`.team_sync_worker`), waited for by a pool thread, never on the GUI thread:
every few seconds (a setting), a moment after the user's last decision and on demand
(File ▸ Sync Now). One sync runs at a time; a request made meanwhile runs once it is
done. Closing waits a moment for a running sync, then stops its process. The state
("Synced 12:04", "3 waiting", "Offline since 12:01 (3 waiting)", a refused write's
message) is shown in the status bar by :class:`TeamSyncStatus`. Teammates' decisions
land in the project's history, where the views find them as they find another process's
decisions.

An ordinary local project gets none of this: :func:`start_team_sync` returns ``None``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QLabel, QStatusBar, QWidget

from reviewer.core.errors import Cancelled
from reviewer.core.kern.workers import Failure, WorkerPool
from reviewer.core.progress import Progress
from reviewer.gui import settings
from reviewer.gui.review_loop import MESSAGE_MS
from reviewer.gui.rich_text import literal
from reviewer.gui.session import ReviewSession
from reviewer.gui.tasks import TaskProgress, run_task
from reviewer.gui.team_sync_worker import SyncOutcome
from reviewer.store.decisions import decision_stamps
from reviewer.store.team import SyncReport, SyncState, TeamError, sync_state

log = logging.getLogger("reviewer.gui")
# After a decision, the sync waits this long for the next one, so a run of verdicts
# goes out in one push rather than one push each.
PAUSE_MS = 2000
# Own decisions arrive in bursts: the waiting count is read once per burst.
RECOUNT_MS = 250
# Closing waits this long for a running sync to finish, then stops it (what it has not
# pushed stays in the outbox, which is durable; a push sent again is a no-op).
STOP_WAIT_MS = 3000
# File ▸ Sync Now's key (bound only while a shared project is open).
SYNC_KEY = "F5"
# Where the worker process finds the sync it runs.
WORKER = "reviewer.gui.team_sync_worker:sync_in_worker"
# The most the state takes of the status bar (pixels): a refusal's message is long.
STATUS_WIDTH = 520
# How many arrived items the status-bar message names.
NAMED_ARRIVALS = 3


def sync_in_pool(pool: WorkerPool, path: str, progress: Progress) -> SyncOutcome:
    """Run one sync of ``path`` in ``pool``'s worker process and wait for it (in a pool
    thread); :class:`Cancelled` (the worker stopped) when ``progress`` asks to stop."""
    for _key, result in pool.run([(path, path)], progress):
        if isinstance(result, Failure):  # the worker died: the copy is as it was left
            return SyncOutcome(sync_state(Path(path)), failed=f"the sync {result.reason}")
        if isinstance(result, SyncOutcome):
            return result
    raise Cancelled("the sync was stopped")


def clock_time(at: str) -> str:
    """``at`` (ISO time; UTC when it names no zone) as the local time of day, ``HH:MM``."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%H:%M")


def state_text(state: SyncState, refused: str = "", failed: str = "",
               syncing: bool = False) -> str:
    """The copy's sync state in a few words, for the status bar."""
    waiting = f"{state.waiting:,} waiting"
    if refused:  # the server's own words, without the address the tooltip gives
        return f"Refused ({waiting}): {refused.removeprefix(state.remote + ': ')}"
    if state.offline_since:
        return f"Offline since {clock_time(state.offline_since)} ({waiting})"
    if failed:
        return f"Sync failed ({waiting}): {failed}"
    if syncing and state.last_synced_at is None:
        return "Syncing…"
    if state.waiting:
        return waiting
    if state.last_synced_at:
        return f"Synced {clock_time(state.last_synced_at)}"
    return "Not synced yet"


def state_tooltip(state: SyncState, message: str = "", syncing: bool = False) -> str:
    """Where the copy syncs to, as whom, and when it last did."""
    lines = ["Syncing now." if syncing else "",
             f"Shared project {state.remote}; your decisions are recorded as "
             f"{state.annotator}.",
             f"{state.waiting:,} decision event(s) wait to be pushed."]
    if state.last_synced_at:
        lines.append(f"Last synced {clock_time(state.last_synced_at)}.")
    if state.offline_since:
        lines.append(f"The server could not be reached since "
                     f"{clock_time(state.offline_since)}; decisions keep being saved here and "
                     "are pushed once it can be.")
    if message:
        lines.append(message)
    lines.append(f"File ▸ Sync Now ({SYNC_KEY}) syncs at once.")
    return "\n".join(line for line in lines if line)


class TeamSync(QObject):
    """Background syncing of one open shared copy with its server."""

    stateChanged = Signal(object)  # the SyncOutcome (or a fresh state) to show
    arrived = Signal(object)  # a SyncReport that brought teammates' decisions
    finished = Signal(object)  # every SyncOutcome, once it is shown
    refusedNow = Signal(str)  # the server refused a push it had not refused just before
    benchmarkChanged = Signal()  # the owner changed the systems; this copy took them

    def __init__(self, session: ReviewSession, state: SyncState,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.state = state
        self.refused = ""
        self.failed = ""
        self.running = False
        self._again = False  # a sync was asked for while one ran
        self._stopped = False
        self.cancelled = False  # closing stopped a sync that did not finish in time
        self.completed = 0  # syncs that ran to their end (reached the server or not)
        self.last_report: SyncReport | None = None  # what the last sync that reached it did
        self._progress: TaskProgress | None = None
        self._pool = WorkerPool(WORKER, 1)  # one process, kept between syncs
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.sync_now)
        self.set_interval(settings.team_sync_seconds())
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.sync_now)
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(RECOUNT_MS)
        self._recount.timeout.connect(self.recount)
        session.committed.connect(self._on_own_decision)
        session.closing.connect(self.stop)

    # -- public API ----------------------------------------------------------------------
    def start(self) -> None:
        """Sync now (teammates decided meanwhile) and then on the timer."""
        if not self._stopped:
            self.timer.start()
            self.sync_now()

    def set_interval(self, seconds: int) -> None:
        """Sync every ``seconds`` seconds."""
        self.timer.setInterval(max(1, int(seconds)) * 1000)

    def sync_now(self) -> None:
        """Start a sync unless one runs (then it follows the running one)."""
        if self._stopped or self.session.read_only:
            return
        self._pause.stop()
        if self.running:
            self._again = True
            return
        self.running = True
        self._again = False
        self.stateChanged.emit(self._shown())
        self._progress = run_task(sync_in_pool, self._pool, str(self.session.path),
                                  on_done=self._on_done, on_error=self._on_error)

    def recount(self) -> None:
        """Read the copy's state again (the outbox grew); cheap: local SQLite only."""
        if self._stopped:
            return
        try:
            self.state = sync_state(self.session.path)
        except TeamError as exc:
            self.failed = str(exc)
        self.stateChanged.emit(self._shown())

    def text(self) -> str:
        """The state as the status bar says it."""
        if self.session.read_only:
            return f"Not synced: opened read-only ({self.session.read_only})"
        return state_text(self.state, self.refused, self.failed, self.running)

    def tooltip(self) -> str:
        """The state in full."""
        return state_tooltip(self.state, self.refused or self.failed, self.running)

    def stop(self, timeout_ms: int = STOP_WAIT_MS) -> bool:
        """No more syncs: wait up to ``timeout_ms`` for a running one to finish, then stop
        it, and end the worker process. Returns whether the running one finished."""
        self._stopped = True
        for timer in (self.timer, self._pause, self._recount):
            timer.stop()
        finished = self._wait(timeout_ms)
        if not finished and self._progress is not None:
            self.cancelled = True
            self._progress.cancel()
            self._wait(STOP_WAIT_MS)
        if not self.running:
            self._pool.close()
        return finished

    def _wait(self, timeout_ms: int) -> bool:
        """Process events until no sync runs, for up to ``timeout_ms``."""
        deadline = QDeadlineTimer(timeout_ms)
        loop = QEventLoop()
        while self.running and not deadline.hasExpired():
            QTimer.singleShot(5, loop.quit)
            loop.exec()
        return not self.running

    # -- internals -----------------------------------------------------------------------
    def _shown(self) -> SyncOutcome:
        return SyncOutcome(self.state, refused=self.refused, failed=self.failed)

    def _on_own_decision(self, _event: object) -> None:
        if not self._stopped:
            self._recount.start()
            self._pause.start()

    def _on_done(self, outcome: SyncOutcome) -> None:
        self.running = False
        self._progress = None
        self.completed += 1
        self.last_report = outcome.report or self.last_report
        self.state = outcome.state
        new_refusal = outcome.refused and outcome.refused != self.refused
        self.refused, self.failed = outcome.refused, outcome.failed
        if self._stopped:
            return
        if new_refusal:
            self.refusedNow.emit(outcome.refused)
        if outcome.offline:
            log.info("team server not reached: %s", outcome.offline)
        self.stateChanged.emit(outcome)
        if outcome.report is not None and outcome.report.pulled:
            self._show_arrivals(outcome.report)
        if outcome.report is not None and outcome.report.benchmark_updated:
            self.benchmarkChanged.emit()
        self.finished.emit(outcome)
        if self._again:
            self.sync_now()

    def _on_error(self, exc: BaseException) -> None:
        # The worker returns every failure of a sync: this is a stop, or one of our own.
        self.running = False
        self._progress = None
        if self._stopped:
            return
        self.failed = str(exc)
        self.stateChanged.emit(self._shown())

    def _show_arrivals(self, report: SyncReport) -> None:
        """Have the views read the teammates' decisions (they are in the history now)."""
        if self._stopped:
            return
        if self.session.pending_writes():
            # The views re-read once our own queued decisions are in (as for another
            # process's), so that none of them is shown undone in between.
            QTimer.singleShot(RECOUNT_MS, lambda: self._show_arrivals(report))
            return
        if not self.session.check_external_changes():
            # The window's watch noticed them first, or skipped the re-read while our own
            # decisions were queued: re-read now.
            self.session.decisionsReset.emit()
        self.arrived.emit(report)


def arrival_message(session: ReviewSession, report: SyncReport) -> str:
    """Which teammates' decisions arrived, and on which items (the first few)."""
    stamps = decision_stamps(session.project)
    named = [f"{item} by {stamps[item][0]}" if item in stamps else item
             for item in report.pulled_items[:NAMED_ARRIVALS]]
    more = len(report.pulled_items) - len(named)
    where = ", ".join(named) + (f" and {more:,} more" if more > 0 else "")
    count = ("1 decision from a teammate arrived" if report.pulled == 1
             else f"{report.pulled:,} decisions from teammates arrived")
    return f"{count}: {where}; shown now" if where else f"{count}; shown now"


class TeamSyncStatus(QLabel):
    """The sync state, a permanent part of the status bar of a shared project."""

    def __init__(self, sync: TeamSync, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamSyncStatus")
        self.setAccessibleName("Team sync state")
        self.setContentsMargins(4, 0, 4, 0)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.full_text = ""
        self.sync = sync
        sync.stateChanged.connect(self.show_state)
        self.show_state(None)

    def show_state(self, _outcome: object) -> None:
        """Show the sync's latest state (a long message cut short; whole in the tooltip)."""
        text = self.full_text = self.sync.text()
        self.setText(self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                   STATUS_WIDTH))
        self.setToolTip(literal(f"{text}\n\n{self.sync.tooltip()}"))


def copy_role(path: Path) -> str | None:
    """The server role a shared copy records its decisions as (``None``: not a shared copy,
    or not a project at all: opening it says why)."""
    try:
        state = sync_state(path)
    except Exception as exc:  # opening the project says what is wrong with it
        log.debug("%s: not read as a shared copy: %s", path, exc)
        return None
    return state.annotator if state.shared else None


def ask_sync_interval(parent: QWidget) -> int | None:
    """Ask how often shared projects sync, in seconds (``None``: cancelled)."""
    seconds, ok = QInputDialog.getInt(
        parent, "Sync interval", "Sync shared projects with their server every (seconds):",
        settings.team_sync_seconds(), 1, 3600)
    return seconds if ok else None


def start_team_sync(session: ReviewSession, status_bar: QStatusBar
                    ) -> tuple[TeamSync, TeamSyncStatus] | None:
    """Sync ``session``'s project in the background and show its state in ``status_bar``;
    ``None`` (and nothing shown) when it is an ordinary local project."""
    try:
        state = sync_state(session.path)
    except Exception as exc:  # the project opened: it is reviewed, unsynced, all the same
        log.warning("cannot read the sync state of %s: %s", session.path, exc)
        return None
    if not state.shared:
        return None
    sync = TeamSync(session, state, session)
    status = TeamSyncStatus(sync)
    status_bar.addPermanentWidget(status)
    sync.arrived.connect(
        lambda report: status_bar.showMessage(arrival_message(session, report), MESSAGE_MS))
    # The open views were built for the systems of before: reopening shows the new ones.
    sync.benchmarkChanged.connect(lambda: status_bar.showMessage(
        "The benchmark's owner changed its systems or predictions; this copy has them now: "
        "reopen the project (File ▸ Open Recent) to see them", 4 * MESSAGE_MS))
    sync.refusedNow.connect(
        lambda message: status_bar.showMessage(f"Not synced: {message}", MESSAGE_MS))
    sync.start()
    return sync, status
