"""What the import dialog shows about a reference: a table's first rows, or a short description.

The reading and column detection are plain functions; :class:`PreviewPanel` shows their
result and lets the user change which column holds what.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reviewer.core.errors import InputError, ReviewerError
from reviewer.formats.columns import (
    ID_NAMES,
    MEDIA_NAMES,
    REF_FALLBACK,
    REF_NAMES,
    reference_columns,
)
from reviewer.formats.registry import ReadOptions, detect
from reviewer.formats.table_sample import check_sample, read_sample
from reviewer.formats.tableparse import Table
from reviewer.formats.writers import TABLE_SUFFIXES
from reviewer.gui.import_wording import FIELDS, ONE_ITEM_PER_PAGE
from reviewer.gui.rich_text import literal

_GT_SUFFIX = ".gt.txt"
FOLDER_SCAN_LIMIT = 200_000  # entries looked at before a folder's description stops counting
TABLE_FORMATS = frozenset(TABLE_SUFFIXES.values())  # the formats whose readers are tables


@dataclass
class Mapping:
    """Which column holds what: ``None`` where a role has no column; preds is system -> column."""

    id_col: str | None = None
    ref_col: str | None = None
    media_col: str | None = None
    preds: dict[str, str] = field(default_factory=dict)


def is_table(path: Path) -> bool:
    """Whether the import reads ``path`` with a table reader (CSV, TSV, JSONL, Parquet)."""
    if not path.is_file():
        return False
    try:
        return detect(path).name in TABLE_FORMATS
    except InputError:
        return False


def detect_mapping(path: Path, header: list[str]) -> Mapping:
    """The column mapping the table reader would choose for ``header``.

    Where the reader would refuse the header as ambiguous (two reference-like columns),
    the first candidate of each role is proposed instead, so the user has a starting point.
    """
    try:
        return _named(path, header, ReadOptions())
    except InputError:
        pass
    first = ReadOptions(
        id_col=_first(header, ID_NAMES),
        ref_col=_first(header, REF_NAMES) or _first(header, (REF_FALLBACK,)),
        media_col=_first(header, MEDIA_NAMES),
    )
    try:
        return _named(path, header, first)
    except InputError:
        # Prediction columns that clash are left for the user to assign.
        return Mapping(first.id_col, first.ref_col, first.media_col, {})


def check_mapping(path: Path, header: list[str], mapping: Mapping) -> str | None:
    """What is wrong with ``mapping`` for this header, or ``None`` when the reader accepts it."""
    if mapping.ref_col is None:
        return "The mapping has no reference column: choose one under Reference column."
    used: dict[str, str] = {}
    roles = [("id", mapping.id_col), ("reference", mapping.ref_col),
             ("media", mapping.media_col)]
    roles += [(f"system {system!r}", col) for system, col in mapping.preds.items()]
    for role, col in roles:
        if col is None:
            continue
        if col in used:
            return f"The column {col!r} is chosen twice ({used[col]} and {role})."
        used[col] = role
    try:
        reference_columns(path, header, to_options(mapping))
    except InputError as exc:
        return str(exc)  # the import's own message
    return None


def to_options(mapping: Mapping, base: ReadOptions | None = None) -> ReadOptions:
    """``base`` (default options) with the mapping's columns."""
    base = base or ReadOptions()
    return ReadOptions(kind=base.kind, role=base.role, system=base.system,
                       id_col=mapping.id_col, ref_col=mapping.ref_col,
                       pred_cols=dict(mapping.preds), media_col=mapping.media_col,
                       unit=base.unit, known_ids=base.known_ids)


def _named(path: Path, header: list[str], options: ReadOptions) -> Mapping:
    cols = reference_columns(path, header, options)

    def name(index: int | None) -> str | None:
        return None if index is None else header[index]

    preds = {system: header[index] for system, index in cols.preds.items()}
    return Mapping(name(cols.id), name(cols.ref), name(cols.media), preds)


def _first(header: list[str], names: tuple[str, ...]) -> str | None:
    return next((h for h in header if h.lower() in names), None)


def describe_source(path: Path) -> str:
    """One or two sentences on what a non-table reference holds; raises InputError if unreadable."""
    if path.is_dir() and (own := detect(path)).name != "folder":  # a kind's own folder (kern)
        return f"{own.description[:1].upper()}{own.description[1:]}."
    if path.is_dir():
        count, complete = _count_gt_files(path)
        if not count:
            where = "below this folder" if complete else f"in its first {FOLDER_SCAN_LIMIT:,} files"
            raise InputError(path, f"no NAME.gt.txt files {where}; a reference folder "
                             "holds one NAME.gt.txt file per item")
        found = f"{count:,} reference{'s' * (count != 1)} found" if complete else \
            f"more than {count:,} references found (counting stopped)"
        return (f"Folder of NAME.gt.txt files: {found}. "
                "Predictions beside them (NAME.txt, NAME.<system>.txt) are imported too.")
    from reviewer.formats.xml_page import XML_FORMATS, extract

    fmt = detect(path)
    if fmt.name in XML_FORMATS:
        doc = extract(path, fmt.name)
        title = "PAGE-XML" if fmt.name == "page" else "ALTO"
        lines = len(doc.lines)
        return f"{title} file: {lines:,} text line{'s' * (lines != 1)}."
    return f"{fmt.description[:1].upper()}{fmt.description[1:]}."


