"""The review loop of one open project: a verdict moves on to the next item (when Review ▸
Advance After a Verdict is on, as it is by default), N goes to the next item without a
verdict, and the end of the queue is said in words, never met with silence."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QStatusBar

from reviewer.core.item_list.queue import queue_end_message
from reviewer.core.review_progress import ReviewProgress
from reviewer.gui.decision_panel import DecisionPanel
from reviewer.gui.items.view import ItemListWidget
from reviewer.gui.progress_status import ReviewProgressTracker
from reviewer.gui.session import ReviewSession

# How long a status-bar message stays.
MESSAGE_MS = 10_000


class ReviewLoop(QObject):
    """Moving on after verdicts, and where the queue ends."""

    def __init__(self, session: ReviewSession, items: ItemListWidget, panel: DecisionPanel,
                 progress: ReviewProgressTracker, status: QStatusBar,
                 auto_advance: QAction) -> None:
        super().__init__(session)
        self.session = session
        self.items = items
        self.panel = panel
        self.progress = progress
        self.status = status
        self.auto_advance = auto_advance
        # After the panel's own handler, which gives or clears the verdict.
        panel.buttons.buttonClicked.connect(self._verdict_clicked)
        progress.changed.connect(self._show_all_reviewed)
        self._show_all_reviewed(progress.progress)

    def give_verdict(self, verdict: str) -> None:
        """Record ``verdict`` for the item in view (the same again: clear it), then move on
        when it was given."""
        item = self.session.current_item
        if item is None:
            return
        given = self.session.decision(item).verdict != verdict
        self.panel.set_verdict(verdict)
        if given:
            self._after_verdict()

    def _verdict_clicked(self, button: QAbstractButton) -> None:
        if button.isChecked():  # given, not cleared
            self._after_verdict()

    def _after_verdict(self) -> None:
        if self.auto_advance.isChecked() and not self.session.read_only:
            self.advance()

    def advance(self) -> None:
        """The next item of the list; after the last one, the first item without a verdict."""
        if not self.items.select_next(1):
            self.next_unreviewed()

    def next_unreviewed(self) -> None:
        """Go to the next item without a verdict; when there is none, say so once every
        queued decision is saved (so that the count includes them)."""
        if self.items.select_next_unreviewed():
            return
        if self.session.read_only:  # nothing waits to be saved
            self._say_queue_end(None)
        else:
            self.session.run_write(lambda _project: None, self._say_queue_end)

    def _say_queue_end(self, _result: object) -> None:
        self.progress.update()
        current = self.session.current_item
        unreviewed = current is not None and self.session.decision(current).verdict is None
        self.status.showMessage(queue_end_message(self.progress.progress, unreviewed),
                                MESSAGE_MS)

    def _show_all_reviewed(self, progress: ReviewProgress) -> None:
        self.items.show_all_reviewed(
            f"All {progress.total:,} items reviewed. File ▸ Export Cleaned Benchmark… writes "
            "the cleaned set." if progress.complete else None)
