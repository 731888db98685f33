"""The diff view: the reference and each system's prediction, every edit highlighted.

All blocks live in one read-only QTextDocument so that they wrap and scroll together.
The document is written by :mod:`reviewer.gui.diff_render`, which also records where
each edit was drawn; hover and click look positions up there.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QHelpEvent,
    QKeySequence,
    QMouseEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QWheelEvent,
)
from PySide6.QtWidgets import QStyle, QTextEdit, QToolBar, QToolTip, QVBoxLayout, QWidget

from reviewer.core.errors import ReviewerError
from reviewer.core.pair_text import display_text
from reviewer.core.suspicion import canonical
from reviewer.gui import diff_render
from reviewer.gui.diff_render import Block, Key, Mark, Rendering, Styles, SystemDiff
from reviewer.gui.rich_text import escape
from reviewer.gui.session import ReviewSession
from reviewer.gui.suspicion import tracker
from reviewer.gui.theme import current_theme

MODES = ("inline", "stacked")
ZOOM_RANGE = (-4, 24)  # points added to the widget's font size


def default_mode(systems: int) -> str:
    """Stacked rows when there are several systems: inline, the reference row would carry
    every system's edits at once; one system reads well inline."""
    return "stacked" if systems > 1 else "inline"


class _DiffText(QTextEdit):
    """The text area; hands hover, click, Ctrl+wheel and resizes to its owner."""

    def __init__(self, owner: DiffView) -> None:
        super().__init__(owner)
        self._owner = owner
        self._press: QPoint | None = None
        self._over_edit = False
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.viewport().setMouseTracking(True)

    def char_at(self, pos: QPoint) -> int | None:
        """Document position of the character under viewport point ``pos``."""
        offset = QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        hit = self.document().documentLayout().hitTest(QPointF(pos) + offset,
                                                       Qt.HitTestAccuracy.ExactHit)
        if hit < 0:
            return None
        cursor = QTextCursor(self.document())
        cursor.setPosition(hit)
        # The hit is the nearest cursor gap: the character is after it or before it.
        return hit if pos.x() >= self.cursorRect(cursor).x() else hit - 1

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            pos = self.char_at(event.pos())
            tip = self._owner.tooltip_for_position(pos) if pos is not None else ""
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        self._press = event.position().toPoint()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        pos = event.position().toPoint()
        if (event.button() == Qt.MouseButton.LeftButton and press is not None
                and (pos - press).manhattanLength() < 4 and not self.textCursor().hasSelection()):
            char = self.char_at(pos)
            if char is not None:
                self._owner.click_position(char)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        if event.buttons() == Qt.MouseButton.NoButton:
            char = self.char_at(event.position().toPoint())
            over = char is not None and self._owner.mark_at_position(char) is not None
            if over != self._over_edit:
                self._over_edit = over
                self.viewport().setCursor(Qt.CursorShape.PointingHandCursor if over
                                          else Qt.CursorShape.IBeamCursor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._owner.zoom(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
        else:
            super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._owner.relayout()


class DiffView(QWidget):
    """The current item's reference and predictions, aligned, with categorised edits."""

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._mode = default_mode(len(session.systems))
        self._zoom = 0
        self._item: str | None = None
        self._preview: str | None = None
        self._reference = ""
        self._systems: list[SystemDiff] = []
        self._rendering = Rendering()
        self._columns = 0
        self._shown_selection: Key | None = None
        self._rendering_now = False

        self.setObjectName("diffView")
        self.setAccessibleName("Alignment of the reference and the predictions")
        self.text = _DiffText(self)
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.mode_action = self._action("Stacked", "Show reference and prediction as aligned rows "
                                        "(toggle inline/stacked)", self._toggle_mode, ())
        self.mode_action.setCheckable(True)
        self.mode_action.setChecked(self._mode == "stacked")
        self._action("A+", "Larger text (Ctrl+=)", lambda: self.zoom(1),
                     (QKeySequence("Ctrl+="), QKeySequence(QKeySequence.StandardKey.ZoomIn)))
        self._action("A−", "Smaller text (Ctrl+-)", lambda: self.zoom(-1),
                     (QKeySequence("Ctrl+-"), QKeySequence(QKeySequence.StandardKey.ZoomOut)))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.text)

        session.currentItemChanged.connect(self.show_item)
        session.decisionChanged.connect(self._on_decision_changed)
        session.categoryVisibilityChanged.connect(self.refresh)
        session.editSelected.connect(self._on_edit_selected)
        tracker(session).ready.connect(self.refresh)
        if session.current_item is not None:
            self.show_item(session.current_item)

    def _action(self, text: str, tip: str, slot: Callable[[], None],
                keys: tuple[QKeySequence, ...]) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        if keys:
            action.setShortcuts(list(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    # -- public API ----------------------------------------------------------------------
    @property
    def mode(self) -> str:
        """``inline`` or ``stacked``."""
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Show edits inline in running text, or as stacked reference/prediction rows."""
        if mode not in MODES:
            raise ValueError(f"unknown diff mode {mode!r}; choose one of {', '.join(MODES)}")
        self.mode_action.setChecked(mode == "stacked")
        if mode != self._mode:
            self._mode = mode
            self.refresh()

    def show_item(self, item_id: str) -> None:
        """Show ``item_id`` (a typed, uncommitted reference of another item is dropped)."""
        if item_id != self._item:
            self._preview = None
        self._item = item_id
        self._load()
        self.refresh(keep_scroll=False)

    def set_preview_reference(self, text: str | None) -> None:
        """Align against ``text`` (the reference being typed), or the stored one if ``None``."""
        if text == self._preview:
            return
        self._preview = text
        if self._item is not None:
            self._load()
            self.refresh()

    def select_next_edit(self, step: int = 1) -> bool:
        """Select the next (``+1``) or previous (``-1``) visible edit; ``False`` at the end."""
        order = self._rendering.order
        if not order:
            return False
        current = self.session.selected_edit
        k = order.index(current) + step if current in order else (0 if step > 0 else len(order) - 1)
        if not 0 <= k < len(order):
            return False
        self.session.select_edit(*order[k])
        return True

    def zoom(self, step: int) -> None:
        """Make the text ``step`` points larger (or smaller)."""
        zoom = min(max(self._zoom + step, ZOOM_RANGE[0]), ZOOM_RANGE[1])
        if zoom != self._zoom:
            self._zoom = zoom
            self.refresh()

    def rendered_edits(self) -> list[tuple[str, int, str]]:
        """``(system, edit index, category)`` of every highlighted edit, in display order."""
        edits = self._rendering.edits
        return [(s, k, edits[(s, k)].category) for s, k in self._rendering.order]

    def block_text(self, block: Block) -> str:
        """The text of a system's block (``None``: the reference block) as shown."""
        start, end = self._rendering.blocks[block]
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")

    def edit_at(self, block: Block, char_pos: int) -> Key | None:
        """The edit drawn at ``char_pos`` characters into :meth:`block_text` of ``block``."""
        mark = self.mark_at_position(self._doc_position(block, char_pos))
        if mark is None:
            return None
        selected = self.session.selected_edit
        return selected if selected in mark.keys else mark.keys[0]

    def char_format_at(self, block: Block, char_pos: int) -> QTextCharFormat:
        """The character format at ``char_pos`` of ``block`` (for tests and screenshots)."""
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self._doc_position(block, char_pos) + 1)
        return cursor.charFormat()

    def tooltip_at(self, block: Block, char_pos: int) -> str:
        """The tooltip shown over ``char_pos`` of ``block`` ('' where there is no edit)."""
        return self.tooltip_for_position(self._doc_position(block, char_pos))

    # -- positions -----------------------------------------------------------------------
    def _doc_position(self, block: Block, char_pos: int) -> int:
        text = self.block_text(block)[:char_pos]
        # Document positions count UTF-16 units, Python strings count code points.
        return self._rendering.blocks[block][0] + len(text.encode("utf-16-le")) // 2

    def mark_at_position(self, pos: int) -> Mark | None:
        return self._rendering.mark_at(pos)

    def _pick(self, mark: Mark) -> Key:
        """The edit a click on ``mark`` selects: the next one after a selected one there."""
        selected = self.session.selected_edit
        if selected in mark.keys:
            return mark.keys[(mark.keys.index(selected) + 1) % len(mark.keys)]
        return mark.keys[0]

    def click_position(self, pos: int) -> None:
        mark = self.mark_at_position(pos)
        if mark is not None:
            self.session.select_edit(*self._pick(mark))

    def tooltip_for_position(self, pos: int) -> str:
        mark, note = self.mark_at_position(pos), self._rendering.note_at(pos)
        if mark is None:
            return f"<p style='white-space:pre'>{note}</p>" if note else ""
        names = {c.id: c.name for c in self.session.categories}
        lines = []
        for system, k in mark.keys:
            e = self._rendering.edits[(system, k)]
            prefix = f"{escape(system)} — " if mark.block is None else ""
            lines.append(f"{prefix}<b>{escape(names.get(e.category, e.category))}</b>: "
                         f"'{_side(e.ref_text)}' → '{_side(e.hyp_text)}'")
        if mark.suspect:
            lines.append("<i>Several systems make this change: the reference may be wrong "
                         "here</i>")
        if note:  # an NLP call's entity span or normalised reading
            lines.append(note)
        return "<p style='white-space:pre'>" + "<br>".join(lines) + "</p>"

    # -- rendering -----------------------------------------------------------------------
    def _load(self) -> None:
        item = self._item
        if item is None:
            return
        project, systems = self.session.project, []
        for system in self.session.systems:
            note = "" if project.prediction(system, item) is not None else "no prediction"
            try:
                if self._preview is None:
                    alignment = self.session.alignment(system, item)
                else:
                    alignment = self.session.preview_alignment(system, item, self._preview)
            except ReviewerError as exc:
                systems.append(SystemDiff(system, None, str(exc)))
            else:
                systems.append(SystemDiff(system, alignment, note))
        first = next((s.alignment for s in systems if s.alignment is not None), None)
        if first is not None:
            self._reference = first.ref
        else:
            text = self._preview if self._preview is not None else \
                self.session.current_reference(item)
            self._reference = display_text(text, project.char_mode)
        self._systems = systems

    def _fonts(self) -> tuple[QFont, QFont]:
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() + self._zoom, 5.0))
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(font.pointSizeF())
        return font, mono

    def _columns_for(self, mono: QFont) -> int:
        text = self.text
        # From the widget width, scroll bar always subtracted, so that a scroll bar
        # appearing after a re-layout cannot change the width and loop.
        avail = (text.width() - 2 * text.frameWidth()
                 - text.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
                 - 2 * text.document().documentMargin() - 4)
        return max(int(avail // QFontMetricsF(mono).horizontalAdvance("M")), 12)

    def refresh(self, keep_scroll: bool = True) -> None:
        """Write the current item into the document again."""
        if self._item is None or self._rendering_now:
            return
        self._rendering_now = True
        try:
            bar = self.text.verticalScrollBar()
            scroll = bar.value() if keep_scroll else 0
            font, mono = self._fonts()
            theme = current_theme()
            styles = Styles(self.session.categories, theme, font, mono,
                            self.palette().color(QPalette.ColorRole.PlaceholderText))
            doc = self.text.document()
            doc.setDefaultFont(font)
            self._columns = self._columns_for(mono)
            title = "Reference" if self._preview is None else "Reference (edited, not saved)"
            selected = self.session.selected_edit
            self._rendering = diff_render.render(
                doc, title, self._reference, self._systems, self._mode, self._columns, styles,
                self.session.hidden_categories, selected, self._suspect_keys(),
                self.session.spec.main_level.metric)
            self._styles = styles
            self._shown_selection = selected
            bar.setValue(scroll)
        finally:
            self._rendering_now = False

    def _suspect_keys(self) -> frozenset[Key]:
        """The edits that several systems make alike (marked: the reference may be wrong)."""
        if self._item is None or self._preview is not None:
            return frozenset()
        spans = tracker(self.session).spans(self._item)
        wanted = {(s.ref_span[0], s.ref_span[1], s.replacement) for s in spans}
        return frozenset(
            (d.system, k) for d in self._systems if wanted and d.alignment is not None
            for k, e in enumerate(d.alignment.edits)
            if canonical(d.alignment.ref, (*e.ref_span, e.hyp_text)) in wanted)

    def relayout(self) -> None:
        """Re-wrap the stacked rows when the width allows a different number of columns."""
        if (self._mode == "stacked" and self._item is not None
                and self._columns_for(self._fonts()[1]) != self._columns):
            self.refresh()

    def _restyle(self, key: Key | None, selected: Key | None) -> None:
        if key is None:
            return
        cursor = QTextCursor(self.text.document())
        for mark in self._rendering.marks_of(key):
            fmt = self._styles.mark(mark.category_for(selected), selected in mark.keys,
                                    mark.mono, mark.gap, mark.suspect)
            cursor.setPosition(mark.start)
            cursor.setPosition(mark.end, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(fmt)

    def _on_edit_selected(self, system: str, index: int) -> None:
        selected = (system, index) if index >= 0 else None
        previous, self._shown_selection = self._shown_selection, selected
        self._restyle(previous, selected)
        self._restyle(selected, selected)
        marks = self._rendering.marks_of(selected) if selected else []
        own = [m for m in marks if m.block == system] or marks
        if own:
            cursor = QTextCursor(self.text.document())
            cursor.setPosition(own[0].start)
            self.text.setTextCursor(cursor)
            self.text.ensureCursorVisible()

    def _on_decision_changed(self, item_id: str) -> None:
        if item_id == self._item:
            self._load()
            self.refresh()

    def _toggle_mode(self) -> None:
        self.set_mode("stacked" if self.mode_action.isChecked() else "inline")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
                            QEvent.Type.FontChange):
            self.refresh()


def _side(text: str) -> str:
    return escape(text).replace("\n", "↵") if text else "∅"
