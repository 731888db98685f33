"""Scores before and after cleaning, errors per category, and how far the review has got."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QEvent, QMargins, Qt, QTimer
from PySide6.QtGui import QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.decisions import VERDICT_NAMES, VERDICTS
from reviewer.core.errors import Cancelled
from reviewer.core.review_progress import ReviewProgress
from reviewer.core.score_types import Metric, Scores
from reviewer.core.time_left import left_wording
from reviewer.gui.kinds.asr.entity_rows import entity_rows
from reviewer.gui.rich_text import escape
from reviewer.gui.scrolling import fill_with_scrolling
from reviewer.gui.session import ReviewSession
from reviewer.gui.stats_pace import PhaseTimes
from reviewer.gui.stats_worker import SCORING, ChildScoring, CleaningScores, phases
from reviewer.gui.tasks import TaskProgress, run_task
from reviewer.gui.theme import current_theme, swatch_colour
from reviewer.store.scores import metric_names
from reviewer.store.summaries import verdict_counts

__all__ = ["CleaningScores", "StatsView"]

REFRESH_DELAY_MS = 500
PACE_MS = 500  # how often the scoring's bar and time left are brought up to date
BAR_STEPS = 1000
# One bar colour per system, from the palette table.
SYSTEM_SWATCHES = ("light_blue", "orange", "mint", "pink", "light_yellow", "pear",
                   "light_cyan", "olive", "pale_grey")
UNDEFINED = "—"


class StatsView(QWidget):
    """Before/after scores with intervals, errors per category, review progress.

    Scores are computed in a child process (:mod:`.stats_worker`), with a bar saying how
    far it has got: on :meth:`refresh`, and after decisions are committed (debounced)
    while the view is shown, else when it is next shown. A refresh asked for meanwhile
    runs once the running one is done (stopping it would leave a steady reviewer with no
    scores at all); scores computed anew elsewhere (OMR-NED filled in) make the running
    one useless and stop it, and so does closing the project. The original set's scores do
    not depend on decisions and are computed once.
    """

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.report: CleaningScores | None = None
        self._job: ChildScoring | None = None
        self.worker_pid: int | None = None  # the child process of the latest computation
        self._pace = PhaseTimes()
        self._fraction = 0.0  # as the child last reported it
        self._progress: TaskProgress | None = None
        self._again = False
        self._stale = True
        self._chart_for: Scores | None = None

        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.verdict_label = QLabel()
        self.verdict_label.setWordWrap(True)
        self.status_label = QLabel("Scores not computed yet")
        self.status_label.setWordWrap(True)
        self.scoring_bar = QProgressBar()
        self.scoring_bar.setObjectName("scoringProgress")
        self.scoring_bar.setAccessibleName("Scores being computed")
        self.scoring_bar.setRange(0, BAR_STEPS)
        self.scoring_bar.setTextVisible(True)
        self.scoring_bar.hide()

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["System", "Metric", "Original", "Cleaned", "Change"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # The table never scrolls: it takes the room it needs and the dock scrolls.
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.sets_label = QLabel()
        self.sets_label.setWordWrap(True)

        self.chart = QChart()
        self.chart.setTitle("Errors per category (original set)")
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.hide()

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(6, 6, 6, 6)
        for widget in (self.progress_label, self.progress_bar, self.verdict_label):
            layout.addWidget(widget)
        layout.addSpacing(8)
        layout.addWidget(self.table)
        layout.addWidget(self.sets_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.scoring_bar)
        layout.addWidget(self.chart_view)
        layout.addStretch(1)
        fill_with_scrolling(self, content)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self._refresh_if_shown)
        self._pace_timer = QTimer(self)
        self._pace_timer.setInterval(PACE_MS)
        self._pace_timer.timeout.connect(self._show_pace)
        session.committed.connect(self._schedule)
        session.decisionsReset.connect(self._schedule)
        session.scoresChanged.connect(self._scores_changed)
        session.categoryVisibilityChanged.connect(self._restyle_chart)
        session.closing.connect(self.stop)
        self.update_progress()

    # -- public API ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the review progress now and the scores in the background."""
        self._stale = False
        self.update_progress()
        if self._job is not None:
            self._again = True
            return
        original = self.report["original"] if self.report else None
        job = ChildScoring(self.session.path, original, SCORING)
        self._job = job
        self._pace.start(phases(original is not None))
        self._fraction = 0.0
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setText("Computing scores…")
        self.status_label.show()
        self.scoring_bar.setValue(0)
        self.scoring_bar.setFormat("%p%")
        self.scoring_bar.show()
        progress = TaskProgress()
        progress.statusChanged.connect(_for_job(self._on_phase, job))
        progress.progressed.connect(_for_job(self._on_fraction, job))
        # Kept until the next computation: its signals carry this one's result.
        self._progress = run_task(job.run, on_done=_for_job(self._on_report, job),
                                  on_error=_for_job(self._on_error, job), progress=progress)
        self._pace_timer.start()

    def busy(self) -> bool:
        """Whether scores are being computed."""
        return self._job is not None

    def stop(self) -> None:
        """Stop computing (the project closes): the child process ends at once."""
        self._again = False
        self._timer.stop()
        self._stop_job()

    def update_progress(self) -> None:
        """Show how many items have a verdict, and how many of each."""
        counts = verdict_counts(self.session.project)
        progress = ReviewProgress.from_counts(counts, self.session.item_total)
        # Label and bar say the same figure (the bar would compute its own, rounded down).
        self.progress_label.setText(
            f"Reviewed {progress.reviewed:,} of {progress.total:,} ({progress.percent}%)")
        self.progress_bar.setRange(0, max(progress.total, 1))
        self.progress_bar.setValue(progress.reviewed)
        self.progress_bar.setFormat(f"{progress.percent}%")
        self.verdict_label.setText("   ".join(
            f"{VERDICT_NAMES[v]}: {counts.get(v, 0):,}" for v in VERDICTS))

    # -- scheduling ----------------------------------------------------------------------
    def _schedule(self, *_args: object) -> None:
        self.update_progress()
        self._timer.start()

    def _scores_changed(self) -> None:
        """The original set's scores changed too: forget them, then recompute; a running
        computation would bring back the old ones, so it stops."""
        self.report = None
        if self._stop_job():
            self.status_label.setText("Scores changed; computing them anew…")
        self._schedule()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # -- the running computation ---------------------------------------------------------
    def _stop_job(self) -> bool:
        """Stop the running computation, if any (its result and error are dropped)."""
        job, self._job = self._job, None
        if job is None:
            return False
        job.stop()
        self._pace.abandon()
        self._pace_timer.stop()
        self.scoring_bar.hide()
        return True

    def _current(self, job: ChildScoring) -> bool:
        """Whether ``job`` is the running computation (not a stopped one reporting late)."""
        return shiboken6.isValid(self) and job is self._job

    def _on_phase(self, job: ChildScoring, text: str) -> None:
        if self._current(job):
            self.worker_pid = job.pid
            self._pace.enter(text)
            self.status_label.setText(f"{text}…")
            self._show_pace()

    def _on_fraction(self, job: ChildScoring, fraction: float) -> None:
        if self._current(job):
            self._fraction = fraction
            self._show_pace()

    def _show_pace(self) -> None:
        """The bar from the phases' durations last time, with the time left; before every
        phase was timed once, from what the child reported."""
        estimate = self._pace.estimate()
        if estimate is None:
            self.scoring_bar.setValue(round(self._fraction * BAR_STEPS))
            self.scoring_bar.setFormat("%p%")
            return
        self.scoring_bar.setValue(round(max(self._fraction, min(estimate.fraction, 0.99))
                                        * BAR_STEPS))
        left = ("almost done" if estimate.seconds_left < 1
                else f"about {left_wording(estimate.seconds_left)}")
        self.scoring_bar.setFormat(f"%p% · {left}")

    def _finished(self, job: ChildScoring) -> None:
        self._job = None
        self.worker_pid = job.pid
        self._pace_timer.stop()
        self.scoring_bar.hide()
        if self._again:
            self._again = False
            self._timer.start()

    def _on_report(self, job: ChildScoring, report: CleaningScores) -> None:
        if not self._current(job):
            return
        self._pace.finish()
        self._finished(job)
        self.report = report
        self.status_label.setText("")
        self.status_label.hide()
        self._fill_table(report)
        if self._chart_for is not report["original"]:
            self._fill_chart(report["original"])

    def _on_error(self, job: ChildScoring, error: BaseException) -> None:
        if not self._current(job):
            return
        self._pace.abandon()
        self._finished(job)
        self.status_label.show()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        if isinstance(error, Cancelled):
            self.status_label.setText("Computing the scores was stopped.")
        else:
            self.status_label.setText(f"Could not compute the scores: {error}")

    # -- drawing -------------------------------------------------------------------------
    def _fill_table(self, report: CleaningScores) -> None:
        original = {s["name"]: s for s in report["original"]["systems"]}
        cleaned = {s["name"]: s for s in report["cleaned"]["systems"]}
        names = metric_names(report["original"]["kind"])
        rows = [(name, metric) for name in original for metric in names]
        extra = entity_rows(report["original"], report["cleaned"])
        self.table.setRowCount(len(rows) + len(extra))
        for row, (name, metric) in enumerate(rows):
            before = original[name]["metrics"][metric]
            after = cleaned[name]["metrics"].get(metric) if name in cleaned else None
            cells = [name, names[metric], _rate_text(before),
                     _rate_text(after) if after else UNDEFINED, _change_text(before, after)]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column >= 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if column in (2, 3):
                    source = before if column == 2 else after
                    if source and "units" in source:
                        cell.setToolTip(f"{source['errors']:,} errors / {source['units']:,} "
                                        f"units; {report['original']['confidence']:.0%} "
                                        "bootstrap interval in brackets")
                self.table.setItem(row, column, cell)
        for row, (*cells, tip) in enumerate(extra, start=len(rows)):
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column >= 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                    cell.setToolTip(tip)
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        header = self.table.horizontalHeader()
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(frame + header.height()
                                  + sum(self.table.rowHeight(r)
                                        for r in range(self.table.rowCount())))
        self.table.setMinimumWidth(frame + sum(
            max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c))
            for c in range(self.table.columnCount())))
        kept = report["cleaned"]["items"]
        total = report["original"]["items"]
        self.sets_label.setText(
            f"Original set: {total:,} items. Cleaned set: {kept:,} items "
            f"({total - kept:,} removed), corrected references where revised. "
            f"Change in percentage points.")

    def _fill_chart(self, original: Scores) -> None:
        self._chart_for = original
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        systems = original["systems"]
        known = [c.id for c in self.session.categories]
        errors = self.session.spec.errors_by_category  # the summaries' categories as counts
        seen = {cat for s in systems for cat, n in errors(s["categories"]).items() if n}
        ids = [c for c in known if c in seen] + sorted(seen - set(known))
        if not ids:
            self.chart_view.hide()
            self.status_label.show()
            self.status_label.setText("No errors on the original set.")
            return
        names = {c.id: c.name for c in self.session.categories}
        # A horizontal bar chart draws its first category at the bottom: reverse, so the
        # catalogue order reads from the top.
        ids.reverse()
        series = QHorizontalBarSeries()
        for k, system in enumerate(systems):
            # QtCharts draws legend and axis labels as HTML.
            bars = QBarSet(escape(system["name"]))
            bars.append([float(errors(system["categories"]).get(c, 0)) for c in ids])
            bars.setProperty("swatch", SYSTEM_SWATCHES[k % len(SYSTEM_SWATCHES)])
            series.append(bars)
        series.setBarWidth(0.8)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setLabelsFormat("@value")
        self.chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([escape(names.get(c) or c) for c in ids])
        self.chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        axis_x = QValueAxis()
        top = max((errors(system["categories"]).get(c, 0) for system in systems for c in ids),
                  default=1)
        # Room to the right of the longest bar for its label.
        axis_x.setRange(0, max(1.0, top * 1.15))
        axis_x.setLabelFormat("%d")
        axis_x.setTickCount(5)
        axis_x.applyNiceNumbers()
        axis_x.setTitleText("errors")
        self.chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        self.chart.legend().setVisible(len(systems) > 1)
        rows = len(ids) * max(1, len(systems))
        self.chart_view.setMinimumHeight(150 + 16 * rows)
        self._restyle_chart()
        self.chart_view.show()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # The chart draws with colours of its own: follow the theme however it changed
        # (the View menu, or the desktop's colour scheme).
        if (event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
                and hasattr(self, "chart")):
            self._restyle_chart()

    def _restyle_chart(self) -> None:
        dark = current_theme() == "dark"
        self.chart.setTheme(QChart.ChartTheme.ChartThemeDark if dark
                            else QChart.ChartTheme.ChartThemeLight)
        # Labels and the ground they are drawn on from the same palette, so they read.
        self.chart.setBackgroundVisible(True)
        self.chart.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Window))
        self.chart.setBackgroundPen(Qt.PenStyle.NoPen)
        self.chart.setBackgroundRoundness(0)
        label_colour = self.palette().color(QPalette.ColorRole.WindowText)
        self.chart.setTitleBrush(label_colour)
        self.chart.legend().setLabelColor(label_colour)
        for axis in self.chart.axes():
            axis.setLabelsColor(label_colour)
            axis.setTitleBrush(label_colour)
        for series in self.chart.series():
            if isinstance(series, QHorizontalBarSeries):
                for bars in series.barSets():
                    colour = swatch_colour(str(bars.property("swatch")))
                    bars.setColor(colour)
                    bars.setBorderColor(colour.darker(140))
                    bars.setLabelColor(label_colour)


def _for_job(method: Callable[..., None], job: ChildScoring) -> Callable[..., None]:
    """``method(job, ...)`` while its view lives: the view keeps the computation's
    progress object, which must not keep the view alive in turn."""
    view = weakref.WeakMethod(method)

    def call(*args: Any) -> None:
        bound = view()
        if bound is not None:
            bound(job, *args)

    return call


def _percent(value: float | None) -> str:
    return UNDEFINED if value is None else f"{value * 100:.2f}"


def _rate_text(rate: Metric) -> str:
    """``12.34%`` over ``[10.12, 14.50]``: the rate and its interval, in percent."""
    if rate["value"] is None:
        return UNDEFINED
    return f"{_percent(rate['value'])}%\n[{_percent(rate['low'])}, {_percent(rate['high'])}]"


def _change_text(before: Metric, after: Metric | None) -> str:
    old, new = before["value"], None if after is None else after["value"]
    if old is None or new is None:
        return UNDEFINED
    change = (new - old) * 100
    if f"{abs(change):.2f}" == "0.00":
        return "0.00 pp"  # no sign on a change that rounds to nothing
    return f"{change:+.2f} pp".replace("-", "−")
