"""The ``answer`` item view: the question, the gold answers, the distinct answers the models
gave, and each model's raw output with the extracted answer highlighted.

Keys (window-wide while an answer project is open): M, A, P, I set the verdict "reference
error" with a platinum reason (mislabeled, ambiguous or ill-posed, poorly worded, invalid
question; the same key again clears it; every reason but "mislabeled" drops a corrected
gold: the item is removed). Shift+1 … Shift+9 (Shift+0: the tenth), or a click on an
answer, take model k's answer as the corrected gold ("mislabeled"); taking an answer that
is right against the imported gold keeps that gold. G puts the cursor in the decision
panel's corrected-gold box, which shows the gold answers one per line.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.answers.encoding import decode_gold, encode_gold
from reviewer.core.answers.platinum import PLATINUM_REASONS, REVISING_REASON
from reviewer.core.decisions import Decision
from reviewer.gui.kinds.answer.answer_rows import AnswerRow
from reviewer.gui.kinds.answer.model_answers import (
    AnswerGroup,
    ModelAnswer,
    answer_groups,
    read_answers,
)
from reviewer.gui.kinds.answer.output_box import OutputBox, chip
from reviewer.gui.kinds.base_view import ItemView
from reviewer.gui.kinds.question_label import question_label
from reviewer.gui.rich_text import escape
from reviewer.gui.session import ReviewSession
from reviewer.gui.theme import chosen_style, swatch_colour

PICK_DIGITS = "1234567890"  # Shift+digit takes the answer of model 1 … 9, then 10
# What Shift+digit types on a US keyboard: some platforms report that character instead of
# Shift and the digit, so both are bound.
SHIFTED_DIGITS = "!@#$%^&*()"
TYPE_GOLD_KEY = "G"
LONG_CONTEXT = 400  # characters: a longer passage starts folded
REFERENCE_BOX = "correctedReference"  # the decision panel's corrected-reference box
HELP = ("Keys: M A P I: reference error, platinum reason mislabeled / ambiguous or ill-posed / "
        "poorly worded / invalid question (again: clear) · Shift+1…9 or a click on an answer "
        "takes model k's answer as the corrected gold · G types the corrected gold (one "
        "answer per line).")


def make_view(session: ReviewSession) -> ItemView:
    """The answer view of ``session``'s current item."""
    return AnswerView(session)


