"""With several systems the alignment view opens stacked (issue 16, finding 10: inline, the
reference row merged every system's edits); S still switches, one system stays inline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from reviewer.core.items import Benchmark, Item
from reviewer.gui.diff_view import DiffView
from reviewer.gui.session import ReviewSession
from reviewer.store.importer import import_benchmark
from reviewer.store.project import Project
from tests.gui.flow_helpers import open_window


def test_several_systems_open_stacked_and_s_switches(tmp_path: Path, qtbot: QtBot) -> None:
    path = tmp_path / "two.db"
    with Project(path, create=True) as project:
        import_benchmark(project, Benchmark(
            "text", [Item("l1", "Hello world")],
            {"tess": {"l1": "Hallo world"}, "kraken": {"l1": "HEllo world"}}))
    win = open_window(qtbot, path)
    diff = win.diff
    assert diff.mode == "stacked"
    assert diff.mode_action.isChecked()
    text = diff.text.toPlainText()
    # Each system has its own reference row; no row carries both systems' edits.
    assert text.count("ref Hello world") == 2
    assert "hyp Hallo world" in text and "hyp HEllo world" in text
    qtbot.keyClicks(diff, "s")
    assert diff.mode == "inline"
    assert diff.block_text(None) == "Hello world"
    qtbot.keyClicks(diff, "s")
    assert diff.mode == "stacked"
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()


def test_one_system_opens_inline(qtbot: QtBot,
                                 make_review_session: Callable[..., ReviewSession]) -> None:
    session = make_review_session([Item("l1", "Hello world")], {"tess": {"l1": "Hallo world"}})
    view = DiffView(session)
    qtbot.addWidget(view)
    session.set_current_item("l1")
    assert view.mode == "inline"
    assert not view.mode_action.isChecked()
    assert view.block_text(None) == "Hello world"
