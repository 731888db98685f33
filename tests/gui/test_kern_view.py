"""The kern item view: engravings with coloured edits, selection, OMR-NED filling in, crashes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from reviewer.core.kern.omr_categories import omr_category
from reviewer.core.palette import colour
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.gui.kinds.kern import view as kern_view
from reviewer.gui.session import ReviewSession
from reviewer.gui.shortcuts import SHORTCUTS
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project

pytestmark = pytest.mark.slow


@pytest.fixture
def kern_session(tmp_path: Path, peer_fixtures: Path, qtbot: QtBot) -> Iterator[ReviewSession]:
    """The worked example and the broken piano prediction, one system ``smt``."""
    root = peer_fixtures / "omr-musicdiff"
    for folder in ("gt", "pred"):
        (tmp_path / folder).mkdir()
    shutil.copy(root / "worked_example/gt.krn", tmp_path / "gt/worked.krn")
    shutil.copy(root / "worked_example/pred.krn", tmp_path / "pred/worked.krn")
    shutil.copy(root / "piano_syntax_example/gt.krn", tmp_path / "gt/piano.krn")
    shutil.copy(root / "piano_syntax_example/pred_syntax_errors.krn", tmp_path / "pred/piano.krn")
    bench = load_benchmark(tmp_path / "gt", [("smt", tmp_path / "pred")],
                           ReadOptions(kind="kern"))
    path = tmp_path / "omr.db"
    with Project(path, create=True) as project:
        import_benchmark(project, bench)
    session = ReviewSession(path, "tester")
    yield session
    QThreadPool.globalInstance().waitForDone(60_000)
    session.close()


def _ready(view: kern_view.KernView) -> bool:
    return view.fill_progress is None and not view.engraving_busy()


def _view(session: ReviewSession, qtbot: QtBot, item: str) -> kern_view.KernView:
    view = kern_view.make_view(session)
    assert isinstance(view, kern_view.KernView)
    qtbot.addWidget(view)
    view.resize(1000, 900)
    view.show()
    session.set_current_item(item)
    qtbot.waitUntil(lambda: _ready(view), timeout=90_000)
    return view


def test_engravings_are_coloured_by_musicdiff_category(kern_session: ReviewSession,
                                                       qtbot: QtBot) -> None:
    view = _view(kern_session, qtbot, "worked")
    assert "OMR-NED 21.74% (10/46 symbols)" in view.titles["smt"].text()
    reference, prediction = view.canvases[kern_view.REFERENCE], view.canvases["smt"]
    assert reference.renderer is not None and prediction.renderer is not None
    marks = prediction.marks
    # the lost beams (8a 8b on lines 7-8) are drawn in "wrong flag/beam"'s colour
    beam = colour(omr_category("wrong flag/beam").swatch, "light")
    assert marks["note-L7F1"].name().upper() == beam.upper()
    accidental = colour(omr_category("wrong accidental").swatch, "light")
    assert marks["note-L9F1"].name().upper() == accidental.upper()
    assert reference.marks  # the reference's side of the same edits
    rows = view.edit_list.row_keys()
    assert len(rows) == 7 and all(system == "smt" for system, _ in rows)


def test_clicking_a_coloured_note_selects_the_edit_everywhere(kern_session: ReviewSession,
                                                              qtbot: QtBot) -> None:
    view = _view(kern_session, qtbot, "worked")
    canvas = view.canvases["smt"]
    centre = canvas.element_centre("note-L7F1")
    assert centre is not None
    with qtbot.waitSignal(kern_session.editSelected, timeout=5000) as caught:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=centre.toPoint())
    system, index = caught.args
    alignment = kern_session.alignment("smt", "worked")
    assert system == "smt" and alignment.edits[index].category == "beam"
    assert "note-L7F1" in canvas.selected
    assert view.canvases[kern_view.REFERENCE].selected  # the reference's notes too
    assert view.edit_list.selectedItems()  # and the musicdiff edits in the list
    # selecting from elsewhere (the alignment view) shows it here
    kern_session.select_edit("smt", -1)
    assert not canvas.selected
    kern_session.select_edit("smt", index)
    assert "note-L7F1" in canvas.selected
    # and choosing a listed edit selects its token edit
    beam_row = next(k for k, (s, n) in enumerate(view.edit_list.row_keys())
                    if view.states["smt"].result is not None
                    and view.states["smt"].result.ops[n].op == "editbeam")
    kern_session.select_edit("smt", -1)
    with qtbot.waitSignal(kern_session.editSelected, timeout=5000) as again:
        item = view.edit_list.topLevelItem(beam_row)
        assert item is not None
        view.edit_list.itemClicked.emit(item, 0)
    assert again.args == ["smt", index]


def test_malformed_kern_fails_in_the_child_and_the_window_stays_responsive(
        kern_session: ReviewSession, qtbot: QtBot) -> None:
    view = _view(kern_session, qtbot, "worked")
    kern_session.set_current_item("piano")  # verovio aborts on its prediction
    # Returned while the engraving is still under way: it runs in a child process, and the
    # window's event loop goes on (waitUntil below spins it until the child is done).
    assert view.engraving_busy()
    qtbot.waitUntil(lambda: _ready(view), timeout=60_000)
    message = view.canvases["smt"].message
    assert message.startswith("This prediction cannot be engraved: verovio stopped by signal")
    assert "line 13: 1 field where 2 spines are open" in message
    assert view.canvases[kern_view.REFERENCE].renderer is not None
    # the syntax problems are listed at their lines, the next engraving works again
    syntax = [k for k in view.edit_list.row_keys() if k[1] < 0]
    assert len(syntax) == 3
    kern_session.set_current_item("worked")
    qtbot.waitUntil(lambda: _ready(view), timeout=60_000)
    assert view.canvases["smt"].renderer is not None


def test_omr_ned_fills_in_while_the_token_level_shows_at_once(kern_session: ReviewSession,
                                                              qtbot: QtBot) -> None:
    view = kern_view.make_view(kern_session)
    qtbot.addWidget(view)
    assert isinstance(view, kern_view.KernView)
    kern_session.set_current_item("worked")
    state = view.states["smt"]
    assert state.alignment is not None and state.alignment.errors > 0  # token level: now
    assert view.fill_progress is not None  # OMR-NED: being computed
    qtbot.waitUntil(lambda: _ready(view), timeout=90_000)
    assert view.states["smt"].result is not None
    assert "every pair" in view.omr_status.text() or "2 pairs computed" in view.omr_status.text()


def test_own_keys_do_not_clash_with_the_global_ones(kern_session: ReviewSession,
                                                    qtbot: QtBot) -> None:
    view = _view(kern_session, qtbot, "worked")
    own = {a.shortcut().toString() for a in view.actions()}
    assert own == {"]", "[", "O"}
    taken = {k for _, keys, _ in SHORTCUTS for k in keys}
    assert not own & taken
    keys = view.edit_list.row_keys()
    first = view.edit_list.topLevelItem(0)
    assert first is not None
    view.edit_list.setCurrentItem(first)
    qtbot.keyClick(view, Qt.Key.Key_BracketRight)
    current = view.edit_list.currentItem()
    assert current is not None and current.data(0, Qt.ItemDataRole.UserRole) == keys[1]
    qtbot.keyClick(view, Qt.Key.Key_BracketLeft)
    current = view.edit_list.currentItem()
    assert current is not None and current.data(0, Qt.ItemDataRole.UserRole) == keys[0]
