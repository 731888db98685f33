"""Driving the import dialog from the keyboard, as a person fills it in (shared by its tests)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reviewer.gui.import_dialog import ImportDialog


def open_dialog(qtbot: QtBot, workers: int | None = 1) -> ImportDialog:
    """A shown import dialog, closed at the end of the test."""
    dialog = ImportDialog(workers=workers)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def type_reference(qtbot: QtBot, dialog: ImportDialog, path: Path) -> None:
    """Type ``path`` over the Reference field and wait until the dialog has read it."""
    edit = dialog.reference_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, str(path))
    qtbot.waitUntil(lambda: dialog.preview.path == path, timeout=5_000)


def type_project(qtbot: QtBot, dialog: ImportDialog, path: Path) -> None:
    """Type ``path`` over the Project file field."""
    edit = dialog.project_edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, str(path))


def choose_kind(qtbot: QtBot, dialog: ImportDialog, kind: str) -> None:
    """Type the kind's name on the Task kind box (its keyboard search picks it)."""
    combo = dialog.kind_combo
    combo.setFocus()
    qtbot.wait(QApplication.keyboardInputInterval() + 100)  # a new search, not a longer one
    qtbot.keyClicks(combo, kind)
    assert dialog.kind() == kind


def press_import(qtbot: QtBot, dialog: ImportDialog) -> None:
    """Press Import from the keyboard and wait until the import has ended."""
    dialog.import_button.setFocus()
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: dialog.progress is None, timeout=60_000)
