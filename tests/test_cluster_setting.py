"""File ▸ Dask Cluster…: the window's import scoring and OMR-NED go to the scheduler typed
there, back to this computer when the address is emptied, and an address is refused with
the extra to install while Dask is missing."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from reviewer.core.cluster import INSTALL, Cluster
from reviewer.gui.cluster_setting import SchedulerDialog, scheduler, work_place
from reviewer.gui.import_dialog import ImportDialog
from reviewer.gui.main_window import MainWindow
from tests.gui.flow_helpers import press, type_text

ADDRESS = "tcp://10.1.2.3:8786"


def answer_dialog(qtbot: QtBot, keys: list[str | Qt.Key]) -> None:
    """Type ``keys`` into the Dask cluster dialog once it is open, then press Enter; the
    dialog is closed in any case, so a failed look cannot leave the test waiting."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, SchedulerDialog)
            qtbot.waitUntil(dialog.address_edit.hasFocus, timeout=2000)
            for key in keys:
                if isinstance(key, str):
                    type_text(qtbot, key)
                else:
                    press(qtbot, key)
            press(qtbot, Qt.Key.Key_Return)
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.close()

    QTimer.singleShot(0, answer)


def file_action(win: MainWindow, text: str) -> None:
    """Trigger the File menu's ``text`` action (returns once its dialog has closed)."""
    menu = win.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu)
    [action] = [a for a in menu.actions() if a.text() == text]
    action.trigger()


def test_the_window_sends_its_work_to_the_scheduler_typed_in_file_dask_cluster(
        qtbot: QtBot) -> None:
    win = MainWindow("tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert work_place() is None  # one worker process per core until told otherwise
    answer_dialog(qtbot, [ADDRESS])
    file_action(win, "Dask Cluster…")
    assert scheduler() == ADDRESS
    assert ImportDialog(win).workers == Cluster(ADDRESS)
    # Emptying the address brings the work back to this computer.
    answer_dialog(qtbot, [Qt.Key.Key_End, *[Qt.Key.Key_Backspace] * len(ADDRESS)])
    file_action(win, "Dask Cluster…")
    assert scheduler() is None
    assert ImportDialog(win).workers is None


def test_an_address_without_dask_installed_names_the_extra(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    dialog = SchedulerDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.address_edit.hasFocus, timeout=2000)
    type_text(qtbot, ADDRESS)
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert INSTALL in dialog.error_label.text() and dialog.error_label.isVisible()
    assert scheduler() is None
