"""The decision panel: verdict buttons, the corrected reference, a note and tags.

Typing is never altered by saving (DESIGN §9): the corrected reference is committed a
moment after the last key and the note and tags when they are left, and none of these
writes goes back into the field. A field is refilled only when the item changes or its
stored value changed from elsewhere (an undo, another window), keeping the cursor.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
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
from reviewer.core.word_take import word_spans
from reviewer.gui.field_sync import Synced, plain_text, show_text
from reviewer.gui.kinds import reference_text, takes_edits
from reviewer.gui.session import ReviewSession
from reviewer.gui.theme import chosen_style

VERDICT_KEYS = {verdict: str(k + 1) for k, verdict in enumerate(VERDICTS)}
# How long typing in the corrected reference may pause before it is committed.
COMMIT_DELAY_MS = 600


def _tags_text(tags: tuple[str, ...]) -> str:
    return ", ".join(tags)


def _tags(text: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(",") if t.strip())


class DecisionPanel(QWidget):
    """Decisions on the current item; every change is sent to the session at once."""

    previewReference = Signal(object)  # the edited reference text, or None when committed

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._item: str | None = None
        self._loading = False
        self._in_flight = 0  # this panel's writes not committed yet
        self._text = reference_text(session.kind)
        self._synced = {"reference": Synced(), "note": Synced(), "tags": Synced()}

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
            button.setObjectName(f"verdict_{verdict}")
            button.setAccessibleName(VERDICT_NAMES[verdict])
            button.setToolTip(
                f"Mark the item '{VERDICT_NAMES[verdict]}' (key {VERDICT_KEYS[verdict]})")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.buttons.addButton(button)
            verdict_box.addWidget(button)
        self.buttons.buttonClicked.connect(self._on_verdict_button)
        self._style_verdicts()

        self.reference = QPlainTextEdit()
        self.reference.setObjectName("correctedReference")
        self.reference.setAccessibleName("Corrected reference")
        self.reference.setAccessibleDescription(self._text.label)  # gec: sentences
        self.reference.setPlaceholderText(self._text.hint)
        self.reference.setTabChangesFocus(True)
        self.reference.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.reference.setMaximumHeight(110)
        self.reference.textChanged.connect(self._on_reference_typed)
        self._commit_timer = QTimer(self)
        self._commit_timer.setSingleShot(True)
        self._commit_timer.setInterval(COMMIT_DELAY_MS)
        self._commit_timer.timeout.connect(self.commit_reference)

        self.take_edit = QPushButton("R  Reference is wrong here")
        self.take_edit.setObjectName("takeEdit")
        self.take_edit.setAccessibleName("Reference is wrong here")
        self.take_edit.setToolTip("Take the prediction's word at the selected edit into the "
                                  "corrected reference (key R)")
        self.take_edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.take_edit.clicked.connect(self.take_selected_edit)
        # Only where the alignment view shows edits to select (not choice, label, gec).
        self.take_edit.setVisible(takes_edits(session.kind))
        self.reset_reference = QPushButton("Restore original")
        self.reset_reference.setObjectName("restoreReference")
        self.reset_reference.setToolTip("Drop the corrected reference")
        self.reset_reference.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reset_reference.clicked.connect(self.restore_original)
        ref_buttons = QHBoxLayout()
        ref_buttons.addWidget(self.take_edit)
        ref_buttons.addWidget(self.reset_reference)

        self.note = QLineEdit()
        self.note.setObjectName("note")
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("A note for this item")
        self.note.editingFinished.connect(self._on_note)
        self.tags = QLineEdit()
        self.tags.setObjectName("tags")
        self.tags.setAccessibleName("Tags")
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
        reference_label = QLabel(self._text.label)
        reference_label.setBuddy(self.reference)
        layout.addWidget(reference_label)
        layout.addWidget(self.reference)
        layout.addLayout(ref_buttons)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)

        session.currentItemChanged.connect(self.show_item)
        session.decisionChanged.connect(self._on_decision_changed)
        session.decisionsReset.connect(self._on_decisions_reset)
        session.editSelected.connect(lambda *_: self._update_take_edit())
        # What is typed and not saved yet is saved before the project closes.
        session.closing.connect(self.save_typing)
        self._update_take_edit()

    # -- showing -------------------------------------------------------------------------
    def save_typing(self) -> None:
        """Save what was typed in the reference, note and tags fields and is not saved yet."""
        if self._commit_timer.isActive():
            self.commit_reference()
        self._on_note()
        self._on_tags()

    def show_item(self, item_id: str) -> None:
        """Show the decision on ``item_id`` (saving what was typed for the previous one)."""
        self.save_typing()
        self._item = item_id
        decision = self.session.decision(item_id)
        self._loading = True
        try:
            self.title.setText(item_id)
            for field, value in self._stored_fields(item_id, decision).items():
                self._synced[field].load(value)
                widget = self._field(field)
                if isinstance(widget, QPlainTextEdit):
                    widget.setPlainText(value)
                else:
                    widget.setText(value)
        finally:
            self._loading = False
        self._show_decision(decision)

    def _field(self, name: str) -> QPlainTextEdit | QLineEdit:
        fields: dict[str, QPlainTextEdit | QLineEdit] = {
            "reference": self.reference, "note": self.note, "tags": self.tags}
        return fields[name]

    def _shown_reference(self, item_id: str) -> str:
        reference = self.session.current_reference(item_id)
        try:
            return self._text.shown(reference)
        except ValueError:
            return reference  # not in the kind's encoding (typed by hand before): as stored

    def _stored_fields(self, item_id: str, decision: Decision) -> dict[str, str]:
        return {"reference": self._shown_reference(item_id), "note": decision.note,
                "tags": _tags_text(decision.tags)}

    def _field_text(self, name: str) -> str:
        widget = self._field(name)
        return plain_text(widget) if isinstance(widget, QPlainTextEdit) else widget.text()

    def _on_decision_changed(self, item_id: str) -> None:
        if item_id == self._item:
            self._sync()

    def _on_decisions_reset(self) -> None:
        self._sync()

    def _sync(self) -> None:
        """Show the stored decision; refill a field only if its value changed elsewhere.

        While the reference is being typed, or this panel's writes are on their way, the
        fields wait: a field is never refilled with a value older than what it holds.
        """
        if self._item is None:
            return
        decision = self.session.decision(self._item)
        self._show_decision(decision)
        if self._commit_timer.isActive() or self._in_flight:
            return
        self._loading = True
        try:
            for field, stored in self._stored_fields(self._item, decision).items():
                if (self._synced[field].changed_elsewhere(stored)
                        and self._field_text(field) != stored):
                    show_text(self._field(field), stored)
        finally:
            self._loading = False

    def _show_decision(self, decision: Decision) -> None:
        for button in self.buttons.buttons():
            button.setChecked(button.property("verdict") == decision.verdict)
        parts = [f"Status: {decision.status}"]
        if decision.corrected_reference is not None:
            parts.append("reference corrected")
        self.status.setText("; ".join(parts))
        self._update_take_edit()

    def _update_take_edit(self) -> None:
        self.take_edit.setEnabled(self.session.selected_edit is not None)

    def _style_verdicts(self) -> None:
        style = chosen_style()
        for button in self.buttons.buttons():
            button.setStyleSheet(style)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._style_verdicts()  # the theme changed

    # -- deciding ------------------------------------------------------------------------
    def _decide(self, item_id: str, **changes: Any) -> None:
        """Send a decision; the fields wait for it to be committed before they follow the
        store again."""
        self.session.decide(item_id, **changes)
        if self.session.read_only:
            return  # nothing was queued (the session said so)
        self._in_flight += 1
        # Runs once everything queued before it, this decision included, is committed.
        self.session.run_write(lambda _project: None, self._landed, what="the decision")

    def _landed(self, _result: object) -> None:
        self._in_flight -= 1
        if not self._in_flight and shiboken6.isValid(self):
            self._sync()

    def set_verdict(self, verdict: str) -> None:
        """Record ``verdict`` for the current item (pressing it again clears it)."""
        if self._item is None:
            return
        current = self.session.decision(self._item).verdict
        self._decide(self._item, verdict=None if current == verdict else verdict)
        for button in self.buttons.buttons():
            button.setChecked(button.property("verdict") == verdict and current != verdict)

    def _on_verdict_button(self, button: QPushButton) -> None:
        self.set_verdict(str(button.property("verdict")))

    def take_selected_edit(self) -> None:
        """Correct the reference by taking the prediction's word at the selected edit.

        Character-level alignments cut a misspelt word into several edits; the reviewer
        means the system's word, so the whole words around the edit are taken.
        """
        if (self._item is None or self.session.selected_edit is None
                or not takes_edits(self.session.kind)):
            return
        system, index = self.session.selected_edit
        # While the reference is being typed, the alignment view shows (and the selection
        # points into) the alignment against the typed text: take the word from that one.
        typed = self._typed_reference() if self._commit_timer.isActive() else None
        alignment = (self.session.alignment(system, self._item) if typed is None else
                     self.session.preview_alignment(system, self._item, typed))
        if not 0 <= index < len(alignment.edits):
            return
        self._commit_timer.stop()
        spans = word_spans(alignment, alignment.edits[index])
        corrected = corrected_from_edits(alignment.ref, alignment.hyp, [spans])
        self._decide(self._item, corrected_reference=corrected, verdict="reference_error")
        self.session.select_edit(system, -1)

    def restore_original(self) -> None:
        """Drop the corrected reference of the current item."""
        if self._item is None:
            return
        self._commit_timer.stop()
        self._decide(self._item, corrected_reference=None)
        self.previewReference.emit(None)

    def _on_reference_typed(self) -> None:
        if self._loading or self._item is None:
            return
        self.previewReference.emit(self._typed_reference())
        self._commit_timer.start(COMMIT_DELAY_MS)

    def _typed_reference(self) -> str | None:
        """The box's text in the stored encoding (``None`` when it cannot be, said in the
        status line)."""
        assert self._item is not None
        try:
            return self._text.stored(plain_text(self.reference),
                                     self.session.current_reference(self._item))
        except ValueError as exc:
            self.status.setText(f"Not saved: {exc}")
            return None

    def commit_reference(self) -> None:
        """Commit the typed corrected reference now (if it differs from the current one)."""
        self._commit_timer.stop()
        if self._item is None:
            return
        typed = self._typed_reference()
        if typed is None:
            return
        original = self.session.project.item(self._item).reference
        decision = self.session.decision(self._item)
        corrected = None if typed == original else typed
        if corrected != decision.corrected_reference:
            changes: dict[str, object] = {"corrected_reference": corrected}
            if corrected is not None and decision.verdict is None:
                changes["verdict"] = "reference_error"
            self._synced["reference"].send(self._field_text("reference"))
            self._decide(self._item, **changes)
        self.previewReference.emit(None)

    def _on_note(self) -> None:
        if self._item is None:
            return
        text = self.note.text()
        synced = self._synced["note"]
        if text not in (synced.value, synced.sent):
            synced.send(text)
            self._decide(self._item, note=text)

    def _on_tags(self) -> None:
        if self._item is None:
            return
        tags = _tags(self.tags.text())
        synced = self._synced["tags"]
        if _tags_text(tags) not in (synced.value, synced.sent):
            synced.send(_tags_text(tags))
            self._decide(self._item, tags=tags)
