"""The main window: composes the docks and the actions, and nothing else (DESIGN §7.6)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QWidget,
)

from reviewer import __version__
from reviewer.core.decisions import VERDICTS, default_annotator
from reviewer.core.errors import ReviewerError
from reviewer.gui import settings
from reviewer.gui.adjudication import AdjudicationView
from reviewer.gui.decision_panel import DecisionPanel
from reviewer.gui.diff_view import DiffView
from reviewer.gui.import_dialog import ImportDialog
from reviewer.gui.items.view import ItemListWidget
from reviewer.gui.kinds import (
    bind_shortcuts,
    item_view,
    kind_docks,
    kind_help,
    shows_diff,
    shows_media,
)
from reviewer.gui.legend import LegendWidget
from reviewer.gui.media_view import MediaView
from reviewer.gui.rich_text import literal
from reviewer.gui.session import ReviewSession
from reviewer.gui.shortcuts import SHORTCUTS, ShortcutsDialog
from reviewer.gui.start_page import StartPage
from reviewer.gui.stats_view import StatsView
from reviewer.gui.tasks import task_errors
from reviewer.gui.theme import apply_theme, current_theme
from reviewer.store.open_errors import explain

log = logging.getLogger("reviewer.gui")
# How often the window looks for decisions made elsewhere (another window or process).
WATCH_INTERVAL_MS = 2000


class MainWindow(QMainWindow):
    """The review window."""

    def __init__(self, annotator: str | None,
                 demo_opener: Callable[[], Path] | None = None) -> None:
        """``annotator``: the name recorded with every decision; ``None`` asks once per project
        (the name is then kept in the project)."""
        super().__init__()
        self.given_annotator = annotator
        self.annotator = annotator or default_annotator()
        self.session: ReviewSession | None = None
        self._demo_opener = demo_opener
        self._docks: list[QDockWidget] = []
        self.setWindowTitle("reviewer")
        self.setAcceptDrops(True)
        self.resize(1400, 860)
        self.actions_by_id: dict[str, QAction] = {}
        self._build_menus()
        self._show_start_page()
        settings.restore_window(self)
        task_errors().failed.connect(self.show_task_error)

    # -- composition ---------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "New Project from Files…", self.new_project,
                     QKeySequence.StandardKey.New)
        self._action(file_menu, "Open Project…", lambda: self.open_project_dialog(),
                     QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file_menu, "Open Demo", self.open_demo)
        file_menu.addSeparator()
        self.export_action = self._action(file_menu, "Export Cleaned Benchmark…", self.export)
        file_menu.addSeparator()
        self._action(file_menu, "Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        review_menu = bar.addMenu("&Review")
        self.view_menu = bar.addMenu("&View")
        help_menu = bar.addMenu("&Help")
        handlers: dict[str, Callable[[], None]] = {
            **{f"verdict:{v}": self._verdict_handler(v) for v in VERDICTS},
            "take_edit": self._when_open(lambda: self.panel.take_selected_edit()),
            "next_item": self._when_open(lambda: self.items.select_next(1)),
            "previous_item": self._when_open(lambda: self.items.select_next(-1)),
            "next_unreviewed": self._when_open(lambda: self.items.select_next_unreviewed()),
            "next_edit": self._when_open(lambda: self.diff.select_next_edit(1)),
            "previous_edit": self._when_open(lambda: self.diff.select_next_edit(-1)),
            "toggle_mode": self.toggle_mode,
            "undo": lambda: self.session.undo() if self.session else None,
            "redo": lambda: self.session.redo() if self.session else None,
            "find": self.focus_filter,
            "shortcuts": self.show_shortcuts,
        }
        menus = {"undo": edit_menu, "redo": edit_menu, "find": edit_menu, "shortcuts": help_menu,
                 "toggle_mode": self.view_menu}
        for action_id, keys, text in SHORTCUTS:
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(handlers[action_id])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            menus.get(action_id, review_menu).addAction(action)
            self.actions_by_id[action_id] = action
        self.view_menu.addSeparator()
        self.theme_action = self._action(self.view_menu, "Dark Theme", self.toggle_theme)
        self.theme_action.setCheckable(True)
        self.theme_action.setChecked(current_theme() == "dark")
        self.view_menu.addSeparator()
        self._action(help_menu, "About reviewer", self.about)

    def _verdict_handler(self, verdict: str) -> Callable[[], None]:
        return self._when_open(lambda: self.panel.set_verdict(verdict))

    def _action(self, menu: QMenu, text: str, slot: Callable[[], object],
                key: QKeySequence | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self)
        if key is not None:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda: slot())
        menu.addAction(action)
        return action

    def _show_start_page(self) -> None:
        page = StartPage(settings.recent_projects())
        page.openRequested.connect(lambda path: self.open_project_dialog() if not path
                                   else self.open_project(Path(path)))
        page.newRequested.connect(self.new_project)
        page.demoRequested.connect(self.open_demo)
        page.filesDropped.connect(self._import_paths)
        self.setCentralWidget(page)
        self._set_review_enabled(False)

    def _set_review_enabled(self, enabled: bool) -> None:
        for action in self.actions_by_id.values():
            if action is not self.actions_by_id["shortcuts"]:
                action.setEnabled(enabled)
        self.export_action.setEnabled(enabled)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        self.view_menu.addAction(dock.toggleViewAction())
        self._docks.append(dock)
        return dock

    def open_project(self, path: Path) -> bool:
        """Open ``path`` in the window; a clear dialog (never a traceback) when it cannot be.

        Any failure (a damaged page, a missing table, a full disk) is shown in a dialog
        and leaves the window usable: on the project open before when the new one could
        not be opened at all, on the start page when it failed while being shown.
        """
        try:
            session = ReviewSession(path, self._annotator_for(path), self)
        except Exception as exc:
            log.warning("cannot open %s: %s", path, exc)
            QMessageBox.critical(self, "Cannot open project", literal(explain(path, exc)))
            return False
        self._close_session()
        try:
            self._show_session(path, session)
        except Exception as exc:
            log.exception("cannot show %s", path)
            self._close_session()
            self._show_start_page()
            self.setWindowTitle("reviewer")
            QMessageBox.critical(self, "Cannot open project", literal(explain(path, exc)))
            return False
        return True

    def _show_session(self, path: Path, session: ReviewSession) -> None:
        self.session = session
        session.writeFailed.connect(
            lambda message: QMessageBox.warning(self, "Could not save", literal(message)))
        session.writesWaiting.connect(self._show_waiting)
        self.items = ItemListWidget(session)
        self.diff = DiffView(session)
        self.panel = DecisionPanel(session)
        self.legend = LegendWidget(session)
        self.media = MediaView(session)
        self.stats = StatsView(session)
        self.adjudication = AdjudicationView(session)
        self.panel.previewReference.connect(self.diff.set_preview_reference)
        session.decisionsReset.connect(self.diff.refresh)
        self.kind_view = item_view(session)
        bind_shortcuts(self.actions_by_id, session.kind)
        self.setCentralWidget(self._centre(session.kind))
        self._dock("Items", "items", self.items, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._dock("Image", "media", self.media, Qt.DockWidgetArea.TopDockWidgetArea)
        self._dock("Decision", "label", self.panel, Qt.DockWidgetArea.RightDockWidgetArea)
        stats_dock = self._dock("Statistics", "stats", self.stats,
                                Qt.DockWidgetArea.RightDockWidgetArea)
        adjudication_dock = self._dock("Adjudication", "adjudication", self.adjudication,
                                       Qt.DockWidgetArea.RightDockWidgetArea)
        legend_dock = self._dock("Legend", "legend", self.legend,
                                 Qt.DockWidgetArea.BottomDockWidgetArea)
        items_dock, media_dock, decision_dock = self._docks[:3]
        self.tabifyDockWidget(decision_dock, stats_dock)
        self.tabifyDockWidget(decision_dock, adjudication_dock)
        decision_dock.raise_()
        self.resizeDocks([items_dock, decision_dock], [500, 440], Qt.Orientation.Horizontal)
        self.resizeDocks([media_dock, legend_dock], [140, legend_dock.sizeHint().height()],
                         Qt.Orientation.Vertical)
        self.kind_docks: dict[str, QWidget] = {}
        for title, name, widget in kind_docks(session, self.items):  # label: confusion matrix
            self.kind_docks[name] = widget
            dock = self._dock(title, name, widget, Qt.DockWidgetArea.RightDockWidgetArea)
            self.tabifyDockWidget(decision_dock, dock)
            decision_dock.raise_()
        settings.restore_docks(self)
        if not (shows_media(session.kind) and session.project.has_media()):
            media_dock.hide()  # nothing to show, or the kind's view shows the media itself
        self._set_review_enabled(True)
        read_only = " (read-only)" if session.read_only else ""
        self.setWindowTitle(f"{session.project.name}{read_only} — reviewer")
        if session.read_only:
            self.statusBar().showMessage(
                f"Opened read-only ({session.read_only}): decisions cannot be saved")
        settings.add_recent(path)
        session.currentItemChanged.connect(self._remember_item)
        self._watch = QTimer(session)
        self._watch.setInterval(WATCH_INTERVAL_MS)
        self._watch.timeout.connect(self._check_external_changes)
        self._watch.start()
        last = session.project.meta(f"last_item:{self.annotator}")
        start = last if last and session.project.has_item(last) else (
            session.project.first_item_id())
        if start:
            session.set_current_item(start)

    def _show_waiting(self, reason: str) -> None:
        """Say in the status bar that decisions wait to be saved, and when they are again."""
        if self.session is None:
            return
        if reason:
            count = self.session.pending_writes()
            self.statusBar().showMessage(
                f"{count} decision(s) not saved yet: {reason} They are kept and saved as soon "
                "as possible.")
        else:
            self.statusBar().showMessage("All decisions saved.", 5000)

    def _centre(self, kind: str) -> QWidget:
        """The alignment view, the kind's own view, or both one above the other."""
        if self.kind_view is None:
            return self.diff
        if not shows_diff(kind):
            self.diff.hide()
            self.diff.setParent(self.kind_view)
            return self.kind_view
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.kind_view)
        splitter.addWidget(self.diff)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def _annotator_for(self, path: Path) -> str:
        """The given name, else the one kept in the project, else asked (and kept)."""
        if self.given_annotator:
            self.annotator = self.given_annotator
            return self.annotator
        from reviewer.store.project import Project

        with Project(path) as project:
            kept = project.meta("annotator")
            if kept:
                self.annotator = kept
                return kept
            if project.read_only:  # nothing can be decided, so there is nobody to ask for
                self.annotator = default_annotator()
                return self.annotator
            name, ok = QInputDialog.getText(
                self, "Your name", "Your name, recorded with every decision you make in\n"
                f"{path.name}:", text=default_annotator())
            self.annotator = name.strip() if ok and name.strip() else default_annotator()
            project.set_meta("annotator", self.annotator)
        return self.annotator

    def _close_session(self) -> None:
        for dock in self._docks:
            self.view_menu.removeAction(dock.toggleViewAction())
            self.removeDockWidget(dock)
            dock.deleteLater()
        self._docks.clear()
        if self.session is not None:
            self.session.close()
            self.session = None

    def _check_external_changes(self) -> None:
        if self.session is None:
            return
        changed = self.session.check_external_changes()
        if changed:
            self.statusBar().showMessage(
                f"{changed} decision(s) made in another window or process; shown now", 10000)

    def _remember_item(self, item_id: str) -> None:
        if self.session is not None:
            key = f"last_item:{self.annotator}"
            self.session.remember(key, item_id)

    # -- commands ------------------------------------------------------------------------
    def _when_open(self, command: Callable[[], object]) -> Callable[[], None]:
        """A handler running ``command`` when a project is open (its widgets exist then)."""

        def run() -> None:
            if self.session is not None:
                command()

        return run

    def toggle_mode(self) -> None:
        if self.session is not None:
            self.diff.set_mode("stacked" if self.diff.mode == "inline" else "inline")

    def focus_filter(self) -> None:
        if self.session is not None:
            self.items.focus_filter()

    def toggle_theme(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            name = "light" if current_theme() == "dark" else "dark"
            apply_theme(app, name)
            settings.set_theme(name)
            self.theme_action.setChecked(name == "dark")
            if self.session is not None:
                self.session.categoryVisibilityChanged.emit()

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "",
                                              "reviewer projects (*.db);;All files (*)")
        if path:
            self.open_project(Path(path))

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in settings.recent_projects():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_project(Path(p)))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none)").setEnabled(False)

    def new_project(self) -> None:
        dialog = ImportDialog(self)
        if dialog.exec():
            self.open_project(Path(dialog.project_path()))

    def _import_paths(self, paths: list[str]) -> None:
        from reviewer.gui.import_dialog import dropped_paths_to_dialog

        dialog = dropped_paths_to_dialog(paths, self)
        if dialog.exec():
            self.open_project(Path(dialog.project_path()))

    def open_demo(self) -> None:
        if self._demo_opener is None:
            return
        try:
            path = self._demo_opener()
        except ReviewerError as exc:
            QMessageBox.critical(self, "Cannot open the demo", literal(exc))
            return
        self.open_project(path)

    def export(self) -> None:
        if self.session is None:
            return
        from reviewer.export import export_benchmark

        path, _ = QFileDialog.getSaveFileName(
            self, "Export cleaned benchmark", str(self.session.path.with_suffix(".cleaned.jsonl")),
            "JSON Lines (*.jsonl);;CSV (*.csv);;TSV (*.tsv);;Parquet (*.parquet)")
        if not path:
            return
        try:
            result = export_benchmark(self.session.project, Path(path))
        except ReviewerError as exc:
            QMessageBox.critical(self, "Export failed", literal(exc))
            return
        counts = result.counts
        self.statusBar().showMessage(
            f"Wrote {counts['written']} items to {result.data} ({counts['dropped']} left out); "
            f"manifest: {result.manifest}", 8000)

    def show_shortcuts(self) -> None:
        self.shortcuts_dialog().exec()

    def shortcuts_dialog(self) -> ShortcutsDialog:
        """The list of keys as they are bound now, with the kind view's own."""
        keys = {action_id: tuple(k.toString() for k in action.shortcuts())
                for action_id, action in self.actions_by_id.items()}
        help_text = kind_help(self.session.kind) if self.session is not None else ""
        return ShortcutsDialog(self, keys, help_text)

    def show_task_error(self, message: str) -> None:
        """An unexpected failure in background work: said, logged; the window stays usable."""
        QMessageBox.critical(self, "Something went wrong", literal(
            f"{message}\n\nThe window is still usable; details are in the log."))

    def about(self) -> None:
        QMessageBox.about(self, "About reviewer",
                          f"reviewer {__version__}\nFine-grained error review and benchmark "
                          "cleaning.")

    # -- drops and closing ---------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if len(paths) == 1 and paths[0].endswith(".db"):
            self.open_project(Path(paths[0]))
        elif paths:
            QTimer.singleShot(0, lambda: self._import_paths(paths))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session is not None:
            self.panel.commit_reference()
            if not self.session.flush() and not self.confirm_unsaved():
                event.ignore()
                return
        settings.save_window(self)
        self._close_session()
        super().closeEvent(event)

    def confirm_unsaved(self) -> bool:
        """Ask whether to close although decisions are not saved yet; ``False`` keeps waiting."""
        assert self.session is not None
        count = self.session.pending_writes()
        reason = self.session.waiting or "they are still being saved."
        answer = QMessageBox.question(
            self, "Decisions not saved yet",
            f"{count} decision(s) are not saved yet: {reason}\n\nKeep the window open until "
            "they are saved? Closing now loses them.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.No
