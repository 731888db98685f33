"""Regenerate the README's screenshots of the window on the bundled demo (offscreen).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        # Keep the user's preferences and window layout out of it.
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        from PySide6.QtWidgets import QApplication, QDockWidget

        from reviewer.demo import ensure_demo
        from reviewer.gui.import_dialog import ImportDialog
        from reviewer.gui.main_window import MainWindow
        from reviewer.gui.theme import apply_theme
        from reviewer.resources import demo_dir

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        apply_theme(app, "light")
        project = ensure_demo(Path(tmp) / "demo.db")
        window = MainWindow("screenshots", demo_opener=lambda: project)
        window.resize(1480, 900)
        window.open_project(project)
        window.show()
        session = window.session
        assert session is not None
        item = _busiest_item(session)
        session.set_current_item(item)
        _settle(app)
        window.stats.refresh()
        _settle(app, 2.0)
        _save(window, "main_light.png")
        stats_dock = next(d for d in window.findChildren(QDockWidget) if d.objectName() == "stats")
        stats_dock.raise_()
        _settle(app, 2.0)
        _save(window, "main_stats.png")
        next(d for d in window.findChildren(QDockWidget) if d.objectName() == "label").raise_()
        window.diff.set_mode("stacked")
        _settle(app)
        _save(window, "main_stacked.png")
        window.diff.set_mode("inline")
        apply_theme(app, "dark")
        session.categoryVisibilityChanged.emit()
        _settle(app)
        _save(window, "main_dark.png")
        apply_theme(app, "light")

        folder = demo_dir("text")
        dialog = ImportDialog(window)
        dialog.set_reference(str(folder / "lines"))
        dialog.add_prediction(str(folder / "tesseract-lstm"))
        dialog.add_prediction(str(folder / "tesseract-lstm-halfres"))
        dialog.set_project_path(str(Path(tmp) / "ocr-lines.db"))
        dialog.resize(900, 640)
        dialog.show()
        _settle(app)
        _save(dialog, "import_dialog.png")
        dialog.close()
        window.close()
    return 0


def _busiest_item(session) -> str:  # type: ignore[no-untyped-def]
    """The item whose alignments show the most different categories."""
    best, best_key = session.project.item_ids()[0], (0, 0)
    for row in session.project.alignment_rows("original"):
        cats = row.categories()
        key = (len(cats), -row.counts.char_errors)
        if key > best_key and row.counts.char_errors < 12:
            best, best_key = row.item_id, key
    return str(best)


def _settle(app, seconds: float = 0.6) -> None:  # type: ignore[no-untyped-def]
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _save(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    path = HERE / name
    widget.grab().save(str(path))
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
