"""The gec item view: the source once, each gold annotator's and each system's correction.

Every edit is highlighted in its category's colour and labelled ``op:type``; a system's
edits are marked TP or FP against the gold annotator kept for the sentence, and the gold
edits it missed are listed as FN. Keys (window-wide in gec projects): E / Shift+E select
the next / previous edit (or click one); A accepts the selected system edit into the gold
(a gold omission); X rejects the selected gold edit. Either sets the verdict "reference
error" with the corrected gold as the cleaned reference; Ctrl+Z undoes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from reviewer.core.categories import category
from reviewer.core.gec import (
    M2Edit,
    accept,
    annotators,
    apply,
    block_text,
    judge,
    parse_block,
    reject,
)
from reviewer.core.gec_sentences import block_from_sentences, corrected_sentences
from reviewer.core.kinds.gec import edit_category
from reviewer.gui.kinds.base_view import ItemView
from reviewer.gui.kinds.kind_view import ReferenceText
from reviewer.gui.rich_text import literal
from reviewer.gui.session import ReviewSession
from reviewer.gui.theme import category_colour, current_theme, text_colour

HELP = ("Keys: E / Shift+E select the next / previous edit (or click one) · A accepts the "
        "selected system edit into the gold (a gold omission) · X rejects the selected gold "
        "edit · Ctrl+Z undoes. TP: the gold has the edit; FP: it has not; FN: a gold edit the "
        "system missed.")


# The decision panel shows the gold as the corrected sentences, not as M2.
REFERENCE_TEXT = ReferenceText(
    label="Corrected sentence (one line per gold annotator)",
    shown=corrected_sentences,
    stored=lambda text, reference: block_from_sentences(reference, text),
    hint="The source sentence with the gold edits applied")


def make_view(session: ReviewSession) -> ItemView:
    """The gec view of ``session``'s current item."""
    return GecView(session)


@dataclass(frozen=True, slots=True)
class Shown:
    """A selectable edit: whose row it is on, the edit, and its TP/FP/FN mark ('' for gold)."""

    row: str  # "gold" or a system name
    edit: M2Edit
    mark: str
    start: int = 0  # its place in the document
    end: int = 0


