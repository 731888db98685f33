"""The import dialog's options that only some task kinds have (asr audio, preset and the
fstalign path of NLP calls, gec corrected text, choice/label columns, kern's unreadable
references)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from reviewer.core import fstalign_standard
from reviewer.core.kern.unreadable import UNREADABLE_CHOICES
from reviewer.core.lattice_wer import SEARCHES, STANDARD_SEARCHES
from reviewer.core.normalize import PRESETS
from reviewer.formats.registry import ReadOptions
from reviewer.gui.import_wording import FIELDS, SEARCH_LABELS, UNREADABLE_LABELS

# Kinds whose tables the preview's column mapping describes; the others' readers find
# their own columns (question, options, label, probabilities, kern ...).
MAPPED_KINDS = ("text", "asr")


class KindOptions(QObject):
    """Rows of the dialog's form shown for the chosen kind only; empty fields mean "detect"
    or "none". :meth:`add_to` puts them in the form."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.normalize_combo = QComboBox()
        self.normalize_combo.addItems(PRESETS)
        self.normalize_combo.setToolTip("asr: normalisation applied to both sides before "
                                        "alignment (none, lower case only, jiwer-like basic, "
                                        "Whisper-style English)")
        self.audio_edit = self._path_edit("a Kaldi wav.scp or a folder of audio files "
                                          "(optional)")
        self.ref_text_edit = self._path_edit("the corrected text, line by line parallel to "
                                             "the original text")
        self.text_col_edit = QLineEdit()
        self.text_col_edit.setPlaceholderText("detected (question, text, sentence, ...)")
        self.label_col_edit = QLineEdit()
        self.label_col_edit.setPlaceholderText("detected (answer, label, gold, ...)")
        self.unreadable_combo = QComboBox()
        self.unreadable_combo.addItems([UNREADABLE_LABELS[c] for c in UNREADABLE_CHOICES])
        self.unreadable_combo.setToolTip(
            "kern: a reference that is not a readable **kern score (a typo such as a dynamics "
            "token in a barline record) is imported and marked, so every one is listed and can "
            "be corrected; or the whole import is refused")
        self.unreadable_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.search_combo = _search_combo()
        self.search_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        for edit in (self.text_col_edit, self.label_col_edit):
            edit.textChanged.connect(lambda _text: self.changed.emit())
        self.normalize_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.form: QFormLayout | None = None
        self.rows: dict[str, list[QWidget]] = {
            "asr": [self.normalize_combo,
                    self._with_button(self.audio_edit, "wav.scp…", "Audio list"),
                    self.search_combo],
            "gec": [self._with_button(self.ref_text_edit, "File…", "Corrected text")],
            "choice": [self.text_col_edit, self.label_col_edit],
            "label": [self.text_col_edit, self.label_col_edit],
            "kern": [self.unreadable_combo],
        }
        # The command-line option each row stands for: its label, and the field a message
        # about the option names in the dialog.
        self.flags = (("--normalize", self.rows["asr"][0]), ("--audio", self.rows["asr"][1]),
                      ("--ref-text", self.rows["gec"][0]), ("--text-col", self.text_col_edit),
                      ("--label-col", self.label_col_edit),
                      ("--unreadable", self.unreadable_combo),
                      ("--nlp-search", self.search_combo))
        self.labels = tuple((f"{FIELDS[flag]}:", widget) for flag, widget in self.flags)
        self.kind = "text"

    def add_to(self, form: QFormLayout) -> None:
        """Append the rows to ``form``; only the current kind's are visible."""
        self.form = form
        for label, widget in self.labels:
            form.addRow(label, widget)
        self.set_kind(self.kind)

    def _path_edit(self, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(lambda _text: self.changed.emit())
        return edit

    def _with_button(self, edit: QLineEdit, text: str, title: str) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        button = QPushButton(text)
        button.clicked.connect(lambda: self._choose(edit, title))
        layout.addWidget(button)
        return row

    def _choose(self, edit: QLineEdit, title: str) -> None:
        path, _ = QFileDialog.getOpenFileName(edit, title, edit.text() or "")
        if path:
            edit.setText(path)

    def set_kind(self, kind: str) -> None:
        """Show the rows of ``kind`` and hide the others."""
        self.kind = kind
        if self.form is None:
            return
        shown = self.rows.get(kind, [])
        for _, widget in self.labels:
            self.form.setRowVisible(widget, any(widget is w for w in shown))

    def visible_rows(self) -> list[str]:
        """The labels of the rows shown now."""
        shown = self.rows.get(self.kind, [])
        return [label for label, widget in self.labels if any(widget is w for w in shown)]

    def visible_flags(self) -> set[str]:
        """The command-line options whose rows are shown now."""
        shown = self.rows.get(self.kind, [])
        return {flag for flag, widget in self.flags if any(widget is w for w in shown)}

    def apply(self, options: ReadOptions) -> ReadOptions:
        """``options`` with what the rows of the current kind say."""
        if self.kind == "asr":
            audio = self.audio_edit.text().strip()
            return replace(options, audio=Path(audio) if audio else options.audio,
                           nlp_search=SEARCHES[self.search_combo.currentIndex()])
        if self.kind == "gec" and self.ref_text_edit.text().strip():
            return replace(options, ref_text=Path(self.ref_text_edit.text().strip()))
        if self.kind in ("choice", "label"):
            return replace(options, text_col=self.text_col_edit.text().strip() or None,
                           label_col=self.label_col_edit.text().strip() or None)
        if self.kind == "kern":
            return replace(options,
                           unreadable=UNREADABLE_CHOICES[self.unreadable_combo.currentIndex()])
        return options

    def normalize(self) -> str | None:
        """The asr preset to score with (``None`` for other kinds)."""
        return self.normalize_combo.currentText() if self.kind == "asr" else None

    def problem(self) -> str | None:
        """What keeps these options from being used, or ``None``."""
        for kind, edit, what in (("asr", self.audio_edit, "audio list"),
                                 ("gec", self.ref_text_edit, "corrected text")):
            path = edit.text().strip()
            if self.kind == kind and path and not Path(path).exists():
                return f"The {what} {path} does not exist."
        return None


def _search_combo() -> QComboBox:
    """asr: which path an NLP call's fstalign-style WER counts; fstalign's standard
    composition is offered only where OpenFst's Python bindings are installed."""
    combo = QComboBox()
    combo.addItems([SEARCH_LABELS[s] for s in SEARCHES])
    combo.setToolTip("asr, NLP references (.nlp): the alignment path the fstalign-style WER "
                     "and entity WER count. Least cost is fast; fstalign's own search picks "
                     "the path fstalign reports, which may cost more")
    if not fstalign_standard.available():
        model = combo.model()
        for k, search in enumerate(SEARCHES):
            if search in STANDARD_SEARCHES:
                item = model.item(k)  # type: ignore[attr-defined]
                item.setEnabled(False)
                item.setToolTip("needs OpenFst's Python bindings: "
                                f"pip install 'reviewer[{fstalign_standard.EXTRA}]'")
    return combo
