"""No keyboard trap (issue 16, finding 2): Esc leaves any text field for the item list, Enter
leaves the filter, the review keys never type into a field left that way, Ctrl+Z is the
field's own undo inside a field and the decision undo outside, and the ? sheet lists
exactly the keys the window binds. Driven by keys, as a person would."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from reviewer.core.decisions import VERDICTS
from reviewer.gui.main_window import MainWindow
from reviewer.store import decisions
from reviewer.store.project import Project
from tests.gui.flow_helpers import (
    click_into,
    close_window,
    focused,
    make_project,
    open_window,
    press,
    stay_after_verdicts,
    type_text,
)
from tests.gui.test_label_view import label_benchmark

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    win = open_window(qtbot, make_project(tmp_path / "items.db"))
    yield win
    close_window(win)


def named(win: MainWindow, name: str) -> QWidget:
    widget = win.findChild(QWidget, name)
    assert widget is not None, f"no widget named {name!r}"
    return widget


def field(win: MainWindow, name: str) -> QWidget:
    """A text field of the window (found as the window holds it: these tests are about
    what the keys do, the names are tested on their own)."""
    fields: dict[str, QWidget] = {
        "correctedReference": win.panel.reference, "note": win.panel.note,
        "tags": win.panel.tags, "itemFilter": win.items.filter_edit}
    return fields[name]


def item_list(win: MainWindow) -> QTableView:
    return win.items.table


def sheet_rows(dialog: QWidget) -> dict[tuple[str, ...], str]:
    """The rows of the ? sheet as it shows them: keys -> what they do."""
    label = dialog.findChild(QLabel)
    assert label is not None
    rows = re.findall(r"<tr><td[^>]*><b>(.*?)</b></td><td>(.*?)</td></tr>", label.text())
    return {tuple(html.unescape(keys).split(" / ")): html.unescape(text) for keys, text in rows}


def test_key_widgets_have_stable_object_and_accessible_names(window: MainWindow) -> None:
    names = {"itemList": "Items", "itemFilter": "Filter items", "diffView": None,
             "correctedReference": "Corrected reference", "note": "Note"}
    for name, accessible in names.items():
        widget = named(window, name)
        if accessible is not None:
            assert widget.accessibleName() == accessible
    for verdict in VERDICTS:
        assert named(window, f"verdict_{verdict}").accessibleName()


@pytest.mark.parametrize("kind", ["text", "gec", "label"])
def test_the_list_has_the_keyboard_at_the_start(kind: str, tmp_path: Path,
                                                qtbot: QtBot) -> None:
    from reviewer.demo import ensure_demo

    win = open_window(qtbot, ensure_demo(tmp_path / f"demo-{kind}.db", kind))
    try:
        session = win.session
        assert session is not None
        first = session.current_item
        assert focused() is item_list(win)
        type_text(qtbot, "j")
        assert session.current_item != first
        assert win.items.filter_edit.text() == ""
    finally:
        close_window(win)


@pytest.mark.parametrize("name", ["correctedReference", "note", "tags", "itemFilter"])
def test_esc_leaves_a_field_and_j_moves_on_without_typing(
        window: MainWindow, qtbot: QtBot, name: str) -> None:
    session = window.session
    assert session is not None
    box = field(window, name)
    before = _text(box)
    click_into(qtbot, box)
    press(qtbot, Qt.Key.Key_Escape)
    assert focused() is item_list(window)
    type_text(qtbot, "j")
    assert session.current_item == "l2"
    assert _text(box) in (before, _text_of_item(window, name, "l2"))
    assert session.flush()
    assert session.decision("l1") == decisions.Decision()  # nothing typed, nothing saved


def test_esc_then_j_in_the_reference_box_keeps_the_reference(
        window: MainWindow, qtbot: QtBot) -> None:
    """The issue's reproduction: Esc, then j, in the corrected-reference box."""
    session = window.session
    assert session is not None
    box = field(window, "correctedReference")
    assert isinstance(box, QPlainTextEdit)
    reference = box.toPlainText()
    click_into(qtbot, box)
    press(qtbot, Qt.Key.Key_End, CTRL)
    press(qtbot, Qt.Key.Key_Escape)
    type_text(qtbot, "j")
    qtbot.wait(800)  # longer than the autosave delay: anything typed would be saved now
    assert session.flush()
    assert session.decision("l1").corrected_reference is None
    assert session.current_item == "l2"
    session.set_current_item("l1")
    assert box.toPlainText() == reference


@pytest.mark.parametrize("leave", [Qt.Key.Key_Escape, Qt.Key.Key_Return])
def test_esc_or_enter_in_the_filter_keeps_it_and_the_list(
        window: MainWindow, qtbot: QtBot, leave: Qt.Key) -> None:
    """The issue's reproduction: type a filter, Esc or Enter, then j."""
    session = window.session
    assert session is not None
    box = field(window, "itemFilter")
    assert isinstance(box, QLineEdit)
    click_into(qtbot, box)
    type_text(qtbot, "village")  # in l3, l9, l15, l21, l27 ("A quiet morning in the village.")
    press(qtbot, leave)
    assert focused() is item_list(window)
    shown = window.items.visible_ids()
    assert shown == ["l3", "l9", "l15", "l21", "l27"]
    assert session.current_item == "l3"  # the top row: l1 is not shown
    type_text(qtbot, "j")
    assert box.text() == "village"
    assert window.items.visible_ids() == shown
    assert session.current_item == "l9"


