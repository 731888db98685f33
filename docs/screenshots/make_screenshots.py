"""Regenerate the README's screenshots of the window on the bundled demo (offscreen).

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from shot_setup import isolate
from shot_setup import save as _save
from shot_setup import settle as _settle

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        isolate(Path(tmp))
        from PySide6.QtWidgets import QApplication, QDockWidget

        from reviewer.demo import ensure_demo
        from reviewer.gui.import_dialog import ImportDialog
        from reviewer.gui.main_window import MainWindow
        from reviewer.gui.theme import apply_theme
        from reviewer.resources import demo_dir

        app = QApplication.instance() or QApplication(sys.argv[:1])
        assert isinstance(app, QApplication)
        apply_theme(app, "light")
        project = ensure_demo(Path(tmp) / "demo.db")
        window = MainWindow("screenshots", demo_opener=lambda _progress: project)
        window.resize(1480, 900)
        window.open_project(project)
        window.show()
        session = window.session
        assert session is not None
        item = _busiest_item(session)
        session.set_current_item(item)
        _settle(app)
        window.stats.refresh()
        _settle(app, 2.0)
        _save(window, "main_light.png")
        stats_dock = next(d for d in window.findChildren(QDockWidget) if d.objectName() == "stats")
        stats_dock.raise_()
        _settle(app, 2.0)
        _save(window, "main_stats.png")
        next(d for d in window.findChildren(QDockWidget) if d.objectName() == "label").raise_()
        window.diff.set_mode("stacked")
        _settle(app)
        _save(window, "main_stacked.png")
        window.diff.set_mode("inline")
        apply_theme(app, "dark")
        session.categoryVisibilityChanged.emit()
        _settle(app)
        _save(window, "main_dark.png")
        apply_theme(app, "light")

        folder = demo_dir("text")
        dialog = ImportDialog(window)
        dialog.set_reference(str(folder / "lines"))
        dialog.add_prediction(str(folder / "tesseract-lstm"))
        dialog.add_prediction(str(folder / "tesseract-lstm-halfres"))
        dialog.set_project_path(str(Path(tmp) / "ocr-lines.db"))
        dialog.resize(900, 640)
        dialog.show()
        _settle(app)
        _save(dialog, "import_dialog.png")
        dialog.close()
        upgrade_screenshot(app, window, project)
        window.close()
        label_screenshots(app, Path(tmp))
        choice_screenshots(app, Path(tmp))
        gec_screenshots(app, Path(tmp))
        asr_screenshots(app, Path(tmp))
        suspicion_asr_screenshot(app, Path(tmp))
        kern_screenshots(app, Path(tmp))
    return 0


def upgrade_screenshot(app, window, project: Path) -> None:  # type: ignore[no-untyped-def]
    """The dialog over the window while a project made by an earlier version is brought
    up to date: a minute and a half into its one step, as on a large project."""
    from reviewer.gui.project_upgrade import UpgradeDialog

    dialog = UpgradeDialog(window, project, 1)
    dialog.started -= 83  # as if it had begun 83 s ago
    dialog.show_status("step 1 of 1 (m012_covering_sort_indexes)")
    dialog.show()
    _settle(app)
    _save(dialog, "upgrade-dialog.png")
    dialog.close()


# -- label kind: a digit with probability bars, and the confusion matrix ----------------------
def label_screenshots(app, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    """label-review.png (a flipped digit label) and confusion-matrix.png (a cell selected)."""
    from PySide6.QtWidgets import QDockWidget

    from reviewer.demo import ensure_demo
    from reviewer.gui.main_window import MainWindow
    from reviewer.gui.settings import qsettings

    qsettings().remove("window/state")  # the default dock layout, not the last window's
    project = ensure_demo(tmp / "demo-label.db", "label")
    window = MainWindow("screenshots")
    window.resize(1400, 860)
    window.open_project(project)
    window.show()
    session = window.session
    assert session is not None
    session.set_current_item("d0065")  # gold 8, both classifiers read a 4 (a flipped label)
    _settle(app, 3.0)  # the suspicion column is computed in the background
    _save(window, "label-review.png")
    dock = next(d for d in window.findChildren(QDockWidget) if d.objectName() == "confusion")
    dock.raise_()
    view = window.kind_docks["confusion"]
    view.select_cell(view.rows.index("8"), view.columns.index("1"))
    _settle(app, 1.0)
    _save(window, "confusion-matrix.png")
    window.close()


# -- choice kind and the suspicion queue -----------------------------------------------------
def choice_screenshots(app, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    """choice-review.png (a planted wrong key, corrected) and suspicion-queue.png (text demo)."""
    from reviewer.demo import ensure_demo
    from reviewer.gui.main_window import MainWindow
    from reviewer.gui.settings import qsettings
    from reviewer.gui.suspicion import tracker

    # Each window starts from the default dock layout, not the one the last window left.
    qsettings().remove("window/state")
    project = ensure_demo(tmp / "demo-choice.db", "choice")
    window = MainWindow("screenshots")
    window.resize(1400, 860)
    window.open_project(project)
    window.show()
    session = window.session
    assert session is not None
    window.items.set_queue(True)
    _settle(app, 2.0)
    session.set_current_item("q04")  # the key says Kenya; all four models say Tanzania
    session.decide("q04", verdict="reference_error", error_type="wrong_groundtruth",
                   corrected_reference="C")
    session.flush()
    _settle(app, 1.0)
    _save(window, "choice-review.png")
    window.close()

    qsettings().remove("window/state")
    project = ensure_demo(tmp / "demo-suspects.db", "text")
    window = MainWindow("screenshots")
    window.resize(1400, 860)
    window.open_project(project)
    window.show()
    session = window.session
    assert session is not None
    window.items.set_queue(True)
    suspicion = tracker(session)
    for _ in range(100):
        _settle(app, 0.1)
        if suspicion.suspects is not None:
            break
    session.set_current_item("line_0021")  # a planted typo: both systems read "watch"
    window.diff.zoom(4)
    _settle(app, 1.0)
    _save(window, "suspicion-queue.png")
    window.close()


# -- gec kind: a sentence with TP, FP and FN edits, a gold omission selected ------------------
def gec_screenshots(app, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    """gec-review.png: gold and two systems' corrections, an FP edit selected (key E)."""
    from PySide6.QtWidgets import QDockWidget

    from reviewer.demo import ensure_demo
    from reviewer.gui.main_window import MainWindow
    from reviewer.gui.settings import qsettings

    qsettings().remove("window/state")
    project = ensure_demo(tmp / "demo-gec.db", "gec")
    window = MainWindow("screenshots")
    window.resize(1400, 860)
    window.open_project(project)
    window.show()
    session, view = window.session, window.kind_view
    assert session is not None and view is not None
    media = next(d for d in window.findChildren(QDockWidget) if d.objectName() == "media")
    media.hide()  # no images in this benchmark
    _settle(app, 0.5)
    window.resize(1400, 860)  # the legend's 25 rows first ask for more height than they need
    session.set_current_item("40")  # the gold misses "carefuly": both systems fix it (FP)
    _settle(app, 1.0)
    view.select(next(k for k, s in enumerate(view.shown)
                     if s.row == "eager" and s.mark == "FP" and s.edit.type == "R:SPELL"))
    _settle(app, 0.5)
    _save(window, "gec-review.png")
    media.show()  # the dock layout is kept in the settings for the next window
    window.close()


