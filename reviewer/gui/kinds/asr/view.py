"""The asr item view: the audio player above the alignment, timed words, normalised text.

Keys: Space plays or pauses (the global keys are untouched). Clicking a word of the
word list, a word on the waveform or an edit in the alignment view plays from that
word where the prediction has word times (from a ctm file).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QToolButton, QVBoxLayout, QWidget

from reviewer.core.errors import ReviewerError
from reviewer.core.lattice_path import PATH_KEY, LatticeAlignment
from reviewer.core.normalize import DESCRIPTIONS, normalise_text
from reviewer.core.tokenize import nfc
from reviewer.gui.kinds.asr.audio_player import AudioPlayer, Word
from reviewer.gui.kinds.asr.entity_rows import item_fstalign_text
from reviewer.gui.kinds.base_view import ItemView
from reviewer.gui.rich_text import escape
from reviewer.gui.session import ReviewSession
from reviewer.store.shown_alignment import lattice_note

HELP = ("Space: play or pause · click a word (here, on the waveform or an edit in the "
        "alignment) to play from it · click the waveform to jump there")


def make_view(session: ReviewSession) -> ItemView:
    """The asr view of ``session``'s current item."""
    return AsrView(session)


def timed_words(meta: dict[str, object]) -> list[Word]:
    """The ``(word, start, end)`` list a reader kept with a prediction, if it is well formed."""
    words = meta.get("words")
    if not isinstance(words, list):
        return []
    out: list[Word] = []
    for entry in words:
        if (isinstance(entry, list) and len(entry) >= 3 and isinstance(entry[0], str)
                and all(isinstance(v, int | float) for v in entry[1:3])):
            out.append((entry[0], float(entry[1]), float(entry[2])))
    return out


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class AsrView(ItemView):
    """The current item's audio and what the systems said when."""

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.words: dict[str, list[Word]] = {}  # system -> timed words of the current item
        self.kept_paths: list[str] = []  # systems with an fstalign-style path on the item
        self.shown_system: str | None = None
        self.setToolTip(HELP)
        self.info = QLabel()
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setWordWrap(True)
        # Why an NLP call is shown with the preset's alignment, not fstalign's (if it is).
        self.lattice_note = QLabel()
        self.lattice_note.setTextFormat(Qt.TextFormat.PlainText)
        self.lattice_note.setWordWrap(True)
        self.lattice_note.setVisible(False)
        self.player = AudioPlayer()
        self.word_list = QLabel()
        self.word_list.setTextFormat(Qt.TextFormat.RichText)
        self.word_list.setWordWrap(True)
        self.word_list.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.word_list.linkActivated.connect(self._on_link)
        self.norm_button = QToolButton()
        self.norm_button.setText("Normalised text")
        self.norm_button.setCheckable(True)
        self.norm_button.setToolTip("Show the reference and predictions as they are compared, "
                                    "after the project's normalisation preset")
        self.normalised = QPlainTextEdit()
        self.normalised.setReadOnly(True)
        self.normalised.setMaximumHeight(90)
        self.normalised.setVisible(False)
        self.norm_button.toggled.connect(self.normalised.setVisible)
        hint = QLabel(HELP)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.info)
        layout.addWidget(self.lattice_note)
        layout.addWidget(self.player, 1)
        layout.addWidget(self.word_list)
        layout.addWidget(self.norm_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.normalised)
        layout.addWidget(hint)
        session.editSelected.connect(self._on_edit_selected)
        self.follow_session()

    # -- public API ------------------------------------------------------------------------
    def show_item(self, item_id: str) -> None:
        """Load the item's audio, its systems' timed words and the normalised texts."""
        project = self.session.project
        item = project.item(item_id)
        self.item_id = item_id
        meta = dict(item.meta)
        start = _float(meta.get("start")) or 0.0
        end = _float(meta.get("end"))
        media = item.media
        if media and not Path(media).is_absolute():
            media = str(self.session.path.parent / media)
        # Read once: an NLP hypothesis keeps every word's times (half a megabyte a call).
        metas = {s: project.prediction_meta(s, item_id) for s in self.session.systems}
        self.words = {s: w for s, meta in metas.items() if (w := timed_words(meta))}
        self.kept_paths = [s for s, meta in metas.items() if PATH_KEY in meta]
        self.shown_system = next(iter(self.words), None)
        self.player.set_source(media or None, start, end)
        self.player.set_words(self.words.get(self.shown_system or "", []))
        preset = project.normalize
        parts = [f"Normalisation: {preset} — {DESCRIPTIONS.get(preset, '')}"]
        if meta.get("speaker"):
            parts.append(f"speaker {meta['speaker']}")
        if meta.get("speakers"):  # an NLP call: its speakers and entity classes
            parts.append(f"speakers {meta['speakers']}")
        if meta.get("entity"):
            parts.append(f"entities {meta['entity'].replace(',', ', ')} (filter: entity:CLASS)")
        if fstalign := item_fstalign_text(metas):
            parts.append(fstalign)
        if end is not None:
            parts.append(f"{start:.2f}–{end:.2f} s")
        if media:
            parts.append(Path(media).name)
        self.info.setText(" · ".join(parts))
        self._fill_word_list()
        self.refresh()

    def refresh(self) -> None:
        """Show the texts as they are compared again (the reference may be corrected)."""
        self._fill_normalised()
        note = self._lattice_note()
        self.lattice_note.setText(note)
        self.lattice_note.setVisible(bool(note))

    def _lattice_note(self) -> str:
        """Why the NLP call is shown with the preset's alignment, if it is."""
        item_id = self.item_id
        if item_id is None or not self.kept_paths:
            return ""
        corrected = self.session.decision(item_id).corrected_reference is not None
        drawn = corrected or all(
            isinstance(self.session.alignment(s, item_id), LatticeAlignment)
            for s in self.kept_paths)
        return lattice_note(True, corrected, drawn)

    def play_word(self, system: str, index: int) -> bool:
        """Play from word ``index`` of ``system``'s timed words; False where there are none."""
        words = self.words.get(system, [])
        if not 0 <= index < len(words):
            return False
        if system != self.shown_system:
            self.shown_system = system
            self.player.set_words(words)
            self._fill_word_list()
        self.player.play_from(words[index][1])
        return True

    # -- internals -------------------------------------------------------------------------
    def _fill_word_list(self) -> None:
        if not self.words:
            self.word_list.setText("<i>No word times for this item (a ctm prediction gives "
                                   "them).</i>" if self.player.path else "")
            return
        rows = []
        for system, words in self.words.items():
            links = " ".join(
                # Percent-encoded: Qt hands the href back with its entities decoded.
                f"<a href='w:{k}:{quote(system, safe='')}' style='text-decoration:none'>"
                f"{escape(w)}</a>" for k, (w, _, _) in enumerate(words))
            mark = "▸ " if system == self.shown_system else ""
            rows.append(f"<b>{mark}{escape(system)}</b>: {links}")
        self.word_list.setText("<br>".join(rows))

    def _fill_normalised(self) -> None:
        if self.item_id is None:
            return
        project, preset = self.session.project, self.session.project.normalize
        reference = self.session.current_reference(self.item_id)
        lines = [f"reference: {normalise_text(nfc(reference), preset)}"]
        for system in self.session.systems:
            text = project.prediction(system, self.item_id)
            shown = "(no prediction)" if text is None else normalise_text(nfc(text), preset)
            lines.append(f"{system}: {shown}")
        self.normalised.setPlainText("\n".join(lines))

    def _on_link(self, link: str) -> None:
        _, index, system = link.split(":", 2)
        self.play_word(unquote(system), int(index))

    def _on_edit_selected(self, system: str, index: int) -> None:
        """An edit was clicked in the alignment view: play from its first prediction word."""
        if self.item_id is None or index < 0 or system not in self.words:
            return
        try:
            alignment = self.session.alignment(system, self.item_id)
        except ReviewerError:
            return
        if not 0 <= index < len(alignment.edits):
            return
        start, hyp = alignment.edits[index].hyp_span[0], alignment.hyp
        word = len(hyp[:start].split())
        if start > 0 and not hyp[start - 1].isspace():
            word -= 1  # the edit starts inside a word ('Well after a quote mark)
        words = self.words[system]
        self.play_word(system, min(word, len(words) - 1))
