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
    QSizePolicy,
    QSplitter,
    QWidget,
)

from reviewer import __version__
from reviewer.core.decisions import VERDICTS, default_annotator
from reviewer.core.errors import ReviewerError
from reviewer.gui import settings
from reviewer.gui.adjudication import AdjudicationView
from reviewer.gui.cluster_setting import ask_scheduler
from reviewer.gui.decision_panel import DecisionPanel
from reviewer.gui.demo_opening import DemoOpener, open_demo_with_progress
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
from reviewer.gui.layout import DockLayout, Docks, default_size, fit_to_screen
from reviewer.gui.legend import LegendWidget
from reviewer.gui.media_view import MediaView
from reviewer.gui.progress_status import ReviewProgressStatus, ReviewProgressTracker
from reviewer.gui.project_upgrade import bring_up_to_date_with_progress
from reviewer.gui.review_loop import ReviewLoop
from reviewer.gui.rich_text import literal
from reviewer.gui.scrolling import fill_with_scrolling
from reviewer.gui.session import ReviewSession
from reviewer.gui.shortcuts import SHORTCUTS, ShortcutsDialog
from reviewer.gui.start_page import StartPage
from reviewer.gui.stats_view import StatsView
from reviewer.gui.suspicion import tracker
from reviewer.gui.tasks import task_errors
from reviewer.gui.team_sync import (
    SYNC_KEY,
    TeamSync,
    TeamSyncStatus,
    ask_sync_interval,
    copy_role,
    start_team_sync,
)
from reviewer.gui.text_fields import FieldKeys
from reviewer.gui.theme import apply_theme, current_theme
from reviewer.store.open_errors import explain

log = logging.getLogger("reviewer.gui")
# How often the window looks for decisions made elsewhere (another window or process).
WATCH_INTERVAL_MS = 2000
RANKING_FAILED_MS = 30_000  # how long the status bar says the ranking failed


