"""The legend: one row per error category, with its colour, a show/hide box and a count.

The count is the current item's errors in the category, over every system, against the
item's current reference (the corrected one once it is corrected), as the alignment view
draws them. The count against the original reference and the whole benchmark's count are
in the count's tooltip: two numbers side by side measured against different references
read as one figure out of another.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.categories import Category
from reviewer.core.errors import ReviewerError
from reviewer.core.lattice_path import LatticeAlignment
from reviewer.core.progress import Progress
from reviewer.gui.lattice_marks import entity_colour
from reviewer.gui.rich_text import escape, literal
from reviewer.gui.session import ReviewSession
from reviewer.gui.tasks import TaskProgress, run_task
from reviewer.gui.theme import category_colour, current_theme, text_colour
from reviewer.store.project import Project
from reviewer.store.score_groups import kept_category_totals

log = logging.getLogger("reviewer.gui")


def benchmark_totals(path: Path, progress: Progress) -> dict[str, int] | None:
    """Errors per category over every system and item (original references).

    Runs in a worker thread on its own connection; ``None`` if cancelled. A large
    project's are summed from its kept score groups (at 1,000,000 items x 2 systems, well
    under a second instead of 20 s of reading every alignment).
    """
    totals: dict[str, int] = {}
    with Project(path) as project:
        kept = kept_category_totals(project)
        if kept is not None:
            return kept
        for n, row in enumerate(project.alignment_rows("original")):
            if n % 5000 == 0 and progress.cancelled():
                return None
            for category, errors in row.categories().items():
                totals[category] = totals.get(category, 0) + errors
    return totals


class ColourChip(QWidget):
    """A sample of highlighted text in a category's colour, as the diff view draws it."""

    def __init__(self, category: Category, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.category = category
        self.setFixedSize(30, 18)

    def paintEvent(self, event: QPaintEvent) -> None:
        theme = current_theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.isEnabled():
            painter.setOpacity(0.35)  # the category's highlights are hidden
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(self.palette().color(self.foregroundRole()), 0.6))
        painter.setBrush(category_colour(self.category, theme))
        painter.drawRoundedRect(rect, 3, 3)
        painter.setPen(text_colour(theme))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "ab")
        painter.end()


class LegendRow(QWidget):
    """Checkbox (highlights shown), colour chip, name and counts of one category."""

    def __init__(self, category: Category, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.category = category
        self.check = QCheckBox()
        self.check.setChecked(True)
        self.check.setToolTip(f"Show {category.name} highlights")
        self.chip = ColourChip(category)
        self.name = QLabel(category.name)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.counts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.counts.setMinimumWidth(self.counts.fontMetrics().horizontalAdvance("0,000"))
        self.setToolTip(category.definition)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 1, 6, 1)
        layout.addWidget(self.check)
        layout.addWidget(self.chip)
        layout.addWidget(self.name, 1)
        layout.addWidget(self.counts)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.check.toggle()
        super().mousePressEvent(event)


