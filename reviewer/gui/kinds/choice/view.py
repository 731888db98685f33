"""The ``choice`` item view: question, options with the key and the systems' votes, and the
MMLU-Redux reference-error flow.

Keys (window-wide while a choice project is open): Q, O, N, M, W set the verdict
"reference error" with the MMLU-Redux error type (bad question clarity, bad options clarity,
no correct answer, multiple correct answers, wrong ground truth; the same key again clears
it); E toggles the "expert" tag ("needs an expert"); Shift+A … Shift+J, or a click on an
option, pick the right option: under "multiple correct answers" it is added to (or removed
from) the corrected key, otherwise it becomes the corrected key as "wrong ground truth".
N is "next unreviewed item" elsewhere; in choice projects that moves to Shift+N.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.choice_codec import decode_choice
from reviewer.core.choice_keys import LETTERS, join_key, key_letters, options_of
from reviewer.core.decisions import Decision
from reviewer.core.kinds.choice import EXPERT_TAG, REDUX_ERROR_TYPES
from reviewer.gui.kinds.base_view import ItemView
from reviewer.gui.kinds.choice.options import OptionRow, OptionState
from reviewer.gui.kinds.question_label import question_label
from reviewer.gui.rich_text import escape
from reviewer.gui.session import ReviewSession

PICK_LETTERS = LETTERS[:10]  # Shift+A … Shift+J
PICKING = ("wrong_groundtruth", "multiple_correct_answers")
HELP = ("Keys: Q O N M W set the MMLU-Redux error type (again: clear), E toggles 'needs an "
        "expert', Shift+A…J or a click picks the right option (wrong ground truth: the new key; "
        "multiple correct answers: add or remove). Shift+N: next unreviewed item.")


def make_view(session: ReviewSession) -> ItemView:
    """The choice view of ``session``'s current item."""
    return ChoiceView(session)