class GecView(ItemView):
    """Source, gold corrections and system corrections of the current sentence."""

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.shown: list[Shown] = []
        self.selected = -1
        self.gold: list[M2Edit] = []
        self.source: str = ""
        self._original = ""
        self._kept: dict[str, int] = {}  # system -> the gold annotator it is judged against
        self._doc: QTextDocument | None = None
        self.setToolTip(HELP)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_anchor)
        self.browser.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.changes = QLabel()  # how the gold differs from the imported one
        self.status = QLabel()  # the selected edit, or why a key did nothing
        for label in (self.changes, self.status):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        hint = QLabel(HELP)
        hint.setWordWrap(True)
        hint.setEnabled(False)  # a quiet caption
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.changes)
        layout.addWidget(self.status)
        layout.addWidget(hint)
        self.add_window_keys(((key,), key, slot) for key, slot in (
            ("E", lambda: self.select_next(1)), ("Shift+E", lambda: self.select_next(-1)),
            ("A", self.accept_selected), ("X", self.reject_selected)))
        session.categoryVisibilityChanged.connect(self.refresh)
        self.follow_session()

    # -- showing -------------------------------------------------------------------------
    def show_item(self, item_id: str) -> None:
        self.selected = -1
        super().show_item(item_id)

    def refresh(self) -> None:
        """Read the current item, its corrected gold and the systems' edits again."""
        if self.item_id is None:
            return
        project = self.session.project
        item = project.item(self.item_id)
        self._original = item.reference
        current = self.session.current_reference(self.item_id)
        source, self.gold = parse_block(current)
        self.source = source if source is not None else dict(item.meta).get("source", "")
        tokens = self.source.split()
        doc = QTextDocument(self.browser)
        doc.setDefaultFont(self.browser.font())
        writer = _Writer(doc, self.session.hidden_categories, tokens)
        before = self._selection()
        self.shown = []
        writer.caption(f"Source · sentence {item.id}")
        writer.sentence([(t, None) for t in tokens], "", [])
        for annotator in annotators(self.gold):
            mine = [e for e in self.gold if e.annotator == annotator]
            writer.caption(f"Gold · annotator {annotator}" + _noop_note(mine))
            self.shown += writer.sentence(apply(tokens, mine), "gold",
                                          [(e, "") for e in mine if not e.is_noop])
        self._kept = {}
        for system in self.session.systems:
            hyp = project.prediction(system, self.item_id)
            _, edits = parse_block(hyp or "")
            judged = judge(self.gold, edits)
            self._kept[system] = judged.counts.ref
            c = judged.counts
            writer.caption(f"{system} · against annotator {c.ref} · TP {c.tp} · FP {c.fp} · "
                           f"FN {c.fn}" + ("" if hyp is not None else " · no prediction"))
            self.shown += writer.sentence(apply(tokens, edits), system, list(judged.marks))
            if judged.missed:
                self.shown += writer.missed(system, judged.missed)
        previous, self._doc = self._doc, doc
        self.browser.setDocument(doc)
        if previous is not None:  # the browser deletes only the document it made itself
            previous.deleteLater()
        self._show_changes()
        self.selected = -1
        if before is not None:  # the same edit on the same row, if it is still shown
            self.selected = next((k for k, s in enumerate(self.shown)
                                  if (s.row, s.edit) == (before.row, before.edit)), -1)
        if self.selected >= 0:
            self._highlight()
        else:
            self.status.clear()

    def _show_changes(self) -> None:
        _, original = parse_block(self._original)
        added = [e for e in self.gold if not e.is_noop and e not in original]
        removed = [e for e in original if not e.is_noop and e not in self.gold]
        parts = []
        if added:
            parts.append("accepted into the gold: " + ", ".join(_label(e) for e in added))
        if removed:
            parts.append("rejected: " + ", ".join(_label(e) for e in removed))
        self.changes.setText(("Gold corrected — " + "; ".join(parts)) if parts
                             else "Gold as imported.")

    # -- selecting -----------------------------------------------------------------------
    def select_next(self, step: int) -> None:
        """Select the next (``step`` 1) or previous (-1) edit, wrapping around."""
        if not self.shown:
            return
        if self.selected < 0:
            self.selected = 0 if step > 0 else len(self.shown) - 1
        else:
            self.selected = (self.selected + step) % len(self.shown)
        self._highlight()

    def select(self, index: int) -> None:
        if 0 <= index < len(self.shown):
            self.selected = index
            self._highlight()

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("edit:"):
            self.select(int(text[5:]))

    def _highlight(self) -> None:
        shown = self.shown[self.selected]
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(shown.start)
        cursor.setPosition(shown.end, QTextCursor.MoveMode.KeepAnchor)
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()
        where = "gold" if shown.row == "gold" else shown.row
        mark = f" ({shown.mark})" if shown.mark else ""
        self.status.setText(f"Selected: {_label(shown.edit)}{mark} on the {where} row. "
                            + ("A accepts it into the gold." if shown.row != "gold"
                               and shown.mark == "FP" else
                               "X rejects it from the gold." if shown.row == "gold"
                               or shown.mark == "FN" else ""))

    # -- deciding ------------------------------------------------------------------------
    def accept_selected(self) -> None:
        """Add the selected system edit to the gold annotator its system is judged against."""
        shown = self._selection()
        if shown is None or shown.row == "gold" or shown.mark == "FN":
            self.status.setText("Select a system edit (E) to accept it into the gold.")
            return
        if shown.mark == "TP":
            self.status.setText("The gold already has this edit.")
            return
        self._store(accept(self.gold, shown.edit, self._kept.get(shown.row, 0)))

    def reject_selected(self) -> None:
        """Drop the selected gold edit (on a gold row, or missed by a system) from the gold."""
        shown = self._selection()
        if shown is None or (shown.row != "gold" and shown.mark != "FN"):
            self.status.setText("Select a gold edit (E) to reject it.")
            return
        self._store(reject(self.gold, shown.edit))

    def _selection(self) -> Shown | None:
        return self.shown[self.selected] if 0 <= self.selected < len(self.shown) else None

    def _store(self, gold: list[M2Edit]) -> None:
        if self.item_id is None:
            return
        block = block_text(self.source, gold)
        if block == self._original:
            self.session.decide(self.item_id, corrected_reference=None)
        else:
            self.session.decide(self.item_id, verdict="reference_error",
                                corrected_reference=block)


