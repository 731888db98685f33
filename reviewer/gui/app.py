"""Start the window: check the platform, build the application, open a project or the demo."""

from __future__ import annotations

import ctypes.util
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reviewer.core.progress import Progress

# Qt's xcb platform plugin aborts the process when these are missing, so look first.
XCB_LIBRARIES: dict[str, str] = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-xinerama": "libxcb-xinerama0",
    "xcb-shape": "libxcb-shape0",
    "EGL": "libegl1",
    "GL": "libgl1",
}

log = logging.getLogger("reviewer.gui")


def missing_system_libraries() -> list[str]:
    """Debian packages the xcb platform plugin needs and this machine lacks."""
    if not sys.platform.startswith("linux"):
        return []
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return []
    if not platform and os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY"):
        return []
    return [pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]


def has_display() -> bool:
    """Whether a window can be shown at all (or an offscreen platform was asked for)."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY")
                or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(project: Path | None, annotator: str | None,
            demo_opener: Callable[[Progress], Path] | None = None,
            open_demo: bool = False) -> int:
    """Show the window; returns the application's exit status.

    ``open_demo``: open the demo through ``demo_opener`` once the window shows (its first
    start imports it, with progress in the window).
    """
    missing = missing_system_libraries()
    if missing:
        print("reviewer: error: Qt cannot open a window: missing system libraries.\n"
              f"  Install them with: sudo apt-get install {' '.join(missing)}", file=sys.stderr)
        return 1
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from reviewer.gui.splash import show_splash

    splash = show_splash()  # on screen while the window's code loads
    from reviewer.gui import settings
    from reviewer.gui.main_window import MainWindow
    from reviewer.gui.theme import apply_theme

    app.setApplicationName("reviewer")
    app.setOrganizationName("reviewer")
    app.setDesktopFileName("io.github.reviewer")
    apply_theme(app, settings.theme() or "light")

    def excepthook(kind: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        # An unexpected error is shown and logged; the window stays usable.
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        from reviewer.gui.rich_text import literal
        from reviewer.store.open_errors import describe

        # A page of the project found damaged while reading it is said as such.
        QMessageBox.critical(None, "Unexpected error",
                             literal(describe(None, exc) or f"{kind.__name__}: {exc}"))

    sys.excepthook = excepthook
    window = MainWindow(annotator, demo_opener)
    window.show()
    splash.close()
    if open_demo:
        window.open_demo()
    elif project is not None:
        window.open_project(project)
    else:
        recent = settings.recent_projects()
        if recent:
            window.open_project(Path(recent[0]))
    quit_after = os.environ.get("REVIEWER_QUIT_AFTER_MS")
    if quit_after:
        # For smoke tests of a built application: start, show, then leave cleanly.
        from PySide6.QtCore import QTimer

        QTimer.singleShot(int(quit_after), window.close)
    return int(app.exec())
