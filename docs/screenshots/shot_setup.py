"""What every screenshot script sets up before Qt starts: the user's own preferences and
window layout kept out, and an offscreen screen the window fits on (the offscreen
platform's default screen is 800×800, and the window caps itself to its screen)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def isolate(tmp: Path, screen: tuple[int, int] = (1600, 1000)) -> None:
    """Point the preferences at ``tmp`` and, offscreen, give Qt a screen of ``screen``."""
    os.environ["XDG_DATA_HOME"] = str(tmp / "data")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    platform = os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if platform != "offscreen":
        return
    width, height = screen
    config = tmp / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "shots", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def settle(app: Any, seconds: float = 0.8) -> None:
    """Let the window lay itself out and finish background work for ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(widget: Any, name: str) -> None:
    """Grab ``widget`` into ``docs/screenshots/<name>`` and say so."""
    path = HERE / name
    widget.grab().save(str(path))
    print(f"wrote {path}")


def light_app() -> Any:
    """The QApplication (made when there is none) in the light theme; call after ``isolate``."""
    import sys

    from PySide6.QtWidgets import QApplication

    from reviewer.gui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    return app


def open_window(app: Any, project: Path, size: tuple[int, int]) -> Any:
    """A main window of ``size`` on ``project``, from the default dock layout, settled."""
    from reviewer.gui.main_window import MainWindow
    from reviewer.gui.settings import qsettings

    qsettings().remove("window/state")  # each window starts from the default layout
    window = MainWindow("screenshots")
    window.resize(*size)
    window.open_project(project)
    window.show()
    window.resize(*size)  # again: showing may have fitted it to its contents
    settle(app)
    return window
