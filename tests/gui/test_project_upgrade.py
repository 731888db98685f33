"""A project made by an earlier version opens after its schema steps ran in the
background under a dialog with Cancel; cancelled, it is not opened, the window stays as
it was, and the project is left to bring up to date at the next opening."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from reviewer.core.errors import Cancelled
from reviewer.core.progress import Progress
from reviewer.gui import project_upgrade
from reviewer.gui.main_window import MainWindow
from reviewer.store.db import outdated

from ..store.test_bring_up_to_date import STEP, _index_sql, _made_before_m012
from .flow_helpers import close_window, open_window


def test_an_old_project_opens_brought_up_to_date(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _made_before_m012(path)
    assert outdated(path) == [STEP]
    win = open_window(qtbot, path)
    assert win.session is not None and win.items.model.total == 48
    assert outdated(path) == []
    assert "pos, verdict" in _index_sql(path)["list_system_facts_rate_up"]
    close_window(win)


def test_cancelling_leaves_the_project_unopened_and_as_it_was(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    _made_before_m012(path)
    before = _index_sql(path)
    seen: list[str] = []

    def slow_step(_: Path, progress: Progress) -> int:  # a step of minutes, stopped
        progress.status(f"step 1 of 1 ({STEP})")
        end = time.monotonic() + 20
        while not progress.cancelled():
            if time.monotonic() > end:
                return 0  # never cancelled: the project opens, and the test fails below
            time.sleep(0.01)
        raise Cancelled("cancelled")

    monkeypatch.setattr(project_upgrade, "bring_up_to_date", slow_step)
    win = MainWindow("tester")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)

    def press_cancel() -> None:
        dialog = win.findChild(QProgressDialog, "upgradeProgress")
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(50, press_cancel)  # shown after a moment
            return
        seen.append(dialog.labelText())
        button = dialog.findChild(QPushButton)
        assert button is not None and button.text() == "Cancel"
        button.click()  # as a person does

    QTimer.singleShot(0, press_cancel)
    assert not win.open_project(path)
    assert win.session is None
    assert "was made by an earlier version" in seen[0] and STEP in seen[0]
    assert "not opened" in win.statusBar().currentMessage()
    assert outdated(path) == [STEP] and _index_sql(path) == before
    win.close()