class MainWindow(QMainWindow):
    """The review window."""

    def __init__(self, annotator: str | None, demo_opener: DemoOpener | None = None) -> None:
        """``annotator``: the name recorded with every decision; ``None`` asks once per project
        (the name is then kept in the project). ``demo_opener`` imports the demo if needed
        and returns its project (File ▸ Open Demo)."""
        super().__init__()
        self.given_annotator = annotator
        self.annotator = annotator or default_annotator()
        self.session: ReviewSession | None = None
        self._demo_opener = demo_opener
        self._docks: list[QDockWidget] = []
        self.dock_layout: DockLayout | None = None
        self.progress: ReviewProgressTracker | None = None
        self._progress_status: ReviewProgressStatus | None = None
        self.loop: ReviewLoop | None = None
        self.team: TeamSync | None = None  # syncing a shared project with its server
        self._team_status: TeamSyncStatus | None = None
        self.setWindowTitle("reviewer")
        self.setAcceptDrops(True)
        self.resize(default_size(self))
        self.actions_by_id: dict[str, QAction] = {}
        self._build_menus()
        self._show_start_page()
        settings.restore_window(self)
        self._field_keys = FieldKeys(self)  # keys typed in a field stay there (but Esc)
        self._field_keys.watch(self)
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
        self.sync_action = self._action(file_menu, "Sync Now", self.sync_now)
        self.sync_interval_action = self._action(file_menu, "Sync Interval…",
                                                 self.choose_sync_interval)
        self._show_team_actions(False)
        self._action(file_menu, "Dask Cluster…", lambda: ask_scheduler(self))
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
            "first_item": self._when_open(lambda: self.items.select_first()),
            "last_item": self._when_open(lambda: self.items.select_last()),
            "page_down": self._when_open(lambda: self.items.select_page(1)),
            "page_up": self._when_open(lambda: self.items.select_page(-1)),
            "next_unreviewed": self._when_open(lambda: self._loop().next_unreviewed()),
            "leave_field": self._when_open(lambda: self.items.focus_list()),
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
        review_menu.addSeparator()
        self.auto_advance_action = self._action(
            review_menu, "Advance After a Verdict",
            lambda: settings.set_auto_advance(self.auto_advance_action.isChecked()))
        self.auto_advance_action.setCheckable(True)
        self.auto_advance_action.setChecked(settings.auto_advance())
        self.auto_advance_action.setToolTip(
            "A verdict key saves the verdict and moves on to the next item of the list")
        self.view_menu.addSeparator()
        self.reset_layout_action = self._action(self.view_menu, "Reset Layout",
                                                self.reset_layout)
        self.theme_action = self._action(self.view_menu, "Dark Theme", self.toggle_theme)
        self.theme_action.setCheckable(True)
        self.theme_action.setChecked(current_theme() == "dark")
        self.view_menu.addSeparator()
        self._action(help_menu, "About reviewer", self.about)

    def _verdict_handler(self, verdict: str) -> Callable[[], None]:
        return self._when_open(lambda: self._loop().give_verdict(verdict))

    def _loop(self) -> ReviewLoop:
        assert self.loop is not None, "no project open"
        return self.loop

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
        self.reset_layout_action.setEnabled(enabled)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea,
              scrolls: bool = False) -> QDockWidget:
        """A dock of ``widget``; ``scrolls``: inside a scroll area, so that the dock can be
        narrower (or lower) than the widget wants and the window fits a small screen."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        self._field_keys.watch(dock)  # floating, a dock is a window of its own
        if scrolls:
            frame = QWidget()
            fill_with_scrolling(frame, widget)
            dock.setWidget(frame)
        else:
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
            if not bring_up_to_date_with_progress(self, path):
                self.statusBar().showMessage(
                    f"{path.name} not opened: bringing it up to date was cancelled (the "
                    "change under way was undone; opening it again goes on)", 10_000)
                return False
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
        right = Qt.DockWidgetArea.RightDockWidgetArea
        items_dock = self._dock("Items", "items", self.items, Qt.DockWidgetArea.LeftDockWidgetArea)
        media_dock = self._dock("Image", "media", self.media, Qt.DockWidgetArea.TopDockWidgetArea)
        decision_dock = self._dock("Decision", "label", self.panel, right, scrolls=True)
        tabbed = [self._dock("Statistics", "stats", self.stats, right),
                  self._dock("Adjudication", "adjudication", self.adjudication, right,
                             scrolls=True)]
        # The legend lays out its columns for the width it is given: give it the dock's.
        self.legend.setSizePolicy(QSizePolicy.Policy.Ignored,
                                  self.legend.sizePolicy().verticalPolicy())
        legend_dock = self._dock("Legend", "legend", self.legend,
                                 Qt.DockWidgetArea.BottomDockWidgetArea, scrolls=True)
        self.kind_docks: dict[str, QWidget] = {}
        for title, name, widget in kind_docks(session, self.items):  # label: confusion matrix
            self.kind_docks[name] = widget
            tabbed.append(self._dock(title, name, widget, right, scrolls=True))
        # Nothing to show in the image dock, or the kind's view shows the media itself.
        has_media = shows_media(session.kind) and session.project.has_media()
        self.dock_layout = DockLayout(self, session.kind, Docks(
            items=items_dock, decision=decision_dock, tabbed=tuple(tabbed), media=media_dock,
            legend=legend_dock, shows_media=has_media, side_content=self.panel,
            bottom_content=self.legend))
        self.dock_layout.settled.connect(lambda: fit_to_screen(self))
        self.dock_layout.start()
        # The keyboard starts in the list, where the review keys work (a field would take
        # the first J as text).
        self.items.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_progress(session)
        self._set_review_enabled(True)
        self._start_team_sync(session)
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
        """The role a shared copy was joined as, else the given name, else the one kept in
        the project, else asked (and kept)."""
        role = copy_role(path)
        if role:  # the server accepts a copy's events only under its role's name
            self.annotator = role
            return role
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

    def _show_progress(self, session: ReviewSession) -> None:
        """The review's progress, always in the status bar, and the loop that follows it."""
        self.progress = ReviewProgressTracker(session, session)
        self._progress_status = ReviewProgressStatus(self.progress)
        self.statusBar().addPermanentWidget(self._progress_status)
        self.loop = ReviewLoop(session, self.items, self.panel, self.progress, self.statusBar(),
                               self.auto_advance_action)
        tracker(session).failed.connect(self._ranking_failed)

    def _ranking_failed(self, message: str) -> None:
        """The suspicion ranking did not complete (too large for the free memory, say):
        said in the status bar, and kept in the suspicion column's header tooltip."""
        log.warning("suspicion ranking: %s", message)
        self.statusBar().showMessage("Suspicion not ranked (its column header says why)",
                                     RANKING_FAILED_MS)

    def _start_team_sync(self, session: ReviewSession) -> None:
        """A shared project syncs in the background, its state in the status bar."""
        started = start_team_sync(session, self.statusBar())
        if started is not None:
            self.team, self._team_status = started
        self._show_team_actions(started is not None)

    def _show_team_actions(self, shown: bool) -> None:
        """The sync actions, and F5, only on a shared project (the key sheet lists it then)."""
        for action in (self.sync_action, self.sync_interval_action):
            action.setVisible(shown)
            action.setEnabled(shown)
        self.sync_action.setShortcut(QKeySequence(SYNC_KEY if shown else ""))

    def _close_session(self) -> None:
        if self.team is not None:
            self.team.stop()
            self.team = None
            self._show_team_actions(False)
        if self._team_status is not None:
            self.statusBar().removeWidget(self._team_status)
            self._team_status.deleteLater()
            self._team_status = None
        if self.dock_layout is not None:
            self.dock_layout.save()
            self.dock_layout.stop()
            self.dock_layout.deleteLater()
            self.dock_layout = None
        if self._progress_status is not None:
            self.statusBar().removeWidget(self._progress_status)
            self._progress_status.deleteLater()
            self._progress_status = None
        self.progress = None
        self.loop = None
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

    def sync_now(self) -> None:
        """Sync a shared project with its server now (File ▸ Sync Now)."""
        if self.team is not None:
            self.team.sync_now()

    def choose_sync_interval(self) -> None:
        """Ask how often a shared project syncs; kept for every shared project."""
        seconds = ask_sync_interval(self)
        if seconds is not None:
            settings.set_team_sync_seconds(seconds)
            if self.team is not None:
                self.team.set_interval(seconds)

    def reset_layout(self) -> None:
        """The default dock layout for this kind, forgetting the one saved."""
        if self.dock_layout is not None:
            self.dock_layout.reset()

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
        """Open the demo, importing it first (with progress) on its first start."""
        if self._demo_opener is None:
            return
        try:
            path = open_demo_with_progress(self, self._demo_opener)
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
        """Every key the window binds as it is bound now (the review keys first), with the
        kind view's own keys."""
        table = list(self.actions_by_id.values())
        others = [a for a in self.findChildren(QAction) if a.parent() is self
                  and a not in table and a.shortcuts()]
        rows = [(tuple(k.toString() for k in action.shortcuts()),
                 self._describe(action_id, action)) for action_id, action in
                [*self.actions_by_id.items(), *(("", a) for a in others)]
                if action.isVisible()]
        help_text = kind_help(self.session.kind) if self.session is not None else ""
        return ShortcutsDialog(rows, help_text, self)

    @staticmethod
    def _describe(action_id: str, action: QAction) -> str:
        described = {a: text for a, _keys, text in SHORTCUTS}
        return described.get(action_id) or action.text().replace("&", "").rstrip("…")

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
