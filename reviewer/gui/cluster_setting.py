"""Where the window runs import scoring and OMR-NED: this computer's worker processes, or a
Dask cluster whose scheduler address the user gives (File ▸ Dask Cluster…), kept with the
other preferences."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.cluster import Cluster, Workers, distributed_module
from reviewer.core.errors import ClusterError
from reviewer.gui.settings import load_prefs, save_prefs
from reviewer.gui.theme import current_theme

_KEY = "cluster_scheduler"


def scheduler() -> str | None:
    """The Dask scheduler address the window's work goes to (``None``: local processes)."""
    value = load_prefs().get(_KEY)
    return value.strip() if isinstance(value, str) and value.strip() else None


def set_scheduler(address: str | None) -> None:
    """Send the window's import scoring and OMR-NED to ``address`` (``None``: run locally)."""
    prefs = load_prefs()
    if address:
        prefs[_KEY] = address
    else:
        prefs.pop(_KEY, None)
    save_prefs(prefs)


def work_place() -> Workers:
    """Where work the window starts runs: the chosen cluster, else one process per core."""
    address = scheduler()
    return Cluster(address) if address else None


class SchedulerDialog(QDialog):
    """Asks for the scheduler address; an empty one means this computer. Refuses an
    address while Dask is not installed, saying how to install it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dask cluster")
        self.address_edit = QLineEdit(scheduler() or "")
        self.address_edit.setPlaceholderText("tcp://host:8786 (empty: this computer)")
        self.address_edit.setMinimumWidth(360)
        about = QLabel("Score imports and compute OMR-NED on the Dask cluster whose "
                       "scheduler is at this address. Leave it empty to use this "
                       "computer's worker processes.")
        about.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        dark = current_theme() == "dark"  # the import dialog's error colours
        self.error_label.setStyleSheet(f"color: {'#EF6C6C' if dark else '#C62828'};")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.address_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Keep the address (Dask must be there to use one), then close."""
        address = self.address_edit.text().strip() or None
        if address is not None:
            try:
                distributed_module()
            except ClusterError as exc:
                self.error_label.setText(str(exc))
                self.error_label.show()
                return
        set_scheduler(address)
        super().accept()


def ask_scheduler(parent: QWidget) -> None:
    """Ask where the window's work runs (File ▸ Dask Cluster…)."""
    SchedulerDialog(parent).exec()
