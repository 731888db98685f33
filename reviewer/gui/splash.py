"""The first thing on screen: a small splash saying the window is being loaded.

Loading the window's code takes a second or two on a first start (Qt's libraries are
read from disk, Python compiles its modules); the splash shows within a few hundred
milliseconds of the start and goes once the window shows. A plain frameless label, not
``QSplashScreen``: that one waits up to a second for the window system to confirm it is
shown, which is time added to every start.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

MESSAGE = "Loading the review window…"


def show_splash() -> QLabel:
    """Show the splash now (with :data:`MESSAGE`), painted before this returns; close it
    with ``close()`` once the window shows."""
    splash = QLabel(f"<p style='font-size:20pt'><b>reviewer</b></p><p>{MESSAGE}</p>")
    splash.setObjectName("startSplash")
    splash.setTextFormat(Qt.TextFormat.RichText)
    splash.setWindowFlags(Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
    splash.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    splash.setContentsMargins(28, 18, 28, 18)
    splash.setStyleSheet("QLabel { background: #f6f6f6; color: #282828; "
                         "border: 1px solid #b0b0b0; }")
    splash.adjustSize()
    screen = QApplication.primaryScreen()
    if screen is not None:
        splash.move(screen.availableGeometry().center() - splash.rect().center())
    splash.show()
    QApplication.processEvents()
    return splash
