"""The diff view draws the core's edits with the palette's colours and maps clicks back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from reviewer.core.align import Alignment
from reviewer.core.categories import category
from reviewer.core.items import Item
from reviewer.gui.diff_render import INLINE_MARKER, width
from reviewer.gui.diff_view import DiffView
from reviewer.gui.session import ReviewSession
from reviewer.gui.theme import category_colour, text_colour

from .conftest import DIFF_ITEMS


def make_view(qtbot: QtBot, session: ReviewSession, item: str = "mixed") -> DiffView:
    view = DiffView(session)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.set_mode("inline")  # these tests read the inline layout (several systems: stacked)
    session.set_current_item(item)
    return view


def background(fmt: QTextCharFormat) -> str | None:
    brush = fmt.background()
    return None if brush.style() == Qt.BrushStyle.NoBrush else brush.color().name()


def click_char(qtbot: QtBot, view: DiffView, block: str | None, char_pos: int) -> None:
    doc_pos = view._doc_position(block, char_pos)
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(doc_pos)
    rect = view.text.cursorRect(cursor)
    qtbot.mouseClick(view.text.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.x() + 2, rect.center().y()))


def test_edits_are_drawn_with_their_categories_and_colours(qtbot: QtBot,
                                                           diff_session: ReviewSession) -> None:
    view = make_view(qtbot, diff_session)
    cats = [(s, c) for s, _, c in view.rendered_edits()]
    assert cats == [("ocr_a", c) for c in ("case", "confusable", "diacritic", "punctuation",
                                           "deletion", "insertion", "whitespace")] + \
        [("ocr_b", "confusable"), ("ocr_b", "punctuation")]
    confusable = category("text", "confusable")
    hyp = view.block_text("ocr_a")
    assert hyp.startswith("the rnodern Cafe")
    fmt = view.char_format_at("ocr_a", hyp.index("rn"))
    assert background(fmt) == category_colour(confusable).name()
    assert fmt.foreground().color() == text_colour()
    assert view.edit_at("ocr_a", hyp.index("rn") + 1) == ("ocr_a", 1)
    assert background(view.char_format_at("ocr_a", hyp.index("odern"))) is None
    # The deletion of "the " is a marker in the prediction, the words in the reference.
    marker = hyp.index("and ") + 4
    assert hyp[marker:marker + 3] == INLINE_MARKER
    assert view.edit_at("ocr_a", marker) == ("ocr_a", 4)
    ref = view.block_text(None)
    assert ref == DIFF_ITEMS["mixed"][0].replace("the mat", f"the {INLINE_MARKER}mat").replace(
        "today", f"to{INLINE_MARKER}day")
    deletion = ref.index("the cat")
    assert background(view.char_format_at(None, deletion)) == \
        category_colour(category("text", "deletion")).name()
    plain = view.text.toPlainText()
    a = diff_session.alignment("ocr_a", "mixed")
    assert f"ocr_a — CER {100 * a.errors / a.ref_units:.2f}% ({a.errors}/{a.ref_units})" in plain


def test_hidden_categories_are_not_highlighted(qtbot: QtBot, diff_session: ReviewSession) -> None:
    view = make_view(qtbot, diff_session)
    diff_session.set_category_visible("confusable", False)
    assert "confusable" not in {c for _, _, c in view.rendered_edits()}
    hyp = view.block_text("ocr_a")
    assert background(view.char_format_at("ocr_a", hyp.index("rn"))) is None
    assert view.edit_at("ocr_a", hyp.index("rn")) is None
    assert view.tooltip_at("ocr_a", hyp.index("rn")) == ""
    view.set_mode("stacked")
    assert "confusable" not in {c for _, _, c in view.rendered_edits()}
    diff_session.set_category_visible("confusable", True)
    hyp = view.block_text("ocr_a")
    assert view.edit_at("ocr_a", hyp.index("rn")) == ("ocr_a", 1)


def test_click_selects_an_edit_and_keys_walk_the_edits(qtbot: QtBot,
                                                       diff_session: ReviewSession) -> None:
    view = make_view(qtbot, diff_session)
    view.show()
    qtbot.waitExposed(view)
    hyp = view.block_text("ocr_a")
    pos = hyp.index("rn")
    with qtbot.waitSignal(diff_session.editSelected) as selected:
        click_char(qtbot, view, "ocr_a", pos)
    assert selected.args == ["ocr_a", 1]
    assert diff_session.selected_edit == ("ocr_a", 1)
    fmt = view.char_format_at("ocr_a", pos)
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert background(fmt) != category_colour(category("text", "confusable")).name()
    # The selection survives a re-render.
    view.set_mode("stacked")
    stacked = view.block_text("ocr_a")
    col = stacked.split("\n")[1].index("rn")
    row_start = len(stacked.split("\n")[0]) + 1
    assert view.char_format_at("ocr_a", row_start + col).fontUnderline()
    assert view.select_next_edit(1)
    assert diff_session.selected_edit == ("ocr_a", 2)
    assert not view.char_format_at("ocr_a", row_start + col).fontUnderline()
    for _ in range(5):
        view.select_next_edit(1)
    assert diff_session.selected_edit == ("ocr_b", 0)
    view.select_next_edit(1)
    assert not view.select_next_edit(1)  # the last edit stays selected
    assert diff_session.selected_edit == ("ocr_b", 1)
    view.select_next_edit(-1)
    assert diff_session.selected_edit == ("ocr_b", 0)


def test_tooltip_names_the_category_and_both_sides(qtbot: QtBot,
                                                   diff_session: ReviewSession) -> None:
    view = make_view(qtbot, diff_session)
    hyp = view.block_text("ocr_a")
    assert "<b>Confusable glyphs</b>: 'm' → 'rn'" in view.tooltip_at("ocr_a", hyp.index("rn"))
    marker = hyp.index("and ") + 4
    assert "<b>Deletion</b>: 'the ' → '∅'" in view.tooltip_at("ocr_a", marker)
    ref = view.block_text(None)
    # Over the reference, every system's edit there is listed.
    assert "ocr_a — <b>Confusable glyphs</b>: 'm' → 'rn'" in view.tooltip_at(None, ref.index("m"))
    assert "ocr_b — <b>Confusable glyphs</b>: 'rn' → 'm'" in view.tooltip_at(None, ref.index("rn"))
    diff_session.set_current_item("shared")
    tip = view.tooltip_at(None, 1)
    assert "ocr_a — <b>Substitution</b>: 'e' → 'a'" in tip
    assert "ocr_b — <b>Case</b>: 'e' → 'E'" in tip


def test_hovering_an_edit_shows_its_tooltip(qtbot: QtBot, diff_session: ReviewSession) -> None:
    view = make_view(qtbot, diff_session)
    view.show()
    qtbot.waitExposed(view)
    pos = view._doc_position("ocr_a", view.block_text("ocr_a").index("rn"))
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(pos)
    rect = view.text.cursorRect(cursor)
    point = QPoint(rect.x() + 2, rect.center().y())
    viewport = view.text.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, point,
                                                viewport.mapToGlobal(point)))
    assert "Confusable glyphs" in QToolTip.text()
    QToolTip.hideText()


def test_a_click_on_the_reference_cycles_through_the_systems_edits(
        qtbot: QtBot, diff_session: ReviewSession) -> None:
    view = make_view(qtbot, diff_session, "shared")
    view.show()
    qtbot.waitExposed(view)
    click_char(qtbot, view, None, 1)
    assert diff_session.selected_edit == ("ocr_a", 0)
    click_char(qtbot, view, None, 1)
    assert diff_session.selected_edit == ("ocr_b", 0)
    assert background(view.char_format_at(None, 1)) != \
        category_colour(category("text", "case")).name()
    assert view.char_format_at(None, 1).fontUnderline()


def test_stacked_rows_line_up_and_wrap_together(qtbot: QtBot, diff_session: ReviewSession) -> None:
    view = make_view(qtbot, diff_session)
    view.show()
    qtbot.waitExposed(view)
    view.set_mode("stacked")
    assert view.mode == "stacked"
    assert view.mode_action.isChecked()
    view.resize(330, 500)
    lines = view.block_text("ocr_a").split("\n")
    assert len(lines) > 2 and len(lines) % 2 == 0
    offset = 0
    for ref, hyp in zip(lines[::2], lines[1::2], strict=True):
        assert ref.startswith("ref ") and hyp.startswith("hyp ")
        assert width(ref) == width(hyp)
        hyp_offset = offset + len(ref) + 1
        for col in range(len(ref)):
            assert view.edit_at("ocr_a", offset + col) == view.edit_at("ocr_a", hyp_offset + col)
        if "····" in hyp:
            col = hyp.index("····")
            assert ref[col:col + 4] == "the "
            xs = []
            for pos in (offset + col, hyp_offset + col):
                cursor = QTextCursor(view.text.document())
                cursor.setPosition(view._doc_position("ocr_a", pos))
                xs.append(view.text.cursorRect(cursor).x())
            assert xs[0] == xs[1]
        offset = hyp_offset + len(hyp) + 1
    document_width = view.text.document().idealWidth()
    assert document_width <= view.text.viewport().width()
    wide = len(lines)
    view.resize(900, 500)
    assert len(view.block_text("ocr_a").split("\n")) < wide


def test_a_typed_reference_aligns_each_system_once_per_change(
        qtbot: QtBot, diff_session: ReviewSession, monkeypatch: pytest.MonkeyPatch) -> None:
    # How fast a keystroke re-renders is measured by benchmarks/bench_gui.py.
    view = make_view(qtbot, diff_session)
    aligned: list[str] = []
    preview = diff_session.preview_alignment

    def counted(system: str, item_id: str, reference: str) -> Alignment:
        aligned.append(system)
        return preview(system, item_id, reference)

    monkeypatch.setattr(diff_session, "preview_alignment", counted)
    typed = DIFF_ITEMS["mixed"][1]
    for k in range(5):
        view.set_preview_reference(typed + " " * (k % 2))
    assert aligned == diff_session.systems * 5
    view.set_preview_reference(typed)  # unchanged: nothing is aligned again
    assert len(aligned) == 5 * len(diff_session.systems)
    assert "Reference (edited, not saved)" in view.text.toPlainText()
    assert [s for s, _, _ in view.rendered_edits()].count("ocr_a") == 0
    assert "ocr_a — CER 0.00%" in view.text.toPlainText()
    view.set_preview_reference(None)
    assert [s for s, _, _ in view.rendered_edits()].count("ocr_a") == 7
    # Another item drops the typed reference.
    view.set_preview_reference(typed)
    diff_session.set_current_item("clean")
    assert view.block_text(None) == "Plain line"


def test_a_committed_correction_re_renders(qtbot: QtBot, diff_session: ReviewSession) -> None:
    view = make_view(qtbot, diff_session)
    with qtbot.waitSignal(diff_session.decisionChanged):
        diff_session.decide("mixed", corrected_reference=DIFF_ITEMS["mixed"][2])
    assert view.block_text(None).replace(INLINE_MARKER, "") == DIFF_ITEMS["mixed"][2]
    assert "Reference" in view.text.toPlainText()
    assert [s for s, _, _ in view.rendered_edits()].count("ocr_b") == 0


def test_markup_in_inputs_shows_literally(qtbot: QtBot, diff_session: ReviewSession) -> None:
    view = make_view(qtbot, diff_session, "markup")
    view.show()
    qtbot.waitExposed(view)
    assert view.block_text(None) == "<b>bold</b> & <script>x</script>"
    hyp = view.block_text("ocr_a")
    assert hyp == "<b>bo1d</b> & <script>y</script>"
    tip = view.tooltip_at("ocr_a", hyp.index("y"))
    assert "'x' → 'y'" in tip
    tip = view.tooltip_at("ocr_a", hyp.index("1"))
    assert "<script>" not in tip and "<b>bo" not in tip
    view.set_mode("stacked")
    assert "<b>bo1d</b> & <script>y</script>" in view.block_text("ocr_a")


def test_text_beyond_the_basic_plane_maps_positions(
        qtbot: QtBot, make_review_session: Callable[..., ReviewSession]) -> None:
    session = make_review_session([Item("e", "a😀b c")], {"sys": {"e": "a😀c c"}})
    view = make_view(qtbot, session, "e")
    hyp = view.block_text("sys")
    assert hyp == "a😀c c"
    assert view.edit_at("sys", 2) == ("sys", 0)
    assert view.edit_at("sys", 4) is None
    view.set_mode("stacked")
    rows = view.block_text("sys").split("\n")
    assert rows == ["ref a😀b c", "hyp a😀c c"]


def test_zoom_changes_the_text_size(qtbot: QtBot, diff_session: ReviewSession) -> None:
    view = make_view(qtbot, diff_session)
    before = view.char_format_at("ocr_a", 0).font().pointSizeF()
    view.zoom(2)
    assert view.char_format_at("ocr_a", 0).font().pointSizeF() == before + 2