class ChoiceView(ItemView):
    """Question, options with key marks and vote bars, and the error-type buttons."""

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._options: list[str] = []
        self._key = ""
        self.setToolTip(HELP)

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.question = question_label()
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(4)
        self.rows: list[OptionRow] = []
        self.votes_note = QLabel()
        self.votes_note.setWordWrap(True)
        self.votes_note.setTextFormat(Qt.TextFormat.PlainText)
        self.dataset_note = QLabel()
        self.dataset_note.setWordWrap(True)
        self.dataset_note.setTextFormat(Qt.TextFormat.PlainText)

        self.type_buttons: dict[str, QPushButton] = {}
        buttons = QGridLayout()  # three a row: the view stays narrow enough beside the docks
        for k, (type_id, (name, key)) in enumerate(REDUX_ERROR_TYPES.items()):
            button = self._button(f"{key}  {name}", f"Reference error: {name} (key {key})",
                                  lambda _=False, t=type_id: self.set_error_type(t))
            self.type_buttons[type_id] = button
            buttons.addWidget(button, k // 3, k % 3)
        self.expert_button = self._button("E  Needs an expert", "Toggle the 'expert' tag (key E)",
                                          lambda _=False: self.toggle_expert())
        buttons.addWidget(self.expert_button, 1, 2)
        self.decision = QLabel()
        self.decision.setWordWrap(True)
        self.decision.setTextFormat(Qt.TextFormat.PlainText)
        self.hint = QLabel()
        self.hint.setWordWrap(True)

        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(self.title)
        inner.addWidget(self.question)
        inner.addSpacing(6)
        inner.addLayout(self.rows_box)
        inner.addWidget(self.votes_note)
        inner.addWidget(self.dataset_note)
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

        self.follow_session()

    def _button(self, text: str, tip: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setCheckable(True)
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def _bind_keys(self) -> None:
        bindings: list[tuple[str, Callable[[], object]]] = [
            (key, partial(self.set_error_type, type_id))
            for type_id, (_, key) in REDUX_ERROR_TYPES.items()]
        bindings.append(("E", self.toggle_expert))
        bindings += [(f"Shift+{letter}", partial(self.pick, letter)) for letter in PICK_LETTERS]
        self.add_window_keys(((key,), key, slot) for key, slot in bindings)

    # -- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the current item, its decision and the systems' answers again."""
        if self.item_id is None:
            return
        project = self.session.project
        item = project.item(self.item_id)
        meta = dict(item.meta)
        decision = self.session.decision(self.item_id)
        self._options = options_of(meta)
        self._key = item.reference
        subject = meta.get("subject", "")
        self.title.setText(f"<b>{escape(item.id)}</b>"
                           + (f" — {escape(subject)}" if subject else ""))
        self.question.setText(meta.get("question", "") or "(no question text)")
        given = {s: decode_choice(project.prediction(s, item.id)) for s in self.session.systems}
        answers = {s: a.label for s, a in given.items()}
        answered = sum(1 for a in answers.values() if a)
        original = set(key_letters(item.reference))
        cleaned = (None if decision.corrected_reference is None
                   else set(key_letters(decision.corrected_reference)))
        while len(self.rows) < len(self._options):
            row = OptionRow()
            row.picked.connect(self.pick)
            self.rows_box.addWidget(row)
            self.rows.append(row)
        for k, row in enumerate(self.rows):
            row.setVisible(k < len(self._options))
            if k < len(self._options):
                letter = LETTERS[k]
                row.show_option(OptionState(
                    letter, self._options[k],
                    tuple(s for s, a in answers.items() if a == letter), answered,
                    letter in original, None if cleaned is None else letter in cleaned,
                    tuple((s, a.probs[letter]) for s, a in given.items()
                          if a.probs and letter in a.probs)))
        silent = [s for s, a in answers.items() if not a]
        note = f"{answered} of {len(answers)} systems answered"
        if silent:
            note += f"; no answer from {', '.join(silent)}"
        if not original:
            note += ". The key names no option (no correct answer)."
        self.votes_note.setText(note)
        self.dataset_note.setText(_dataset_note(meta))
        self._show_decision(decision)

    def _show_decision(self, decision: Decision) -> None:
        for type_id, button in self.type_buttons.items():
            button.setChecked(decision.verdict == "reference_error"
                              and decision.error_type == type_id)
        self.expert_button.setChecked(EXPERT_TAG in decision.tags)
        parts = []
        if decision.verdict == "reference_error" and decision.error_type in REDUX_ERROR_TYPES:
            parts.append(f"Reference error: {REDUX_ERROR_TYPES[decision.error_type][0]}")
        elif decision.verdict is not None:
            parts.append(f"Verdict: {decision.verdict.replace('_', ' ')}")
        if decision.corrected_reference is not None:
            parts.append(f"corrected key {decision.corrected_reference or '(none)'}")
        if EXPERT_TAG in decision.tags:
            parts.append("needs an expert")
        self.decision.setText(" · ".join(parts) or "Not reviewed yet")
        picking = decision.verdict == "reference_error" and decision.error_type in PICKING
        self.hint.setText(
            "Pick the right option(s): click them or press Shift+letter." if picking else HELP)

    # -- deciding ------------------------------------------------------------------------
    def set_error_type(self, type_id: str) -> None:
        """Verdict "reference error" with ``type_id``; the current type again clears it."""
        if self.item_id is None:
            return
        decision = self.session.decision(self.item_id)
        if decision.verdict == "reference_error" and decision.error_type == type_id:
            self.session.decide(self.item_id, verdict=None, error_type=None,
                                corrected_reference=None)
            return
        changes: dict[str, object] = {"verdict": "reference_error", "error_type": type_id}
        if type_id not in PICKING:
            changes["corrected_reference"] = None  # removed from the cleaned set, not revised
        self.session.decide(self.item_id, **changes)

    def pick(self, letter: str) -> None:
        """Pick ``letter`` as (one of) the right option(s) (see the module docstring)."""
        if self.item_id is None or LETTERS.index(letter) >= len(self._options):
            return
        decision = self.session.decision(self.item_id)
        if (decision.verdict == "reference_error"
                and decision.error_type == "multiple_correct_answers"):
            current = set(key_letters(decision.corrected_reference if decision.corrected_reference
                                      is not None else self._key))
            current ^= {letter}
            key = join_key(sorted(current))
            self.session.decide(self.item_id, corrected_reference=(
                None if key == self._key else key))
            return
        self.session.decide(self.item_id, verdict="reference_error",
                            error_type="wrong_groundtruth",
                            corrected_reference=None if letter == self._key else letter)

    def toggle_expert(self) -> None:
        """Add or remove the "expert" tag (needs an expert to decide)."""
        if self.item_id is None:
            return
        tags = list(self.session.decision(self.item_id).tags)
        if EXPERT_TAG in tags:
            tags.remove(EXPERT_TAG)
        else:
            tags.append(EXPERT_TAG)
        self.session.decide(self.item_id, tags=tags)


def _dataset_note(meta: dict[str, str]) -> str:
    """What the dataset itself says of the item (MMLU-Redux labels), if anything."""
    error_type = meta.get("redux_error_type")
    if not error_type:
        return ""
    note = f"Dataset label (MMLU-Redux): {error_type.replace('_', ' ')}"
    if correct := meta.get("redux_correct_answer"):
        note += f"; its correct answer: {correct}"
    return note