def _label(e: M2Edit) -> str:
    return f"{e.type} {e.start}–{e.end} → {e.correction or '∅'}"


def _noop_note(edits: Sequence[M2Edit]) -> str:
    return " · no edits" if all(e.is_noop for e in edits) else ""


class _Writer:
    """Writes the view's document: captions and sentences with labelled edit chips."""

    def __init__(self, doc: QTextDocument, hidden: set[str], tokens: list[str]) -> None:
        self.cursor = QTextCursor(doc)
        self.hidden = hidden
        self.tokens = tokens
        self.theme = current_theme()
        self.first = True
        self.count = 0
        base = doc.defaultFont()
        self.plain = QTextCharFormat()
        big = QFont(base)
        big.setPointSizeF(base.pointSizeF() + 2)
        self.plain.setFont(big)
        self.small = QTextCharFormat()
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() - 1.5, 6.0))
        self.small.setFont(small)
        self.head = QTextCharFormat()
        bold = QFont(base)
        bold.setBold(True)
        self.head.setFont(bold)

    def _block(self, top: float) -> None:
        fmt = QTextBlockFormat()
        fmt.setTopMargin(0.0 if self.first else top)
        fmt.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        if self.first:
            self.cursor.setBlockFormat(fmt)
            self.first = False
        else:
            self.cursor.insertBlock(fmt)

    def caption(self, text: str) -> None:
        self._block(12.0)
        self.cursor.insertText(text, self.head)

    def _chip(self, edit: M2Edit, mark: str, anchor: int, text: str) -> tuple[int, int]:
        cid = edit_category(edit, self.tokens)
        fmt = QTextCharFormat(self.plain)
        if cid not in self.hidden:
            fmt.setBackground(category_colour(category("gec", cid), self.theme))
            fmt.setForeground(text_colour(self.theme))
        if mark == "FP":
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        elif mark == "FN":
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        fmt.setAnchor(True)
        fmt.setAnchorHref(f"edit:{anchor}")
        fmt.setToolTip(literal(f"{_label(edit)} · annotator {edit.annotator}"
                               + (f" · {mark}" if mark else "")))
        start = self.cursor.position()
        self.cursor.insertText(text, fmt)
        tag = QTextCharFormat(self.small)
        tag.setAnchor(True)
        tag.setAnchorHref(f"edit:{anchor}")
        self.cursor.insertText(f" {edit.type}", tag)
        if mark:
            tag.setFontWeight(QFont.Weight.Bold)
            self.cursor.insertText(f" {mark}", tag)
        return start, self.cursor.position()

    def _edit_text(self, edit: M2Edit) -> str:
        if edit.correction:
            return edit.correction
        removed = " ".join(self.tokens[edit.start:edit.end])
        return f"[−{removed}]" if removed else "∅"

    def sentence(self, pieces: list[tuple[str, M2Edit | None]], row: str,
                 marked: list[tuple[M2Edit, str]]) -> list[Shown]:
        """One corrected sentence; returns its edits in reading order."""
        self._block(2.0)
        marks = dict(marked)
        out: list[Shown] = []
        for k, (text, edit) in enumerate(pieces):
            if k:
                self.cursor.insertText(" ", self.plain)
            if edit is None:
                self.cursor.insertText(text, self.plain)
                continue
            start, end = self._chip(edit, marks.get(edit, ""), self.count, self._edit_text(edit))
            out.append(Shown(row, edit, marks.get(edit, ""), start, end))
            self.count += 1
        return out

    def missed(self, row: str, edits: Sequence[M2Edit]) -> list[Shown]:
        """The gold edits a system missed, each as ``original → correction``."""
        self._block(2.0)
        self.cursor.insertText("missed:", self.small)
        out: list[Shown] = []
        for edit in edits:
            self.cursor.insertText("  ", self.plain)
            original = " ".join(self.tokens[edit.start:edit.end]) or "∅"
            start, end = self._chip(edit, "FN", self.count,
                                    f"{original} → {edit.correction or '∅'}")
            out.append(Shown(row, edit, "FN", start, end))
            self.count += 1
        return out
