"""An NLP call in the window is drawn with fstalign's path: a normalised span read as one of
its verbalisations is matched (its reading in a tooltip), entity spans are underlined and
named, the legend counts what fstalign counts; a corrected reference falls back, saying so."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat
from pytestqt.qtbot import QtBot

from reviewer.core.lattice_summary import SUMMARY_KEY
from reviewer.formats.load import load_benchmark
from reviewer.formats.registry import ReadOptions
from reviewer.gui.kinds.asr.view import AsrView
from reviewer.gui.main_window import MainWindow
from reviewer.store.project import Project
from tests.gui.flow_helpers import close_window, make_project, open_window, press

DATA = Path(__file__).parents[1] / "data" / "nlp"


def _window(qtbot: QtBot, tmp_path: Path) -> tuple[MainWindow, Path]:
    bench = load_benchmark(DATA / "refs", [("txt", DATA / "hyps")], ReadOptions(
        kind="asr", normalizations=DATA / "norm", wer_tags=DATA / "tags",
        synonyms=DATA / "synonyms.rules.txt"))
    db = make_project(tmp_path / "calls.db", bench)
    win = open_window(qtbot, db)
    win.diff.set_mode("inline")
    session = win.session
    assert session is not None
    qtbot.waitUntil(lambda: session.current_item == "call1", timeout=3000)
    return win, db


def test_normalised_span_is_matched_and_entities_are_marked(qtbot: QtBot,
                                                            tmp_path: Path) -> None:
    win, _ = _window(qtbot, tmp_path)
    diff = win.diff
    # the preset counts '$40 million' / 'forty million dollars' and "I'm" / 'i am' as
    # errors; fstalign's path matches them: only Acme / acne is left
    assert diff.rendered_edits() == [("txt", 0, "near_match")]
    reference = diff.block_text(None)
    money = reference.index("$40")
    assert diff.edit_at(None, money) is None
    assert "MONEY" in diff.tooltip_at(None, money)
    underline = diff.char_format_at(None, money).underlineStyle()
    assert underline == QTextCharFormat.UnderlineStyle.SingleUnderline
    hyp = diff.block_text("txt")
    forty = hyp.index("forty")
    assert diff.edit_at("txt", forty) is None
    assert "$40 million -&gt; forty million dollars (MONEY)" in diff.tooltip_at("txt", forty)
    assert (diff.char_format_at("txt", forty).underlineStyle()
            == QTextCharFormat.UnderlineStyle.DotLine)
    # the edit inside the ORG entity names its class too
    assert "ORG" in diff.tooltip_at(None, reference.index("Acme"))
    assert "as fstalign counts it" in diff.text.document().toPlainText()
    press(qtbot, Qt.Key.Key_S)  # stacked rows: the reading stands under its written span
    assert diff.mode == "stacked"
    lines = diff.block_text("txt").splitlines()
    rows = list(zip(lines[0::2], lines[1::2], strict=True))  # wrapped: ref, hyp, ref, ...

    def column(written: str, read: str) -> tuple[int, int]:
        ref, hyp = next((r, h) for r, h in rows if written in r)
        return ref.index(written), hyp.index(read)

    for written, read in (("$40 million", "forty million dollars"), ("I'm", "i am"),
                          ("Acme", "acne")):
        at_ref, at_hyp = column(written, read)
        assert at_ref == at_hyp, (written, rows)
    close_window(win)


def test_legend_counts_are_fstalign_counts(qtbot: QtBot, tmp_path: Path) -> None:
    win, db = _window(qtbot, tmp_path)
    with Project(db) as project:
        counts = project.prediction_meta("txt", "call1")[SUMMARY_KEY]
    legend, session = win.legend, win.session
    assert session is not None
    assert sum(legend.item_counts.values()) == counts["s"] + counts["d"] + counts["i"] == 1
    assert legend.counts("near_match")[0] == 1
    assert legend.entities.isVisibleTo(win)
    assert "MONEY" in legend.entities.text() and "ORG" in legend.entities.text()
    press(qtbot, Qt.Key.Key_J)  # call2: 20% read as 'twenty percent', no error
    qtbot.waitUntil(lambda: session.current_item == "call2", timeout=3000)
    assert sum(legend.item_counts.values()) == 0
    assert "PERCENT" in legend.entities.text() and "MONEY" not in legend.entities.text()
    assert win.diff.rendered_edits() == []
    close_window(win)


def test_corrected_reference_falls_back_to_the_preset_alignment(qtbot: QtBot,
                                                                tmp_path: Path) -> None:
    win, db = _window(qtbot, tmp_path)
    view, session = win.kind_view, win.session
    assert isinstance(view, AsrView) and session is not None
    assert not view.lattice_note.isVisibleTo(win)
    press(qtbot, Qt.Key.Key_L)  # select Acme / acne
    assert session.selected_edit == ("txt", 0)
    press(qtbot, Qt.Key.Key_R)  # the reference is wrong here: take 'acne'
    qtbot.waitUntil(lambda: session.decision("call1").corrected_reference is not None,
                    timeout=5000)
    assert session.decision("call1").corrected_reference == (
        "Revenue was $40 million I'm with acne")
    qtbot.waitUntil(lambda: view.lattice_note.isVisibleTo(win), timeout=3000)
    assert "corrected" in view.lattice_note.text()
    # the preset's alignment again: '$40 million' / 'forty million dollars' is an edit
    categories = [c for _, _, c in win.diff.rendered_edits()]
    assert categories and "near_match" not in categories
    assert "as fstalign counts it" not in win.diff.text.document().toPlainText()
    assert not win.legend.entities.isVisibleTo(win)
    with Project(db) as project:
        meta = project.prediction_meta("txt", "call1")
    assert json.dumps(meta)  # the kept path stays; it applies again once restored
    close_window(win)
