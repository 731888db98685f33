"""The keyboard shortcuts, in one table, and the dialog that lists them."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from reviewer.core.decisions import VERDICT_NAMES, VERDICTS
from reviewer.gui.rich_text import escape

# (action id, keys, description): the main window binds each action from this table.
SHORTCUTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    *((f"verdict:{v}", (str(k + 1),), f"Verdict: {VERDICT_NAMES[v]}")
      for k, v in enumerate(VERDICTS)),
    ("take_edit", ("R",), "The reference is wrong here: take the selected edit's prediction side"),
    ("next_item", ("J", "Down"), "Next item"),
    ("previous_item", ("K", "Up"), "Previous item"),
    ("next_unreviewed", ("N",), "Next unreviewed item"),
    ("next_edit", ("L",), "Select the next edit"),
    ("previous_edit", ("H",), "Select the previous edit"),
    ("toggle_mode", ("S",), "Switch between inline and stacked alignment"),
    ("undo", ("Ctrl+Z",), "Undo the last decision (across items)"),
    ("redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo"),
    ("find", ("Ctrl+F",), "Filter the item list"),
    ("shortcuts", ("?", "F1"), "Show this list"),
)


class ShortcutsDialog(QDialog):
    """Every shortcut with what it does."""

    def __init__(self, parent: QWidget | None = None,
                 keys: Mapping[str, tuple[str, ...]] | None = None, kind_help: str = "") -> None:
        """``keys``: the keys actions are bound to now (a kind may move one); ``kind_help``:
        the keys of the open project's kind view."""
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        bound = keys or {}
        rows = "".join(
            f"<tr><td style='padding-right:16px'>"
            f"<b>{escape(' / '.join(bound.get(action_id) or default))}</b></td>"
            f"<td>{escape(text)}</td></tr>" for action_id, default, text in SHORTCUTS)
        extra = f"<p><b>This kind of item:</b> {escape(kind_help)}</p>" if kind_help else ""
        label = QLabel(f"<table>{rows}</table>{extra}<p>Typing in the note, tags or corrected "
                       "reference fields types text; press Esc to leave them.</p>")
        label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
