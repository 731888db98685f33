"""The keyboard shortcuts, in one table, and the dialog that lists them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from reviewer.core.decisions import VERDICT_NAMES, VERDICTS
from reviewer.gui.rich_text import escape
from reviewer.gui.scrolling import fill_with_scrolling

# (action id, keys, description): the main window binds each action from this table.
SHORTCUTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    *((f"verdict:{v}", (str(k + 1),), f"Verdict: {VERDICT_NAMES[v]}")
      for k, v in enumerate(VERDICTS)),
    ("take_edit", ("R",), "The reference is wrong here: take the prediction's word at the "
                          "selected edit"),
    ("next_item", ("J", "Down"), "Next item"),
    ("previous_item", ("K", "Up"), "Previous item"),
    ("first_item", ("Home",), "First item of the list"),
    ("last_item", ("End",), "Last item of the list"),
    ("page_down", ("PgDown",), "A page down the list"),
    ("page_up", ("PgUp",), "A page up the list"),
    ("next_unreviewed", ("N",), "Next unreviewed item (at the end: back to the first; "
                                "says so when every item is reviewed)"),
    ("next_edit", ("L",), "Select the next edit"),
    ("previous_edit", ("H",), "Select the previous edit"),
    ("toggle_mode", ("S",), "Switch between inline and stacked alignment"),
    ("undo", ("Ctrl+Z",), "Undo the last decision (across items); in a text field: undo "
                          "the typing"),
    ("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo; in a text field: redo the typing"),
    ("find", ("Ctrl+F",), "Filter the item list (Enter: back to the list)"),
    ("leave_field", ("Esc",), "Leave a text field for the item list, where the keys above "
                              "work again"),
    ("shortcuts", ("?", "F1"), "Show this list"),
)
SHEET_WIDTH = 640
# Typed into a text field, these keys stay there (reviewer.gui.text_fields): said once.
IN_A_FIELD = ("In a text field (note, tags, corrected reference, filter) letters, digits, the "
              "arrows, Home, End, Page Up and Page Down edit the text; the other keys keep "
              "their meaning.")


class ShortcutsDialog(QDialog):
    """Every key the window binds, with what it does."""

    def __init__(self, rows: Sequence[tuple[tuple[str, ...], str]], kind_help: str = "",
                 parent: QWidget | None = None) -> None:
        """``rows``: ``(keys, what they do)`` of every bound action, as bound now (a kind
        may move a key); ``kind_help``: the keys of the open project's kind view."""
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.rows = list(rows)
        table = "".join(
            f"<tr><td style='padding-right:16px'><b>{escape(' / '.join(keys))}</b></td>"
            f"<td>{escape(text)}</td></tr>" for keys, text in self.rows)
        extra = f"<p><b>This kind of item:</b> {escape(kind_help)}</p>" if kind_help else ""
        label = QLabel(f"<table>{table}</table>{extra}<p>{escape(IN_A_FIELD)}</p>")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setContentsMargins(8, 8, 8, 8)
        # A long list on a small screen scrolls rather than being cut off.
        sheet = QWidget()
        fill_with_scrolling(sheet, label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(sheet, 1)
        layout.addWidget(buttons)
        # As high as the list, up to the screen's height.
        wanted = (label.heightForWidth(SHEET_WIDTH - 40) + buttons.sizeHint().height()
                  + 2 * layout.contentsMargins().top() + layout.spacing() + 8)
        screen = self.screen()
        room = screen.availableGeometry().height() - 80 if screen is not None else wanted
        self.resize(SHEET_WIDTH, min(wanted, room))