def test_ctrl_f_then_enter_returns_to_the_same_keys(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    press(qtbot, Qt.Key.Key_F, CTRL)
    assert focused() is field(window, "itemFilter")
    type_text(qtbot, "clerk")  # "Hello world, said the clerk.": l1, l13, l19, l25
    press(qtbot, Qt.Key.Key_Return)
    assert window.items.visible_ids() == ["l1", "l13", "l19", "l25"]
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        type_text(qtbot, "1")
    assert session.decision("l1").verdict == "ok"
    assert session.current_item == "l13"  # and on to the next item shown
    assert window.items.filter_edit.text() == "clerk"


def test_ctrl_z_in_a_field_undoes_the_typing_not_a_decision(
        window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    assert session is not None
    stay_after_verdicts(window)
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        type_text(qtbot, "2")  # a decision to be undone by mistake
    box = field(window, "correctedReference")
    assert isinstance(box, QPlainTextEdit)
    reference = box.toPlainText()
    click_into(qtbot, box)
    press(qtbot, Qt.Key.Key_End, CTRL)
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        type_text(qtbot, "X")  # saved a moment after the last key
    assert session.decision("l1").corrected_reference == reference + "X"
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert box.toPlainText() == reference
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert box.toPlainText() == reference + "X"
    press(qtbot, Qt.Key.Key_Z, CTRL)
    press(qtbot, Qt.Key.Key_Y, CTRL)
    assert box.toPlainText() == reference + "X"
    qtbot.wait(800)
    assert session.flush()
    with Project(session.path) as other:
        actions = [e.action for e in decisions.history(other, "l1")]
    assert "undo" not in actions  # the decision was never undone
    assert session.decision("l1").verdict == "model_error"

    note = field(window, "note")
    assert isinstance(note, QLineEdit)
    click_into(qtbot, note)
    type_text(qtbot, "abc")
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert note.text() == ""
    # Outside a field, Ctrl+Z is the decision undo again.
    press(qtbot, Qt.Key.Key_Escape)
    with qtbot.waitSignal(session.decisionChanged, timeout=5000):
        press(qtbot, Qt.Key.Key_Z, CTRL)
    with Project(session.path) as other:
        assert decisions.history(other, "l1")[-1].action == "undo"


def test_arrows_and_home_typed_in_a_field_stay_there(window: MainWindow, qtbot: QtBot) -> None:
    """Down and Home are list keys too; in the note they move the cursor, and what is typed
    is kept for the item it was typed for."""
    session = window.session
    assert session is not None
    note = field(window, "note")
    assert isinstance(note, QLineEdit)
    click_into(qtbot, note)
    type_text(qtbot, "ink")
    for key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_Up):
        press(qtbot, key)
    assert session.current_item == "l1"
    type_text(qtbot, "faded ")
    assert note.text() == "faded ink"
    press(qtbot, Qt.Key.Key_Escape)
    type_text(qtbot, "j")
    assert session.flush()
    assert session.decision("l1").note == "faded ink"


def test_esc_leaves_a_kind_views_field(tmp_path: Path, qtbot: QtBot) -> None:
    win = open_window(qtbot, make_project(tmp_path / "label.db", label_benchmark()))
    try:
        view = win.kind_view
        search = getattr(view, "search_edit", None)
        assert isinstance(search, QLineEdit)
        click_into(qtbot, search)
        press(qtbot, Qt.Key.Key_Escape)
        assert focused() is item_list(win)
        session = win.session
        assert session is not None
        type_text(qtbot, "j")
        assert session.current_item == "r2"
        assert search.text() == ""
    finally:
        close_window(win)


def test_the_sheet_lists_exactly_the_bound_keys(window: MainWindow) -> None:
    listed = sheet_rows(window.shortcuts_dialog())
    bound = {tuple(k.toString() for k in a.shortcuts()): a for a in window.findChildren(QAction)
             if a.parent() is window and a.shortcuts()}
    assert set(listed) == set(bound)  # every bound key listed, nothing listed unbound
    assert all(text for text in listed.values())
    assert listed[("Esc",)].startswith("Leave a text field")
    for keys in (("Home",), ("End",), ("PgDown",), ("PgUp",), ("Ctrl+Z",)):
        assert keys in listed


def test_the_sheet_follows_a_kinds_own_keys(tmp_path: Path, qtbot: QtBot) -> None:
    from reviewer.demo import ensure_demo

    win = open_window(qtbot, ensure_demo(tmp_path / "choice.db", "choice"))
    try:
        rows = sheet_rows(win.shortcuts_dialog())
        assert ("Shift+N",) in rows and ("N",) not in rows  # N is "no correct answer" there
    finally:
        close_window(win)


def _text(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    assert isinstance(widget, QLineEdit)
    return widget.text()


def _text_of_item(win: MainWindow, name: str, item_id: str) -> str:
    """What the field shows for ``item_id`` (the reference box shows its reference)."""
    session = win.session
    assert session is not None
    return session.current_reference(item_id) if name == "correctedReference" else ""


def test_keys_of_the_alignment_view_are_unbound_where_it_is_not_shown(
        tmp_path: Path, qtbot: QtBot) -> None:
    """choice shows no alignment: R, H, L and S neither act nor appear in the sheet there,
    and they come back for a text project opened next in the same window."""
    from reviewer.demo import ensure_demo

    win = open_window(qtbot, ensure_demo(tmp_path / "choice.db", "choice"))
    try:
        rows = sheet_rows(win.shortcuts_dialog())
        assert ("R",) not in rows and ("S",) not in rows
        assert not win.actions_by_id["take_edit"].shortcuts()
        win.open_project(make_project(tmp_path / "items.db"))
        rows = sheet_rows(win.shortcuts_dialog())
        assert ("R",) in rows and ("S",) in rows
    finally:
        close_window(win)