# -- asr kind: the audio player above the alignment, an edit selected -------------------------
def asr_screenshots(app, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    """asr-review.png: waveform with ctm word times, a planted reference error selected."""
    from PySide6.QtWidgets import QDockWidget

    from reviewer.demo import ensure_demo
    from reviewer.gui.main_window import MainWindow
    from reviewer.gui.settings import qsettings

    qsettings().remove("window/state")
    project = ensure_demo(tmp / "demo-asr.db", "asr")
    window = MainWindow("screenshots")
    window.resize(1400, 860)
    window.open_project(project)
    window.show()
    session = window.session
    assert session is not None
    media = next(d for d in window.findChildren(QDockWidget) if d.objectName() == "media")
    media.hide()  # the audio plays in the asr view above the alignment
    session.set_current_item("alice_19")  # the reference says "I she be", the audio "I must be"
    _settle(app, 1.5)
    session.select_edit("sphinx-default", 0)  # the player moves to the edit's first word
    _settle(app, 0.5)
    _save(window, "asr-review.png")
    media.show()
    window.close()


def suspicion_asr_screenshot(app, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    """suspicion-asr.png: the asr demo in the suspicion queue, a planted mistake selected."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget

    from reviewer.demo import ensure_demo
    from reviewer.gui.main_window import MainWindow
    from reviewer.gui.settings import qsettings
    from reviewer.gui.suspicion import tracker

    qsettings().remove("window/state")
    project = ensure_demo(tmp / "demo-asr-suspects.db", "asr")
    window = MainWindow("screenshots")
    window.resize(1400, 860)
    window.open_project(project)
    window.show()
    session = window.session
    assert session is not None
    window.items.set_queue(True)
    suspicion = tracker(session)
    for _ in range(100):
        _settle(app, 0.1)
        if suspicion.suspects is not None:
            break
    # "I she be getting": the general-English systems hear "was", the book-LM one "must"
    session.set_current_item("alice_19")
    window.resize(1400, 860)
    _settle(app, 0.5)
    items = next(d for d in window.findChildren(QDockWidget) if d.objectName() == "items")
    window.resizeDocks([items], [330], Qt.Orientation.Horizontal)  # the Suspicion column shows
    _settle(app, 1.5)
    _save(window, "suspicion-asr.png")
    window.close()


# -- kern kind: engraved reference and predictions, musicdiff's edits coloured ----------------
def kern_screenshots(app, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    """kern-review.png: a planted reference error (a pitch a step off), an edit selected."""
    import time

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget

    from reviewer.demo import ensure_demo
    from reviewer.gui.main_window import MainWindow
    from reviewer.gui.settings import qsettings

    qsettings().remove("window/state")
    project = ensure_demo(tmp / "demo-kern.db", "kern")
    window = MainWindow("screenshots")
    window.resize(1400, 860)
    window.open_project(project)
    window.show()
    session = window.session
    assert session is not None
    docks = {d.objectName(): d for d in window.findChildren(QDockWidget)}
    docks["media"].hide()  # no page images in this demo
    window.resizeDocks([docks["items"], docks["label"]], [330, 330], Qt.Orientation.Horizontal)
    view = window.kind_view
    session.set_current_item("chopin-op6no2-m05-08")  # the reference has a# where both read g#
    end = time.monotonic() + 120  # OMR-NED fills in, then the engravings come
    while (view.fill_progress is not None or view.engraving_busy()) and time.monotonic() < end:
        _settle(app, 0.2)
    _settle(app, 1.0)
    alignment = session.alignment("omr-careful", "chopin-op6no2-m05-08")
    pitch = next((k for k, e in enumerate(alignment.edits) if e.category == "pitch"), 0)
    session.select_edit("omr-careful", pitch)
    _settle(app, 1.0)
    _save(window, "kern-review.png")
    docks["media"].show()
    window.close()


def _busiest_item(session) -> str:  # type: ignore[no-untyped-def]
    """The item whose alignments show the most different categories."""
    best, best_key = session.project.item_ids()[0], (0, 0)
    for row in session.project.alignment_rows("original"):
        cats = row.categories()
        key = (len(cats), -row.counts.main_errors)
        if key > best_key and row.counts.main_errors < 12:
            best, best_key = row.item_id, key
    return str(best)


if __name__ == "__main__":
    sys.exit(main())
