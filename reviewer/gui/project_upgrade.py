"""Opening a project made by an earlier version: its schema steps run in the background
while a dialog says so, with a Cancel button.

A step can take minutes on a large project (m012, the item list's masks and indexes:
39 s at 1,000,000 items, 9 minutes at 10,000,000); the window used to freeze meanwhile,
with no word of why.
Cancelled, the step under way is rolled back within a moment and the project is not
opened; the steps finished stay done, and the next opening goes on from there.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from reviewer.core.errors import Cancelled
from reviewer.gui.tasks import TaskProgress, run_with_dialog, set_up_waiting
from reviewer.store.db import bring_up_to_date, outdated

SHOW_AFTER_MS = 300  # a step done sooner flashes nothing up


class UpgradeDialog(QProgressDialog):
    """Which step of bringing the project up to date runs and for how long, with a busy
    bar (a step tells no fraction) and Cancel."""

    def __init__(self, parent: QWidget | None, path: Path, steps: int) -> None:
        super().__init__("", "Cancel", 0, 0, parent)
        set_up_waiting(self, "upgradeProgress", "Bringing the project up to date", 520)
        changes = "one change" if steps == 1 else f"{steps} changes"
        self.intro = (f"{path.name} was made by an earlier version of reviewer and needs "
                      f"{changes} to its file before this version opens it (once; minutes "
                      "for millions of items). Cancel undoes the change under way.")
        self.now = ""
        self.started = time.monotonic()
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._show)
        self._tick.start(1000)
        self._show()

    def show_status(self, text: str) -> None:
        self.now = text
        self._show()

    def _show(self) -> None:
        elapsed = int(time.monotonic() - self.started)
        now = f"Now: {self.now}, " if self.now else ""
        self.setLabelText(f"{self.intro}\n\n{now}{elapsed // 60}:{elapsed % 60:02d} so far")


def bring_up_to_date_with_progress(parent: QWidget, path: Path) -> bool:
    """Apply the schema steps ``path`` needs before it opens (none: returns at once);
    ``False`` when the person cancelled. Other failures are raised."""
    steps = outdated(path)
    if not steps:
        return True
    dialog = UpgradeDialog(parent, path, len(steps))
    progress = TaskProgress()
    progress.statusChanged.connect(dialog.show_status)
    dialog.canceled.connect(progress.cancel)
    try:
        run_with_dialog(lambda p: bring_up_to_date(path, p), dialog, progress, SHOW_AFTER_MS)
    except Cancelled:
        return False
    return True