class Folding(QWidget):
    """A titled text that folds away (a long passage, the gold rationale)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.toggle.toggled.connect(self._unfold)
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)

    def set_text(self, title: str, text: str, folded: bool) -> None:
        """Show ``text`` under ``title`` (hidden altogether when empty)."""
        self.setVisible(bool(text))
        self.toggle.setText(f"{title} ({len(text.split()):,} words)")
        self.body.setText(text)
        self.toggle.setChecked(not folded)
        self._unfold(not folded)

    def _unfold(self, shown: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.body.setVisible(shown)


class AnswerView(ItemView):
    """Question, gold answers, the models' answers with vote bars, and their raw outputs."""

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.answers: list[ModelAnswer] = []
        self.groups: list[AnswerGroup] = []
        self.answer_rows: list[AnswerRow] = []
        self.outputs: list[OutputBox] = []
        self.setToolTip(HELP)

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.question = question_label()
        self.context = Folding()
        self.rationale = Folding()
        self.gold = QLabel()
        self.gold.setTextFormat(Qt.TextFormat.RichText)
        self.gold.setWordWrap(True)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(3)
        self.votes_note = QLabel()
        self.votes_note.setWordWrap(True)
        self.votes_note.setTextFormat(Qt.TextFormat.PlainText)
        self.outputs_box = QVBoxLayout()
        self.outputs_box.setSpacing(6)

        self.reason_buttons: dict[str, QPushButton] = {}
        buttons = QGridLayout()
        for k, (reason, (name, key)) in enumerate(PLATINUM_REASONS.items()):
            button = self._button(f"{key}  {name}", f"Reference error: {name} (key {key})",
                                  partial(self._on_reason_button, reason))
            button.setCheckable(True)
            self.reason_buttons[reason] = button
            buttons.addWidget(button, k // 3, k % 3)
        self.type_button = self._button(f"{TYPE_GOLD_KEY}  Type the gold",
                                        "Type the corrected gold answer in the decision panel "
                                        f"(key {TYPE_GOLD_KEY})",
                                        self._on_type_button)
        buttons.addWidget(self.type_button, 1, 1, 1, 2)
        self.decision = QLabel()
        self.decision.setWordWrap(True)
        self.decision.setTextFormat(Qt.TextFormat.PlainText)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)

        body = self._body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(self.title)
        inner.addWidget(self.question)
        inner.addWidget(self.context)
        inner.addWidget(self.gold)
        inner.addWidget(self.rationale)
        inner.addSpacing(4)
        inner.addLayout(self.rows_box)
        inner.addWidget(self.votes_note)
        inner.addSpacing(4)
        inner.addLayout(self.outputs_box)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.decision)
        layout.addWidget(self.hint)
        self._bind_keys()
        self._style_reasons()

        self.follow_session()

    def _style_reasons(self) -> None:
        for button in self.reason_buttons.values():
            button.setStyleSheet(chosen_style())  # the chosen reason stands out

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._style_reasons()  # the theme changed: so do the chips' colours
            self.refresh()

    def _button(self, text: str, tip: str, slot: Callable[[bool], None]) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def _on_reason_button(self, reason: str, _checked: bool = False) -> None:
        self.set_reason(reason)

    def _on_type_button(self, _checked: bool = False) -> None:
        self.type_gold()

    def _on_pick_key(self, number: int, _checked: bool = False) -> None:
        self.pick_model(number)

    def _bind_keys(self) -> None:
        bindings: list[tuple[tuple[str, ...], str, Callable[[], object]]] = [
            ((key,), key, partial(self._on_reason_button, reason))
            for reason, (_, key) in PLATINUM_REASONS.items()]
        bindings.append(((TYPE_GOLD_KEY,), TYPE_GOLD_KEY, self._on_type_button))
        bindings += [((f"Shift+{digit}", symbol, f"Shift+{symbol}"), f"Shift+{digit}",
                      partial(self._on_pick_key, k))
                     for k, (digit, symbol) in enumerate(zip(PICK_DIGITS, SHIFTED_DIGITS,
                                                             strict=True), start=1)]
        self.add_window_keys(bindings)

    # -- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the current item, its decision and the models' answers again."""
        if self.item_id is None:
            return
        project = self.session.project
        item = project.item(self.item_id)
        meta = dict(item.meta)
        decision = self.session.decision(self.item_id)
        subject = meta.get("subject", "") or meta.get("task", "")
        self.title.setText(f"<b>{escape(item.id)}</b>"
                           + (f" — {escape(subject)}" if subject else ""))
        self.question.setText(meta.get("question", "") or "(no question text)")
        context = meta.get("context", "")
        self.context.set_text("Passage", context, folded=len(context) > LONG_CONTEXT)
        self.rationale.set_text("Gold rationale", meta.get("rationale", ""), folded=True)
        corrected = decision.corrected_reference
        self.gold.setText(_gold_html(item.reference, corrected))
        self.answers = read_answers(project, self.session.systems, item.id, corrected)
        self.groups = answer_groups(self.answers)
        self._show_groups(corrected is not None)
        self._show_outputs()
        self._show_decision(decision)

    def _show_groups(self, corrected: bool) -> None:
        answered = sum(len(g.models) for g in self.groups)
        while len(self.answer_rows) < len(self.groups):
            row = AnswerRow(len(self.answer_rows), self._body)
            row.picked.connect(self.pick_group)
            self.rows_box.addWidget(row)
            self.answer_rows.append(row)
        for k, row in enumerate(self.answer_rows):
            row.setVisible(k < len(self.groups))
            if k < len(self.groups):
                row.show_group(self.groups[k], answered, corrected)
        silent = [a.system for a in self.answers if a.has_prediction and not a.gave_answer]
        missing = [a.system for a in self.answers if not a.has_prediction]
        note = (f"{answered} of {len(self.answers)} models gave an answer; "
                f"{len(self.groups)} distinct")
        if silent:
            note += f"; no answer or a refusal from {', '.join(silent)}"
        if missing:
            note += f"; no prediction from {', '.join(missing)}"
        self.votes_note.setText(note + ".")

    def _show_outputs(self) -> None:
        for box in self.outputs:
            self.outputs_box.removeWidget(box)
            box.hide()  # gone at once, not when the event loop next deletes it
            box.deleteLater()
        self.outputs = [OutputBox(a, self._body) for a in self.answers]
        for box in self.outputs:
            self.outputs_box.addWidget(box)

    def _show_decision(self, decision: Decision) -> None:
        flagged = decision.verdict == "reference_error"
        for reason, button in self.reason_buttons.items():
            button.setChecked(flagged and decision.error_type == reason)
        parts = []
        if flagged and decision.error_type in PLATINUM_REASONS:
            parts.append(f"Reference error: {PLATINUM_REASONS[decision.error_type][0]}")
        elif decision.verdict is not None:
            parts.append(f"Verdict: {decision.verdict.replace('_', ' ')}")
        if decision.corrected_reference is not None:
            shown = " | ".join(decode_gold(decision.corrected_reference)) or "(none)"
            parts.append(f"corrected gold {shown}")
        self.decision.setText(" · ".join(parts) or "Not reviewed yet")
        self.hint.setText(HELP)

    # -- deciding ------------------------------------------------------------------------
    def set_reason(self, reason: str) -> None:
        """Verdict "reference error" with the platinum ``reason``; the current one again
        clears it. Every reason but "mislabeled" drops a corrected gold."""
        if self.item_id is None:
            return
        decision = self.session.decision(self.item_id)
        if decision.verdict == "reference_error" and decision.error_type == reason:
            self.session.decide(self.item_id, verdict=None, error_type=None,
                                corrected_reference=None)
            return
        changes: dict[str, object] = {"verdict": "reference_error", "error_type": reason}
        if reason != REVISING_REASON:
            changes["corrected_reference"] = None  # removed from the cleaned set, not revised
        self.session.decide(self.item_id, **changes)

    def pick_model(self, number: int) -> None:
        """Take model ``number``'s (1-based) answer as the corrected gold."""
        if self.item_id is None or not 1 <= number <= len(self.answers):
            return
        answer = self.answers[number - 1]
        if not answer.gave_answer or answer.answer is None:
            self.hint.setText(f"{answer.system} gave no answer to take as the gold.")
            return
        self.pick_answer(answer.answer, answer.right_originally)

    def pick_group(self, index: int) -> None:
        """Take the answer of row ``index`` of the distinct answers as the corrected gold."""
        if 0 <= index < len(self.groups):
            first = self.groups[index].first
            if first.answer is not None:
                self.pick_answer(first.answer, first.right_originally)

    def pick_answer(self, text: str, right_originally: bool) -> None:
        """``text`` becomes the corrected gold ("mislabeled"); an answer right against the
        imported gold keeps that gold (and drops a reference-error verdict)."""
        if self.item_id is None:
            return
        decision = self.session.decision(self.item_id)
        if right_originally:
            changes: dict[str, object] = {"corrected_reference": None}
            if decision.verdict == "reference_error":
                changes.update(verdict=None, error_type=None)
            if decision.corrected_reference is not None or "verdict" in changes:
                self.session.decide(self.item_id, **changes)
            return
        self.session.decide(self.item_id, verdict="reference_error",
                            error_type=REVISING_REASON,
                            corrected_reference=encode_gold([text.strip()]))

    def type_gold(self) -> None:
        """Put the cursor in the decision panel's corrected-gold box, its text selected."""
        box = self.window().findChild(QPlainTextEdit, REFERENCE_BOX)
        if box is None or not box.isVisible():
            self.hint.setText("Open the Decision panel to type the corrected gold.")
            return
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        box.selectAll()


def _gold_html(reference: str, corrected: str | None) -> str:
    """``Gold: 18 | 18.0`` as chips; a corrected gold struck through and followed by the new
    one."""
    original = decode_gold(reference)
    shown = " ".join(chip(g, swatch_colour("mint").name()) for g in original) or (
        "<i>no acceptable answer</i>")
    if corrected is None:
        return f"Gold: {shown}"
    new = decode_gold(corrected)
    revised = " ".join(chip(g, swatch_colour("light_blue").name()) for g in new) or (
        "<i>no acceptable answer</i>")
    struck = " | ".join(escape(g) for g in original) or "none"
    return f"Gold: <s>{struck}</s> → {revised} (corrected)"
