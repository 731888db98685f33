"""An asr project with NLP references in the window: ``entity:CLASS`` typed into the item
filter, and the statistics view's fstalign WER and entity rows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.gui.kinds.asr.view import AsrView
from reviewer.gui.main_window import MainWindow
from tests.gui.flow_helpers import (
    close_window,
    focused,
    make_project,
    open_window,
    press,
    type_text,
)

DATA = Path(__file__).parents[1] / "data" / "nlp"
CTRL = Qt.KeyboardModifier.ControlModifier


def _window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    bench = load_benchmark(DATA / "refs", [("txt", DATA / "hyps")], ReadOptions(
        kind="asr", normalizations=DATA / "norm", wer_tags=DATA / "tags",
        synonyms=DATA / "synonyms.rules.txt"))
    return open_window(qtbot, make_project(tmp_path / "calls.db", bench))


def test_entity_filter_typed_in_the_item_list(qtbot: QtBot, tmp_path: Path) -> None:
    win = _window(qtbot, tmp_path)
    assert win.items.visible_ids() == ["call1", "call2"]
    press(qtbot, Qt.Key.Key_F, CTRL)
    assert focused() is win.items.filter_edit
    type_text(qtbot, "entity:ORG")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.items.visible_ids() == ["call1"], timeout=3000)
    view = win.kind_view
    assert isinstance(view, AsrView)
    qtbot.waitUntil(lambda: view.item_id == "call1", timeout=3000)
    info = view.info.text()
    assert "speakers 1,2" in info and "entities MONEY, ORG" in info
    assert "fstalign WER txt 1/9 (11.11%)" in info  # '$40 million' read as spoken
    close_window(win)


def test_statistics_list_fstalign_wer_and_entity_classes(qtbot: QtBot, tmp_path: Path) -> None:
    win = _window(qtbot, tmp_path)
    dock = next(d for d in win.findChildren(QDockWidget) if d.objectName() == "stats")
    dock.raise_()
    stats = win.stats
    qtbot.waitUntil(lambda: stats.report is not None and not stats.busy(), timeout=20000)
    table = stats.table

    def text(row: int, column: int) -> str:
        cell = table.item(row, column)
        assert cell is not None
        return cell.text()

    rows = {text(r, 1): [text(r, c) for c in range(2, 4)] for r in range(table.rowCount())}
    assert rows["WER (fstalign)"] == ["7.69%", "7.69%"]  # 1 error in 13 words
    assert rows["WER ORG"][0] == "100.00%" and rows["WER MONEY"][0] == "0.00%"
    close_window(win)
