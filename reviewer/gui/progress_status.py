"""The review's progress, always in view: a permanent part of the status bar.

"412 of 1,797 reviewed · 38 reference errors · 3 h left at your pace": counted by the
store after every committed decision, undo and change made elsewhere; the pace is this
session's own (the times at which items got their verdict here).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

from reviewer.core.review_progress import ReviewProgress, seconds_left
from reviewer.gui.session import ReviewSession
from reviewer.store.decisions import Event
from reviewer.store.summaries import verdict_counts

BAR_WIDTH = 110


def review_progress(session: ReviewSession, total: int | None = None) -> ReviewProgress:
    """The project's progress as stored now (``total``: its number of items, if known)."""
    if total is None:
        total = session.item_total
    return ReviewProgress.from_counts(verdict_counts(session.project), total)


class ReviewProgressTracker(QObject):
    """Counts the review's progress whenever a decision changes, and times this session's."""

    changed = Signal(object)  # the new ReviewProgress

    def __init__(self, session: ReviewSession, parent: QObject | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        """``clock``: seconds, for the pace (default: :func:`time.monotonic`)."""
        super().__init__(parent)
        self.session = session
        self.clock = clock or time.monotonic
        self._times: list[float] = []  # when items got their verdict in this session
        self.progress = review_progress(session)
        # committed comes before decisionChanged: the time is known when the count is made.
        session.committed.connect(self._on_event)
        # A decision changes no item count: counting 10,000,000 items once is enough.
        session.decisionChanged.connect(
            lambda _item: self.update(total=self.progress.total))
        session.decisionsReset.connect(self.update)

    def _on_event(self, event: Event) -> None:
        if (event.annotator == self.session.annotator and event.before.verdict is None
                and event.after.verdict is not None):
            self._times.append(self.clock())

    def update(self, total: int | None = None) -> None:
        """Count again from the store (the items too, unless ``total`` is given); say so."""
        self.progress = review_progress(self.session, total)
        self.changed.emit(self.progress)

    def seconds_left(self) -> float | None:
        """The time the items left take at this session's pace (``None``: not known yet)."""
        return seconds_left(self.progress, self._times)

    def text(self) -> str:
        """The progress in one line, with the time left once the pace is known."""
        return self.progress.summary(self.seconds_left())


class ReviewProgressStatus(QWidget):
    """The tracker's line and a small bar, for the status bar."""

    def __init__(self, tracker: ReviewProgressTracker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewProgress")
        self.setAccessibleName("Review progress")
        self.tracker = tracker
        self.label = QLabel()
        self.label.setObjectName("reviewProgressText")
        self.bar = QProgressBar()
        self.bar.setObjectName("reviewProgressBar")
        self.bar.setAccessibleName("Share of items reviewed")
        self.bar.setRange(0, 100)
        self.bar.setFixedWidth(BAR_WIDTH)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        tracker.changed.connect(self.show_progress)
        self.show_progress(tracker.progress)

    def show_progress(self, progress: ReviewProgress) -> None:
        """Show ``progress`` (the tracker's latest)."""
        self.label.setText(self.tracker.text())
        self.bar.setValue(progress.percent)
        self.bar.setFormat(f"{progress.percent}%")
        self.setToolTip(f"{progress.reviewed:,} of {progress.total:,} items have a verdict "
                        f"({progress.percent}%); {progress.left:,} left")