def _count_gt_files(root: Path) -> tuple[int, bool]:
    """``NAME.gt.txt`` files below ``root``, and whether the whole tree was seen."""
    count = seen = 0
    for _dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        count += sum(1 for n in filenames if n.endswith(_GT_SUFFIX) and n != _GT_SUFFIX)
        seen += len(filenames) + len(dirnames)
        if seen > FOLDER_SCAN_LIMIT:
            return count, False
    return count, True


NONE = "(none)"
SKIP = "(not imported)"
_MAX_CELL = 200  # characters of a cell shown in the preview; the tooltip has the rest
_MARKED = QBrush(QColor(229, 57, 53, 80))  # a row an error names; see-through for either theme


class PreviewPanel(QWidget):
    """A reference's first rows and its column mapping, or a description for other sources."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.header: list[str] = []
        self.sample: Table | None = None  # a table's first rows, as the import reads them
        self._checked: tuple[ReadOptions, tuple[str | None, list[str]]] | None = None
        self._filling = False

        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        self.unit_combo = QComboBox()
        self.unit_combo.addItem("one item per text line", "line")
        self.unit_combo.addItem(ONE_ITEM_PER_PAGE, "page")
        self.unit_combo.currentIndexChanged.connect(self.changed)
        self.unit_row = QWidget()
        unit_layout = QHBoxLayout(self.unit_row)
        unit_layout.setContentsMargins(0, 0, 0, 0)
        unit_layout.addWidget(QLabel(f"{FIELDS['--unit']}:"))
        unit_layout.addWidget(self.unit_combo)
        unit_layout.addStretch(1)
        about = QWidget()
        about_layout = QVBoxLayout(about)
        about_layout.addWidget(self.description)
        about_layout.addWidget(self.unit_row)
        about_layout.addStretch(1)

        self.model = QStandardItemModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.id_combo, self.ref_combo, self.media_combo = QComboBox(), QComboBox(), QComboBox()
        for combo in (self.id_combo, self.ref_combo, self.media_combo):
            combo.currentIndexChanged.connect(self._on_changed)
        self.pred_rows: list[tuple[QComboBox, QLineEdit]] = []
        self._pred_widgets: list[QWidget] = []
        self._detected = Mapping()
        self.pred_grid = QGridLayout()
        self.add_pred_button = QPushButton("Add prediction column")
        self.add_pred_button.clicked.connect(lambda: self._add_pred_row(None, ""))
        form = QFormLayout()
        form.addRow(f"{FIELDS['--id-col']}:", self.id_combo)
        form.addRow(f"{FIELDS['--ref-col']}:", self.ref_combo)
        form.addRow(f"{FIELDS['--media-col']}:", self.media_combo)
        mapping = QWidget()
        mapping_layout = QVBoxLayout(mapping)
        mapping_layout.setContentsMargins(0, 0, 0, 0)
        mapping_layout.addLayout(form)
        mapping_layout.addWidget(QLabel("Prediction columns (column → system):"))
        mapping_layout.addLayout(self.pred_grid)
        mapping_layout.addWidget(self.add_pred_button, 0, Qt.AlignmentFlag.AlignLeft)
        mapping_layout.addStretch(1)
        table_page = QWidget()
        table_layout = QHBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 3)
        table_layout.addWidget(mapping, 2)
        self.mapping_box = mapping

        self.stack = QStackedWidget()
        self.stack.addWidget(about)
        self.stack.addWidget(table_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.show_source(None)

    def set_mapping_shown(self, shown: bool) -> None:
        """Show the column mapping (text and asr tables) or only the rows (other kinds'
        readers find their own columns)."""
        self.mapping_box.setVisible(shown)

    # -- what is shown ----------------------------------------------------------------
    def show_source(self, path: Path | None) -> str | None:
        """Show ``path`` (or nothing); returns why it cannot be read, or ``None``."""
        self.path, self.header, self.sample, self._checked = path, [], None, None
        self.model.clear()
        self._detected = Mapping()
        self.set_mapping(Mapping())
        self.unit_row.hide()
        self.stack.setCurrentIndex(0)
        if path is None or not path.exists():
            self.description.setText("Choose a reference file or folder to see what it holds.")
            return None
        try:
            if is_table(path):
                self._show_table(path, read_sample(path))
                return None
            self.description.setText(describe_source(path))
        except ReviewerError as exc:
            self.description.setText("")
            return str(exc)
        self.unit_row.setVisible(path.suffix.lower() == ".xml")
        return None

    def _show_table(self, path: Path, sample: Table) -> None:
        self.sample, self.header = sample, list(sample.header)
        for _, row in sample.rows:
            items = []
            for cell in row:
                text = cell or ""
                item = QStandardItem(text if len(text) <= _MAX_CELL else text[:_MAX_CELL] + "…")
                item.setToolTip(literal(text[:2000]))
                items.append(item)
            self.model.appendRow(items)
        self._detected = detect_mapping(path, self.header)
        self.set_mapping(self._detected)
        self.stack.setCurrentIndex(1)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))

    def check(self, options: ReadOptions) -> tuple[str | None, list[str]]:
        """Import the shown rows with ``options`` as far as reading goes: the import's message
        where it refuses them (else ``None``), and its warnings about their media.

        Sources other than tables are read by the import only (``(None, [])`` here).
        """
        if self.sample is None or self.path is None:
            return None, []
        if self._checked is not None and self._checked[0] == options:
            return self._checked[1]
        line = None
        try:
            result: tuple[str | None, list[str]] = \
                None, check_sample(self.path, self.sample, options)
        except ReviewerError as exc:
            result = str(exc), []
            if isinstance(exc, InputError) and exc.path == str(self.path):
                line = exc.line
        self._checked = (options, result)
        self._mark_line(line)
        return result

    def _mark_line(self, line: int | None) -> None:
        """Tint the row starting on file line ``line`` (the one an error names), only it."""
        assert self.sample is not None
        for row, (where, _) in enumerate(self.sample.rows):
            marked = self.sample.by_line and where == line
            for column in range(self.model.columnCount()):
                if (item := self.model.item(row, column)) is not None:
                    item.setBackground(_MARKED if marked else QBrush())
            if marked:
                self.table.scrollTo(self.model.index(row, 0))

    # -- the mapping ------------------------------------------------------------------
    def set_mapping(self, mapping: Mapping) -> None:
        """Show ``mapping`` in the combo boxes (one prediction row per system)."""
        self._filling = True
        # "(none)" is offered only where the reader would find no column by itself:
        # choosing it there would be silently overruled by the reader's detection.
        detected = self._detected
        _fill(self.id_combo, self.header, mapping.id_col, detected.id_col is None)
        _fill(self.ref_combo, self.header, mapping.ref_col, detected.ref_col is None)
        _fill(self.media_combo, self.header, mapping.media_col, detected.media_col is None)
        for widget in self._pred_widgets:
            self.pred_grid.removeWidget(widget)
            widget.deleteLater()
        self.pred_rows, self._pred_widgets = [], []
        for system, column in mapping.preds.items():
            self._add_pred_row(column, system)
        self._filling = False
        self._on_changed()

    def _add_pred_row(self, column: str | None, system: str) -> None:
        combo, edit = QComboBox(), QLineEdit(system)
        combo.addItem(SKIP, None)
        for name in self.header:
            combo.addItem(name, name)
        if column is None:
            used = set(self.mapping().preds.values()) if self.header else set()
            column = next((h for h in self.header if h not in used), None)
            edit.setText(column or "")
        combo.setCurrentIndex(max(combo.findData(column), 0))
        edit.setPlaceholderText("system name")
        combo.currentIndexChanged.connect(self._on_changed)
        edit.textChanged.connect(self._on_changed)
        row = len(self.pred_rows)
        arrow = QLabel("→")
        for column_index, widget in enumerate((combo, arrow, edit)):
            self.pred_grid.addWidget(widget, row, column_index)
        self.pred_rows.append((combo, edit))
        self._pred_widgets += [combo, arrow, edit]
        self._on_changed()

    def mapping(self) -> Mapping:
        """The mapping as the combo boxes show it now."""
        preds = {edit.text().strip(): combo.currentData() for combo, edit in self.pred_rows
                 if combo.currentData() is not None}
        return Mapping(self.id_combo.currentData(), self.ref_combo.currentData(),
                       self.media_combo.currentData(), preds)

    def is_table(self) -> bool:
        """Whether a table (and so a column mapping) is shown."""
        return bool(self.header)

    def unit(self) -> str:
        """``line`` or ``page``: how PAGE-XML/ALTO files become items."""
        return str(self.unit_combo.currentData())

    def problem(self) -> str | None:
        """What is wrong with the mapping, or ``None``."""
        if not self.header or self.path is None:
            return None
        systems = [edit.text().strip() for combo, edit in self.pred_rows
                   if combo.currentData() is not None]
        if "" in systems:
            return "Every prediction column needs a system name."
        if len(set(systems)) != len(systems):
            return "Two prediction columns have the same system name."
        return check_mapping(self.path, self.header, self.mapping())

    def _on_changed(self) -> None:
        if self._filling:
            return
        roles = {self.id_combo.currentData(): "id", self.ref_combo.currentData(): "reference",
                 self.media_combo.currentData(): "media"}
        for system, column in self.mapping().preds.items():
            roles.setdefault(column, f"→ {system}" if system else "prediction")
        for index, name in enumerate(self.header):
            role = roles.get(name)
            self.model.setHorizontalHeaderItem(
                index, QStandardItem(f"{name}\n[{role}]" if role else name))
        self.changed.emit()


def _fill(combo: QComboBox, header: list[str], current: str | None, allow_none: bool) -> None:
    combo.blockSignals(True)
    combo.clear()
    if allow_none:
        combo.addItem(NONE, None)
    for name in header:
        combo.addItem(name, name)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)
