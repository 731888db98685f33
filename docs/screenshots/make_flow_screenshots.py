"""Screenshots of the review loop on the bundled OCR demo (offscreen): the window reopened
with the layout it was closed with, and the progress in the status bar.

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_flow_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from shot_setup import isolate
from shot_setup import save as _save
from shot_setup import settle as _settle

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A 1366×768 laptop screen less a desktop panel.
WINDOW = (1366, 740)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        isolate(Path(tmp), (1366, 768))  # a laptop's screen
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        from reviewer.demo import ensure_demo
        from reviewer.gui.main_window import MainWindow
        from reviewer.gui.theme import apply_theme

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        apply_theme(app, "light")
        project = ensure_demo(Path(tmp) / "demo.db")

        def opened() -> MainWindow:
            window = MainWindow("screenshots")
            window.resize(*WINDOW)
            window.show()
            window.open_project(project)
            window.activateWindow()
            _settle(app)
            return window

        window = opened()
        session, tracker = window.session, window.progress
        assert session is not None and tracker is not None
        # A verdict every 9 seconds (a simulated clock), by keys, moving on after each.
        clock = iter(range(0, 10_000, 9))
        tracker.clock = lambda: float(next(clock))
        for key in "1121311131":
            QTest.keyClick(window.items.table, Qt.Key(ord(key)))
            session.flush()
            _settle(app, 0.1)
        _settle(app)
        _save(window, "status-progress.png")
        window.close()
        _settle(app)

        window = opened()  # reopened: the layout it was closed with
        _settle(app, 1.0)
        _save(window, "reopened-window.png")
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