class LegendWidget(QWidget):
    """The categories of the session's kind: toggle highlights, see counts per category."""

    totalsLoaded = Signal()  # the whole-benchmark counts arrived

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item_counts: dict[str, int] = {}  # against the current reference
        self.original_counts: dict[str, int] | None = None  # None: not corrected
        self.totals: dict[str, int] | None = None
        self._totals_error = ""
        self.rows: dict[str, LegendRow] = {}
        self._columns = 0

        title = QLabel("Errors on this item per category, all systems, against its current "
                       "reference (hover a count for the whole benchmark)")
        title.setWordWrap(True)
        title.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # a quiet caption
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(0)
        for cat in session.categories:
            row = LegendRow(cat, self)
            row.check.toggled.connect(
                lambda on, cid=cat.id: self.session.set_category_visible(cid, on))
            self.rows[cat.id] = row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(title)
        layout.addLayout(self.grid)
        # An NLP call: its counts are fstalign's, and its entity classes get a line here.
        self.entities = QLabel()
        self.entities.setTextFormat(Qt.TextFormat.RichText)
        self.entities.setWordWrap(True)
        self.entities.setVisible(False)
        layout.addWidget(self.entities)
        layout.addStretch(1)
        self._place(1)
        # The legend takes the height it needs; the diff view gets the rest.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        session.currentItemChanged.connect(self.show_item)
        session.decisionChanged.connect(self._on_decision_changed)
        session.categoryVisibilityChanged.connect(self._sync_checks)
        self._sync_checks()
        self._update_counts()
        self._progress: TaskProgress = run_task(
            benchmark_totals, session.path, on_done=self._on_totals, on_error=self._on_totals_error)
        self.destroyed.connect(self._progress.cancel)
        if session.current_item is not None:
            self.show_item(session.current_item)

    # -- counts --------------------------------------------------------------------------
    def show_item(self, item_id: str) -> None:
        """Count the errors per category of ``item_id`` over every system."""
        counts: dict[str, int] = {}
        original: dict[str, int] = {}
        corrected = self.session.decision(item_id).corrected_reference is not None
        project = self.session.project
        classes: set[str] = set()
        # The stored counts, not the edits: whole-answer kinds (choice, label, answer) have
        # a category per item and no edits to count.
        for system in self.session.systems:
            if (lattice := self._lattice(system, item_id, corrected)) is not None:
                for category, errors in lattice.categories().items():
                    counts[category] = counts.get(category, 0) + errors
                classes.update(lattice.entity_classes())
                continue
            try:
                now = project.alignment_row(system, item_id,
                                            "cleaned" if corrected else "original")
                before = project.alignment_row(system, item_id).categories() if corrected else {}
            except ReviewerError as exc:
                log.warning("no alignment of %s on %s: %s", system, item_id, exc)
                continue
            for category, errors in now.categories().items():
                counts[category] = counts.get(category, 0) + errors
            for category, errors in before.items():
                original[category] = original.get(category, 0) + errors
        self.item_counts = counts
        self.original_counts = original if corrected else None
        self._show_entities(classes)
        self._update_counts()

    def _lattice(self, system: str, item_id: str, corrected: bool) -> LatticeAlignment | None:
        """The fstalign-style alignment the diff view shows for an NLP call, if any."""
        if self.session.kind != "asr" or corrected:
            return None
        try:
            shown = self.session.alignment(system, item_id)
        except ReviewerError:
            return None
        return shown if isinstance(shown, LatticeAlignment) else None

    def _show_entities(self, classes: set[str]) -> None:
        self.entities.setVisible(bool(classes))
        if not classes:
            return
        theme = current_theme()
        chips = "  ".join(
            f"<span style='color:{entity_colour(c, theme).name()}'>▬▬</span> {escape(c)}"
            for c in sorted(classes))
        self.entities.setText(f"Counted as fstalign counts them (NLP call). Entity classes "
                              f"(underlined in the reference): {chips}")

    def counts(self, category_id: str) -> tuple[int, int | None]:
        """``(this item, whole benchmark)`` errors of a category; ``None`` until loaded."""
        total = None if self.totals is None else self.totals.get(category_id, 0)
        return self.item_counts.get(category_id, 0), total

    def _on_decision_changed(self, item_id: str) -> None:
        if item_id == self.session.current_item:
            self.show_item(item_id)

    def _on_totals(self, totals: dict[str, int] | None) -> None:
        if totals is not None:
            self.totals = totals
            self._update_counts()
            self.totalsLoaded.emit()

    def _on_totals_error(self, exc: BaseException) -> None:
        self._totals_error = f"Whole-benchmark counts unavailable: {exc}"
        self._update_counts()

    def _update_counts(self) -> None:
        for cid, row in self.rows.items():
            here, total = self.counts(cid)
            row.counts.setText(f"{here:,}")
            if self.original_counts is None:
                item = f"This item: {here:,} error(s)."
            else:
                item = (f"This item: {here:,} error(s) against its corrected reference, "
                        f"{self.original_counts.get(cid, 0):,} against the original.")
            whole = ((self._totals_error or "Whole benchmark: counting…") if total is None else
                     f"Whole benchmark: {total:,} error(s) against the original references.")
            row.counts.setToolTip(literal(f"{row.category.name}, all systems\n{item}\n{whole}"))

    # -- visibility and layout -------------------------------------------------------------
    def _sync_checks(self) -> None:
        for cid, row in self.rows.items():
            row.check.blockSignals(True)
            row.check.setChecked(cid not in self.session.hidden_categories)
            row.check.blockSignals(False)
            row.chip.setEnabled(row.check.isChecked())

    def _place(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for row in self.rows.values():
            self.grid.removeWidget(row)
        for k, row in enumerate(self.rows.values()):
            self.grid.addWidget(row, k // columns, k % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        widest = max((r.sizeHint().width() for r in self.rows.values()), default=1)
        step = widest + self.grid.horizontalSpacing()
        self._place(max(1, min(len(self.rows), (self.width() - 12) // max(step, 1))))
