"""A demo's first start shows what it is doing (issue 16, finding 10: "the first asr demo
start took 30 s with nothing shown"): the window is up and a progress dialog names the
step while the demo is imported in the background."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QProgressDialog
from pytestqt.qtbot import QtBot

from reviewer.core.progress import Progress
from reviewer.demo import ensure_demo
from reviewer.gui.main_window import MainWindow

STEP = "aligning and scoring 60 pairs (30 items, 2 systems), then saving the project"


def test_the_window_shows_the_import_step_while_the_demo_is_imported(
        tmp_path: Path, qtbot: QtBot) -> None:
    project = ensure_demo(tmp_path / "demo-asr.db", "asr")
    release = threading.Event()

    def slow_import(progress: Progress | None = None) -> Path:
        if progress is not None:
            progress.status(STEP)
            progress.set(0.3)
        release.wait(3)  # the import is under way until the test has looked
        return project

    win = MainWindow("tester", demo_opener=slow_import)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    seen: list[tuple[bool, str, bool]] = []

    def look() -> None:
        dialog = win.findChild(QProgressDialog, "demoProgress")
        seen.append((dialog is not None and dialog.isVisible(),
                     dialog.labelText() if dialog is not None else "", win.isVisible()))
        release.set()

    QTimer.singleShot(700, look)
    win.open_demo()
    assert seen and seen[0][0], "no progress shown while the demo was imported"
    assert STEP in seen[0][1] and seen[0][2]
    assert win.session is not None and win.session.kind == "asr"
    dialog = win.findChild(QProgressDialog, "demoProgress")
    assert dialog is None or not dialog.isVisible()  # gone once the demo is open
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()


def test_a_first_demo_import_reports_its_steps(tmp_path: Path) -> None:
    steps: list[str] = []
    fractions: list[float] = []

    class Recorder:
        def set(self, value: float) -> None:
            fractions.append(value)

        def status(self, text: str) -> None:
            steps.append(text)

        def cancelled(self) -> bool:
            return False

    path = ensure_demo(tmp_path / "demo.db", "asr", Recorder())
    assert path.is_file()
    assert any(s.startswith("aligning and scoring") for s in steps)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    steps.clear()
    ensure_demo(path, "asr", Recorder())  # imported already: nothing to say
    assert steps == []


def test_reviewer_demo_opens_the_window_before_importing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``reviewer demo`` hands the import to the window instead of doing it first."""
    from reviewer.cli import launching

    calls: list[dict[str, object]] = []

    def run_gui(project: Path | None, annotator: str | None, **kw: object) -> int:
        calls.append({"project": project, **kw})
        return 0

    monkeypatch.setattr("reviewer.gui.app.has_display", lambda: True)
    monkeypatch.setattr("reviewer.gui.app.run_gui", run_gui)
    target = tmp_path / "demo-asr.db"
    args = argparse.Namespace(kind="asr", project=target, print_only=False, annotator="me",
                              worst=5)
    assert launching.run(args) == 0
    assert not target.exists()  # not imported before the window shows
    assert calls and calls[0]["open_demo"] is True and calls[0]["project"] is None
    opener = calls[0]["demo_opener"]
    assert callable(opener)
    assert opener(None) == target and target.is_file()


def test_a_splash_is_on_screen_while_the_window_loads(qtbot: QtBot) -> None:
    from reviewer.gui.splash import MESSAGE, show_splash

    splash = show_splash()
    qtbot.addWidget(splash)
    assert splash.isVisible() and MESSAGE in splash.text()
    assert splash.windowFlags() & Qt.WindowType.SplashScreen
    splash.close()
    assert not splash.isVisible()
