"""New project from files: choose the reference and predictions, check the mapping, import."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.cluster import Workers
from reviewer.core.errors import Cancelled, ReviewerError
from reviewer.core.items import KINDS
from reviewer.core.kinds import available_kinds
from reviewer.core.progress import Progress, check_cancelled
from reviewer.formats.registry import ReadOptions
from reviewer.gui.cluster_setting import work_place
from reviewer.gui.import_kind_options import MAPPED_KINDS, KindOptions
from reviewer.gui.import_preview import PreviewPanel, to_options
from reviewer.gui.import_wording import FIELDS, for_dialog
from reviewer.gui.tasks import TaskProgress, run_task
from reviewer.gui.theme import current_theme

log = logging.getLogger("reviewer.gui")


@dataclass(frozen=True)
class ImportRequest:
    """Everything the background import needs; plain data, no widgets."""

    project: Path
    reference: Path
    predictions: list[tuple[str, Path]]
    options: ReadOptions
    keep_systems: frozenset[str] | None = None  # table references: systems the user mapped
    workers: Workers = None  # local processes (None: one per core) or a Dask cluster
    normalize: str | None = None  # asr: the normalisation preset


def run_import(request: ImportRequest, progress: Progress) -> dict[str, Any]:
    """Load the files and import them into a new project; a failed import leaves no file."""
    from reviewer.formats.load import discard_extracted, load_benchmark
    from reviewer.store import importer
    from reviewer.store.stream_import import import_streamed

    progress.status("Reading the files")
    streamed = import_streamed(request.project, request.reference, request.predictions,
                               request.options, keep_systems=request.keep_systems,
                               progress=progress, workers=request.workers,
                               normalize=request.normalize)
    if streamed is not None:  # a large table, read a chunk at a time
        result, stream = streamed
        return {**result, "warnings": list(stream.warnings)}
    bench = load_benchmark(request.reference, request.predictions, request.options,
                           progress=progress)
    if request.keep_systems is not None:
        bench.predictions = {name: texts for name, texts in bench.predictions.items()
                             if name in request.keep_systems}
    check_cancelled(progress)
    try:
        result = importer.import_into(request.project, bench, progress=progress,
                                      workers=request.workers, normalize=request.normalize)
    except BaseException:
        discard_extracted(bench)
        raise
    return {**result, "warnings": list(bench.warnings)}


class ImportDialog(QDialog):
    """"New project from files": pick sources, check the preview, import in the background."""

    def __init__(self, parent: QWidget | None = None, *, workers: Workers = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project from files")
        self.workers = workers if workers is not None else work_place()
        self.warnings: list[str] = []
        self.progress: TaskProgress | None = None
        self._project_auto = True  # the project path follows the reference until edited
        self._close_when_done = False
        self._source_problem: str | None = None

        self.project_edit = QLineEdit()
        self.project_edit.setPlaceholderText("where to save the new project (.db)")
        self.project_edit.textEdited.connect(self._on_project_edited)
        self.kind_combo = _kind_combo()
        self.kind_options = KindOptions(self)
        self.kind_options.changed.connect(self._validate)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.reference_edit = QLineEdit()
        self.reference_edit.setPlaceholderText("a table, a folder of NAME.gt.txt files, "
                                                "or a PAGE-XML/ALTO file")
        # Typing a path reads it only after a pause: "/" alone must not scan the disk.
        self._reference_timer = QTimer(self)
        self._reference_timer.setSingleShot(True)
        self._reference_timer.setInterval(400)
        self._reference_timer.timeout.connect(self._on_reference_changed)
        self.reference_edit.textEdited.connect(lambda _text: self._reference_timer.start())
        self.predictions = QTableWidget(0, 2)
        self.predictions.setHorizontalHeaderLabels(["System", "Predictions file or folder"])
        self.predictions.horizontalHeader().setStretchLastSection(True)
        self.predictions.setColumnWidth(0, 180)
        self.predictions.verticalHeader().hide()
        self.predictions.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.predictions.setMaximumHeight(96)
        self.predictions.itemChanged.connect(lambda _item: self._validate())
        self.preview = PreviewPanel()
        self.preview.changed.connect(self._validate)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)  # errors quote the files
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dark = current_theme() == "dark"
        self.error_label.setStyleSheet(f"color: {'#EF6C6C' if dark else '#C62828'};")
        self.error_label.setObjectName("importError")
        # What the import would warn about the shown rows (media that do not suit the kind).
        self.warning_label = QLabel()
        self.warning_label.setObjectName("importWarning")
        self.warning_label.setWordWrap(True)
        self.warning_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warning_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning_label.setStyleSheet(f"color: {'#F0B04A' if dark else '#8A5300'};")
        self.warning_label.hide()
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Project file:",
                    _row(self.project_edit, _button("Save as…", self._choose_project)))
        form.addRow(f"{FIELDS['--kind']}:", self.kind_combo)
        form.addRow("Reference:", _row(self.reference_edit,
                                       _button("File…", self._choose_reference_file),
                                       _button("Folder…", self._choose_reference_folder)))
        pred_buttons = _row(_button("Add file…", self._choose_prediction_file),
                            _button("Add folder…", self._choose_prediction_folder),
                            _button("Remove", self._remove_selected_predictions))
        pred_box = QVBoxLayout()
        pred_box.addWidget(self.predictions)
        pred_box.addWidget(pred_buttons, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow(f"{FIELDS['--pred']}:", pred_box)
        self.kind_options.add_to(form)
        preview_box = QGroupBox("Reference preview")
        QVBoxLayout(preview_box).addWidget(self.preview)
        status = QHBoxLayout()
        status.addWidget(self.status_label, 1)
        status.addWidget(self.progress_bar, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(preview_box, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.warning_label)
        layout.addLayout(status)
        layout.addWidget(self.buttons)
        self.resize(920, 640)
        self._validate()

    # -- filling the form -------------------------------------------------------------
    def set_project_path(self, path: str | Path) -> None:
        """Create the project at ``path`` (``.db`` is added when it has no suffix)."""
        path = Path(path)
        self._project_auto = False
        self.project_edit.setText(str(path if path.suffix else path.with_suffix(".db")))
        self._validate()

    def project_path(self) -> str:
        """The project file the dialog creates (after ``accept()``, the imported project)."""
        return self.project_edit.text().strip()

    def set_reference(self, path: str | Path) -> None:
        """Use ``path`` (a file or folder) as the reference."""
        self.reference_edit.setText(str(path))
        self._on_reference_changed()

    def add_prediction(self, path: str | Path, system: str | None = None) -> None:
        """Add a system's predictions; the system name defaults to the file or folder stem."""
        path = Path(path)
        row = self.predictions.rowCount()
        self.predictions.blockSignals(True)
        self.predictions.insertRow(row)
        self.predictions.setItem(row, 0, QTableWidgetItem(system or _stem(path)))
        where = QTableWidgetItem(str(path))
        where.setFlags(where.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.predictions.setItem(row, 1, where)
        self.predictions.blockSignals(False)
        self._validate()

    def prediction_sources(self) -> list[tuple[str, Path]]:
        """``(system, path)`` of every prediction source in the list."""
        out = []
        for row in range(self.predictions.rowCount()):
            name, where = self.predictions.item(row, 0), self.predictions.item(row, 1)
            out.append((name.text().strip() if name else "", Path(where.text() if where else "")))
        return out

    def read_options(self) -> ReadOptions:
        """The reader options the form describes (column mapping included for tables)."""
        unit: Literal["line", "page"] = "page" if self.preview.unit() == "page" else "line"
        kind = self.kind()
        base = self.kind_options.apply(ReadOptions(kind=kind, unit=unit))
        if self.preview.is_table() and kind in MAPPED_KINDS:
            return to_options(self.preview.mapping(), base)
        return base

    def kind(self) -> str:
        """The task kind chosen in the form."""
        return KINDS[self.kind_combo.currentIndex()]

    def _on_kind_changed(self, _index: int) -> None:
        self.kind_options.set_kind(self.kind())
        self.preview.set_mapping_shown(self.kind() in MAPPED_KINDS)
        self._validate()

    # -- validation -------------------------------------------------------------------
    def problem(self) -> str | None:
        """The first thing that keeps the form from being imported, or ``None``."""
        reference = self.reference_edit.text().strip()
        if not reference:
            return "Choose the reference file or folder."
        if not Path(reference).exists():
            return f"The reference {reference} does not exist."
        if problem := self.kind_options.problem():
            return problem
        if self._source_problem:
            return self._source_problem
        if self.kind() in MAPPED_KINDS and (problem := self.preview.problem()):
            return problem
        if problem := self.preview.check(self.read_options())[0]:
            return problem
        if problem := self._project_problem():
            return problem
        return self._predictions_problem()

    def _project_problem(self) -> str | None:
        text = self.project_path()
        if not text:
            return "Choose where to save the project file."
        path = Path(text)
        if path.is_dir():
            return f"{path} is a folder; choose a file name for the project."
        if path.exists() and path.stat().st_size > 0:
            return f"{path} already exists; choose a new file name for the project."
        if not path.parent.is_dir():
            return f"The folder {path.parent} does not exist."
        if not os.access(path.parent, os.W_OK):
            return f"Cannot write to the folder {path.parent}."
        return None

    def _predictions_problem(self) -> str | None:
        mapped = self.preview.is_table() and self.kind() in MAPPED_KINDS
        seen = set(self.preview.mapping().preds) if mapped else set()
        for system, path in self.prediction_sources():
            if not system:
                return f"Give the predictions in {path} a system name."
            if system in seen:
                return f"The system name {system!r} is used twice."
            if not path.exists():
                return f"The predictions {path} do not exist."
            seen.add(system)
        return None

    def preview_warnings(self) -> list[str]:
        """What the import would warn about the previewed rows, worded for the dialog."""
        if not self.reference_edit.text().strip() or self._source_problem:
            return []
        shown = self.shown_fields()
        return [for_dialog(w, shown) for w in self.preview.check(self.read_options())[1]]

    def shown_fields(self) -> set[str]:
        """The command-line options whose fields the form shows now (see :mod:`.import_wording`)."""
        shown = {"--kind", "--pred"} | self.kind_options.visible_flags()
        if self.preview.is_table() and self.kind() in MAPPED_KINDS:
            shown |= {"--id-col", "--ref-col", "--media-col", "--pred-col"}
        if self.preview.unit_row.isVisibleTo(self.preview):
            shown.add("--unit")
        return shown

    def _validate(self) -> None:
        problem = self.problem()
        self._show_error(problem)
        warnings = [] if problem else self.preview_warnings()
        self.warning_label.setText("\n".join(f"Warning: {w}" for w in warnings))
        self.warning_label.setVisible(bool(warnings))
        self.import_button.setEnabled(problem is None and self.progress is None)

    # -- importing --------------------------------------------------------------------
    def request(self) -> ImportRequest:
        """What an import of the form as it stands would do."""
        keep = None
        if self.preview.is_table() and self.kind() in MAPPED_KINDS:
            files = {system for system, _ in self.prediction_sources()}
            keep = frozenset(self.preview.mapping().preds) | files
        return ImportRequest(Path(self.project_path()), Path(self.reference_edit.text().strip()),
                             self.prediction_sources(), self.read_options(), keep, self.workers,
                             self.kind_options.normalize())

    def start_import(self) -> None:
        """Import in the background; the form is locked until it ends."""
        if self.progress is not None or self.problem() is not None:
            return
        self.progress = TaskProgress()
        self.progress.progressed.connect(lambda v: self.progress_bar.setValue(int(v * 1000)))
        self.progress.statusChanged.connect(self.status_label.setText)
        self._set_busy(True)
        self.status_label.setText("Starting the import")
        run_task(run_import, self.request(), on_done=self._on_done, on_error=self._on_error,
                 progress=self.progress)

    def cancel_import(self) -> None:
        """Ask a running import to stop; the partial project file is then removed."""
        if self.progress is not None:
            self.progress.cancel()
            self.status_label.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def reject(self) -> None:
        """Cancel stops a running import first; the dialog closes once it has stopped."""
        if self.progress is not None:
            self._close_when_done = True
            self.cancel_import()
            return
        super().reject()

    def _on_done(self, result: dict[str, Any]) -> None:
        self.progress = None
        self.warnings = list(result.get("warnings", []))
        for warning in self.warnings:
            log.warning("import: %s", warning)
        self._set_busy(False)
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self.progress = None
        self._set_busy(False)
        if self._close_when_done:
            super().reject()
            return
        if isinstance(exc, Cancelled):
            self.status_label.setText("Import cancelled")
        elif isinstance(exc, ReviewerError):
            self.status_label.setText("Import failed")
            self._show_error(str(exc))
        else:
            self.status_label.setText("Import failed")
            self._show_error(f"Unexpected error: {type(exc).__name__}: {exc}")

    def _show_error(self, message: str | None) -> None:
        self.error_label.setText(for_dialog(message, self.shown_fields()) if message else "")
        self.error_label.setVisible(bool(message))

    def _set_busy(self, busy: bool) -> None:
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit | QComboBox | QPushButton | QTableWidget) and \
                    widget is not self.cancel_button:
                widget.setEnabled(not busy)
        self.cancel_button.setEnabled(True)
        self.progress_bar.setVisible(busy)
        self.progress_bar.setValue(0)
        if not busy:
            self._validate()

    # -- reacting to the user ---------------------------------------------------------
    def _on_project_edited(self, _text: str) -> None:
        self._project_auto = False
        self._validate()

    def _on_reference_changed(self) -> None:
        self._reference_timer.stop()
        text = self.reference_edit.text().strip()
        path = Path(text) if text else None
        self._source_problem = self.preview.show_source(path)
        if path is not None and self._project_auto and path.exists():
            self.project_edit.setText(str(_free_name(path.parent / f"{_stem(path)}.db")))
        self._validate()

    def _choose_project(self) -> None:
        dialog = QFileDialog(self, "Save the new project as", self.project_path()
                             or str(Path.home()), "reviewer projects (*.db)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("db")
        # An existing file is refused by the form rather than overwritten.
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite)
        if dialog.exec() and dialog.selectedFiles():
            self.set_project_path(dialog.selectedFiles()[0])

    def _choose_reference_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Reference file", self._start_dir(),
            "References (*.csv *.tsv *.tab *.jsonl *.ndjson *.parquet *.xml);;All files (*)")
        if path:
            self.set_reference(path)

    def _choose_reference_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Reference folder", self._start_dir())
        if path:
            self.set_reference(path)

    def _choose_prediction_file(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Predictions file", self._start_dir())
        for path in paths:
            self.add_prediction(path)

    def _choose_prediction_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Predictions folder", self._start_dir())
        if path:
            self.add_prediction(path)

    def _remove_selected_predictions(self) -> None:
        rows = sorted({index.row() for index in self.predictions.selectedIndexes()}, reverse=True)
        for row in rows:
            self.predictions.removeRow(row)
        self._validate()

    def _start_dir(self) -> str:
        reference = Path(self.reference_edit.text().strip())
        return str(reference.parent) if reference.parent.is_dir() and str(reference) != "." \
            else str(Path.home())


def dropped_paths_to_dialog(paths: Sequence[str | Path], parent: QWidget | None = None
                            ) -> ImportDialog:
    """An import dialog filled from dropped paths.

    The first path is the reference, the others are predictions named by their stems.
    """
    dialog = ImportDialog(parent)
    if paths:
        dialog.set_reference(paths[0])
        for path in paths[1:]:
            dialog.add_prediction(path)
    return dialog


def _kind_combo() -> QComboBox:
    combo = QComboBox()
    model = QStandardItemModel(combo)
    implemented = available_kinds()
    for kind in KINDS:
        item = QStandardItem(kind if kind in implemented else f"{kind} (not yet available)")
        item.setEnabled(kind in implemented)
        model.appendRow(item)
    combo.setModel(model)
    combo.setCurrentIndex(KINDS.index("text"))
    return combo


def _row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
    return row


def _button(text: str, slot: Any) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(lambda: slot())
    return button


def _stem(path: Path) -> str:
    """A system or project name from a file or folder name."""
    name = path.name if path.is_dir() or not path.suffix else path.stem
    return name.removesuffix(".gt") or path.name or "reference"


def _free_name(path: Path) -> Path:
    """``path``, or ``name-2.db``, ``name-3.db``… when it exists."""
    candidate, n = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
