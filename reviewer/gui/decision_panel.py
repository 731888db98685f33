"""The decision panel: verdict buttons, the corrected reference, a note and tags."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.decisions import VERDICT_NAMES, VERDICTS, Decision, corrected_from_edits
from reviewer.gui.session import ReviewSession

VERDICT_KEYS = {verdict: str(k + 1) for k, verdict in enumerate(VERDICTS)}
# How long typing in the corrected reference may pause before it is committed.
COMMIT_DELAY_MS = 600


class DecisionPanel(QWidget):
    """Decisions on the current item; every change is sent to the session at once."""

    previewReference = Signal(object)  # the edited reference text, or None when committed

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._item: str | None = None
        self._loading = False

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)

        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(False)
        verdict_box = QVBoxLayout()
        for verdict in VERDICTS:
            button = QPushButton(f"{VERDICT_KEYS[verdict]}  {VERDICT_NAMES[verdict]}")
            button.setCheckable(True)
            button.setProperty("verdict", verdict)
            button.setToolTip(
                f"Mark the item '{VERDICT_NAMES[verdict]}' (key {VERDICT_KEYS[verdict]})")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.buttons.addButton(button)
            verdict_box.addWidget(button)
        self.buttons.buttonClicked.connect(self._on_verdict_button)

        self.reference = QPlainTextEdit()
        self.reference.setPlaceholderText("The corrected reference")
        self.reference.setTabChangesFocus(True)
        self.reference.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.reference.setMaximumHeight(110)
        self.reference.textChanged.connect(self._on_reference_typed)
        self._commit_timer = QTimer(self)
        self._commit_timer.setSingleShot(True)
        self._commit_timer.setInterval(COMMIT_DELAY_MS)
        self._commit_timer.timeout.connect(self.commit_reference)

        self.take_edit = QPushButton("R  Reference is wrong here")
        self.take_edit.setToolTip("Take the prediction's side of the selected edit into the "
                                  "corrected reference (key R)")
        self.take_edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.take_edit.clicked.connect(self.take_selected_edit)
        self.reset_reference = QPushButton("Restore original")
        self.reset_reference.setToolTip("Drop the corrected reference")
        self.reset_reference.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reset_reference.clicked.connect(self.restore_original)
        ref_buttons = QHBoxLayout()
        ref_buttons.addWidget(self.take_edit)
        ref_buttons.addWidget(self.reset_reference)

        self.note = QLineEdit()
        self.note.setPlaceholderText("A note for this item")
        self.note.editingFinished.connect(self._on_note)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("tags, comma separated")
        self.tags.editingFinished.connect(self._on_tags)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        form = QFormLayout()
        form.addRow("Note", self.note)
        form.addRow("Tags", self.tags)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(QLabel("Verdict"))
        layout.addLayout(verdict_box)
        layout.addWidget(QLabel("Corrected reference"))
        layout.addWidget(self.reference)
        layout.addLayout(ref_buttons)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)

        session.currentItemChanged.connect(self.show_item)
        session.decisionChanged.connect(self._on_decision_changed)
        session.decisionsReset.connect(
            lambda: None if self._commit_timer.isActive() else self._refresh())
        session.editSelected.connect(lambda *_: self._update_take_edit())
        self._update_take_edit()

    # -- showing -------------------------------------------------------------------------
    def show_item(self, item_id: str) -> None:
        """Show the decision on ``item_id`` (committing a pending reference edit first)."""
        if self._commit_timer.isActive():
            self.commit_reference()
        self._item = item_id
        self._refresh()

    def _on_decision_changed(self, item_id: str) -> None:
        if item_id == self._item and not self._commit_timer.isActive():
            self._refresh()

    def _refresh(self) -> None:
        if self._item is None:
            return
        decision = self.session.decision(self._item)
        self._loading = True
        try:
            self.title.setText(self._item)
            for button in self.buttons.buttons():
                button.setChecked(button.property("verdict") == decision.verdict)
            self.reference.setPlainText(self.session.current_reference(self._item))
            self.note.setText(decision.note)
            self.tags.setText(", ".join(decision.tags))
        finally:
            self._loading = False
        self._show_status(decision)
        self._update_take_edit()

    def _show_status(self, decision: Decision) -> None:
        parts = [f"Status: {decision.status}"]
        if decision.corrected_reference is not None:
            parts.append("reference corrected")
        self.status.setText("; ".join(parts))

    def _update_take_edit(self) -> None:
        self.take_edit.setEnabled(self.session.selected_edit is not None)

    # -- deciding ------------------------------------------------------------------------
    def set_verdict(self, verdict: str) -> None:
        """Record ``verdict`` for the current item (pressing it again clears it)."""
        if self._item is None:
            return
        current = self.session.decision(self._item).verdict
        self.session.decide(self._item, verdict=None if current == verdict else verdict)
        for button in self.buttons.buttons():
            button.setChecked(button.property("verdict") == verdict and current != verdict)

    def _on_verdict_button(self, button: QPushButton) -> None:
        self.set_verdict(str(button.property("verdict")))

    def take_selected_edit(self) -> None:
        """Correct the reference by taking the prediction's side of the selected edit."""
        if self._item is None or self.session.selected_edit is None:
            return
        system, index = self.session.selected_edit
        alignment = self.session.alignment(system, self._item)
        if not 0 <= index < len(alignment.edits):
            return
        edit = alignment.edits[index]
        corrected = corrected_from_edits(alignment.ref, alignment.hyp,
                                         [(edit.ref_span, edit.hyp_span)])
        self._commit_timer.stop()
        self.session.decide(self._item, corrected_reference=corrected,
                            verdict="reference_error")
        self.session.select_edit(system, -1)

    def restore_original(self) -> None:
        if self._item is None:
            return
        self._commit_timer.stop()
        self.session.decide(self._item, corrected_reference=None)
        self.previewReference.emit(None)

    def _on_reference_typed(self) -> None:
        if self._loading or self._item is None:
            return
        self.previewReference.emit(self.reference.toPlainText())
        self._commit_timer.start()

    def commit_reference(self) -> None:
        """Commit the typed corrected reference now (if it differs from the current one)."""
        self._commit_timer.stop()
        if self._item is None:
            return
        text = self.reference.toPlainText()
        original = self.session.project.item(self._item).reference
        decision = self.session.decision(self._item)
        corrected = None if text == original else text
        if corrected != decision.corrected_reference:
            changes: dict[str, object] = {"corrected_reference": corrected}
            if corrected is not None and decision.verdict is None:
                changes["verdict"] = "reference_error"
            self.session.decide(self._item, **changes)
        self.previewReference.emit(None)

    def _on_note(self) -> None:
        if self._item is None:
            return
        if self.note.text() != self.session.decision(self._item).note:
            self.session.decide(self._item, note=self.note.text())

    def _on_tags(self) -> None:
        if self._item is None:
            return
        tags = tuple(t.strip() for t in self.tags.text().split(",") if t.strip())
        if tags != self.session.decision(self._item).tags:
            self.session.decide(self._item, tags=tags)
