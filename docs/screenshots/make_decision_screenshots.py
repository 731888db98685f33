"""Regenerate the screenshots of the decision panel (offscreen).

- verdict-chosen-light.png, verdict-chosen-dark.png: the text demo's panel with the verdict
  "Reference error" chosen by its key, in each theme;
- gec-corrected-sentence.png: the gec demo's panel, its gold shown as corrected sentences.

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_decision_screenshots.py
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


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        isolate(Path(tmp))
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        from reviewer.demo import ensure_demo
        from reviewer.gui.main_window import MainWindow
        from reviewer.gui.theme import apply_theme

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        for theme in ("light", "dark"):
            apply_theme(app, theme)
            project = ensure_demo(Path(tmp) / f"demo-{theme}.db", "text")
            window = MainWindow("screenshots")
            window.resize(1400, 860)
            window.open_project(project)
            window.show()
            session = window.session
            assert session is not None
            session.set_current_item("line_0021")  # a planted reference mistake
            window.auto_advance_action.setChecked(False)  # the verdict's item stays in view
            _settle(app)
            QTest.keyClick(window.diff, Qt.Key.Key_3)  # "Reference error"
            session.flush()
            _settle(app)
            _save(window.panel, f"verdict-chosen-{theme}.png")
            window.close()
        apply_theme(app, "light")

        project = ensure_demo(Path(tmp) / "demo-gec.db", "gec")
        window = MainWindow("screenshots")
        window.resize(1400, 860)
        window.open_project(project)
        window.show()
        session = window.session
        assert session is not None
        session.set_current_item(session.project.first_item_id() or "")
        _settle(app)
        _save(window.panel, "gec-corrected-sentence.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
