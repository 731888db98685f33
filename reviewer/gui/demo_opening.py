"""Opening a bundled demo from the window: imported off the main thread, with progress.

The first start of a demo imports it (reading its files, aligning and scoring every pair,
writing the project): seconds on a busy laptop, during which the window used to show
nothing at all. The import now runs in the background while a dialog says what is being
done; later starts find the project and open it at once (the dialog never shows).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QProgressDialog, QWidget

from reviewer.core.progress import Progress
from reviewer.gui.tasks import TaskProgress, run_with_dialog, set_up_waiting

# Imports the demo (when it is not yet) and returns its project, reporting to the progress.
DemoOpener = Callable[[Progress], Path]
# A demo already imported opens faster than this: no dialog flashes up.
SHOW_AFTER_MS = 300
STEPS = 1000


class DemoProgressDialog(QProgressDialog):
    """What the demo import is doing, with a bar."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__("Preparing the demo (first start only)…", "", 0, STEPS, parent)
        self.setCancelButton(None)  # a half-imported demo is never kept, nor worth stopping
        set_up_waiting(self, "demoProgress", "Opening the demo", 460)
        self.setLabelText("Preparing the demo (first start only)…")

    def show_status(self, text: str) -> None:
        self.setLabelText(f"Preparing the demo (first start only): {text}")

    def show_fraction(self, value: float) -> None:
        self.setValue(round(min(max(value, 0.0), 1.0) * STEPS))


def open_demo_with_progress(parent: QWidget, opener: DemoOpener) -> Path:
    """Run ``opener`` in the background, showing its progress after :data:`SHOW_AFTER_MS`;
    returns its project, or raises what it raised. The window keeps painting meanwhile."""
    dialog = DemoProgressDialog(parent)
    progress = TaskProgress()
    progress.statusChanged.connect(dialog.show_status)
    progress.progressed.connect(dialog.show_fraction)
    path = run_with_dialog(opener, dialog, progress, SHOW_AFTER_MS)
    assert isinstance(path, Path)
    return path
