"""The adjudication panel: each annotator's decision on the current item, and a third
person's verdict on it, recorded as an adjudication."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.decisions import VERDICT_NAMES, VERDICTS, Decision
from reviewer.gui.rich_text import literal
from reviewer.gui.session import ReviewSession
from reviewer.store.annotations import Annotation, adjudication, item_annotations

# The long free texts last, so a narrow dock cuts them (full text in tooltips), not the time.
COLUMNS = ("Annotator", "Verdict", "Error type", "Time", "Corrected reference", "Note")
REFERENCE_COLUMN = COLUMNS.index("Corrected reference")
REFERENCE_WIDTH = 280
BUTTON_COLUMNS = 3


class AdjudicationView(QWidget):
    """Every annotator's latest decision on the session's item, and buttons to decide.

    A decision made here (a verdict, or one annotator's whole decision taken over) is
    committed as an ``adjudicate`` event by the session's annotator.
    """

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item_id: str | None = None
        self.annotations: list[Annotation] = []
        self.decision: Annotation | None = None

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REFERENCE_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        self.verdict_buttons: dict[str, QPushButton] = {}
        verdicts = QGridLayout()
        for k, verdict in enumerate(VERDICTS):
            button = QPushButton(VERDICT_NAMES[verdict])
            button.setToolTip(f"Decide '{VERDICT_NAMES[verdict]}' as the adjudicator")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _on=False, v=verdict: self.decide(verdict=v))
            verdicts.addWidget(button, k // BUTTON_COLUMNS, k % BUTTON_COLUMNS)
            self.verdict_buttons[verdict] = button
        self.take_buttons: dict[str, QPushButton] = {}
        self.take_box = QGridLayout()

        self.decide_label = QLabel("Decide:")
        self.take_label = QLabel("Or take one annotator's whole decision:")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.decide_label)
        layout.addLayout(verdicts)
        layout.addWidget(self.take_label)
        layout.addLayout(self.take_box)

        session.currentItemChanged.connect(self.show_item)
        session.decisionChanged.connect(self._on_decision_changed)
        session.decisionsReset.connect(self.refresh)
        self.show_item(session.current_item)

    # -- public API ----------------------------------------------------------------------
    def show_item(self, item_id: str | None) -> None:
        """Show the annotations of ``item_id`` (``None``: none)."""
        self.item_id = item_id
        self.refresh()

    def refresh(self) -> None:
        """Read the item's annotations again."""
        item_id = self.item_id
        project = self.session.project
        self.annotations = item_annotations(project, item_id) if item_id else []
        self.decision = adjudication(project, item_id) if item_id else None
        self.title.setText(self._title())
        self._fill_table()
        self._fill_take_buttons()
        for button in self.verdict_buttons.values():
            button.setEnabled(item_id is not None)

    def decide(self, **changes: Any) -> None:
        """Record the session annotator's decision on the item as an adjudication."""
        if self.item_id is not None:
            self.session.adjudicate(self.item_id, **changes)

    def take(self, annotator: str) -> None:
        """Adjudicate by taking ``annotator``'s whole decision (verdict, reference, note...)."""
        state = next((a.state for a in self.annotations if a.annotator == annotator), None)
        if state is not None:
            self.decide(**state.to_dict())

    # -- internals -----------------------------------------------------------------------
    def _on_decision_changed(self, item_id: str) -> None:
        if item_id == self.item_id:
            self.refresh()

    def _title(self) -> str:
        if self.item_id is None:
            return "No item selected"
        verdicts = {a.state.verdict for a in self.annotations if a.state.verdict}
        n = len(self.annotations)
        if n == 0:
            status = "no annotator has labelled it"
        elif n == 1:
            status = f"labelled by {self.annotations[0].annotator} only"
        elif len(verdicts) > 1:
            status = f"{n} annotators disagree"
        else:
            status = f"{n} annotators agree"
        if self.decision is not None:
            status += f"; decided by {self.decision.annotator}"
        return f"{self.item_id}: {status}"

    def _fill_table(self) -> None:
        rows = [(a.annotator, a) for a in self.annotations]
        if self.decision is not None:
            rows.append((f"Decided by {self.decision.annotator}", self.decision))
        verdicts = {a.state.verdict for a in self.annotations if a.state.verdict}
        self.table.setRowCount(len(rows))
        for row, (who, annotation) in enumerate(rows):
            verdict, error_type, reference, note = _cells(annotation.state)
            cells = (who, verdict, error_type, _local_time(annotation.at), reference, note)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(literal(text))
                if annotation is self.decision or (column == 1 and len(verdicts) > 1):
                    font = QFont(cell.font())
                    font.setBold(True)
                    cell.setFont(font)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnToContents(REFERENCE_COLUMN)
        width = self.table.columnWidth(REFERENCE_COLUMN)
        self.table.setColumnWidth(REFERENCE_COLUMN, min(width, REFERENCE_WIDTH))

    def _fill_take_buttons(self) -> None:
        while self.take_box.count():
            item = self.take_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.take_buttons = {}
        for k, annotation in enumerate(self.annotations):
            name = annotation.annotator
            button = QPushButton(f"Take {name}'s decision")
            button.setToolTip(literal(f"Decide as {name} did: verdict, error type, "
                                      "corrected reference, note and tags"))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _on=False, who=name: self.take(who))
            self.take_box.addWidget(button, k // 2, k % 2)
            self.take_buttons[name] = button
        self.take_label.setVisible(bool(self.annotations))


def _cells(state: Decision) -> tuple[str, str, str, str]:
    verdict = VERDICT_NAMES.get(state.verdict, "—") if state.verdict else "—"
    reference = state.corrected_reference if state.corrected_reference is not None else "—"
    return verdict, state.error_type or "—", reference, state.note or ""


def _local_time(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at
